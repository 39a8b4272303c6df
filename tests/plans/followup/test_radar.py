"""The contract-expiry radar: the rules at every edge, the two kinds, the start page, carrying a
contract over into next year's plan, the weekly mail, and the demo."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Municipality, Role
from plans.followup import radar
from plans.models import Notification, Outcome, Plan, Procurement
from plans.notify import tasks
from tests.factories import (
    CentreFactory,
    MunicipalityFactory,
    PlanFactory,
    ProcurementFactory,
    UserFactory,
    member,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 11, 26)  # a Thursday; nine months on is 2027-08-26


def at(day, hour=9):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM), tick=False)


# --- The rules, without a database ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "contract_end", "expected"),
    [
        (TODAY, date(2026, 11, 25), False),  # already ended
        (TODAY, TODAY, True),  # ends today
        (TODAY, date(2027, 8, 26), True),  # exactly today + 9 months
        (TODAY, date(2027, 8, 27), False),  # one day after
        (TODAY, None, False),  # no current contract
        (date(2026, 5, 31), date(2027, 2, 28), True),  # the month has no 31st: its last day
        (date(2026, 5, 31), date(2027, 3, 1), False),
    ],
)
def test_a_contract_is_expiring_from_today_to_the_end_of_the_lead_time(today, contract_end, expected):
    assert radar.expiring(today, contract_end) is expected


@pytest.mark.parametrize(
    ("lead_months", "contract_end", "expected"),
    [(3, date(2027, 2, 26), True), (3, date(2027, 2, 27), False), (12, date(2027, 11, 26), True)],
)
def test_the_lead_time_is_a_parameter(lead_months, contract_end, expected):
    assert radar.expiring(TODAY, contract_end, lead_months=lead_months) is expected


@pytest.mark.parametrize(
    ("status", "advertised"),
    [(None, False), ("not_started", False), ("advertised", True), ("awarded", True), ("appealed", True)],
)
def test_the_successor_counts_as_advertised_once_its_outcome_says_so(status, advertised):
    assert radar.successor_advertised(status) is advertised


@pytest.mark.parametrize(
    ("starts", "months", "ends"),
    [
        (date(2025, 6, 1), 24, date(2027, 5, 31)),
        (date(2025, 1, 31), 1, date(2025, 2, 27)),
        (date(2024, 1, 1), 12, date(2024, 12, 31)),
        (None, 12, None),
    ],
)
def test_an_awarded_contract_ends_the_day_before_its_period_is_over(starts, months, ends):
    assert radar.contract_end(starts, months) == ends


@pytest.mark.parametrize(
    ("contract_end", "expected"),
    [(date(2026, 12, 31), False), (date(2027, 1, 1), True), (date(2028, 1, 1), False)],
)
def test_ends_next_year_is_the_next_calendar_year(contract_end, expected):
    assert radar.ends_next_year(TODAY, contract_end) is expected


@pytest.mark.parametrize(
    ("contract_end", "year"),
    [(date(2026, 12, 31), 2027), (date(2027, 8, 26), 2027), (date(2028, 3, 1), 2028)],
)
def test_the_successor_belongs_in_next_years_plan_or_the_year_the_contract_ends(contract_end, year):
    assert radar.suggested_plan_year(TODAY, contract_end) == year


@pytest.mark.parametrize(
    ("contract_end", "plan_year", "advertisement"),
    [
        (date(2027, 9, 30), 2027, date(2026, 12, 30)),  # nine months before
        (date(2027, 5, 31), 2027, date(2026, 8, 31)),
        (date(2027, 3, 31), 2028, date(2027, 1, 1)),  # not before 1 January of the year before the plan
        (date(2029, 12, 31), 2027, date(2027, 12, 31)),  # not after the plan year
    ],
)
def test_the_suggested_advertisement_is_nine_months_before_the_end_within_the_plan(
    contract_end, plan_year, advertisement
):
    assert radar.suggested_advertisement(contract_end, plan_year) == advertisement


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        ([], "2027-001"),
        (["2027-001", "2027-014", "X-99", "2027-abc", "2026-050"], "2027-015"),
        (["2027-999"], "2027-1000"),
    ],
)
def test_the_next_ref_is_the_next_free_number_of_the_year(refs, expected):
    assert radar.next_ref(2027, refs) == expected


@pytest.mark.parametrize(("cpv", "division"), [("34110000", "34"), ("34110000-1", "34"), (" 98310000", "98")])
def test_the_cpv_division_is_the_first_two_digits(cpv, division):
    assert radar.cpv_division(cpv) == division


# --- The queries ---------------------------------------------------------------------------------


@pytest.fixture
def plan_2026(falun):
    return PlanFactory(municipality=falun, year=2026)


@pytest.fixture
def ending(plan_2026, serv, officer):
    """A procurement of this year's plan whose current contract ends 2027-05-31, not advertised."""
    return ProcurementFactory(
        plan=plan_2026,
        ref="2026-007",
        title="Fordon och transporter",
        department=serv,
        current_contract_ends=date(2027, 5, 31),
        officer=officer,
    )


