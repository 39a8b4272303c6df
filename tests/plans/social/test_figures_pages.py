"""The social figures where they are read (issue 18): the database counts as the rule does; the follow-up's
"Social hänsyn" section moves when an outcome is recorded, shows only the plans the reader may see, in a
fixed number of queries however many departments; the board brief has its short section."""

import io
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Role
from plans.models import LabourReserve, Outcome, Procurement, SocialDecision
from plans.social.figure_queries import count_rows, municipality_figures, plan_figures
from plans.social.figures import Procurement as Row
from plans.social.figures import counts_by_department_year
from tests.factories import (
    CentreFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PlanFactory,
    ProcurementFactory,
    UserFactory,
    member,
)


def followup_url(plan):
    return reverse("plans:followup", args=[plan.municipality.slug, plan.year])


def brief_url(plan, name="brief"):
    return reverse(f"plans:{name}", args=[plan.municipality.slug, plan.year])


def outcome_url(procurement):
    plan = procurement.plan
    return reverse("plans:outcome", args=[plan.municipality.slug, plan.year, procurement.ref])


def pdf_text(content: bytes) -> str:
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\u00a0", " ").split())


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def cell(body: str, row_id: str, css_class: str) -> str:
    """The text of the cell of css_class in the row of row_id."""
    row = body[body.index(f'id="{row_id}"') :]
    row = row[: row.index("</tr>")]
    start = row.index(f'class="num {css_class}"')
    text = row[row.index(">", start) + 1 : row.index("</td>", start)]
    return " ".join(
        text.replace("&nbsp;", " ").replace('<span class="muted">', "").replace("</span>", "").split()
    )


@pytest.fixture
def aik(falun):
    return DepartmentFactory(municipality=falun, code="AIK", name="Arbete och försörjning")


@pytest.fixture
def laundry(falun_plan, aik):
    """AIK's laundry, reserved for social enterprises (2027)."""
    return ProcurementFactory(
        plan=falun_plan, department=aik, ref="2027-017", title="Tvätt", reserved_contract=True
    )


@pytest.fixture
def figures_2027(falun, falun_plan, serv, aik, laundry):
    """Falun 2027: AIK's laundry (reserved) and one more with an employment requirement; SERV's two, one
    with labour-law conditions; the labour reserve of the minutes."""
    ProcurementFactory(plan=falun_plan, department=aik, employment_requirement=True)
    ProcurementFactory(plan=falun_plan, department=serv, labour_conditions=True)
    ProcurementFactory(plan=falun_plan, department=serv)
    LabourReserve.objects.create(municipality=falun, year=2027, outside=2547, reached=800)


# --- The database counts as the rule does ---------------------------------------------------------------


def test_the_database_counts_as_the_rule_does(falun, falun_plan, adopted_plan, serv, aik):
    made = []
    flags = ("employment_requirement", "labour_conditions", "reserved_contract")
    statuses = ["", "advertised", "awarded", "appealed", "cancelled"]
    for number in range(30):
        plan = falun_plan if number % 3 else adopted_plan
        procurement = ProcurementFactory(
            plan=plan, department=aik if number % 2 else serv, **{flags[number % 3]: number % 4 == 0}
        )
        status = statuses[number % 5]
        outcome = None
        if status:
            outcome = Outcome.objects.create(
                procurement=procurement,
                status=status,
                people_employed=[None, 0, 2][number % 3],
                internships=[None, 1][number % 2],
                social_enterprise_awarded=number % 7 == 0,
            )
        made.append(
            Row(
                department_id=procurement.department_id,
                department=procurement.department.name,
                year=plan.year,
                employment_requirement=procurement.employment_requirement,
                labour_conditions=procurement.labour_conditions,
                reserved_contract=procurement.reserved_contract,
                status=status,
                people_employed=outcome.people_employed if outcome else None,
                internships=outcome.internships if outcome else None,
                social_enterprise_awarded=bool(outcome and outcome.social_enterprise_awarded),
            )
        )

    def key(row):
        return (row.department_id, row.year)

    assert sorted(count_rows(Procurement.objects.all()), key=key) == sorted(
        counts_by_department_year(made), key=key
    )


