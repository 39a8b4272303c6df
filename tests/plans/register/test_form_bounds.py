"""The edit forms hold the import's bounds with the import's words, and every versioned form refuses a
POST without its version: a message in the user's language, nothing saved."""

import pytest
from django.urls import reverse

from plans.followup.services import outcome_save, targets_version
from plans.models import Outcome, Procurement, Rubric, Target
from plans.register import validation
from tests.factories import ProcurementFactory
from tests.plans.register.test_procurement_pages import form_data, url

MISSING = "Formuläret skickades utan den version det byggdes på"


def error_beside(body: str, field: str) -> str:
    """The error messages shown beside a field (the text after its error paragraph's id)."""
    marker = f'id="id_{field}_error">'
    assert marker in body, f"no error beside {field}"
    start = body.index(marker) + len(marker)
    return body[start : body.index("</p>", start)]


@pytest.mark.parametrize(
    ("text", "amount"), [("12 400 000", 12_400_000), ("12 400 000,00", 12_400_000), ("SEK 1,000", 1_000)]
)
def test_whole_kronor_are_saved_as_typed(text, amount, client_for, officer, procurement):
    response = client_for(officer).post(
        url("procurement_edit", procurement), form_data(procurement, estimated_value_sek=text)
    )
    assert response.status_code == 302
    procurement.refresh_from_db()
    assert procurement.estimated_value_sek == amount


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (10, None),
        (10.5, "ören"),
        (validation.MAX_AMOUNT, None),
        (validation.MAX_AMOUNT + 1, "för stort"),
    ],
)
def test_the_amount_rule_the_import_and_the_forms_share(amount, message):
    from decimal import Decimal

    from django.utils import translation

    # In Swedish, whatever language an earlier test's request left active.
    with translation.override("sv"):
        error = validation.amount_error(Decimal(str(amount)), "Belopp", str(amount))
    assert (error is None) if message is None else (message in error)


def outcome_url(procurement):
    plan = procurement.plan
    return reverse("plans:outcome", args=[plan.municipality.slug, plan.year, procurement.ref])


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bids", "40000", "Antal anbud: ”40000” är för stort"),
        ("bids", "2.5", "”2.5” är inte ett heltal"),
        ("people_employed", "-1", "kan inte vara negativt"),
        ("awarded_value_sek", "2 900 000,75", "har ören"),
    ],
)
def test_the_outcome_form_holds_the_imports_bounds(field, value, message, client_for, officer, procurement):
    response = client_for(officer).post(
        outcome_url(procurement), {"status": "awarded", field: value, "version": "0"}
    )
    assert response.status_code == 400
    assert message in error_beside(response.content.decode(), field)
    assert not Outcome.objects.filter(procurement=procurement).exists()


# --- A POST without its version ------------------------------------------------------------------


def test_a_procurement_edit_without_a_version_is_refused_with_a_message(client_for, officer, procurement):
    data = form_data(procurement, title="Utan version")
    del data["version"]
    body = client_for(officer).post(url("procurement_edit", procurement), data).content.decode()
    assert MISSING in body
    procurement.refresh_from_db()
    assert (procurement.title, procurement.version) == ("Arbetskläder", 1)


def test_creating_a_procurement_needs_no_version(client_for, officer, procurement):
    data = form_data(procurement, ref="2027-777", title="Ny")
    del data["version"]
    assert client_for(officer).post(url("procurement_create", plan=procurement.plan), data).status_code == 302
    assert Procurement.objects.filter(plan=procurement.plan, ref="2027-777").exists()


def test_a_rubric_save_without_a_version_is_refused(client_for, plan_admin, falun_plan):
    rubric = Rubric.objects.get(plan=falun_plan)
    data = {name: getattr(rubric, name) for name in Rubric.EDITABLE_FIELDS} | {"eu_threshold": "2500000"}
    data["save"] = "1"
    body = client_for(plan_admin).post(reverse("plans:rubric", args=["falun", 2027]), data).content.decode()
    assert MISSING in body
    rubric.refresh_from_db()
    assert (rubric.eu_threshold, rubric.version) == (2_389_585, 1)


def test_a_window_change_without_a_version_is_refused(client_for, plan_admin, falun_plan):
    data = {"action": "window", "remiss_starts": "2026-08-15", "remiss_ends": "2026-11-30"}
    response = client_for(plan_admin).post(reverse("plans:manage", args=["falun", 2027]), data)
    assert response.status_code == 400 and MISSING in response.content.decode()
    falun_plan.refresh_from_db()
    assert falun_plan.version == 1