def rows_for(*municipalities, today=TODAY, **kwargs):
    return radar.radar(municipality_ids={m.pk for m in municipalities}, today=today, **kwargs)


def listed(rows):
    return [(row.procurement.ref, row.kind) for row in rows]


@pytest.mark.parametrize(
    ("day", "shown", "days_left", "plan_year"),
    [
        (date(2026, 8, 30), False, None, None),  # nine months before, minus one day: not yet
        (date(2026, 8, 31), True, 273, 2027),  # exactly nine months before
        (date(2027, 5, 31), True, 0, 2028),  # the last day of the contract
        (date(2027, 6, 1), False, None, None),  # ended
    ],
)
def test_the_radar_with_a_frozen_clock_at_each_edge_of_the_lead_time(
    day, shown, days_left, plan_year, ending, falun
):
    with at(day):
        rows = rows_for(falun, today=timezone.localdate())
    assert bool(rows) is shown
    if shown:
        assert listed(rows) == [("2026-007", radar.EXPIRING)]
        assert rows[0].ends == date(2027, 5, 31) and rows[0].days_left == days_left
        assert rows[0].plan_year == plan_year


@pytest.mark.parametrize(
    ("status", "shown"),
    [(None, True), ("not_started", True), ("advertised", False), ("awarded", False), ("cancelled", False)],
)
def test_an_advertised_successor_leaves_the_radar(status, shown, ending, falun):
    if status:
        Outcome.objects.create(procurement=ending, status=status)
    assert bool(rows_for(falun)) is shown


def test_procurements_of_adopted_plans_are_on_the_radar_too(adopted_plan, falun, serv):
    ProcurementFactory(
        plan=adopted_plan, ref="2017-042", department=serv, current_contract_ends=date(2027, 1, 31)
    )
    assert listed(rows_for(falun)) == [("2017-042", radar.EXPIRING)]


def test_the_radar_is_scoped_to_the_municipalities_asked_for(ending, falun, borlange):
    ProcurementFactory(
        plan=PlanFactory(municipality=borlange, year=2026), ref="B-1", current_contract_ends=date(2027, 2, 1)
    )
    assert listed(rows_for(falun)) == [("2026-007", radar.EXPIRING)]
    assert listed(rows_for(borlange)) == [("B-1", radar.EXPIRING)]
    assert [row.procurement.ref for row in rows_for(falun, borlange)] == ["B-1", "2026-007"]  # soonest first


def test_a_contract_carried_over_into_a_later_plan_is_listed_once(ending, falun, falun_plan, serv):
    ProcurementFactory(
        plan=falun_plan,
        ref="2027-001",
        title=ending.title,
        department=serv,
        current_contract_ends=ending.current_contract_ends,
    )
    assert listed(rows_for(falun)) == [("2027-001", radar.EXPIRING)]