def test_the_plans_figures_count_the_decisions_on_its_matches_only(
    falun_plan, adopted_plan, laundry, serv, officer
):
    other = ProcurementFactory(plan=falun_plan, department=serv)
    elsewhere = ProcurementFactory(plan=adopted_plan, department=serv)
    for procurement, decision in (
        (laundry, SocialDecision.Decision.RESERVED),
        (other, SocialDecision.Decision.NOT_SUITABLE),
        (elsewhere, SocialDecision.Decision.LOT),
    ):
        SocialDecision.objects.create(
            procurement=procurement, decision=decision, reason="Skäl.", decided_by=officer
        )
    figures = plan_figures(falun_plan)
    assert (figures.decisions_taken, figures.decisions_not_suitable) == (1, 1)
    assert (figures.total.procurements, figures.total.reserved_planned) == (2, 1)
    assert figures.reserve.outside is None


# --- The follow-up's section ----------------------------------------------------------------------------


def test_the_followup_shows_who_asks_for_social_requirements(
    client_for, officer, falun_plan, aik, serv, figures_2027
):
    body = client_for(officer).get(followup_url(falun_plan)).content.decode()
    assert 'id="social-heading"' in body
    aik_row, serv_row = f"social-{aik.pk}-2027", f"social-{serv.pk}-2027"
    assert cell(body, aik_row, "procurements") == "2"
    assert cell(body, aik_row, "social-planned") == "2 (100,0 %)"
    assert cell(body, aik_row, "reserved-planned") == "1 (50,0 %)"
    assert cell(body, serv_row, "social-planned") == "1 (50,0 %)"
    assert cell(body, serv_row, "reserved-planned") == "0 (0,0 %)"
    # Nothing awarded yet: no reached share, not 0 %.
    assert cell(body, aik_row, "social-reached") == "0 (–)"
    assert cell(body, "social-year-2027", "outside") == "2547"
    assert cell(body, "social-year-2027", "reached") == "800"
    assert cell(body, "social-year-2027", "employed") == "0"


def test_the_figure_moves_when_an_outcome_with_people_employed_is_recorded(
    client_for, officer, falun_plan, aik, laundry, figures_2027
):
    client = client_for(officer)
    response = client.post(
        outcome_url(laundry),
        {
            "status": "awarded",
            "people_employed": "3",
            "internships": "2",
            "social_enterprise_awarded": "on",
            "version": "0",
        },
    )
    assert response.status_code == 302
    body = client.get(followup_url(falun_plan)).content.decode()
    assert cell(body, "social-year-2027", "employed") == "3"
    assert cell(body, "social-year-2027", "internships") == "2"
    # 3 of the 2 547 outside the labour market, of the 800 reached.
    assert cell(body, "social-year-2027", "of-outside") == "0,12 %"
    assert cell(body, "social-year-2027", "of-reached") == "0,38 %"
    aik_row = f"social-{aik.pk}-2027"
    assert cell(body, aik_row, "awarded") == "1"
    assert cell(body, aik_row, "social-reached") == "1 (100,0 %)"
    assert cell(body, aik_row, "reserved-reached") == "1 (100,0 %)"
    assert cell(body, aik_row, "employed") == "3"


def test_the_section_counts_only_the_plans_the_reader_may_see(client, falun, adopted_plan, serv):
    """An anonymous reader of the adopted 2017 plan: the adopted 2015 plan is counted, Falun's draft 2016
    is not public and is not."""
    earlier = PlanFactory(municipality=falun, year=2015, adopted_on=date(2014, 12, 10))
    draft = PlanFactory(municipality=falun, year=2016)
    for plan in (earlier, draft, adopted_plan):
        procurement = ProcurementFactory(plan=plan, department=serv, reserved_contract=True)
        Outcome.objects.create(procurement=procurement, status="awarded", people_employed=plan.year - 2010)
    response = client.get(followup_url(adopted_plan))
    assert response.status_code == 200
    years = [row.year for row in response.context["social"].years]
    assert years == [2015, 2017]
    body = response.content.decode()
    assert cell(body, "social-year-2015", "employed") == "5"
    assert f'id="social-{serv.pk}-2016"' not in body
    # No link to the labour reserve for a reader who may not read it.
    assert "/labour-reserve/" not in body


