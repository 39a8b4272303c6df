"""The centre's coming matches, /social/<centre>/matches/ (issue 18): the coordinators' and the centre's
staff's working list, 404 for everyone else who may read the register. Coming procurements only, in plans
the viewer may see, by planned advertisement then ref; the value through the municipality's Disclosure;
filters, pages of 50, open orders; a bounded number of queries however many rows."""

from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from plans.models import Order, Outcome, Procurement, SocialDecision
from plans.social.matches import centre_register, coming_matches
from plans.social.matching import offers
from tests.factories import (
    CentreFactory,
    DepartmentFactory,
    PlanFactory,
    ProcurementFactory,
    SocialEnterpriseFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.usefixtures("in_remiss")  # today: 2026-09-15

LAUNDRY, PARKS, WORKWEAR = "98310000", "77310000", "18110000"
URL = reverse("social:matches", kwargs={"centre": "uhc"})
SECRET_VALUE = 7_123_457


@pytest.fixture
def coordinator(falun):
    return member(UserFactory(username="aik"), Role.COORDINATOR, municipality=falun)


@pytest.fixture
def stranger():
    """An officer of another centre."""
    other = CentreFactory(slug="norr", name="Upphandling Norr")
    return member(UserFactory(username="norrofficer"), Role.OFFICER, centre=other)


@pytest.fixture
def cast(users, coordinator, stranger):
    return {**users, "coordinator": coordinator, "stranger": stranger}


@pytest.fixture
def browse(client):
    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def tvatteriet(falun):
    return SocialEnterpriseFactory(municipality=falun, name="Tvätteriet", cpv_codes=[LAUNDRY], capacity=5)


@pytest.fixture
def parkgruppen(borlange):
    return SocialEnterpriseFactory(
        municipality=borlange, name="Parkgruppen", cpv_codes=[PARKS], reserved_qualified=False
    )


@pytest.fixture
def borlange_plan(borlange):
    return PlanFactory(municipality=borlange, year=2027)


def proc(plan, ref, cpv=LAUNDRY, advertised=date(2027, 3, 1), **fields):
    return ProcurementFactory(
        plan=plan, ref=ref, title=f"Titel {ref}", cpv=cpv, planned_advertisement=advertised, **fields
    )


def body(response) -> str:
    return response.content.decode()


def refs(response) -> list[str]:
    """The refs of the matches table's rows, in order."""
    text = body(response)
    table = text.split('id="matches"', 1)[1].split("</table>", 1)[0] if 'id="matches"' in text else ""
    return [chunk.split("</a>", 1)[0] for chunk in table.split('#social-matches">')[1:]]


# --- Who -----------------------------------------------------------------------------------------------

ROLES = [
    ("officer", 200),
    ("plan_admin", 200),
    ("coordinator", 200),
    ("politician", 404),
    ("department_rep", 404),
    ("outsider", 404),
    ("stranger", 404),
    ("anonymous", 302),
]


@pytest.mark.parametrize(("role", "status"), ROLES)
def test_the_matches_page_per_role(browse, cast, role, status, falun_plan, tvatteriet):
    proc(falun_plan, "2027-001")
    response = browse(cast[role]).get(URL)
    assert response.status_code == status
    if status == 200:
        assert refs(response) == ["2027-001"]
    if status == 302:
        assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_another_centres_matches_are_404_even_for_its_own_officer_here(browse, officer, stranger):
    assert browse(officer).get(reverse("social:matches", kwargs={"centre": "norr"})).status_code == 404
    assert browse(officer).get(reverse("social:matches", kwargs={"centre": "nowhere"})).status_code == 404


def test_the_coordinator_sees_their_own_drafts_and_only_the_public_plans_of_the_others(
    browse, coordinator, officer, falun_plan, borlange_plan, borlange, tvatteriet
):
    proc(falun_plan, "F-1")
    proc(borlange_plan, "B-1")
    published = PlanFactory(
        municipality=borlange, year=2028, publish_draft=True, remiss_starts=date(2026, 8, 1)
    )
    proc(published, "B-PUB", advertised=date(2028, 2, 1))
    assert refs(browse(coordinator).get(URL)) == ["F-1", "B-PUB"]
    assert refs(browse(officer).get(URL)) == ["B-1", "F-1", "B-PUB"]


def test_only_coming_procurements_are_listed(browse, officer, falun, falun_plan, tvatteriet):
    """Coming: not advertised, awarded or cancelled; planned for today or later, or late in this year's
    plan (still to be advertised, and to be decided on); a late one of an earlier year's plan is history."""
    this_year = PlanFactory(municipality=falun, year=2026)
    last_year = PlanFactory(municipality=falun, year=2025)
    proc(last_year, "LAST-YEAR", advertised=date(2025, 11, 3))
    proc(this_year, "PAST", advertised=date(2026, 9, 14))
    proc(this_year, "TODAY", advertised=date(2026, 9, 15))
    for status, ref in [
        (Outcome.Status.NOT_STARTED, "NOT-STARTED"),
        (Outcome.Status.ADVERTISED, "ADVERTISED"),
        (Outcome.Status.AWARDED, "AWARDED"),
        (Outcome.Status.CANCELLED, "CANCELLED"),
    ]:
        Outcome.objects.create(procurement=proc(falun_plan, ref), status=status)
    assert refs(browse(officer).get(URL)) == ["PAST", "TODAY", "NOT-STARTED"]


def test_only_matching_procurements_are_listed(browse, officer, falun_plan, tvatteriet, parkgruppen):
    proc(falun_plan, "LAUNDRY", cpv="98311000")
    proc(falun_plan, "PARKS", cpv=PARKS)
    proc(falun_plan, "WORKWEAR", cpv=WORKWEAR, category="goods")
    text = body(browse(officer).get(URL))
    assert refs_from(text) == ["LAUNDRY", "PARKS"]
    assert "Tvätteriet" in text and "Parkgruppen" in text


def refs_from(text):
    class R:
        content = text.encode()

    return refs(R)


def test_ordered_by_planned_advertisement_then_ref(browse, officer, falun_plan, borlange_plan, tvatteriet):
    proc(falun_plan, "B", advertised=date(2027, 2, 1))
    proc(borlange_plan, "A", advertised=date(2027, 2, 1))
    proc(falun_plan, "C", advertised=date(2027, 1, 15))
    proc(borlange_plan, "0", advertised=date(2027, 5, 1))
    assert refs(browse(officer).get(URL)) == ["C", "A", "B", "0"]


def test_a_confidential_value_is_hidden_from_the_coordinator(
    browse, coordinator, officer, falun_plan, tvatteriet
):
    proc(falun_plan, "SECRET", estimated_value_sek=SECRET_VALUE, confidential=True)
    proc(falun_plan, "OPEN", estimated_value_sek=1_234_567)
    seen = body(browse(coordinator).get(URL))
    assert "7,123,457" not in seen and "7123457" not in seen
    assert "Confidential" in seen
    assert "1,234,567" in seen
    assert "7,123,457" in body(browse(officer).get(URL))
    csv = browse(coordinator).get(URL + "?format=csv").content.decode("utf-8-sig")
    assert "7123457" not in csv and "1234567" in csv


def test_a_confidential_value_never_makes_the_coordinators_suggestion_a_lot(
    browse, coordinator, officer, falun_plan, falun
):
    SocialEnterpriseFactory(municipality=falun, name="Ensam", cpv_codes=[LAUNDRY], reserved_qualified=False)
    proc(falun_plan, "BIG", estimated_value_sek=50_000_000, confidential=True)
    assert "A lot sized for social enterprises" in body(browse(officer).get(URL))
    seen = body(browse(coordinator).get(URL))
    assert "A lot sized for social enterprises" not in seen and "Employment requirement" in seen


def test_the_row_shows_the_suggestion_and_the_decision(browse, officer, falun_plan, tvatteriet):
    decided = proc(falun_plan, "DECIDED")
    proc(falun_plan, "OPEN")
    SocialDecision.objects.create(
        procurement=decided, decision="not_suitable", reason="Nej.", decided_by=officer
    )
    text = body(browse(officer).get(URL))
    assert "Not suitable" in text and "Not decided" in text and "Reserved contract" in text
    assert decided.get_absolute_url() in text


# --- Filters and pages --------------------------------------------------------------------------------


@pytest.fixture
def spread(falun_plan, borlange_plan, officer, tvatteriet, parkgruppen):
    proc(falun_plan, "F-LAUNDRY")
    proc(falun_plan, "F-PARKS", cpv=PARKS)
    decided = proc(borlange_plan, "B-LAUNDRY")
    SocialDecision.objects.create(procurement=decided, decision="lot", reason="Delas.", decided_by=officer)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["B-LAUNDRY", "F-LAUNDRY", "F-PARKS"]),
        ({"municipality": "FALUN"}, ["F-LAUNDRY", "F-PARKS"]),
        ({"decided": "yes"}, ["B-LAUNDRY"]),
        ({"decided": "no"}, ["F-LAUNDRY", "F-PARKS"]),
        ({"enterprise": "PARK"}, ["F-PARKS"]),
        ({"enterprise": "TVATT", "decided": "no", "municipality": "FALUN"}, ["F-LAUNDRY"]),
    ],
)
def test_the_filters(browse, officer, spread, falun, tvatteriet, parkgruppen, query, expected):
    names = {"FALUN": falun.pk, "PARK": parkgruppen.pk, "TVATT": tvatteriet.pk}
    query = {key: names.get(value, value) for key, value in query.items()}
    assert refs(browse(officer).get(URL, query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"municipality": "999999"},
        {"municipality": "x"},
        {"decided": "perhaps"},
        {"enterprise": "\x00"},
        {"page": "-1"},
        {"page": "x" * 500},
    ],
)
def test_a_bad_filter_is_ignored_never_a_500(browse, officer, spread, query):
    response = browse(officer).get(URL, query)
    assert response.status_code == 200
    assert len(refs(response)) in (3,)