@pytest.fixture
def awarded(falun, serv):
    """A contract awarded in 2025 for 24 months from 1 June 2025: it ends 2027-05-31."""
    procurement = ProcurementFactory(
        plan=PlanFactory(municipality=falun, year=2025),
        ref="2025-003",
        title="Tvätt",
        department=serv,
        cpv="98310000",
        duration_months=24,
    )
    Outcome.objects.create(procurement=procurement, status="awarded", contract_starts=date(2025, 6, 1))
    return procurement


def test_an_awarded_contract_ending_next_year_without_a_next_years_plan_is_listed(awarded, falun):
    rows = rows_for(falun)
    assert listed(rows) == [("2025-003", radar.UNPLANNED)]
    assert rows[0].ends == date(2027, 5, 31) and rows[0].days_left == 186 and rows[0].plan_year == 2027
    assert rows[0].can_carry_over


@pytest.mark.parametrize(
    ("department", "cpv", "shown"),
    [
        ("serv", "98341000", False),  # same department, same CPV division: planned
        ("omv", "98310000", True),  # another department's
        ("serv", "34110000", True),  # another division
    ],
)
def test_next_years_plan_covers_a_contract_with_the_same_department_and_cpv_division(
    department, cpv, shown, awarded, falun, falun_plan, request
):
    ProcurementFactory(plan=falun_plan, department=request.getfixturevalue(department), cpv=cpv)
    assert bool(rows_for(falun)) is shown


@pytest.mark.parametrize(
    ("starts", "status", "shown"),
    [
        (date(2025, 6, 1), "advertised", False),  # not awarded
        (None, "awarded", False),  # no start date: the end is unknown
        (date(2024, 6, 1), "awarded", False),  # ends 2026-05-31: this year, not next
        (date(2026, 1, 1), "awarded", True),  # ends 2027-12-31
        (date(2026, 1, 2), "awarded", False),  # ends 2028-01-01
    ],
)
def test_only_awarded_contracts_ending_next_year_are_the_second_kind(starts, status, shown, awarded, falun):
    Outcome.objects.filter(procurement=awarded).update(status=status, contract_starts=starts)
    assert bool(rows_for(falun)) is shown


def test_the_radar_asks_the_database_three_times_whatever_the_rows(
    ending, awarded, falun, falun_plan, django_assert_num_queries
):
    for number in range(5):
        ProcurementFactory(plan=falun_plan, current_contract_ends=date(2027, 3, number + 1))
    with django_assert_num_queries(3):
        rows = rows_for(falun)
        assert [row.procurement.plan.municipality.name for row in rows]
    assert len(rows) == 7


