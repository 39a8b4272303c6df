"""Organisation numbers (accounts.org_numbers, issue 17): read as people write them, stored NNNNNN-NNNN,
refused with one clear message when they are not a number or their check digit is wrong: on the model and
beside the field in the admin's forms."""

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from accounts.models import Municipality, ProcurementCentre
from accounts.org_numbers import OrgNumberError, luhn_check_digit, normalise_org_number, validate_org_number
from tests.factories import UserFactory

# (as written, as stored) for numbers that pass.
ACCEPTED = [
    ("212000-2080", "212000-2080"),
    ("2120002080", "212000-2080"),
    ("212000 2080", "212000-2080"),
    ("  212000-2080  ", "212000-2080"),
    ("212 000 - 2080", "212000-2080"),
    ("212000\u20132080", "212000-2080"),  # the dash a word processor makes of a hyphen
    ("212000\u00a02080", "212000-2080"),  # a non-breaking space, from a web page
    ("16212000-2080", "212000-2080"),  # the century some registers write first
    ("162120002080", "212000-2080"),
    ("212000-2262", "212000-2262"),  # the demo's Falun
    ("212000-2270", "212000-2270"),  # the demo's Borlänge
    ("222000-1602", "222000-1602"),  # the demo's centre
    ("556016-0680", "556016-0680"),  # an aktiebolag's
    ("000000-0000", "000000-0000"),  # check digit 0 of an all-zero sum
    ("", ""),  # blank: no number, for the rows from before the field
    ("   ", ""),
    ("-", ""),  # a dash for "none"
]

# (as written, the code of the refusal).
REFUSED = [
    ("212000-2081", "org_number_check_digit"),  # the last digit one off
    ("212000-2089", "org_number_check_digit"),
    ("122000-2080", "org_number_check_digit"),  # two digits swapped
    ("16212000-2081", "org_number_check_digit"),
    ("212000-208", "org_number_format"),  # nine digits
    ("212000-20800", "org_number_format"),  # eleven
    ("17212000-2080", "org_number_format"),  # twelve, not beginning with 16
    ("1621200020800", "org_number_format"),  # thirteen
    ("212000/2080", "org_number_format"),  # another separator
    ("212000.2080", "org_number_format"),
    ("SE212000208001", "org_number_format"),  # a VAT number is not an organisation number
    ("2120002O80", "org_number_format"),  # the letter O
    ("２１２０００２０８０", "org_number_format"),  # full-width digits
    ("²¹²⁰⁰⁰²⁰⁸⁰", "org_number_format"),  # digits to Python, not to us
]


@pytest.mark.parametrize(("written", "stored"), ACCEPTED)
def test_a_number_is_read_as_it_is_written(written, stored):
    assert normalise_org_number(written) == stored
    validate_org_number(written)  # no error


@pytest.mark.parametrize(("written", "code"), REFUSED)
def test_a_wrong_number_is_refused_with_its_reason(written, code):
    with pytest.raises(OrgNumberError) as refused:
        normalise_org_number(written)
    assert refused.value.code == code
    with pytest.raises(ValidationError) as invalid:
        validate_org_number(written)
    assert invalid.value.code == code


@pytest.mark.parametrize(
    ("digits", "check"),
    [
        ("212000208", 0),
        ("212000226", 2),
        ("212000227", 0),
        ("556016068", 0),
        ("000000000", 0),
        ("100000000", 8),
    ],
)
def test_the_check_digit_is_luhns(digits, check):
    assert luhn_check_digit(digits) == check


def test_every_last_digit_but_one_is_refused():
    passing = [digit for digit in "0123456789" if _passes(f"212000-208{digit}")]
    assert passing == ["0"]


def _passes(number):
    try:
        normalise_org_number(number)
    except OrgNumberError:
        return False
    return True


def test_the_messages_say_what_to_write():
    with translation.override("en"):
        with pytest.raises(OrgNumberError) as format_error:
            normalise_org_number("12345")
        with pytest.raises(OrgNumberError) as check_error:
            normalise_org_number("2120002081")
        # Read in the language they are shown in: the messages are translated when they are read.
        assert "ten digits, NNNNNN-NNNN" in str(format_error.value)
        assert "212000-2081 is not an organisation number" in str(check_error.value)


# --- on the models and in the admin ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ProcurementCentre, Municipality])
def test_the_model_stores_the_number_as_nnnnnn_nnnn(model, centre):
    place = (
        centre
        if model is ProcurementCentre
        else Municipality(name="Falu kommun", slug="falun", centre=centre)
    )
    place.org_number = "212000 2080"

    place.full_clean()
    place.save()

    place.refresh_from_db()
    assert place.org_number == "212000-2080"


@pytest.mark.django_db
@pytest.mark.parametrize("model", [ProcurementCentre, Municipality])
def test_the_model_refuses_a_wrong_check_digit_beside_the_field(model, centre):
    place = (
        centre
        if model is ProcurementCentre
        else Municipality(name="Falu kommun", slug="falun", centre=centre)
    )
    place.org_number = "212000-2081"

    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            place.full_clean()
        assert list(refused.value.message_dict) == ["org_number"]
        assert refused.value.message_dict["org_number"] == [
            "212000-2081 is not an organisation number: its last digit does not match the others. Check it "
            "against the registration."
        ]


def admin_form(model, data, instance=None):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    form_class = admin.site._registry[model].get_form(request, obj=instance)
    return form_class(data=data, instance=instance)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "stored", "error"),
    [
        ("2120002262", "212000-2262", None),
        ("16 212000-2262", "212000-2262", None),  # 14 characters: the form has room for it
        ("", "", None),
        ("212000-2263", None, "212000-2263 is not an organisation number"),
        ("ett nummer", None, "Write the organisation number as ten digits"),
        ("212000-22620000000000", None, "Ensure this value has at most 20 characters"),
    ],
)
def test_the_admins_municipality_form(centre, written, stored, error):
    data = {"name": "Falu kommun", "slug": "falun", "centre": centre.pk, "org_number": written}

    with translation.override("en"):
        form = admin_form(Municipality, data)
        valid = form.is_valid()
        errors = [str(message) for message in form.errors.get("org_number", [])]

    assert "org_number" in form.fields
    if error is None:
        assert valid, form.errors
        assert form.save().org_number == stored
    else:
        assert not valid
        assert len(errors) == 1 and error in errors[0]
        assert set(form.errors) == {"org_number"}


@pytest.mark.django_db
def test_the_admins_centre_form_changes_the_number(centre):
    data = {"name": centre.name, "slug": centre.slug, "org_number": "222000 1602"}

    form = admin_form(ProcurementCentre, data, instance=centre)

    assert form.is_valid(), form.errors
    form.save()
    centre.refresh_from_db()
    assert centre.org_number == "222000-1602"


@pytest.mark.django_db
def test_a_lookup_with_a_wrong_number_finds_nothing_rather_than_failing(centre):
    centre.org_number = "222000-1602"
    centre.save()

    assert ProcurementCentre.objects.filter(org_number="2220001602").get() == centre
    assert not ProcurementCentre.objects.filter(org_number="not a number").exists()
