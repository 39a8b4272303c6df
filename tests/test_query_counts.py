"""The pages users wait on run a fixed number of queries: the same for Falun's 99 procurements as for a
plan of 1 000, and never more than 15 (issue 7; `make bench` measures their time at national scale).

Each plan is built with bulk_create and scored by plan_rescore (one UPDATE), so the module stays fast.
"""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from plans.followup.brief_views import BRIEF_PAGE_SIZE
from plans.models import Comment, Guidance, HistoryEntry, Outcome, Procurement, StrategicFlag
from plans.remiss.views import QUEUE_PAGE_SIZE
from plans.scoring.services import plan_rescore
from tests.conftest import REMISS_DAY
from tests.factories import DepartmentFactory, MunicipalityFactory, PlanFactory, UserFactory, member

MAX_QUERIES = 15
SIZES = {"falun": 99, "storholm": 1000}
DEPARTMENTS = [
    ("KLK", "Kommunledningskontoret"),
    ("SERV", "Serviceförvaltningen"),
    ("SOC", "Socialförvaltningen"),
]
BUSY_REF = "2027-0007"
WHEN = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def build_plan(municipality, size, officer, politician):
    """A 2027 plan of `size` procurements, about one in five strategic, with guidance, outcomes,
    flags, and one procurement (BUSY_REF) with a comment per ten procurements and its history."""
    departments = [
        DepartmentFactory(municipality=municipality, code=code, name=name) for code, name in DEPARTMENTS
    ]
    plan = PlanFactory(municipality=municipality, year=2027)
    Procurement.objects.bulk_create(
        Procurement(
            plan=plan,
            ref=f"2027-{number:04d}",
            title=f"Upphandling {number}",
            description="Beskrivning.",
            department=departments[number % len(departments)],
            category=("goods", "services", "works")[number % 3],
            cpv="98310000",
            estimated_value_sek=(number * 7_919) % 60_000 * 1_000 + 50_000,
            duration_months=48,
            planned_advertisement=date(2027, 1 + number % 12, 1 + number % 28),
            procedure="open",
            possible_suppliers=1 + number % 6,
            business_critical=number % 4 == 0,
            employment_requirement=number % 9 == 0,
            labour_conditions=number % 3 == 0,
            environmental_level=("none", "bas", "avancerad")[number % 3],
            confidential=number % 20 == 0,
            officer=officer if number % 2 else None,
        )
        for number in range(1, size + 1)
    )
    busy = Procurement.objects.get(plan=plan, ref=BUSY_REF)
    Procurement.objects.filter(pk=busy.pk).update(flagged_strategic=True)
    plan_rescore(plan=plan)
    strategic = list(plan.procurements.filter(strategic=True).order_by("ref"))
    assert len(strategic) > size // 10
    Guidance.objects.bulk_create(
        Guidance(procurement=p, user=politician, kind="within_frame", text="Inom ram.")
        for p in strategic[::2]
    )
    Outcome.objects.bulk_create(
        Outcome(
            procurement=p, status="awarded", bids=1 + p.pk % 5, sme_bids=1, advertised_on=date(2027, 3, 1)
        )
        for p in plan.procurements.all()[::3]
    )
    comments = size // 10
    Comment.objects.bulk_create(
        Comment(procurement=busy, user=politician, text=f"Kommentar {n}", handled=n % 2 == 0, response="Svar")
        for n in range(comments)
    )
    HistoryEntry.objects.bulk_create(
        HistoryEntry(
            plan=plan,
            procurement=busy,
            ref=busy.ref,
            user=officer,
            action="changed",
            changes={"estimated_value_sek": [str(n), str(n + 1)], "note": "Ändrad."},
            created_at=WHEN - timedelta(hours=n),
        )
        for n in range(comments)
    )
    StrategicFlag.objects.create(procurement=busy, flagged=True, reason="Klimatmålen.", user=officer)
    return plan


def storholm_plan(centre, officer):
    storholm = MunicipalityFactory(slug="storholm", name="Storholms kommun", centre=centre)
    politician = member(UserFactory(username="politiker-storholm"), Role.POLITICIAN, municipality=storholm)
    return build_plan(storholm, SIZES["storholm"], officer, politician), politician


PAGES = {
    # name: (who, address within the plan)
    "plan page, filtered, sorted, page 3": ("officer", "?department=SERV&sort=-shown_value&page=3"),
    "plan page as a politician": ("politician", "?strategic=true&sort=-priority&page=3"),
    "ranking": ("officer", "?view=ranking&page=2"),
    "Kraljic matrix": ("officer", "?view=matrix"),
    "review queue": ("politician", "review/"),
    "review queue, without guidance": ("politician", "review/?show=without_guidance&page=2"),
    "procurement with comments and history (officer)": ("officer", f"{BUSY_REF}/"),
    "procurement with comments and history (politician)": ("politician", f"{BUSY_REF}/"),
    "follow-up": ("officer", "followup/"),
    "board brief": ("politician", "brief/"),
}


