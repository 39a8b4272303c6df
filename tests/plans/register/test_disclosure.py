"""What a viewer may see of a confidential procurement (plans.register.disclosure), at its edges: the band in
words instead of the value, history, change lists, totals, and sorting and filtering by value."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.permissions import Access
from plans.followup.services import totals_by_year
from plans.formatting import format_sek
from plans.models import Procurement
from plans.register import services
from plans.register.disclosure import CENTRE, PUBLIC, Disclosure, entry_is_secret
from plans.scoring.rules import RubricValues, economic_band, economic_score
from tests.factories import ProcurementFactory

RUBRIC = RubricValues()
FALUN = 1


@pytest.mark.parametrize(
    ("value", "score", "sv", "en"),
    [
        (0, 0, "under direktupphandlingsgränsen", "below the direct-award limit"),
        (699_999, 0, "under direktupphandlingsgränsen", "below the direct-award limit"),
        (700_000, 1, "mellan direktupphandlingsgränsen och EU:s tröskelvärde", None),
        (2_389_584, 1, "mellan direktupphandlingsgränsen och EU:s tröskelvärde", None),
        (2_389_585, 2, "mellan EU:s tröskelvärde och 5 Mkr", "between the EU threshold and 5 MSEK"),
        (4_999_999, 2, "mellan EU:s tröskelvärde och 5 Mkr", None),
        (5_000_000, 3, "mellan 5 Mkr och 20 Mkr", "between 5 MSEK and 20 MSEK"),
        (99_999_999, 4, "mellan 20 Mkr och 100 Mkr", None),
        (100_000_000, 5, "100 Mkr eller mer", "100 MSEK or more"),
        (10**12, 5, "100 Mkr eller mer", None),
    ],
)
def test_the_band_of_a_value_in_words(value, score, sv, en):
    assert economic_score(value, RUBRIC).value == score
    with translation.override("sv"):
        assert economic_band(score, RUBRIC) == sv
    if en:
        with translation.override("en"):
            assert economic_band(score, RUBRIC) == en


def test_a_band_limit_that_is_not_whole_millions_is_written_with_a_decimal_comma():
    rubric = RubricValues(economic_limit_3=2_500_000, eu_threshold=2_000_000)
    with translation.override("sv"):
        assert economic_band(2, rubric) == "mellan EU:s tröskelvärde och 2,5 Mkr"


@dataclass
class Row:
    """What a Disclosure reads of a procurement."""

    confidential: bool
    estimated_value_sek: int = 4_268_317
    description: str = "Kalkylen"


@pytest.mark.parametrize(
    ("confidential", "viewer", "value", "description"),
    [
        (False, PUBLIC, 4_268_317, "Kalkylen"),
        (False, CENTRE, 4_268_317, "Kalkylen"),
        (True, CENTRE, 4_268_317, "Kalkylen"),
        (True, PUBLIC, None, ""),
    ],
)
def test_a_value_and_a_description_are_shown_unless_confidential_to_the_viewer(
    confidential, viewer, value, description
):
    row = Row(confidential)
    assert viewer.value(row) == value
    assert viewer.description(row) == description
    assert viewer.hides(row) is (value is None)


@pytest.mark.parametrize(
    ("access", "sees"),
    [
        (Access(officer_municipalities=frozenset({FALUN})), True),
        (Access(admin_municipalities=frozenset({FALUN})), True),
        (Access(officer_municipalities=frozenset({2})), False),  # another centre's officer
        (Access(politician_municipalities=frozenset({FALUN})), False),
        (Access(departments=frozenset({5}), department_municipalities=frozenset({FALUN})), False),
        (Access.anonymous(), False),
    ],
)
def test_only_the_centres_staff_see_confidential_values(access, sees):
    assert Disclosure.of(access, municipality_id=FALUN).confidential is sees


@pytest.mark.parametrize(
    ("rows", "viewer", "amount", "left_out"),
    [
        ([], PUBLIC, 0, 0),
        ([(100, False), (300, False)], PUBLIC, 400, 0),
        ([(100, False), (300, True)], PUBLIC, 100, 1),
        ([(100, False), (300, True)], CENTRE, 400, 0),
        ([(300, True), (500, True)], PUBLIC, 0, 2),
    ],
)
def test_a_total_leaves_out_what_the_viewer_may_not_see_and_says_how_many(rows, viewer, amount, left_out):
    """The follow-up's planned value as the pure figures count it (the database's count agrees, below)."""
    from plans.followup.figures import Record, totals

    records = [
        Record(estimated_value_sek=value, value_hidden=viewer.hidden(secret)) for value, secret in rows
    ]
    counted = totals(records)
    assert (counted.planned_value, counted.planned_value_left_out) == (amount, left_out)


@pytest.mark.parametrize(("viewer", "text"), [(PUBLIC, "Sekretess"), (CENTRE, "4\u00a0268\u00a0317\u00a0kr")])
def test_a_confidential_value_is_written_for_the_viewer(viewer, text):
    with translation.override("sv"):
        assert viewer.value_text(Row(True)) == text


@pytest.mark.parametrize(
    ("secret", "viewer", "hidden"),
    [(False, PUBLIC, set()), (True, CENTRE, set()), (True, PUBLIC, {"estimated_value_sek", "description"})],
)
def test_a_change_list_hides_the_confidential_fields_only(secret, viewer, hidden):
    fields = {"estimated_value_sek": ("1", "2"), "description": ("a", "b"), "title": ("x", "y")}
    changes = viewer.changes(fields, secret=secret)
    assert {change.name for change in changes if change.hidden} == hidden
    for change in changes:
        assert (change.before, change.after) == (("", "") if change.hidden else fields[change.name])


@dataclass
class Entry:
    procurement: object
    changes: dict


@pytest.mark.parametrize(
    ("now_confidential", "changes", "secret"),
    [
        (False, {"estimated_value_sek": ["1", "2"]}, False),
        (True, {"estimated_value_sek": ["1", "2"]}, True),
        (False, {"confidential": ["1", "0"], "estimated_value_sek": ["1", "2"]}, True),  # made public
        (False, {"confidential": ["0", "1"]}, True),
        (None, {"estimated_value_sek": ["1", "2"]}, False),  # a deleted procurement's entry
    ],
)
def test_a_history_entry_is_secret_while_or_where_its_procurement_is_confidential(
    now_confidential, changes, secret
):
    procurement = None if now_confidential is None else Row(now_confidential)
    assert entry_is_secret(Entry(procurement, changes)) is secret


@pytest.fixture
def mixed(falun_plan, serv):
    """Two procurements of 1 000 000 kr in public and one of 4 268 317 kr that is confidential."""
    for ref, value, confidential in [
        ("P-1", 1_000_000, False),
        ("P-2", 1_000_000, False),
        ("S-1", 4_268_317, True),
    ]:
        ProcurementFactory(
            plan=falun_plan,
            department=serv,
            ref=ref,
            title=ref,
            estimated_value_sek=value,
            confidential=confidential,
            description=f"Beskrivning {ref}",
        )
    return falun_plan


@pytest.mark.parametrize(("viewer", "planned", "left_out"), [(CENTRE, 6_268_317, 0), (PUBLIC, 2_000_000, 1)])
def test_the_planned_value_counted_by_the_database_leaves_out_what_the_viewer_may_not_see(
    mixed, viewer, planned, left_out
):
    totals = totals_by_year(Procurement.objects.filter(plan=mixed), viewer)[mixed.year]
    assert (totals.planned_value, totals.planned_value_left_out) == (planned, left_out)


def test_the_follow_up_says_how_many_values_its_total_leaves_out(mixed, client_for, politician, officer):
    url = reverse("plans:followup", args=["falun", mixed.year])
    public = client_for(politician).get(url).content.decode()
    assert format_sek(2_000_000) in public and "utan 1 sekretessbelagt värde" in public
    assert format_sek(6_268_317) not in public
    staff = client_for(officer).get(url).content.decode()
    assert format_sek(6_268_317) in staff and "sekretessbelagt" not in staff


@pytest.mark.parametrize("sort", ["shown_value", "-shown_value"])
def test_a_confidential_value_sorts_last_for_non_staff_in_both_directions(
    mixed, client_for, politician, sort
):
    page = client_for(politician).get(reverse("plans:plan", args=["falun", mixed.year]), {"sort": sort})
    refs = [row.ref for row in page.context["table"].page.object_list.data]
    assert refs[-1] == "S-1"


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ({"value_min": "4000000"}, set()),
        ({"value_max": "5000000"}, {"P-1", "P-2"}),
        ({"value_min": "4268317", "value_max": "4268317"}, set()),
        ({"value_min": "0"}, {"P-1", "P-2"}),
    ],
)
def test_no_value_range_matches_a_confidential_value_for_non_staff(
    mixed, client_for, politician, bounds, expected
):
    page = client_for(politician).get(reverse("plans:plan", args=["falun", mixed.year]), bounds)
    assert {row.ref for row in page.context["table"].page.object_list.data} == expected


def test_the_score_reason_names_the_band_not_the_value(mixed, client_for, politician, officer):
    url = reverse("plans:procurement", args=["falun", mixed.year, "S-1"])
    with translation.override("sv"):
        public = client_for(politician).get(url).content.decode()
    assert "Uppskattat värde mellan EU:s tröskelvärde och 5 Mkr → 2" in public
    assert "4\u00a0268\u00a0317" not in public and "Beskrivning S-1" not in public
    staff = client_for(officer).get(url).content.decode()
    assert "4\u00a0268\u00a0317" in staff and "Beskrivning S-1" in staff


def test_the_history_of_a_confidential_procurement_says_only_that_the_value_changed(
    mixed, client_for, politician, officer
):
    secret = Procurement.objects.get(plan=mixed, ref="S-1")
    services.procurement_update(
        procurement=secret,
        data={
            "estimated_value_sek": 4_999_001,
            "description": "Ny kalkyl",
            "planned_advertisement": date(2027, 3, 1),
        },
        expected_version=secret.version,
        user=officer,
    )
    url = reverse("plans:procurement", args=["falun", mixed.year, "S-1"])
    public = client_for(politician).get(url).content.decode()
    assert "Uppskattat värde (kr) ändrades (sekretess)" in public
    assert "Beskrivning ändrades (sekretess)" in public
    assert "2027-03-01" in public  # the other fields of the same entry stay readable
    for secret_text in ("4268317", "4999001", "Ny kalkyl", "Beskrivning S-1"):
        assert secret_text not in public
    staff = client_for(officer).get(url).content.decode()
    assert "4268317 → 4999001" in staff and "Ny kalkyl" in staff


def test_an_import_that_makes_a_procurement_public_keeps_its_old_value_secret(
    falun_plan, serv, client_for, politician, officer
):
    """The import records a flag as "True"/"False" in the history, an edit as "1"/"0": both count."""
    from plans.exchange.imports import plan_import
    from tests.plans.exchange.test_imports import SV_HEADER, csv_bytes, row

    header = [*SV_HEADER, "Sekretess", "Beskrivning"]
    first = csv_bytes(
        [[*row(Ref="2027-050", **{"Uppskattat värde SEK": "4268317"}), "Ja", "Hemlig kalkyl"]], header
    )
    second = csv_bytes(
        [[*row(Ref="2027-050", **{"Uppskattat värde SEK": "5000000"}), "Nej", "Öppen text"]], header
    )
    for content in (first, second):
        assert plan_import(plan=falun_plan, filename="plan.csv", content=content, user=officer).ok
    body = (
        client_for(politician)
        .get(reverse("plans:procurement", args=["falun", 2027, "2027-050"]))
        .content.decode()
    )
    assert "5\u00a0000\u00a0000" in body and "Öppen text" in body  # public now
    assert "4268317" not in body and "4\u00a0268\u00a0317" not in body and "Hemlig kalkyl" not in body
    assert "Uppskattat värde (kr) ändrades (sekretess)" in body
