"""Key figures at their edges (empty plan, one procurement, all cancelled, no bids); the follow-up pages."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.followup.charts import line_chart, nice_max
from plans.followup.figures import Record, compare, key_figures
from plans.models import NationalReference, Outcome, Plan, Target
from tests.factories import ProcurementFactory
from tests.forms import versions_of

AWARDED = {"status": "awarded", "advertised": True}


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        (
            [],
            {
                "ordered": 0,
                "delivered": 0,
                "delivered_share": None,
                "average_bids": None,
                "single_bid_share": None,
                "appeal_rate": None,
                "sme_share": None,
                "social_share": None,
                "innovation": 0,
                "planned_value": 0,
            },
        ),
        (
            [Record(estimated_value_sek=1_000_000, bids=3, sme_bids=2, **AWARDED)],
            {
                "ordered": 1,
                "delivered": 1,
                "delivered_share": Decimal("100.0"),
                "average_bids": Decimal("3.00"),
                "single_bid_share": Decimal("0.0"),
                "appeal_rate": Decimal("0.0"),
                "sme_share": Decimal("66.7"),
            },
        ),
        (
            [Record(status="cancelled"), Record(status="cancelled")],
            {
                "ordered": 2,
                "delivered": 0,
                "delivered_share": Decimal("0.0"),
                "average_bids": None,
                "appeal_rate": None,
            },
        ),
        (
            [Record(bids=0, **AWARDED), Record(bids=0, **AWARDED)],  # advertised, nobody bid
            {"average_bids": Decimal("0.00"), "single_bid_share": Decimal("0.0"), "sme_share": None},
        ),
        (
            [Record(bids=1, **AWARDED), Record(bids=4, **AWARDED), Record(bids=None, status="not_started")],
            {
                "average_bids": Decimal("2.50"),
                "single_bid_share": Decimal("50.0"),
                "delivered_share": Decimal("66.7"),
            },
        ),
        (
            [Record(appealed=True, status="appealed", advertised=True), Record(**AWARDED), Record(**AWARDED)],
            {"appeal_rate": Decimal("33.3"), "delivered": 3},
        ),
        (
            [
                Record(planned_level="avancerad", reached_level="bas"),
                Record(planned_level="bas", reached_level="bas"),
                Record(planned_level="bas"),
                Record(planned_level="none", reached_level="spjutspets"),
            ],
            {"environmental_share": Decimal("75.0"), "environmental_reached_share": Decimal("50.0")},
        ),
        (
            [
                Record(
                    social_requirements=True, innovation=True, awarded_value_sek=900, estimated_value_sek=1000
                ),
                Record(estimated_value_sek=500),
            ],
            {"social_share": Decimal("50.0"), "innovation": 1, "planned_value": 1500, "awarded_value": 900},
        ),
    ],
)
def test_key_figures(records, expected):
    figures = key_figures(records)
    assert {key: figures[key] for key in expected} == expected


@pytest.mark.parametrize(
    ("key", "value", "target", "meets"),
    [
        ("average_bids", Decimal("3.9"), Decimal("4"), False),
        ("average_bids", Decimal("4.0"), Decimal("4"), True),
        ("appeal_rate", Decimal("3.4"), Decimal("5"), True),  # lower is better
        ("appeal_rate", Decimal("5.1"), Decimal("5"), False),
        ("average_bids", None, Decimal("4"), None),
        ("average_bids", Decimal("3"), None, None),
    ],
)
def test_meeting_a_target_respects_which_way_is_better(key, value, target, meets):
    rows = {row.key: row for row in compare({key: value}, {key: target} if target else {}, {})}
    assert rows[key].meets_target is meets


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (0.4, 0.5), (3.9, 5), (18, 20), (75, 100), (100, 100), (4.6, 5)]
)
def test_chart_axes_are_calm(value, top):
    assert nice_max(value) == top


def test_a_line_chart_skips_years_without_a_value():
    chart = line_chart(
        "average_bids", "Bids", "", [(2015, Decimal("3.5")), (2016, None), (2017, Decimal("3.9"))]
    )
    assert [point.y is None for point in chart.points] == [False, True, False]
    assert chart.polyline.count(",") == 2


@pytest.fixture
def outcomes_plan(falun_plan, serv):
    for ref, bids, status in [("F-1", 3, "awarded"), ("F-2", 5, "awarded"), ("F-3", None, "not_started")]:
        procurement = ProcurementFactory(plan=falun_plan, department=serv, ref=ref)
        Outcome.objects.create(
            procurement=procurement,
            status=status,
            bids=bids,
            advertised_on=date(2027, 2, 1) if bids else None,
        )
    return falun_plan


def followup_url(plan):
    return reverse("plans:followup", kwargs={"municipality": plan.municipality.slug, "year": plan.year})


@pytest.mark.parametrize(
    ("role", "status"),
    [("officer", 200), ("plan_admin", 200), ("politician", 200), ("department_rep", 200), ("outsider", 404)],
)
def test_the_followup_page_per_role(role, status, users, client_for, outcomes_plan):
    response = client_for(users[role]).get(followup_url(outcomes_plan))
    assert response.status_code == status
    if status == 200:
        rows = {row.key: row for row in response.context["rows"]}
        assert rows["average_bids"].value == Decimal("4.00")
        assert rows["average_bids"].national == Decimal("4.6")
        assert ("Registrera" in response.content.decode()) is (role == "officer")


def test_targets_and_national_references_are_editable(client_for, plan_admin, outcomes_plan):
    url = reverse("plans:targets", args=["falun", 2027])
    data = {"target-average_bids": "4.5", "target-appeal_rate": "5"}
    for key, value in [
        ("average_bids", "4.7"),
        ("single_bid_share", "17"),
        ("sme_share", "76"),
        ("appeal_rate", "6"),
    ]:
        data.update(
            {f"national-{key}-year": "2025", f"national-{key}-value": value, f"national-{key}-source": "UHM"}
        )
    client = client_for(plan_admin)
    response = client.post(url, data | versions_of(client, url))
    assert response.status_code == 302
    assert Target.objects.get(plan=outcomes_plan, key="average_bids").value == Decimal("4.5")
    assert NationalReference.objects.get(key="average_bids", year=2025).value == Decimal("4.7")
    page = client_for(plan_admin).get(followup_url(outcomes_plan))
    rows = {row.key: row for row in page.context["rows"]}
    assert rows["average_bids"].target == Decimal("4.5") and rows["average_bids"].meets_target is False
    assert rows["average_bids"].national == Decimal("4.7") and rows["average_bids"].national_year == 2025
    # The municipality's own goals are no longer kept here (one list, not two): the page links to them.
    assert not Target.objects.filter(key="").exists()
    assert reverse("plans:goals", args=["falun"]) in client.get(url).content.decode()


@pytest.mark.parametrize(("role", "status"), [("officer", 403), ("politician", 403), ("outsider", 404)])
def test_only_plan_administrators_set_targets(role, status, users, client_for, outcomes_plan):
    url = reverse("plans:targets", args=["falun", 2027])
    assert client_for(users[role]).post(url, {"target-average_bids": "9"}).status_code == status
    assert not Target.objects.exists()


def test_a_bad_target_is_refused_beside_the_field(client_for, plan_admin, outcomes_plan):
    url = reverse("plans:targets", args=["falun", 2027])
    client = client_for(plan_admin)
    response = client.post(url, {"target-average_bids": "-1", **versions_of(client, url)})
    assert response.status_code == 400 and 'id="id_target-average_bids_error"' in response.content.decode()
    assert not Target.objects.exists()


def outcome_url(procurement):
    plan = procurement.plan
    return reverse("plans:outcome", args=[plan.municipality.slug, plan.year, procurement.ref])


def test_an_officer_records_an_outcome_also_after_adoption(client_for, officer, adopted_plan, serv):
    procurement = ProcurementFactory(plan=adopted_plan, department=serv, ref="2017-050")
    data = {"status": "awarded", "advertised_on": "2017-03-01", "bids": "4", "sme_bids": "3",
            "awarded_value_sek": "2 900 000", "environmental_level_reached": "bas"}  # fmt: skip
    client = client_for(officer)
    response = client.post(outcome_url(procurement), data | versions_of(client, outcome_url(procurement)))
    assert response.status_code == 302
    outcome = Outcome.objects.get(procurement=procurement)
    assert (outcome.bids, outcome.awarded_value_sek, outcome.updated_by) == (4, 2_900_000, officer)
    assert procurement.history.filter(action="changed").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "awarded", "bids": "2", "sme_bids": "3"}, "sme_bids"),
        ({"status": "awarded", "appeal_outcome": "upheld"}, "appeal_outcome"),
        ({"status": "advertised"}, "advertised_on"),
        ({"status": "awarded", "bids": "-1"}, "bids"),
        ({"status": "awarded", "awarded_value_sek": "mycket"}, "awarded_value_sek"),
        ({"status": "flying"}, "status"),
    ],
)
def test_a_bad_outcome_is_refused_beside_the_field(data, field, client_for, officer, outcomes_plan):
    procurement = outcomes_plan.procurements.get(ref="F-3")
    client = client_for(officer)
    response = client.post(outcome_url(procurement), data | versions_of(client, outcome_url(procurement)))
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()
    assert Outcome.objects.get(procurement=procurement).status == "not_started"


@pytest.mark.parametrize(
    ("role", "status"), [("politician", 403), ("department_rep", 403), ("plan_admin", 403), ("outsider", 404)]
)
def test_only_officers_record_outcomes(role, status, users, client_for, outcomes_plan):
    procurement = outcomes_plan.procurements.get(ref="F-3")
    assert client_for(users[role]).post(outcome_url(procurement), {"status": "awarded"}).status_code == status


def test_a_stale_outcome_edit_is_refused(client_for, officer, outcomes_plan):
    procurement = outcomes_plan.procurements.get(ref="F-1")
    client = client_for(officer)
    loaded = {"status": "awarded", "bids": "3", "version": "1"}
    client.post(outcome_url(procurement), {**loaded, "bids": "6"})
    response = client.post(outcome_url(procurement), {**loaded, "bids": "2"})
    assert response.status_code == 400
    assert Outcome.objects.get(procurement=procurement).bids == 6


@pytest.mark.django_db
def test_the_demo_follow_up_is_near_the_minutes():
    call_command("load_demo", verbosity=0)
    from plans.followup.services import municipality_trend, plan_figures
    from plans.register.disclosure import CENTRE

    figures = plan_figures(Plan.objects.get(municipality__slug="falun", year=2017), CENTRE)
    assert Decimal("3.7") <= figures["average_bids"] <= Decimal("4.1")
    assert Decimal("2.5") <= figures["appeal_rate"] <= Decimal("4.5")
    years = [
        year
        for year, _figures in municipality_trend(
            Plan.objects.get(year=2017).municipality, up_to=2017, disclosure=CENTRE
        )
    ]
    assert {2014, 2015, 2016, 2017} <= set(years)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_the_plan_figures_command(fmt, capsys):
    call_command("load_demo", verbosity=0)
    call_command("plan_figures", "--municipality", "falun", "--year", "2017", "--format", fmt)
    out = capsys.readouterr().out
    if fmt == "json":
        data = json.loads(out)
        assert data["figures"]["ordered"]["value"] == 99
        assert data["figures"]["average_bids"]["national"] == 4.6
        assert "custom_targets" not in data
        goals = {goal["title"]: goal for goal in data["goals"]}
        assert goals["40 % ekologiska livsmedel i kommunens kök"]["target"] == 40.0
        assert goals["40 % ekologiska livsmedel i kommunens kök"]["reached"] == 31.0
    else:
        assert "Genomsnittligt antal anbud per upphandling" in out and "4,6" in out
        assert "Fossilfritt Falun 2035" in out


def test_the_followup_page_runs_a_constant_number_of_queries(
    client_for, officer, falun_plan, serv, django_assert_max_num_queries
):
    client = client_for(officer)
    ProcurementFactory.create_batch(3, plan=falun_plan, department=serv)
    client.get(followup_url(falun_plan))
    with django_assert_max_num_queries(20) as few:
        client.get(followup_url(falun_plan))
    ProcurementFactory.create_batch(30, plan=falun_plan, department=serv)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(followup_url(falun_plan))