def queries(client, url):
    client.get(url)  # the first request of a session may fill caches; the second is what users get
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_same_few_queries_for_99_and_for_1000_procurements(client, centre, falun, officer, politician):
    falun_plan = build_plan(falun, SIZES["falun"], officer, politician)
    big_plan, big_politician = storholm_plan(centre, officer)
    counts = {}
    with time_machine.travel(REMISS_DAY, tick=False):
        for page, (who, address) in PAGES.items():
            for size, plan, plan_politician in (
                (99, falun_plan, politician),
                (1000, big_plan, big_politician),
            ):
                client.force_login(officer if who == "officer" else plan_politician)
                counts.setdefault(page, {})[size] = queries(client, f"{plan.get_absolute_url()}{address}")
    different = {page: count for page, count in counts.items() if count[99] != count[1000]}
    too_many = {page: count for page, count in counts.items() if count[1000] > MAX_QUERIES}
    assert not different, f"the count grows with the plan: {different}"
    assert not too_many, f"more than {MAX_QUERIES} queries: {too_many}"


# Kommande upphandlingar (issue 17): the public pipeline over every public plan, at most 10 queries (the
# target `make bench` measures at national scale), the same for 20 coming procurements as for 1 000.
PIPELINE_MAX_QUERIES = 10
PIPELINE_PAGES = {
    "unfiltered": "/kommande/",
    "a word": "/kommande/?q=Upphandling",
    "a word and filters, page 2": "/kommande/?q=Upphandling&cpv_group=983&category=services&value=1-5&page=2",
    "a CPV group, the last page": "/kommande/?cpv_group=983&page=999",
    "the feed of a search": "/kommande/feed.atom?q=Upphandling",
}


def coming_procurements(plan, numbers):
    """Coming procurements of `plan`, public values of 1–5 million SEK in two of three, every tenth
    confidential, advertised through 2027."""
    Procurement.objects.bulk_create(
        Procurement(
            plan=plan,
            ref=f"K-{number:04d}",
            title=f"Upphandling {number}",
            description="Beskrivning.",
            department=DepartmentFactory(municipality=plan.municipality, code="SERV"),
            category="services",
            cpv="98310000",
            estimated_value_sek=1_500_000 if number % 3 else 25_000_000,
            duration_months=48,
            planned_advertisement=date(2027, 1 + number % 12, 1 + number % 28),
            procedure="open",
            possible_suppliers=3,
            confidential=number % 10 == 0,
            reserved_contract=number % 7 == 0,
            lots=number % 2 == 0,
        )
        for number in numbers
    )


def test_the_pipeline_runs_the_same_few_queries_for_20_and_for_1000_procurements(client, centre, falun):
    """Anonymous, as suppliers read it: Falun's published draft and another municipality's adopted plan."""
    draft = PlanFactory(municipality=falun, year=2027, publish_draft=True)
    adopted = PlanFactory(
        municipality=MunicipalityFactory(slug="storholm", name="Storholms kommun", centre=centre),
        year=2027,
        adopted_on=date(2026, 9, 1),
    )
    counts = {}
    with time_machine.travel(REMISS_DAY, tick=False):
        for size, numbers in ((20, range(1, 21)), (1000, range(21, 1001))):
            for plan in (draft, adopted):
                coming_procurements(plan, [n for n in numbers if (n % 2 == 0) == (plan is draft)])
            for page, address in PIPELINE_PAGES.items():
                counts.setdefault(page, {})[size] = queries(client, address)
        assert client.get("/kommande/").context["page"].paginator.count == 1000  # all of them coming
    different = {page: count for page, count in counts.items() if count[20] != count[1000]}
    too_many = {page: count for page, count in counts.items() if count[1000] > PIPELINE_MAX_QUERIES}
    assert not different, f"the count grows with the rows: {different}"
    assert not too_many, f"more than {PIPELINE_MAX_QUERIES} queries: {too_many}"


def test_a_large_plan_shows_every_comment_and_the_queue_and_brief_a_page_at_a_time(client, centre, officer):
    plan, politician = storholm_plan(centre, officer)
    base = plan.get_absolute_url()
    comment = Comment.objects.filter(procurement__plan=plan).order_by("pk").first()
    strategic = plan.procurements.filter(strategic=True).order_by("planned_advertisement", "ref")
    with time_machine.travel(REMISS_DAY, tick=False):
        client.force_login(officer)
        body = client.get(f"{base}{BUSY_REF}/").content.decode()
        client.force_login(politician)
        queue = client.get(f"{base}review/")
        last = client.get(f"{base}review/?page=999")
        brief = client.get(f"{base}brief/?page=2")
    answer = reverse("plans:answer", args=["storholm", 2027, BUSY_REF, comment.pk])
    assert f'action="{answer}"' in body
    assert body.count('id="comment-') == 100
    assert len(queue.context["items"]) == QUEUE_PAGE_SIZE
    assert queue.context["page"].paginator.count == strategic.count()
    before_last = QUEUE_PAGE_SIZE * (last.context["page"].number - 1)
    assert len(last.context["items"]) == strategic.count() - before_last
    assert [item.ref for item in brief.context["brief"].items] == [
        p.ref for p in strategic[BRIEF_PAGE_SIZE : 2 * BRIEF_PAGE_SIZE]
    ]