def test_the_filters_are_offered_with_their_labels(browse, officer, spread):
    text = body(browse(officer).get(URL))
    for label in ('for="id_municipality">Municipality', 'for="id_decided">Decision', 'for="id_enterprise">'):
        assert label in text
    assert ">Parkgruppen</option>" in text and ">Borlänge kommun</option>" in text


def test_a_bad_filter_says_it_was_ignored(browse, officer, spread):
    text = body(browse(officer).get(URL, {"decided": "perhaps"}, follow=True))
    assert "had a value that cannot be used; it was ignored" in text


def test_pages_of_fifty(browse, officer, falun_plan, tvatteriet):
    department = DepartmentFactory(municipality=falun_plan.municipality)
    Procurement.objects.bulk_create(
        Procurement(
            plan=falun_plan,
            ref=f"R-{n:03d}",
            title=f"T{n}",
            department=department,
            category="services",
            cpv=LAUNDRY,
            estimated_value_sek=100_000,
            duration_months=12,
            planned_advertisement=date(2027, 3, 1),
            procedure="open",
        )
        for n in range(51)
    )
    client = browse(officer)
    first = client.get(URL)
    assert len(refs(first)) == 50 and "51 coming procurements match" in body(first)
    assert refs(client.get(URL, {"page": 2})) == ["R-050"]