def test_targets_without_a_version_or_with_a_stale_one_are_refused(client_for, plan_admin, falun_plan):
    url_ = reverse("plans:targets", args=["falun", 2027])
    national = {}
    for key in ("average_bids", "single_bid_share", "sme_share", "appeal_rate"):
        national |= {
            f"national-{key}-year": "2025",
            f"national-{key}-value": "5",
            f"national-{key}-source": "UHM",
        }
    client = client_for(plan_admin)
    missing = client.post(url_, {"target-average_bids": "4", **national})
    assert missing.status_code == 400 and MISSING in missing.content.decode()
    loaded = targets_version(falun_plan)
    # Someone else saves a target after this form was built.
    Target.objects.create(plan=falun_plan, key="appeal_rate", value=3)
    stale = client.post(url_, {"target-average_bids": "4", "target-version": loaded, **national})
    assert stale.status_code == 400 and "Någon annan ändrade målen" in stale.content.decode()
    assert not Target.objects.filter(key="average_bids").exists()
    fresh = client.post(
        url_, {"target-average_bids": "4", "target-version": targets_version(falun_plan), **national}
    )
    assert fresh.status_code == 302
    assert Target.objects.get(key="average_bids").value == 4


def test_an_outcome_form_built_before_the_first_save_cannot_replace_it(client_for, officer, procurement):
    client = client_for(officer)
    # The page was opened when there was no outcome (version 0); meanwhile a colleague saves one.
    outcome_save(procurement=procurement, data={"bids": 5}, expected_version=0, user=officer)
    response = client.post(outcome_url(procurement), {"status": "awarded", "bids": "2", "version": "0"})
    assert response.status_code == 400
    assert "Någon annan sparade utfallet" in response.content.decode()
    assert Outcome.objects.get(procurement=procurement).bids == 5


@pytest.fixture
def procurement(falun_plan, serv):
    return ProcurementFactory(plan=falun_plan, department=serv, ref="2027-001", title="Arbetskläder")


@pytest.mark.parametrize("text", ["1e1000000", "4.5e6", "1,5e3", "NaN", "Infinity", "٣", "1_000", "0x10"])
def test_an_amount_is_written_in_digits_only(text):
    from plans.formatting import parse_sek

    with pytest.raises(ValueError):
        parse_sek(text)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), 1e300])
def test_a_spreadsheet_number_too_large_for_an_amount_is_a_bad_row_not_a_crash(value):
    from plans.exchange.checking import clean_cell
    from plans.exchange.columns import IMPORT_COLUMNS

    column = next(column for column in IMPORT_COLUMNS if column.key == "estimated_value_sek")
    with pytest.raises(ValueError):
        clean_cell(column, value, "Uppskattat värde SEK", lookups=None)


def test_an_outcome_form_that_claims_a_version_that_does_not_exist_is_refused(
    client_for, officer, procurement
):
    response = client_for(officer).post(outcome_url(procurement), {"status": "awarded", "version": "1"})
    assert response.status_code == 400
    assert "Någon annan sparade utfallet" in response.content.decode()
    assert 'name="version" value="0"' in response.content.decode()
    assert not Outcome.objects.filter(procurement=procurement).exists()


@pytest.mark.parametrize("value", [True, False])
def test_a_spreadsheets_true_or_false_is_no_amount_and_no_count(value):
    from plans.exchange.checking import clean_cell
    from plans.exchange.columns import IMPORT_COLUMNS

    for key in ("estimated_value_sek", "duration_months", "bids"):
        column = next(column for column in IMPORT_COLUMNS if column.key == key)
        with pytest.raises(ValueError):
            clean_cell(column, value, column.sv, lookups=None)


def test_an_optional_count_of_only_spaces_is_left_empty(client_for, officer, procurement):
    response = client_for(officer).post(
        outcome_url(procurement),
        {"status": "awarded", "bids": "  ", "awarded_value_sek": " ", "version": "0"},
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(procurement=procurement)
    assert (outcome.bids, outcome.awarded_value_sek) == (None, None)


def test_a_save_in_the_admin_moves_the_version_on(client, procurement):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    page = client.get(f"/admin/plans/procurement/{procurement.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value is None else value) for key, value in data.items() if value is not False}
    data["title"] = "Ändrad i admin"
    assert client.post(f"/admin/plans/procurement/{procurement.pk}/change/", data).status_code == 302
    procurement.refresh_from_db()
    assert (procurement.title, procurement.version) == ("Ändrad i admin", 2)
