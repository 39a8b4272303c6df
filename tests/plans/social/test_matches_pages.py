"""The matches on a procurement's and an order's page (issue 18): matches_for, the panel per role (shown
to everyone who may see the page, nothing when no enterprise matches), and recording the decision: only
the municipality's officers, until adoption; bad input and a stale decision save nothing; a decision taken
is applied to the procurement, rescored, versioned and written in the history."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from accounts.permissions import access_of
from plans.models import HistoryEntry, Order, Plan, Procurement, SocialDecision
from plans.register.access import PlanAccess
from plans.social import panel
from plans.social.matches import centre_register, matches_for
from tests.factories import (
    CentreFactory,
    MunicipalityFactory,
    ProcurementFactory,
    SocialEnterpriseFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.usefixtures("in_remiss")

LAUNDRY, LAUNDRY_COLLECTION, WORKWEAR, PARKS = "98310000", "98311000", "18110000", "77310000"


@pytest.fixture
def coordinator(falun):
    return member(UserFactory(username="aik"), Role.COORDINATOR, municipality=falun)


@pytest.fixture
def tvatteriet(falun):
    return SocialEnterpriseFactory(
        municipality=falun,
        name="Tvätteriet i Falun",
        cpv_codes=[LAUNDRY],
        capacity=6,
        reserved_qualified=True,
    )


@pytest.fixture
def parkgruppen(borlange):
    return SocialEnterpriseFactory(
        municipality=borlange,
        name="Parkgruppen",
        cpv_codes=[PARKS],
        categories=["services"],
        capacity=3,
        reserved_qualified=False,
    )


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
def cast(users, coordinator):
    return {**users, "coordinator": coordinator}


def page(procurement):
    return procurement.get_absolute_url()


def decide_url(procurement):
    plan = procurement.plan
    return reverse(
        "plans:social_decision",
        kwargs={"municipality": plan.municipality.slug, "year": plan.year, "ref": procurement.ref},
    )


def body(response) -> str:
    return response.content.decode()


def make_order(plan, department, **fields):
    values = {
        "title": "Tvätt av arbetskläder",
        "need": "Tvätt",
        "category": "services",
        "cpv": LAUNDRY_COLLECTION,
    }
    return Order.objects.create(
        plan=plan, department=department, estimated_value_sek=900_000, duration_months=24, **(values | fields)
    )


def order_page(order):
    plan = order.plan
    return reverse(
        "plans:order", kwargs={"municipality": plan.municipality.slug, "year": plan.year, "order": order.pk}
    )


# --- matches_for ---------------------------------------------------------------------------------------


def test_a_procurement_matches_the_enterprises_offering_its_code(procurement, tvatteriet, parkgruppen):
    assert [enterprise.name for enterprise in matches_for(procurement)] == ["Tvätteriet i Falun"]


def test_an_order_matches_along_the_code_tree_and_by_category_without_a_code(
    falun_plan, serv, tvatteriet, parkgruppen
):
    collection = make_order(falun_plan, serv)
    assert [enterprise.name for enterprise in matches_for(collection)] == ["Tvätteriet i Falun"]
    uncoded = make_order(falun_plan, serv, cpv="", category="services")
    assert [enterprise.name for enterprise in matches_for(uncoded)] == ["Parkgruppen"]
    goods = make_order(falun_plan, serv, cpv="", category="goods")
    assert matches_for(goods) == []


def test_matches_are_found_in_the_plans_own_centre_only(falun_plan, serv, tvatteriet):
    elsewhere = MunicipalityFactory(slug="mora", centre=CentreFactory(slug="norr", name="Norr"))
    SocialEnterpriseFactory(municipality=elsewhere, name="Norrtvätt", cpv_codes=[LAUNDRY])
    procurement = ProcurementFactory(plan=falun_plan, department=serv, cpv=LAUNDRY)
    assert [enterprise.name for enterprise in matches_for(procurement)] == ["Tvätteriet i Falun"]


def test_the_register_is_read_in_one_query(
    falun, procurement, tvatteriet, parkgruppen, django_assert_num_queries
):
    with django_assert_num_queries(1):
        register = centre_register(falun.centre_id)
    with django_assert_num_queries(0):
        assert len(matches_for(procurement, register)) == 1


def test_an_enterprise_with_bad_codes_in_its_json_is_read_as_offering_nothing(procurement, falun):
    SocialEnterpriseFactory(municipality=falun, cpv_codes={"not": "a list"}, categories="services")
    assert matches_for(procurement) == []


# --- The panel -----------------------------------------------------------------------------------------

PANEL_ROLES = [
    ("officer", 200, True),
    ("plan_admin", 200, True),
    ("politician", 200, True),
    ("department_rep", 200, True),
    ("coordinator", 200, True),
    ("outsider", 404, False),
    ("anonymous", 302, False),
]


@pytest.mark.parametrize(("role", "status", "shown"), PANEL_ROLES)
def test_the_panel_on_a_draft_per_role(browse, cast, role, status, shown, procurement, tvatteriet):
    response = browse(cast[role]).get(page(procurement))
    assert response.status_code == status
    if status == 200:
        text = body(response)
        assert "1 social enterprise offers this" in text
        assert "Tvätteriet i Falun" in text and "qualifies for reserved contracts" in text
        assert "takes 6 people a year" in text
        assert "Reserved contract" in text
        # The decision form is the officer's alone.
        assert (decide_url(procurement) in text) == (role == "officer")
    if status == 302:
        assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_the_panel_says_nothing_when_no_enterprise_matches(browse, officer, procurement, parkgruppen):
    text = body(browse(officer).get(page(procurement)))
    assert 'id="social-matches"' not in text
    assert "offers this" not in text and "offer this" not in text


def test_the_panel_counts_several_enterprises(browse, politician, procurement, tvatteriet, falun):
    SocialEnterpriseFactory(municipality=falun, name="Tvättstugan", cpv_codes=[LAUNDRY_COLLECTION])
    text = body(browse(politician).get(page(procurement)))
    assert "2 social enterprises offer this" in text
    assert text.index("Tvätteriet i Falun") < text.index("Tvättstugan")


def test_the_public_sees_the_panel_and_the_decision_on_an_adopted_plan(
    browse, adopted_plan, falun, officer, tvatteriet
):
    adopted = ProcurementFactory(plan=adopted_plan, ref="2017-004", cpv=LAUNDRY)
    SocialDecision.objects.create(
        procurement=adopted,
        decision=SocialDecision.Decision.RESERVED,
        reason="AIK:s direktiv.",
        decided_by=officer,
    )
    text = body(browse(None).get(page(adopted)))
    assert "1 social enterprise offers this" in text
    assert "Tvätteriet i Falun" in text
    assert "AIK:s direktiv." in text
    assert decide_url(adopted) not in text
    # Nor a link to the register, which is the municipalities' and the centre's.
    assert "/social/" not in text


def test_after_adoption_the_officer_sees_no_form(browse, adopted_plan, officer, tvatteriet):
    adopted = ProcurementFactory(plan=adopted_plan, ref="2017-004", cpv=LAUNDRY)
    text = body(browse(officer).get(page(adopted)))
    assert "1 social enterprise offers this" in text
    assert decide_url(adopted) not in text


def test_members_get_a_link_to_the_register(browse, politician, procurement, tvatteriet):
    text = body(browse(politician).get(page(procurement)))
    assert reverse("social:enterprises", kwargs={"centre": "uhc"}) in text


def test_a_published_drafts_public_sees_the_names_but_not_the_decision(
    browse, falun_plan, officer, procurement, tvatteriet
):
    Plan.objects.filter(pk=falun_plan.pk).update(publish_draft=True)
    SocialDecision.objects.create(
        procurement=procurement,
        decision=SocialDecision.Decision.LOT,
        reason="Internt resonemang.",
        decided_by=officer,
    )
    text = body(browse(None).get(page(procurement)))
    assert "Tvätteriet i Falun" in text
    assert "Internt resonemang." not in text


def test_the_panel_costs_the_page_at_most_two_queries(rf, officer, procurement, tvatteriet, falun):
    for n in range(20):
        SocialEnterpriseFactory(municipality=falun, cpv_codes=[LAUNDRY], capacity=n)
    plan = Plan.objects.select_related("municipality").get(pk=procurement.plan_id)
    pa = PlanAccess(plan=plan, access=access_of(officer), status=plan.phase_status())
    procurement.plan = plan
    assert plan.rubric_values.eu_threshold  # read by the page for the assessment anyway
    with CaptureQueriesContext(connection) as queries:
        shown = panel.procurement_panel(pa, procurement, consultation=True)
    assert shown.count == 21
    assert len(queries.captured_queries) <= 2


def test_the_procurement_page_takes_as_many_queries_for_one_enterprise_as_for_thirty(
    browse, officer, procurement, tvatteriet, falun, django_assert_max_num_queries
):
    client = browse(officer)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page(procurement)).status_code == 200
    for _n in range(29):
        SocialEnterpriseFactory(municipality=falun, cpv_codes=[LAUNDRY])
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert "30 social enterprises offer this" in body(client.get(page(procurement)))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 200),
        ("plan_admin", 200),
        ("politician", 200),
        ("department_rep", 200),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_the_panel_on_an_order_per_role(browse, cast, role, status, falun_plan, serv, tvatteriet):
    order = make_order(falun_plan, serv)
    response = browse(cast[role]).get(order_page(order))
    assert response.status_code == status
    if status == 200:
        text = body(response)
        assert "1 social enterprise offers this" in text
        assert "Tvätteriet i Falun" in text
        assert "Reserved contract" in text
        # No decision on an order: that is recorded on the procurement it becomes.
        assert "Record the decision" not in text


def test_an_order_nobody_offers_shows_no_panel(browse, officer, falun_plan, serv, tvatteriet):
    order = make_order(falun_plan, serv, cpv=WORKWEAR, category="goods")
    assert 'id="social-matches"' not in body(browse(officer).get(order_page(order)))


# --- Recording the decision -----------------------------------------------------------------------------

GOOD = {
    "decision": "reserved",
    "reason": "Tvätteriet kvalificerar; AIK har det i sina direktiv.",
    "version": "0",
}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 302),
        ("plan_admin", 403),
        ("coordinator", 403),
        ("politician", 403),
        ("department_rep", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_only_the_officer_records_the_decision(browse, cast, role, status, procurement, tvatteriet):
    response = browse(cast[role]).post(decide_url(procurement), GOOD)
    assert response.status_code == status
    recorded = SocialDecision.objects.filter(procurement=procurement)
    if role == "officer":
        assert response.url == page(procurement) + "#social-matches"
        assert recorded.get().decision == "reserved"
    else:
        assert not recorded.exists()
        procurement.refresh_from_db()
        assert procurement.reserved_contract is False
    if role == "anonymous":
        assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_a_get_is_refused(browse, officer, procurement, tvatteriet):
    assert browse(officer).get(decide_url(procurement)).status_code == 405


def test_after_adoption_the_decision_is_refused(browse, officer, adopted_plan, tvatteriet):
    adopted = ProcurementFactory(plan=adopted_plan, ref="2017-004", cpv=LAUNDRY)
    assert browse(officer).post(decide_url(adopted), GOOD).status_code == 403
    assert not SocialDecision.objects.exists()


def test_an_officer_of_another_centre_gets_404(browse, procurement, tvatteriet):
    other = CentreFactory(slug="norr", name="Norr")
    stranger = member(UserFactory(username="norrofficer"), Role.OFFICER, centre=other)
    assert browse(stranger).post(decide_url(procurement), GOOD).status_code == 404


@pytest.mark.parametrize(
    ("decision", "field", "points"),
    [
        ("reserved", "reserved_contract", True),
        ("lot", "lots", True),
        ("employment", "employment_requirement", True),
    ],
)
def test_a_decision_taken_is_applied_rescored_versioned_and_in_the_history(
    browse, officer, procurement, tvatteriet, decision, field, points
):
    before = Procurement.objects.get(pk=procurement.pk)
    response = browse(officer).post(decide_url(procurement), {**GOOD, "decision": decision})
    assert response.status_code == 302
    after = Procurement.objects.get(pk=procurement.pk)
    assert getattr(after, field) is True
    assert after.version == before.version + 1
    assert after.social_score > before.social_score
    entries = list(HistoryEntry.objects.filter(procurement=procurement))
    assert [entry.action for entry in entries] == [HistoryEntry.Action.SOCIAL, HistoryEntry.Action.CHANGED]
    social, changed = entries
    assert social.user == officer
    assert GOOD["reason"] in social.changes["note"]
    # The decision in the site's language leads the note, then the reason.
    with translation.override(settings.LANGUAGE_CODE):
        label = str(SocialDecision.Decision(decision).label)
    assert social.changes["note"] == f"{label}: {GOOD['reason']}"
    assert field in changed.changes
    # The history on the page reads the new action and the note.
    text = body(browse(officer).get(page(procurement)))
    assert "decided on the social enterprises" in text
    assert GOOD["reason"] in text


def test_not_suitable_changes_no_field_but_is_in_the_history(browse, officer, procurement, tvatteriet):
    before = Procurement.objects.get(pk=procurement.pk)
    data = {**GOOD, "decision": "not_suitable", "reason": "Tvätten ska ske på sjukhusets eget tvätteri."}
    assert browse(officer).post(decide_url(procurement), data).status_code == 302
    after = Procurement.objects.get(pk=procurement.pk)
    assert (after.version, after.reserved_contract, after.lots, after.employment_requirement) == (
        before.version,
        False,
        False,
        False,
    )
    entry = HistoryEntry.objects.get(procurement=procurement)
    assert entry.action == HistoryEntry.Action.SOCIAL
    assert "Tvätten ska ske" in entry.changes["note"]


def test_a_field_already_set_is_not_written_again(browse, officer, falun_plan, serv, tvatteriet):
    reserved = ProcurementFactory(plan=falun_plan, department=serv, cpv=LAUNDRY, reserved_contract=True)
    version = reserved.version
    assert browse(officer).post(decide_url(reserved), GOOD).status_code == 302
    reserved.refresh_from_db()
    assert reserved.version == version
    assert [e.action for e in HistoryEntry.objects.filter(procurement=reserved)] == [
        HistoryEntry.Action.SOCIAL
    ]


def test_a_decision_is_changed_with_its_version(browse, officer, procurement, tvatteriet):
    client = browse(officer)
    client.post(decide_url(procurement), {**GOOD, "decision": "not_suitable"})
    recorded = SocialDecision.objects.get(procurement=procurement)
    assert recorded.version == 1
    text = body(client.get(page(procurement)))
    assert 'name="version" value="1"' in text
    assert client.post(decide_url(procurement), {**GOOD, "version": "1"}).status_code == 302
    recorded.refresh_from_db()
    assert (recorded.decision, recorded.version) == ("reserved", 2)


def test_a_stale_decision_is_refused_and_nothing_saved(browse, officer, procurement, tvatteriet):
    client = browse(officer)
    client.post(decide_url(procurement), {**GOOD, "decision": "not_suitable", "reason": "Först."})
    response = client.post(decide_url(procurement), {**GOOD, "reason": "Sedan, från en gammal sida."})
    assert response.status_code == 400
    text = body(response)
    assert "Someone else recorded a decision" in text
    # The form keeps what was written, with the version now stored: saving again replaces it knowingly.
    assert "Sedan, från en gammal sida." in text
    assert 'name="version" value="1"' in text
    recorded = SocialDecision.objects.get(procurement=procurement)
    assert (recorded.decision, recorded.reason, recorded.version) == ("not_suitable", "Först.", 1)
    procurement.refresh_from_db()
    assert procurement.reserved_contract is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**GOOD, "reason": ""}, "Give a reason."),
        ({**GOOD, "reason": "   "}, "Give a reason."),
        ({**GOOD, "reason": "x" * 2001}, "At most 2000 characters"),
        ({**GOOD, "reason": "nul\x00byte"}, "Null characters are not allowed."),
        ({**GOOD, "decision": ""}, "Choose what was decided."),
        ({**GOOD, "decision": "maybe"}, "Choose one of the decisions offered."),
        ({k: v for k, v in GOOD.items() if k != "version"}, "The form came without the version"),
        ({**GOOD, "version": "x"}, "The form came without the version"),
        ({**GOOD, "version": "-1"}, "The form came without the version"),
    ],
)
def test_bad_input_is_a_400_with_the_message_and_nothing_saved(
    browse, officer, procurement, tvatteriet, data, message
):
    response = browse(officer).post(decide_url(procurement), data)
    assert response.status_code == 400
    assert message in body(response)
    assert not SocialDecision.objects.exists()
    assert not HistoryEntry.objects.filter(procurement=procurement).exists()


def test_a_decision_where_no_enterprise_matches_any_longer_is_refused(
    browse, officer, procurement, tvatteriet
):
    tvatteriet.delete()
    response = browse(officer).post(decide_url(procurement), GOOD)
    assert response.status_code == 400
    assert "No social enterprise in the register offers this any longer" in body(response)
    assert not SocialDecision.objects.exists()


def test_the_decision_shows_what_why_who_and_when(browse, politician, officer, procurement, tvatteriet):
    browse(officer).post(decide_url(procurement), GOOD)
    text = body(browse(politician).get(page(procurement)))
    assert "Reserved contract" in text and GOOD["reason"] in text
    assert f"by {officer}, 2026-09-1" in text


@pytest.mark.parametrize(
    ("set_before", "first", "then", "expected"),
    [
        # The field a decision set is taken back when the decision changes …
        (set(), "reserved", "not_suitable", set()),
        (set(), "reserved", "lot", {"lots"}),
        (set(), "employment", "reserved", {"reserved_contract"}),
        (set(), "lot", "lot", {"lots"}),
        # … but a field the officer had set before the decision is not the decision's to take back.
        ({"reserved_contract"}, "reserved", "not_suitable", {"reserved_contract"}),
        ({"lots"}, "reserved", "lot", {"lots"}),
        ({"reserved_contract"}, "lot", "not_suitable", {"reserved_contract"}),
    ],
)
def test_a_changed_decision_takes_back_only_the_field_it_set(
    browse, officer, falun_plan, serv, tvatteriet, set_before, first, then, expected
):
    fields = ("reserved_contract", "lots", "employment_requirement")
    procurement = ProcurementFactory(
        plan=falun_plan, department=serv, cpv=LAUNDRY, **{name: name in set_before for name in fields}
    )
    client = browse(officer)
    assert client.post(decide_url(procurement), {**GOOD, "decision": first}).status_code == 302
    assert client.post(decide_url(procurement), {**GOOD, "decision": then, "version": "1"}).status_code == 302
    procurement.refresh_from_db()
    assert {name for name in fields if getattr(procurement, name)} == expected
    assert SocialDecision.objects.get(procurement=procurement).decision == then