def test_the_number_of_queries_does_not_grow_with_the_rows(
    browse, officer, falun, falun_plan, borlange_plan, tvatteriet
):
    for n in range(30):
        SocialEnterpriseFactory(municipality=falun, cpv_codes=[LAUNDRY if n % 2 else PARKS])
    proc(falun_plan, "ONE")
    client = browse(officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    department = DepartmentFactory(municipality=falun)
    for plan in (falun_plan, borlange_plan, PlanFactory(municipality=falun, year=2028)):
        plan_department = (
            department
            if plan.municipality_id == falun.pk
            else DepartmentFactory(municipality=plan.municipality)
        )
        Procurement.objects.bulk_create(
            Procurement(
                plan=plan,
                ref=f"M-{n:03d}",
                title=f"T{n}",
                department=plan_department,
                category="services",
                cpv=LAUNDRY if n % 3 else WORKWEAR,
                estimated_value_sek=100_000 * n,
                duration_months=12,
                planned_advertisement=date(plan.year, 1 + n % 12, 1),
                procedure="open",
                confidential=n % 5 == 0,
            )
            for n in range(80)
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(refs(response)) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Open orders ---------------------------------------------------------------------------------------


def make_order(plan, department, **fields):
    values = {"title": "Tvätt av arbetskläder", "need": "Tvätt", "category": "services", "cpv": LAUNDRY}
    return Order.objects.create(
        plan=plan, department=department, estimated_value_sek=900_000, duration_months=24, **(values | fields)
    )


def test_open_matching_orders_are_listed_for_those_who_may_open_them(
    browse, officer, coordinator, falun_plan, adopted_plan, serv, tvatteriet
):
    wanted = make_order(falun_plan, serv, title="Öppen tvättbeställning")
    make_order(falun_plan, serv, title="Frågad", status="question")
    make_order(falun_plan, serv, title="Redan antagen", status="declined", reason="Nej.")
    make_order(falun_plan, serv, title="Arbetskläder", cpv=WORKWEAR, category="goods")
    make_order(adopted_plan, serv, title="I antagen plan")
    SocialEnterpriseFactory(
        municipality=serv.municipality, name="Syateljén", cpv_codes=[], categories=["goods"]
    )
    make_order(falun_plan, serv, title="Okodade kläder", cpv="", category="goods")
    text = body(browse(officer).get(URL))
    # Syateljén gave no codes: it offers every order of its category, coded (Arbetskläder) or not.
    assert "Öppen tvättbeställning" in text and "Frågad" in text and "Okodade kläder" in text
    assert "Arbetskläder" in text
    assert "Redan antagen" not in text and "I antagen plan" not in text
    assert reverse("plans:order", kwargs={"municipality": "falun", "year": 2027, "order": wanted.pk}) in text
    # The coordinator reads every order of their municipality (plans.orders.access), and so its matches.
    assert "Öppen tvättbeställning" in body(browse(coordinator).get(URL))


def test_an_empty_register_says_so(browse, officer, falun_plan):
    proc(falun_plan, "X")
    text = body(browse(officer).get(URL))
    assert "The register has no enterprises yet." in text
    assert refs_from(text) == []


def test_the_csv_export_has_the_rows_as_filtered(browse, officer, spread, falun):
    response = browse(officer).get(URL, {"format": "csv", "municipality": falun.pk})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "F-LAUNDRY" in text and "F-PARKS" in text and "B-LAUNDRY" not in text
    assert "Tvätteriet" in text and "Not decided" in text


# --- The database's first cut never leaves a match out ---------------------------------------------------

OFFERED = [
    ["98310000"],
    ["98311100"],
    ["98000000"],
    ["77300000", "90910000"],
    ["03000000"],
    ["18110000", "18000000"],
]
BOUGHT = [
    "98310000",
    "98311000",
    "98311100",
    "98312000",
    "98300000",
    "98000000",
    "98000000-1",
    "98310000-3",
    "98100000",
    "77314000",
    "77300000",
    "77000000",
    "90911200",
    "90900000",
    "03000000",
    "03100000",
    "18110000",
    "18100000",
    "18000000",
    "18100000-0",
    "45000000",
    "33600000",
]


def test_the_candidates_the_database_reads_hold_every_match(browse, officer, falun, falun_plan):
    for codes in OFFERED:
        SocialEnterpriseFactory(municipality=falun, cpv_codes=codes)
    SocialEnterpriseFactory(municipality=falun, cpv_codes=[], categories=["works"])
    for n, code in enumerate(BOUGHT):
        proc(falun_plan, f"P{n:02d}", cpv=code)
    register = centre_register(falun.centre_id)
    found = coming_matches(
        user=officer, register=register, municipality_ids={falun.pk}, today=date(2026, 9, 15)
    )
    expected = {
        f"P{n:02d}"
        for n, code in enumerate(BOUGHT)
        if any(offers(cpv_codes=codes, categories=[], cpv=code, category="services") for codes in OFFERED)
    }
    assert (
        set(Procurement.objects.filter(pk__in=[m.pk for m in found]).values_list("ref", flat=True))
        == expected
    )
    assert len(expected) > 10


def test_a_decision_on_another_municipalitys_published_draft_is_not_shown_to_the_coordinator(
    browse, coordinator, officer, borlange, tvatteriet
):
    """A decision is part of a draft's consultation (as on the procurement page): Falun's coordinator
    reads Borlänge's published draft, but neither its decision, nor by the decided filter that it has one."""
    published = PlanFactory(
        municipality=borlange, year=2028, publish_draft=True, remiss_starts=date(2026, 8, 1)
    )
    decided = proc(published, "B-PUB", advertised=date(2028, 2, 1))
    SocialDecision.objects.create(procurement=decided, decision="not_suitable", reason="Hemligt skäl.")
    coordinators = browse(coordinator)
    page = body(coordinators.get(URL))
    assert "B-PUB" in page and "Hemligt skäl." not in page
    assert refs(coordinators.get(URL, {"decided": "yes"})) == []
    assert refs(coordinators.get(URL, {"decided": "no"})) == ["B-PUB"]
    assert "Hemligt skäl." not in coordinators.get(URL, {"format": "csv"}).content.decode("utf-8-sig")
    # The centre's officer, a member of Borlänge, reads it.
    assert refs(browse(officer).get(URL, {"decided": "yes"})) == ["B-PUB"]
