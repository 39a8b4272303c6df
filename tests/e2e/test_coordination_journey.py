"""The coordination journey in a browser (issue 16): an officer of the centre sees a suggestion of three
municipalities' car procurements on the coordination page, joins them into one coordinated procurement
led by Falun, and the scores and the capacity table move; a politician of Borlänge then sees on Borlänge's
own procurement that it is coordinated, with whom and who leads, but not the others' draft titles, values
or the combined value, and the centre's desk is a 404 to them. Each page passes axe-core's WCAG 2.1 AA
rules and fits a 390 px phone.

The data is the test's own (not the demo's): three plans of 2027 on remiss, a car procurement in each
(CPV 34110000, about 2 MSEK, E 1 alone, E 3 together: 6,1 MSEK), unrelated procurements that make a
second suggestion and none, and officers whose second-quarter loads the coordination changes."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.models import Role
from plans.models import Category, CoordinationGroup, OfficerCapacity, Procurement
from tests.conftest import REMISS_DAY
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import (
    PASSWORD,
    CentreFactory,
    MunicipalityFactory,
    PlanFactory,
    ProcurementFactory,
    UserFactory,
    member,
)

NAMES = {"falun": "Falu kommun", "borlange": "Borlänge kommun", "ludvika": "Ludvika kommun"}
CARS = {  # municipality slug: (ref, title, value, planned advertisement) — all in the second quarter
    "falun": ("2027-010", "Personbilar Falun 2027", 2_150_000, date(2027, 4, 12)),
    "borlange": ("2027-020", "Personbilar Borlänge 2027", 1_900_000, date(2027, 5, 10)),
    "ludvika": ("2027-030", "Personbilar Ludvika 2027", 2_050_000, date(2027, 6, 7)),
}
COMBINED = sum(value for _ref, _title, value, _day in CARS.values())  # 6 100 000 kr: E 3 (≥ 5 MSEK)
OFFICERS = {  # username: (first name, last name, the municipality whose car procurement is theirs)
    "anna": ("Anna", "Berg", "falun"),
    "bo": ("Bo", "Dahl", "borlange"),
    "cilla": ("Cilla", "Ek", "ludvika"),
}


def sek(value: int) -> re.Pattern:
    """An amount as the pages write it in Swedish, with any space between the thousands."""
    digits = f"{value:,}".replace(",", r"\s")
    return re.compile(digits)


@pytest.fixture
def world(transactional_db):
    centre = CentreFactory()
    municipalities = {
        slug: MunicipalityFactory(slug=slug, name=name, centre=centre) for slug, name in NAMES.items()
    }
    plans = {slug: PlanFactory(municipality=town, year=2027) for slug, town in municipalities.items()}
    officers = {}
    for username, (first, last, _slug) in OFFICERS.items():
        officers[username] = member(
            UserFactory(username=username, first_name=first, last_name=last), Role.OFFICER, centre=centre
        )
    member(UserFactory(username="politiker-borlange", first_name="Per", last_name="Persson"),
           Role.POLITICIAN, municipality=municipalities["borlange"])  # fmt: skip
    cars = {}
    for username, (_first, _last, slug) in OFFICERS.items():
        ref, title, value, day = CARS[slug]
        cars[slug] = ProcurementFactory(
            plan=plans[slug],
            ref=ref,
            title=title,
            category=Category.GOODS,
            cpv="34110000",
            estimated_value_sek=value,
            planned_advertisement=day,
            officer=officers[username],
        )
    # A second suggestion (food in Falun and Ludvika), and what matches nothing: a lorry of Falun too late
    # for the cars' window, and Borlänge's school transport, which also weighs on Bo's second quarter.
    ProcurementFactory(plan=plans["falun"], ref="2027-001", title="Livsmedel till skolorna",
                       category=Category.GOODS, cpv="15800000", estimated_value_sek=4_000_000,
                       planned_advertisement=date(2027, 2, 1), officer=officers["anna"])  # fmt: skip
    ProcurementFactory(plan=plans["ludvika"], ref="2027-002", title="Livsmedel",
                       category=Category.GOODS, cpv="15810000", estimated_value_sek=3_000_000,
                       planned_advertisement=date(2027, 3, 1), officer=officers["cilla"])  # fmt: skip
    ProcurementFactory(plan=plans["falun"], ref="2027-050", title="Lastbilar till gatuavdelningen",
                       category=Category.GOODS, cpv="34144000", estimated_value_sek=3_500_000,
                       planned_advertisement=date(2027, 11, 15), officer=officers["anna"])  # fmt: skip
    ProcurementFactory(plan=plans["borlange"], ref="2027-021", title="Skolskjuts",
                       category=Category.SERVICES, cpv="60130000", estimated_value_sek=1_500_000,
                       planned_advertisement=date(2027, 5, 20), officer=officers["bo"])  # fmt: skip
    # 3 points a quarter each, but Bo only 1 in the second (over with his car and the school transport).
    for username, officer in officers.items():
        for quarter in (1, 2, 3, 4):
            points = 1 if (username, quarter) == ("bo", 2) else 3
            OfficerCapacity.objects.create(
                centre=centre, officer=officer, year=2027, quarter=quarter, points=Decimal(points)
            )
    return {"centre": centre, "cars": cars}


def q2_load(page, officer_name: str) -> str:
    """The second quarter's cell of an officer's row as it reads: "1 / 3", "2 / 1 ▲ over capacity"."""
    cell = q2_cell(page, officer_name)
    figure = cell.locator(".load-figure").inner_text().strip()
    over = cell.locator(".over-mark").count() == 1
    return figure + (" over" if over else "")


def q2_cell(page, officer_name: str):
    row = page.locator("#capacity-load tbody tr").filter(has=page.locator("th", has_text=officer_name))
    return row.locator("td").nth(1)


def plan_cell(page, title: str, header: str) -> str:
    """The text of one cell of the plan table: the row with the title, the column with the header."""
    column = page.locator("#plan-table thead th").evaluate_all(
        "(headers, name) => headers.findIndex(th => th.innerText.trim() === name)", header
    )
    assert column >= 0, f"no column {header!r} in the plan table"
    row = page.locator("#plan-table tbody tr").filter(has_text=title)
    return row.locator("td").nth(column).inner_text().strip()


def economic_row(page):
    return page.locator(".assessment table.scores tbody tr").filter(
        has=page.locator("th", has_text="Ekonomisk vikt")
    )


def test_an_officer_coordinates_three_car_procurements_and_a_politician_sees_only_their_own(page, world):
    cars = world["cars"]
    assert {car.economic_score for car in cars.values()} == {1}  # each alone: below the EU threshold
    with time_machine.travel(REMISS_DAY, tick=True):
        log_in(page, "anna", PASSWORD)

        # Before: each officer carries their own car procurement in the second quarter.
        page.goto("/centre/uhc/2027/capacity/")
        expect(page.locator("#capacity-load")).to_contain_text("1 upphandlare är över kapacitet")
        assert q2_load(page, "Anna Berg") == "1 / 3"
        assert q2_load(page, "Bo Dahl") == "2 / 1 over"
        assert q2_load(page, "Cilla Ek") == "1 / 3"

        page.goto("/plans/borlange/2027/")
        assert plan_cell(page, "Personbilar Borlänge 2027", "E") == "1"

        # The suggestion: the three car procurements, and not Falun's lorry (outside six months).
        page.goto("/centre/uhc/2027/coordination/")
        expect(page.locator("#groups")).to_contain_text("Ingen samordnad upphandling")
        suggestions = page.locator("article.coordination-suggestion")
        expect(suggestions).to_have_count(2)  # the food, then the cars
        suggestion = suggestions.filter(has_text="Personbilar Falun 2027")
        expect(suggestion).to_have_count(1)
        for _ref, title, _value, _day in CARS.values():
            expect(suggestion).to_contain_text(title)
        expect(suggestion).not_to_contain_text("Lastbilar")
        expect(suggestion.get_by_role("heading")).to_contain_text("341")
        expect(suggestion).to_contain_text(sek(COMBINED))
        assert_accessible(page)

        # All three ticked (they come ticked), Falun leads (the earliest: chosen already), coordinate.
        for slug, (ref, _title, _value, _day) in CARS.items():
            suggestion.get_by_label(f"Ta med {ref} i {NAMES[slug]}").check()
        suggestion.get_by_label("2027-010 i Falu kommun är ledande").check()
        suggestion.get_by_role("button", name="Samordna").click()

        expect(page.locator(".messages")).to_contain_text("”Personbilar Falun 2027” är nu en samordnad")
        group = CoordinationGroup.objects.get()
        assert group.lead_id == cars["falun"].pk and group.is_active
        shown = page.locator(f"#group-{group.pk}")
        expect(shown).to_contain_text("Ledande: Falu kommun")
        for _ref, title, _value, _day in CARS.values():
            expect(shown).to_contain_text(title)
        expect(page.locator("article.coordination-suggestion")).to_have_count(1)  # only the food is left
        assert_accessible(page)

        # The scores move: each member's E is scored on the combined 6,1 MSEK.
        for car in Procurement.objects.filter(coordination=group):
            assert (car.economic_score, car.coordinated_value_sek, car.coordinated_with) == (3, COMBINED, 2)
        page.goto("/plans/borlange/2027/2027-020/")
        expect(page.locator("#coordinated")).to_contain_text("Samordnad upphandling med 2 andra kommuner")
        expect(economic_row(page).locator("td.score")).to_have_text("3")
        expect(economic_row(page)).to_contain_text("Samordnad med 2 andra kommuner: 6,1 Mkr")
        page.goto("/plans/borlange/2027/")
        own = CARS["borlange"][1]
        assert plan_cell(page, own, "E") == "3"
        assert plan_cell(page, own, "Benämning") == f"{own} Samordnad"  # marked in its own plan
        # The centre's year: the lead and its quadrant.
        page.goto("/centre/uhc/2027/")
        year_row = page.locator("#year-table tbody tr").filter(has_text="Personbilar Falun 2027")
        expect(year_row).to_contain_text("Samordnad med 2 andra kommuner (ledande)")
        expect(year_row).to_contain_text("Hävstång")

        # The capacity moves: the group counts once, for the lead's officer, with the lead's new weight.
        page.goto("/centre/uhc/2027/capacity/")
        expect(page.locator("#capacity-load")).to_contain_text("Ingen upphandlare är över kapacitet")
        assert q2_load(page, "Anna Berg") == "2 / 3"
        assert q2_load(page, "Bo Dahl") == "1 / 1"
        assert q2_load(page, "Cilla Ek") == "0 / 3"
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        behind = q2_cell(page, "Anna Berg").locator(".cell-list")
        expect(behind).to_contain_text("ledande i en samordnad upphandling")
        for slug in ("borlange", "ludvika"):  # the participants stand in the lead's cell, weighing nothing
            expect(behind).to_contain_text(CARS[slug][1])
        expect(behind).to_contain_text("samordnad, räknas med den ledande")
        # Ludvika's officer sees their own car procurement too, weighing nothing: Anna carries it.
        own = q2_cell(page, "Cilla Ek")
        expect(own.locator("summary")).to_have_text("1 samordnad, som räknas med den ledande")
        listed = own.locator(".cell-list")
        expect(listed).to_contain_text(CARS["ludvika"][1])
        expect(listed).to_contain_text("0 p · samordnad, räknas med den ledande (Anna Berg)")
        assert_accessible(page)

        # Borlänge's politician: their own procurement, coordinated, without the others' drafts.
        page.context.clear_cookies()
        log_in(page, "politiker-borlange", PASSWORD)
        page.goto("/plans/borlange/2027/2027-020/")
        card = page.locator("#coordinated")
        expect(card).to_contain_text(
            "Samordnad upphandling med 2 andra kommuner: Falu kommun, Ludvika kommun. Ledande: Falu kommun."
        )
        expect(economic_row(page).locator("td.score")).to_have_text("3")
        expect(economic_row(page)).to_contain_text(
            "Samordnad med 2 andra kommuner: sammanlagt värde mellan 5 Mkr och 20 Mkr → 3"
        )
        body = page.locator("body")
        expect(body).to_contain_text(sek(CARS["borlange"][2]))  # their own value, as before
        for slug in ("falun", "ludvika"):
            _ref, title, value, _day = CARS[slug]
            expect(body).not_to_contain_text(title)
            expect(body).not_to_contain_text(sek(value))
            assert page.locator(f"a[href*='/{slug}/']").count() == 0
        expect(body).not_to_contain_text(sek(COMBINED))
        expect(body).not_to_contain_text("6,1 Mkr")
        assert_accessible(page)

        # The centre's desk is not theirs: a 404 page, whichever of its pages.
        for address in ("/centre/uhc/2027/", "/centre/uhc/2027/coordination/", "/centre/uhc/2027/capacity/"):
            response = page.goto(address)
            assert response.status == 404, address
            expect(body).not_to_contain_text("Personbilar Falun 2027")
        assert_accessible(page)