@pytest.mark.parametrize("who, linked", [("officer", True), ("politician", True), ("stranger", False)])
def test_the_section_links_the_labour_reserve_for_those_who_may_read_it(
    who, linked, client_for, users, adopted_plan
):
    other = CentreFactory(slug="annat", name="Annat upphandlingscenter")
    MunicipalityFactory(slug="mora", name="Mora kommun", centre=other)
    cast = {**users, "stranger": member(UserFactory(username="annan"), Role.OFFICER, centre=other)}
    body = client_for(cast[who]).get(followup_url(adopted_plan)).content.decode()
    assert (reverse("social:labour_reserve", args=["uhc"]) in body) == linked


def test_the_followup_reads_the_section_in_a_fixed_number_of_queries(
    client_for, officer, falun, falun_plan, adopted_plan, django_assert_max_num_queries
):
    def department(number):
        made = DepartmentFactory(municipality=falun, code=f"F{number}", name=f"Förvaltning {number}")
        for plan in (falun_plan, adopted_plan):
            procurement = ProcurementFactory(plan=plan, department=made, employment_requirement=True)
            Outcome.objects.create(
                procurement=procurement, status="awarded", people_employed=1, internships=1
            )

    client = client_for(officer)
    for number in range(2):
        department(number)
    client.get(followup_url(falun_plan))
    with django_assert_max_num_queries(30) as few:
        response = client.get(followup_url(falun_plan))
    assert len(response.context["social"].departments) == 2
    for number in range(2, 14):
        department(number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(followup_url(falun_plan))
    assert len(response.context["social"].departments) == 14


def test_the_municipality_figures_take_two_queries(
    falun, falun_plan, adopted_plan, serv, aik, officer, django_assert_num_queries
):
    ProcurementFactory(plan=falun_plan, department=serv)
    ProcurementFactory(plan=adopted_plan, department=aik)
    officer.access  # noqa: B018 — read once per request, as the pages do
    with django_assert_num_queries(2):
        figures = municipality_figures(user=officer, municipality_id=falun.pk, up_to=2027)
    assert [row.year for row in figures.years] == [2017, 2027]


# --- The board brief ------------------------------------------------------------------------------------


def test_the_brief_has_a_short_social_section(
    client_for, politician, officer, falun_plan, aik, serv, laundry, figures_2027
):
    Outcome.objects.create(procurement=laundry, status="awarded", people_employed=4, internships=1)
    SocialDecision.objects.create(
        procurement=laundry, decision="reserved", reason="Lagom stor.", decided_by=officer
    )
    client = in_english(client_for(politician))
    response = client.get(brief_url(falun_plan))
    assert response.status_code == 200
    social = response.context["brief"].social
    assert social.planned == (
        "Of the plan's 4 procurements, 3 (75.0\u00a0%) plan social requirements and 1 (25.0\u00a0%) "
        "a contract reserved for social enterprises."
    )
    assert [(row.department, row.procurements, row.social, row.reserved) for row in social.departments] == [
        (aik.name, 2, "2 (100.0\u00a0%)", "1 (50.0\u00a0%)"),
        (serv.name, 2, "1 (50.0\u00a0%)", "0 (0.0\u00a0%)"),
    ]
    assert "procurements so far: 4; internships: 1." in social.labour
    assert "2547 people outside the labour market, 800 reached" in social.labour
    assert "0.16\u00a0% of those outside" in social.labour
    assert social.decisions == "Matches with social enterprises decided: 1 taken, 0 not suitable."
    body = response.content.decode()
    assert 'id="brief-social-heading"' in body and social.decisions in body
    text = pdf_text(client.get(brief_url(falun_plan, "brief_pdf")).content)
    assert "Social considerations" in text
    assert "Matches with social enterprises decided: 1 taken, 0 not suitable." in text
    assert "2 (100.0 %)" in text


def test_the_brief_says_when_no_labour_reserve_is_recorded(client_for, politician, falun_plan, laundry):
    social = in_english(client_for(politician)).get(brief_url(falun_plan)).context["brief"].social
    assert "No labour reserve is recorded for 2027." in social.labour


def test_the_brief_is_still_refused_to_those_outside_the_municipality(
    client_for, outsider, falun_plan, laundry
):
    assert client_for(outsider).get(brief_url(falun_plan)).status_code == 404
