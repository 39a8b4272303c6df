"""The follow-up and the board brief per goal (issue 14): the goal, and the plan's procurements serving
it with how far they have come. An awarded value of a confidential procurement is for the centre only."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from plans.formatting import format_sek
from plans.models import Goal, Outcome
from tests.factories import ProcurementFactory
from tests.plans.followup.test_brief import pdf_fonts

SECRET_AWARD = 98_765_432
OPEN_AWARD = 12_340_000
ORGANIC = "40 % ekologiska livsmedel i kommunens kök"


@pytest.fixture
def served(falun, falun_plan, adopted_plan, serv):
    """Falun's organic-food goal, served by three procurements of the 2027 plan (awarded, confidential
    and awarded, not started) and one of 2017; a second goal no procurement serves yet."""
    organic = Goal.objects.create(
        municipality=falun,
        title=ORGANIC,
        target_value=Decimal("40"),
        unit="%",
        target_year=2020,
        reached=Decimal("31"),
        reached_year=2017,
    )
    Goal.objects.create(municipality=falun, title="Fossilfritt Falun 2035", target_year=2035)
    dairy = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-009", title="Livsmedel – mejeri",
                               estimated_value_sek=150_000_000)  # fmt: skip
    meat = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-010", title="Livsmedel – kött",
                              confidential=True, estimated_value_sek=150_000_000)  # fmt: skip
    fruit = ProcurementFactory(plan=falun_plan, department=serv, ref="2027-011", title="Livsmedel – frukt")
    old = ProcurementFactory(plan=adopted_plan, department=serv, ref="2017-011", title="Livsmedel 2017")
    Outcome.objects.create(procurement=dairy, status=Outcome.Status.AWARDED, awarded_value_sek=OPEN_AWARD)
    Outcome.objects.create(procurement=meat, status=Outcome.Status.AWARDED, awarded_value_sek=SECRET_AWARD)
    for procurement in (dairy, meat, fruit, old):
        procurement.goals.add(organic)
    return organic


def url(name, year=2027):
    return reverse(f"plans:{name}", kwargs={"municipality": "falun", "year": year})


def goal_rows(response, title=ORGANIC):
    key = "goals" if "goals" in response.context else None
    goals = response.context[key] if key else response.context["brief"].goals
    return {p.ref: p for goal in goals if goal.title == title for p in goal.procurements}


@pytest.mark.parametrize("page", ["followup", "brief"])
@pytest.mark.parametrize(
    ("role", "sees_secret"),
    [("officer", True), ("plan_admin", True), ("politician", False), ("department_rep", False)],
)
def test_each_goal_shows_the_plan_s_procurements_serving_it_and_how_far_they_have_come(
    page, role, sees_secret, served, users, client_for
):
    response = client_for(users[role]).get(url(page))
    assert response.status_code == 200
    rows = goal_rows(response)
    # The plan's procurements only: the 2017 one serves the goal in its own plan.
    assert sorted(rows) == ["2027-009", "2027-010", "2027-011"]
    assert [rows[ref].status for ref in sorted(rows)] == ["awarded", "awarded", "not_started"]
    html = response.content.decode().replace("\u00a0", " ")
    assert ORGANIC in html and "Fossilfritt Falun 2035" in html
    assert "40 %" in html and "31 %" in html
    assert format_sek(OPEN_AWARD).replace("\u00a0", " ") in html
    assert (format_sek(SECRET_AWARD).replace("\u00a0", " ") in html) is sees_secret
    assert rows["2027-010"].awarded_hidden is not sees_secret


def test_the_brief_pdf_has_the_goals_and_hides_a_confidential_award_from_a_politician(
    served, users, client_for
):
    def text(role):
        content = client_for(users[role]).get(url("brief_pdf")).content
        pages = PdfReader(io.BytesIO(content)).pages
        return " ".join(" ".join(page.extract_text() or "" for page in pages).replace("\u00a0", " ").split())

    secret = format_sek(SECRET_AWARD).replace("\u00a0", " ")
    politician, officer = text("politician"), text("officer")
    assert ORGANIC in politician and "Livsmedel – frukt" in politician
    assert secret not in politician
    assert secret in officer


def test_the_goals_pages_of_the_brief_pdf_embed_their_font_too(served, officer, client_for):
    content = client_for(officer).get(url("brief_pdf")).content
    assert ORGANIC in " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages)
    assert {(name.split("+")[-1], embedded) for _page, name, embedded in pdf_fonts(content)} == {
        ("DejaVuSans", True),
        ("DejaVuSans-Bold", True),
    }


def test_the_public_follow_up_of_an_adopted_plan_leaves_the_goals_out(served, client_for):
    response = client_for(None).get(url("followup", year=2017))
    assert response.status_code == 200
    assert response.context["goals"] == [] and ORGANIC not in response.content.decode()
    assert reverse("plans:goals", args=["falun"]) not in response.content.decode()


def test_members_find_the_goals_page_from_the_follow_up(served, politician, client_for):
    page = client_for(politician).get(url("followup")).content.decode()
    assert reverse("plans:goals", args=["falun"]) in page


@pytest.mark.parametrize("page", ["followup", "brief"])
def test_the_goals_cost_the_same_queries_however_many_procurements_serve_them(
    page, served, falun, falun_plan, serv, officer, client_for, django_assert_max_num_queries
):
    client = client_for(officer)
    client.get(url(page))
    with django_assert_max_num_queries(40) as few:
        client.get(url(page))
    goals = [Goal.objects.create(municipality=falun, title=f"Mål {n}") for n in range(5)]
    for n in range(20):
        procurement = ProcurementFactory(plan=falun_plan, department=serv, ref=f"2027-2{n:02}")
        procurement.goals.add(served, *goals)
        Outcome.objects.create(procurement=procurement, status=Outcome.Status.ADVERTISED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url(page))