# --- The start page ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("officer", True),
        ("plan_admin", False),
        ("politician", False),
        ("department_rep", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_the_start_page_shows_the_radar_to_officers_only(role, shown, users, client_for, ending):
    with at(TODAY):
        body = client_for(users[role]).get("/").content.decode()
    assert ('id="radar-heading"' in body) is shown
    assert (reverse("plans:carry_over", args=[ending.pk]) in body) is shown
    assert ("2027-05-31" in body) is shown


def test_the_start_page_offers_no_carry_over_for_a_procurement_already_in_that_plan(
    client_for, officer, falun_plan, serv
):
    ProcurementFactory(
        plan=falun_plan, ref="2027-009", department=serv, current_contract_ends=date(2027, 3, 31)
    )
    with at(TODAY):
        body = client_for(officer).get("/").content.decode()
    assert "2027-009" in body
    assert "/carry-over/" not in body


def test_an_officer_without_contracts_on_the_radar_is_told_so(client_for, officer, falun_plan):
    with at(TODAY):
        body = client_for(officer).get("/").content.decode()
    assert 'id="radar-heading"' in body and "/carry-over/" not in body


# --- Carrying a contract over into next year's plan ----------------------------------------------


def carry_over(client, procurement):
    with at(TODAY):
        return client.post(reverse("plans:carry_over", args=[procurement.pk]))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("plan_admin", 403),
        ("politician", 403),
        ("department_rep", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_officers_carry_a_contract_over(role, status, users, client_for, ending):
    response = carry_over(client_for(users[role]), ending)
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert not Plan.objects.filter(year=2027).exists()
    assert Procurement.objects.count() == 1


def test_an_outsider_who_can_see_an_adopted_plan_is_refused_not_misled(
    client_for, outsider, adopted_plan, serv
):
    procurement = ProcurementFactory(
        plan=adopted_plan, department=serv, current_contract_ends=date(2027, 1, 31)
    )
    assert carry_over(client_for(outsider), procurement).status_code == 403


def test_carrying_over_is_a_post(client_for, officer, ending):
    assert client_for(officer).get(reverse("plans:carry_over", args=[ending.pk])).status_code == 405


def test_an_officer_carries_a_contract_over_into_a_new_plan_with_its_fields(
    client_for, officer, ending, falun
):
    ending.description = "Personbilar och lätta lastbilar."
    ending.employment_requirement = True
    ending.lots = True
    ending.confidential = True
    ending.climate_impact = "high"
    ending.environmental_level = "avancerad"
    ending.possible_suppliers = 2
    ending.save()
    client = client_for(officer)
    response = carry_over(client, ending)
    plan = Plan.objects.get(municipality=falun, year=2027)
    new = plan.procurements.get()
    assert response.status_code == 302
    assert response["Location"] == f"/plans/falun/2027/{new.ref}/edit/"
    assert new.ref == "2027-001"
    assert new.current_contract_ends == date(2027, 5, 31)
    assert new.planned_advertisement == date(2026, 8, 31)
    for name in radar.CARRIED_FIELDS:
        assert getattr(new, name) == getattr(ending, name), name
    assert plan.rubric  # a plan made like any other, with its rubric
    assert new.history.get().action == "created"
    with at(TODAY):
        assert client.get(response["Location"]).status_code == 200


def test_a_second_carry_over_into_the_same_plan_is_refused(client_for, officer, ending, falun_plan, serv):
    ProcurementFactory(plan=falun_plan, ref="2027-001", department=serv)
    ProcurementFactory(plan=falun_plan, ref="2027-014", department=serv)
    client = client_for(officer)
    first = carry_over(client, ending)
    assert first["Location"] == "/plans/falun/2027/2027-015/edit/"
    second = carry_over(client, ending)
    assert second.status_code == 302 and second["Location"] == "/plans/falun/2027/2027-015/"
    assert falun_plan.procurements.filter(title=ending.title).count() == 1
    with at(TODAY):
        page = client.get(second["Location"]).content.decode()
    assert "2027-015" in page and 'class="message info"' in page


def test_no_carry_over_into_an_adopted_plan(client_for, officer, ending, falun):
    PlanFactory(municipality=falun, year=2027, adopted_on=date(2026, 11, 20))
    assert carry_over(client_for(officer), ending).status_code == 403


def test_an_awarded_contract_is_carried_over_with_its_end(client_for, officer, awarded, falun):
    response = carry_over(client_for(officer), awarded)
    new = Procurement.objects.get(plan__municipality=falun, plan__year=2027)
    assert response["Location"] == f"/plans/falun/2027/{new.ref}/edit/"
    assert new.current_contract_ends == date(2027, 5, 31)
    assert new.planned_advertisement == date(2026, 8, 31)
    assert (new.title, new.department, new.cpv) == ("Tvätt", awarded.department, "98310000")
    # Next year's plan covers the contract now; the radar follows its successor until it is advertised.
    assert listed(rows_for(falun)) == [(new.ref, radar.EXPIRING)]
    assert not rows_for(falun)[0].can_carry_over


def test_a_contract_that_has_ended_is_not_carried_over(client_for, officer, ending):
    Procurement.objects.filter(pk=ending.pk).update(current_contract_ends=date(2026, 11, 1))
    response = carry_over(client_for(officer), ending)
    assert response.status_code == 302 and response["Location"] == "/"
    assert Procurement.objects.count() == 1


# --- The weekly mail -----------------------------------------------------------------------------


MONDAY = date(2026, 11, 23)


def test_the_weekly_job_sends_once_per_contract_and_week_and_again_the_next_week(
    ending, officer, politician, run_on_commit
):
    with at(MONDAY, hour=7):
        assert run_on_commit(tasks.weekly_radar) == 1
        assert run_on_commit(tasks.weekly_radar) == 0
    assert [message.to for message in mail.outbox] == [[officer.email]]
    message = mail.outbox[0]
    assert "2026-007" in message.subject and "2027-05-31" in message.subject
    assert "http://127.0.0.1:8000/plans/falun/2026/2026-007/" in message.body
    assert "189" in message.body  # days left on that Monday
    with at(date(2026, 11, 29), hour=7):  # Sunday: still the same ISO week
        assert run_on_commit(tasks.weekly_radar) == 0
    with at(date(2026, 11, 30), hour=7):
        assert run_on_commit(tasks.weekly_radar) == 1
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(kind="radar").count() == 2


def test_a_contract_without_a_responsible_officer_goes_to_every_officer_of_its_centre(
    plan_2026, serv, centre, officer, run_on_commit
):
    colleague = member(UserFactory(username="colleague"), Role.OFFICER, centre=centre)
    elsewhere_centre = CentreFactory(slug="annat", name="Annat upphandlingscenter")
    stranger = member(UserFactory(username="stranger"), Role.OFFICER, centre=elsewhere_centre)
    MunicipalityFactory(slug="mora", name="Mora kommun", centre=elsewhere_centre)
    ProcurementFactory(plan=plan_2026, ref="U-1", department=serv, current_contract_ends=date(2027, 2, 1))
    with at(MONDAY, hour=7):
        assert run_on_commit(tasks.weekly_radar) == 2
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [officer.email, colleague.email]
    )
    assert stranger.email not in {address for message in mail.outbox for address in message.to}


def test_the_weekly_job_sends_both_kinds(ending, awarded, officer, run_on_commit):
    with at(MONDAY, hour=7):
        assert run_on_commit(tasks.weekly_radar) == 2
    subjects = " ".join(message.subject for message in mail.outbox)
    assert "2026-007" in subjects and "2025-003" in subjects


def test_the_weekly_job_is_in_the_beat_schedule():
    from procurement.celery import app

    entry = app.conf.beat_schedule["weekly-radar"]
    assert entry["task"] == "plans.tasks.weekly_radar"
    assert entry["schedule"].day_of_week == {1}


# --- The demo ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_radar_lists_the_demos_contracts_that_run_out_within_the_lead_time(client):
    with at(TODAY):
        call_command("load_demo", verbosity=0)
        today = timezone.localdate()
        in_scope = set(Municipality.objects.values_list("pk", flat=True))
        rows = radar.radar(municipality_ids=in_scope, today=today)
        expected = set(
            Procurement.objects.filter(
                current_contract_ends__gte=today, current_contract_ends__lte=date(2027, 8, 26)
            ).values_list("plan__municipality__slug", "ref")
        )
        assert expected  # the demo has such contracts: e.g. Falun's 2027-021, ending 2027-05-31
        assert ("falun", "2027-021") in expected
        assert {(row.procurement.plan.municipality.slug, row.procurement.ref) for row in rows} == expected
        assert all(row.kind == radar.EXPIRING and row.ends <= date(2027, 8, 26) for row in rows)
        from accounts.models import User

        client.force_login(User.objects.get(username="upphandlare"))
        body = client.get("/").content.decode()
    cars = Procurement.objects.get(
        plan__municipality__slug="falun", plan__year=2017, title__icontains="personbilar"
    )
    assert cars.current_contract_ends == date(2018, 5, 14)  # ended long ago: not on today's radar
    for row in rows:
        assert escape(row.procurement.title) in body
