"""The register's form at its edges (issue 18): the CPV list, the organisation number, an enterprise that
offers nothing, a number already in the register."""

import pytest
from django.utils import translation

from plans.centre import cpv
from plans.social.register_forms import MAX_CPV_CODES, CpvListError, EnterpriseForm, read_cpv_codes
from tests.factories import CentreFactory, MunicipalityFactory, SocialEnterpriseFactory, valid_org_number


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("98310000", ["98310000"]),
        ("98310000 77310000", ["98310000", "77310000"]),
        ("98310000,77310000;90910000", ["98310000", "77310000", "90910000"]),
        ("98310000\n77310000\r\n  90910000  ", ["98310000", "77310000", "90910000"]),
        ("98310000-9", ["98310000"]),  # the check digit is dropped
        ("3220000", ["03220000"]),  # a spreadsheet dropped the leading zero
        ('="03220000"', ["03220000"]),  # the CSV export's text formula
        ("98310000 98310000-9, 98310000", ["98310000"]),  # duplicates count once
        ("", []),
        (" ;, ", []),
    ],
)
def test_cpv_codes_are_read_as_people_write_them(text, codes):
    assert read_cpv_codes(text) == codes


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("9831000x", "9831000x"),
        ("98310000 1234", "1234"),
        ("983100001234", "983100001234"),
        ("98310001", "98310001"),  # eight digits, but no code of the vocabulary
        ("=HYPERLINK(1)", "=HYPERLINK(1)"),
    ],
)
def test_a_bad_cpv_code_is_named_in_the_error(text, named):
    with translation.override("en"), pytest.raises(CpvListError) as refused:
        read_cpv_codes(text)
    assert f"“{named}”" in str(refused.value)


def test_more_than_thirty_cpv_codes_are_refused():
    many = sorted(cpv.known())[: MAX_CPV_CODES + 1]
    assert read_cpv_codes(" ".join(many[:MAX_CPV_CODES])) == many[:MAX_CPV_CODES]
    with translation.override("en"), pytest.raises(CpvListError, match="At most 30"):
        read_cpv_codes(" ".join(many))


# A right number with its last digit changed.
WRONG_CHECK_DIGIT = valid_org_number(7)[:-1] + str((int(valid_org_number(7)[-1]) + 1) % 10)


def data(municipality, **changes):
    return {
        "name": "Tvätteriet i Falun",
        "org_number": valid_org_number(501),
        "municipality": str(municipality.pk),
        "contact_name": "Anna",
        "contact_email": "anna@tvatteriet.example",
        "contact_phone": "023-123 45",
        "cpv_codes": "98310000",
        "services": "Tvätt av arbetskläder",
        "capacity": "12",
        "reserved_qualified": "on",
    } | changes


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"org_number": WRONG_CHECK_DIGIT}, "org_number"),
        ({"org_number": "12345"}, "org_number"),
        ({"org_number": ""}, "org_number"),
        ({"cpv_codes": "9831000x"}, "cpv_codes"),
        ({"cpv_codes": "", "categories": []}, "cpv_codes"),  # neither a code nor a category
        ({"name": "   "}, "name"),
        ({"capacity": "-3"}, "capacity"),
        ({"capacity": "2,5"}, "capacity"),
        ({"contact_email": "anna@"}, "contact_email"),
    ],
)
def test_the_form_refuses_bad_input_beside_the_field(changes, field, falun):
    form = EnterpriseForm(data(falun, **changes), centre=falun.centre)
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_the_form_reads_a_good_enterprise(falun):
    form = EnterpriseForm(
        data(
            falun,
            cpv_codes="3220000; 98310000-9",
            categories=["services"],
            org_number=valid_org_number(501).replace("-", " "),
        ),
        centre=falun.centre,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cpv_codes"] == ["03220000", "98310000"]
    assert form.cleaned_data["categories"] == ["services"]
    assert form.cleaned_data["org_number"] == valid_org_number(501)


def test_a_category_alone_is_enough(falun):
    form = EnterpriseForm(data(falun, cpv_codes="", categories=["goods"]), centre=falun.centre)
    assert form.is_valid(), form.errors


def test_a_municipality_of_another_centre_is_no_choice(falun):
    elsewhere = MunicipalityFactory(centre=CentreFactory(slug="annat", name="Annat center"))
    form = EnterpriseForm(data(falun) | {"municipality": str(elsewhere.pk)}, centre=falun.centre)
    assert list(form.errors) == ["municipality"]


def test_an_org_number_already_in_the_register_is_refused_beside_the_field(falun):
    SocialEnterpriseFactory(municipality=falun, org_number=valid_org_number(501))
    form = EnterpriseForm(data(falun), centre=falun.centre)
    assert list(form.errors) == ["org_number"]


def test_the_same_org_number_in_another_centre_is_no_duplicate(falun):
    elsewhere = MunicipalityFactory(centre=CentreFactory(slug="annat", name="Annat center"))
    SocialEnterpriseFactory(municipality=elsewhere, org_number=valid_org_number(501))
    assert EnterpriseForm(data(falun), centre=falun.centre).is_valid()


def test_editing_keeps_the_enterprise_own_org_number(falun):
    enterprise = SocialEnterpriseFactory(municipality=falun, org_number=valid_org_number(501))
    form = EnterpriseForm(data(falun, version="1"), instance=enterprise, centre=falun.centre)
    assert form.is_valid(), form.errors


def test_an_edit_without_its_version_is_refused(falun):
    enterprise = SocialEnterpriseFactory(municipality=falun, org_number=valid_org_number(501))
    form = EnterpriseForm(data(falun), instance=enterprise, centre=falun.centre)
    assert not form.is_valid()
    assert form.non_field_errors()


def test_the_edit_form_shows_the_codes_as_text(falun):
    enterprise = SocialEnterpriseFactory(municipality=falun, cpv_codes=["98310000", "03220000"])
    form = EnterpriseForm(instance=enterprise, centre=falun.centre)
    assert form["cpv_codes"].value() == "98310000 03220000"
