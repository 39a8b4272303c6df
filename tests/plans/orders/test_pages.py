"""The orders' pages (issue 14), per role, the refused ones included: the queue, a new order (in the
window and outside it), one order with the officers' steps and the department's answer, and its edit.
Bad input shows the error beside the field and saves nothing; a stale step is refused, naming who acted;
a confidential order's value and need reach only the centre and the ordering department."""

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from plans.models import Goal, Order, OrderEvent, Outcome, Procurement
from plans.orders.rules import OrderAction, OrderStatus
from plans.orders.services import Decision, order_act, order_place
from tests.conftest import REMISS_DAY
from tests.factories import DepartmentFactory, PlanFactory, ProcurementFactory, UserFactory, member

# Inside the default order window of the 2027 plans (1 February – 31 May 2026).
ORDER_DAY = date(2026, 3, 16)
NEED = {
    "title": "Arbetskläder hemtjänsten",
    "need": "Kläder som tål tvätt i 90 grader.",
    "category": "goods",
    "cpv": "18100000",
    "estimated_value_sek": 2_600_000,
    "duration_months": 48,
    "expert_name": "Eva Sakkunnig",
    "expert_email": "eva@falun.example",
}
SECRET_NEED = "Hemligtbehovkvarg"
SECRET_VALUE = 7_123_457


@pytest.fixture
def ordering():
    with time_machine.travel(ORDER_DAY, tick=False):
        yield


@pytest.fixture
def in_remiss_day():
    with time_machine.travel(REMISS_DAY, tick=False):
        yield


@pytest.fixture
def other_rep(falun, omv):
    """The representative of another department of Falun."""
    return member(UserFactory(username="omvrep"), Role.DEPARTMENT_REP, municipality=falun, department=omv)


@pytest.fixture
def cast(users, other_rep):
    return {**users, "other_rep": other_rep}


@pytest.fixture
def browse(client):
    """browse(user) logs the client in as user (None: anonymous), in English."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


def place(plan, department, user, **changes):
    return order_place(plan=plan, department=department, data={**NEED, **changes}, user=user)


@pytest.fixture
def order(falun_plan, serv, department_rep):
    return place(falun_plan, serv, department_rep)


def url(name, plan, **kwargs):
    return reverse(name, kwargs={"municipality": plan.municipality.slug, "year": plan.year, **kwargs})


def order_page(order):
    return url("plans:order", order.plan, order=order.pk)


def act(order, action, user, **decision):
    return order_act(
        order=order, action=action, expected_version=order.version, user=user, decision=Decision(**decision)
    )


def body(response) -> str:
    return response.content.decode()


# --- The queue -------------------------------------------------------------------------------------

QUEUE_ROLES = [
    ("officer", 200),
    ("plan_admin", 200),
    ("politician", 200),
    ("department_rep", 200),
    ("other_rep", 200),
    ("outsider", 404),
    ("anonymous", 302),
]


@pytest.mark.usefixtures("ordering")
@pytest.mark.parametrize(("role", "status"), QUEUE_ROLES)
def test_the_queue_answers_each_role(role, status, cast, browse, order, falun_plan):
    response = browse(cast[role]).get(url("plans:orders", falun_plan))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login"))
    if status == 200:
        # A representative sees only their own department's orders; the others all of them.
        assert (order.title in body(response)) is (role != "other_rep")


@pytest.mark.usefixtures("ordering")
def test_the_queue_of_an_adopted_plan_is_refused_to_those_outside_the_municipality(
    cast, browse, adopted_plan
):
    assert browse(cast["politician"]).get(url("plans:orders", adopted_plan)).status_code == 200
    for role in ("outsider", "anonymous"):
        assert browse(cast[role]).get(url("plans:orders", adopted_plan)).status_code == 403


@pytest.mark.usefixtures("ordering")
def test_the_queue_puts_orders_waiting_for_an_officer_first_oldest_first(
    falun_plan, serv, omv, department_rep, other_rep, officer, browse
):
    first = place(falun_plan, serv, department_rep, title="Äldst väntande")
    asked = act(place(falun_plan, serv, department_rep, title="Frågad"), OrderAction.ASK, officer, text="?")
    second = place(falun_plan, omv, other_rep, title="Nyare väntande")
    text = body(browse(officer).get(url("plans:orders", falun_plan)))
    assert text.index(first.title) < text.index(second.title) < text.index(asked.title)
    # The department sees its question first, highlighted.
    text = body(browse(department_rep).get(url("plans:orders", falun_plan)))
    assert text.index(asked.title) < text.index(first.title)
    assert "Question waiting" in text and second.title not in text


@pytest.mark.usefixtures("ordering")
def test_the_queue_filters_by_department_status_and_officer(
    falun_plan, serv, omv, department_rep, other_rep, officer, browse
):
    place(falun_plan, serv, department_rep, title="Servs beställning")
    asked = act(
        place(falun_plan, omv, other_rep, title="Omvs beställning"), OrderAction.ASK, officer, text="?"
    )
    client = browse(officer)
    queue = url("plans:orders", falun_plan)
    by_department = body(client.get(queue, {"department": omv.pk}))
    assert "Omvs beställning" in by_department and "Servs beställning" not in by_department
    by_status = body(client.get(queue, {"status": "submitted"}))
    assert "Servs beställning" in by_status and "Omvs beställning" not in by_status
    by_officer = body(client.get(queue, {"officer": officer.pk}))
    assert asked.title in by_officer and "Servs beställning" not in by_officer
    not_handled = body(client.get(queue, {"officer": 0}))
    assert "Servs beställning" in not_handled and asked.title not in not_handled
    ignored = client.get(queue, {"status": "nonsense"})
    assert ignored.status_code == 200 and "Servs beställning" in body(ignored)
    assert "it was ignored" in body(ignored)


@pytest.mark.parametrize(
    ("today", "says", "new_link"),
    [
        (ORDER_DAY, "days left", True),
        (date(2026, 1, 10), "The order window is closed. It opens on 2026-02-01", False),
        (REMISS_DAY, "The order window is closed (it was open 2026-02-01 – 2026-05-31)", False),
    ],
)
def test_the_queue_says_whether_the_window_is_open_and_offers_a_new_order_only_then(
    today, says, new_link, falun_plan, department_rep, browse
):
    with time_machine.travel(today, tick=False):
        text = body(browse(department_rep).get(url("plans:orders", falun_plan)))
    assert says in text
    assert (url("plans:order_create", falun_plan) in text) is new_link


@pytest.mark.usefixtures("ordering")
def test_officers_see_no_new_order_link_and_politicians_neither(falun_plan, officer, politician, browse):
    for user in (officer, politician):
        assert url("plans:order_create", falun_plan) not in body(
            browse(user).get(url("plans:orders", falun_plan))
        )


@pytest.mark.usefixtures("ordering")
def test_the_queue_runs_a_fixed_number_of_queries(
    falun_plan, serv, omv, department_rep, officer, browse, django_assert_max_num_queries
):
    orders = [
        Order(
            plan=falun_plan,
            department=(serv, omv)[number % 2],
            ordered_by=department_rep,
            handled_by=officer if number % 3 else None,
            status=("submitted", "question", "answered", "declined")[number % 4],
            confidential=number % 7 == 0,
            **{**NEED, "title": f"Beställning {number}"},
        )
        for number in range(60)
    ]
    Order.objects.bulk_create(orders)
    for user in (officer, department_rep):
        client = browse(user)
        with django_assert_max_num_queries(15):
            response = client.get(url("plans:orders", falun_plan), {"page": 2})
        assert response.status_code == 200
        with django_assert_max_num_queries(15):
            assert client.get(url("plans:orders", falun_plan), {"status": "submitted"}).status_code == 200


def test_the_plan_page_links_the_orders_for_those_who_read_them(falun_plan, adopted_plan, cast, browse):
    with time_machine.travel(REMISS_DAY, tick=False):
        for role in ("officer", "politician", "department_rep"):
            assert url("plans:orders", falun_plan) in body(
                browse(cast[role]).get(falun_plan.get_absolute_url())
            )
        anonymous = body(browse(None).get(adopted_plan.get_absolute_url()))
        assert url("plans:orders", adopted_plan) not in anonymous


# --- A new order ------------------------------------------------------------------------------------


def form_data(**changes):
    data = {
        **NEED,
        "estimated_value_sek": "2 600 000",
        "budget_status": "within_frame",
        "environmental_level": "none",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.mark.usefixtures("ordering")
def test_a_department_orders_for_its_own_department_with_goals(
    falun_plan, falun, serv, department_rep, browse
):
    goal = Goal.objects.create(municipality=falun, title="Fossilfritt Falun 2035")
    elsewhere = Goal.objects.create(municipality=PlanFactory(year=2027).municipality, title="Annans mål")
    client = browse(department_rep)
    page = body(client.get(url("plans:order_create", falun_plan)))
    assert goal.title in page and elsewhere.title not in page
    assert 'name="department"' not in page  # one department: no choice
    response = client.post(url("plans:order_create", falun_plan), form_data(goals=[goal.pk]))
    placed = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == order_page(placed)
    assert (placed.department, placed.ordered_by, placed.status) == (serv, department_rep, "submitted")
    assert list(placed.goals.all()) == [goal]
    assert placed.events.get().action == OrderEvent.Action.SUBMITTED


@pytest.mark.usefixtures("ordering")
def test_a_goal_of_another_municipality_is_refused(falun_plan, department_rep, browse):
    elsewhere = Goal.objects.create(municipality=PlanFactory(year=2027).municipality, title="Annans mål")
    response = browse(department_rep).post(
        url("plans:order_create", falun_plan), form_data(goals=[elsewhere.pk])
    )
    assert response.status_code == 200 and not Order.objects.exists()


@pytest.mark.usefixtures("ordering")
def test_a_representative_of_several_departments_chooses_among_their_own(
    falun_plan, falun, serv, omv, browse
):
    rep = member(UserFactory(username="tvåförv"), Role.DEPARTMENT_REP, municipality=falun, department=serv)
    member(rep, Role.DEPARTMENT_REP, municipality=falun, department=omv)
    third = DepartmentFactory(municipality=falun, code="KULT", name="Kulturförvaltningen")
    client = browse(rep)
    page = body(client.get(url("plans:order_create", falun_plan)))
    assert 'name="department"' in page and omv.name in page and third.name not in page
    refused = client.post(url("plans:order_create", falun_plan), form_data(department=third.pk))
    assert refused.status_code == 200 and 'class="error"' in body(refused) and not Order.objects.exists()
    client.post(url("plans:order_create", falun_plan), form_data(department=omv.pk))
    assert Order.objects.get().department == omv


@pytest.mark.usefixtures("ordering")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"new_need": "on", "current_contract_ends": "2027-01-31"}, "new_need"),
        ({"cpv": "1234"}, "cpv"),
        ({"title": ""}, "title"),
        ({"estimated_value_sek": "12,5 kr"}, "estimated_value_sek"),
        ({"duration_months": "0"}, "duration_months"),
        ({"expert_email": "inte-en-adress"}, "expert_email"),
    ],
)
def test_bad_input_shows_the_error_beside_the_field_and_saves_nothing(
    changes, field, falun_plan, department_rep, browse
):
    response = browse(department_rep).post(url("plans:order_create", falun_plan), form_data(**changes))
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in body(response)
    assert not Order.objects.exists()


@pytest.mark.usefixtures("ordering")
def test_the_cpv_is_optional_and_taken_with_or_without_its_check_digit(falun_plan, department_rep, browse):
    client = browse(department_rep)
    client.post(url("plans:order_create", falun_plan), form_data(cpv="", title="Utan kod"))
    client.post(
        url("plans:order_create", falun_plan), form_data(cpv="18100000-0", title="Med kontrollsiffra")
    )
    assert dict(Order.objects.values_list("title", "cpv")) == {
        "Utan kod": "",
        "Med kontrollsiffra": "18100000",  # kept as eight digits (issue 17)
    }


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer", 403),
        ("plan_admin", 403),
        ("politician", 403),
        ("department_rep", 200),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
@pytest.mark.usefixtures("ordering")
def test_only_a_department_representative_orders(role, status, cast, browse, falun_plan):
    client = browse(cast[role])
    assert client.get(url("plans:order_create", falun_plan)).status_code == status
    response = client.post(url("plans:order_create", falun_plan), form_data())
    assert response.status_code == (302 if role == "department_rep" else status)
    assert Order.objects.exists() is (role == "department_rep")


def test_outside_the_window_the_new_order_page_says_so_and_refuses_a_post(falun_plan, department_rep, browse):
    client = browse(department_rep)
    with time_machine.travel(REMISS_DAY, tick=False):
        page = client.get(url("plans:order_create", falun_plan))
        refused = client.post(url("plans:order_create", falun_plan), form_data())
    assert page.status_code == 200 and "The order window is closed" in body(page)
    assert 'name="title"' not in body(page)
    assert refused.status_code == 403 and not Order.objects.exists()


def test_an_adopted_plan_takes_no_orders(adopted_plan, department_rep, browse):
    with time_machine.travel(date(2016, 3, 1), tick=False):  # inside the 2017 plan's window
        assert browse(department_rep).get(url("plans:order_create", adopted_plan)).status_code == 403


@pytest.mark.usefixtures("ordering")
def test_a_successor_is_prefilled_from_an_expiring_procurement_of_an_earlier_plan(
    falun_plan, adopted_plan, serv, department_rep, browse
):
    expiring = ProcurementFactory(
        plan=adopted_plan,
        ref="2017-009",
        title="Parkskötsel",
        department=serv,
        cpv="77313000",
        duration_months=36,
        current_contract_ends=date(2026, 12, 31),
        description="Skötsel av parker.",
    )
    page = body(browse(department_rep).get(url("plans:order_create", falun_plan), {"from": expiring.pk}))
    assert 'value="Parkskötsel"' in page and 'value="77313000"' in page and 'value="36"' in page
    assert 'value="2026-12-31"' in page and "Skötsel av parker." in page


@pytest.mark.usefixtures("ordering")
def test_a_successor_takes_the_contract_end_from_the_outcome_and_no_confidential_description(
    falun_plan, adopted_plan, serv, department_rep, browse
):
    awarded = ProcurementFactory(
        plan=adopted_plan,
        department=serv,
        duration_months=24,
        current_contract_ends=date(2016, 6, 30),
        confidential=True,
        description="Hemligbeskrivningforegangare",
    )
    Outcome.objects.create(procurement=awarded, status="awarded", contract_starts=date(2025, 7, 1))
    page = body(browse(department_rep).get(url("plans:order_create", falun_plan), {"from": awarded.pk}))
    assert 'value="2027-06-30"' in page
    assert "Hemligbeskrivningforegangare" not in page


@pytest.mark.usefixtures("ordering")
def test_a_successor_of_another_municipality_or_a_later_plan_prefills_nothing(
    falun_plan, borlange, serv, department_rep, browse
):
    theirs = ProcurementFactory(plan=PlanFactory(municipality=borlange, year=2017), title="Borlängeskötsel")
    later = ProcurementFactory(
        plan=PlanFactory(municipality=falun_plan.municipality, year=2028), title="Senare"
    )
    client = browse(department_rep)
    for procurement in (theirs, later):
        page = client.get(url("plans:order_create", falun_plan), {"from": procurement.pk})
        assert page.status_code == 200 and procurement.title not in body(page)
    for nonsense in ("x", "²", "-1", "9" * 30):  # "²" is a digit to isdigit(), not to int()
        assert client.get(url("plans:order_create", falun_plan), {"from": nonsense}).status_code == 200


# --- One order ----------------------------------------------------------------------------------------

DETAIL_ROLES = [
    ("officer", 200),
    ("plan_admin", 200),
    ("politician", 200),
    ("department_rep", 200),
    ("other_rep", 404),
    ("outsider", 404),
    ("anonymous", 302),
]


@pytest.mark.usefixtures("ordering")
@pytest.mark.parametrize(("role", "status"), DETAIL_ROLES)
def test_the_order_page_answers_each_role(role, status, cast, browse, order, officer):
    act(order, OrderAction.ASK, officer, text="Hur många anställda?")
    response = browse(cast[role]).get(order_page(order))
    assert response.status_code == status
    if status == 200:
        text = body(response)
        assert order.title in text and "Hur många anställda?" in text
        assert ('name="action" value="accept"' in text) is False  # a question waits: no officer step
        assert ('name="action" value="answer"' in text) is (role == "department_rep")


@pytest.mark.usefixtures("ordering")
def test_officers_get_the_steps_and_the_others_do_not(cast, browse, order):
    for role in ("officer", "plan_admin", "politician", "department_rep"):
        text = body(browse(cast[role]).get(order_page(order)))
        for action in ("accept", "merge", "ask", "decline"):
            assert (f'name="action" value="{action}"' in text) is (role == "officer"), (role, action)


@pytest.mark.usefixtures("ordering")
def test_an_order_of_another_plan_or_municipality_is_404(order, falun_plan, borlange, browse, officer):
    other_plan = PlanFactory(municipality=falun_plan.municipality, year=2028)
    assert browse(officer).get(url("plans:order", other_plan, order=order.pk)).status_code == 404
    theirs = PlanFactory(municipality=borlange, year=2027)
    assert browse(officer).get(url("plans:order", theirs, order=order.pk)).status_code == 404
    assert browse(officer).get(url("plans:order", falun_plan, order=order.pk + 1000)).status_code == 404


def step(client, order, action, **data):
    return client.post(order_page(order), {"action": action, f"{action}-version": order.version, **data})


@pytest.mark.usefixtures("ordering")
def test_an_officer_accepts_an_order_and_it_becomes_a_scored_procurement(order, officer, browse):
    client = browse(officer)
    page = body(client.get(order_page(order)))
    assert 'value="2027-001"' in page  # the next free ref, suggested
    response = step(
        client,
        order,
        "accept",
        **{
            "accept-ref": "2027-101",
            "accept-cpv": "18100000",
            "accept-procedure": "open",
            "accept-planned_advertisement": "2027-03-01",
            "accept-officer": officer.pk,
            "accept-climate_impact": "low",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    procurement = order.procurement
    assert order.status == OrderStatus.ACCEPTED and procurement.ref == "2027-101"
    assert (procurement.title, procurement.estimated_value_sek, procurement.officer) == (
        NEED["title"],
        2_600_000,
        officer,
    )
    assert procurement.expert_name == "Eva Sakkunnig" and procurement.economic_score == 2
    followed = body(client.get(response["Location"]))
    assert procurement.get_absolute_url() in followed and "2027-101" in followed


@pytest.mark.usefixtures("ordering")
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"accept-planned_advertisement": "2026-11-01"}, "planned_advertisement"),
        ({"accept-planned_advertisement": "2028-01-15"}, "planned_advertisement"),
        ({"accept-cpv": "12"}, "cpv"),
        ({"accept-ref": ""}, "ref"),
        ({"accept-procedure": ""}, "procedure"),
        ({"accept-possible_suppliers": "0"}, "possible_suppliers"),
    ],
)
def test_a_bad_acceptance_shows_the_error_beside_the_field_and_saves_nothing(
    changes, field, order, officer, browse
):
    data = {
        "accept-ref": "2027-101",
        "accept-cpv": "18100000",
        "accept-procedure": "open",
        "accept-planned_advertisement": "2027-03-01",
        "accept-climate_impact": "low",
        **changes,
    }
    response = step(browse(officer), order, "accept", **data)
    assert response.status_code == 400
    assert f'id="id_accept-{field}_error"' in body(response)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED and not Procurement.objects.exists()


@pytest.mark.usefixtures("ordering")
def test_an_acceptance_with_a_ref_already_taken_is_refused_beside_the_ref(order, officer, falun_plan, browse):
    ProcurementFactory(plan=falun_plan, ref="2027-101")
    response = step(
        browse(officer),
        order,
        "accept",
        **{"accept-ref": "2027-101", "accept-cpv": "18100000", "accept-procedure": "open",
           "accept-planned_advertisement": "2027-03-01", "accept-climate_impact": "low"},
    )  # fmt: skip
    assert response.status_code == 400 and 'id="id_accept-ref_error"' in body(response)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED


@pytest.mark.usefixtures("ordering")
def test_an_officer_merges_an_order_into_a_procurement_of_the_plan(order, officer, falun_plan, serv, browse):
    existing = ProcurementFactory(
        plan=falun_plan, ref="2027-050", department=serv, estimated_value_sek=1_000_000
    )
    response = step(browse(officer), order, "merge", **{"merge-into": f"{existing.pk}:{existing.version}"})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.estimated_value_sek == 3_600_000
    assert Order.objects.get(pk=order.pk).procurement == existing


@pytest.mark.usefixtures("ordering")
def test_a_merge_into_a_procurement_changed_meanwhile_is_refused(order, officer, falun_plan, serv, browse):
    existing = ProcurementFactory(
        plan=falun_plan, ref="2027-050", department=serv, estimated_value_sek=1_000_000
    )
    stale_choice = f"{existing.pk}:{existing.version}"
    Procurement.objects.filter(pk=existing.pk).update(version=existing.version + 1)
    response = step(browse(officer), order, "merge", **{"merge-into": stale_choice})
    assert response.status_code == 409 and "2027-050" in body(response)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED
    assert Procurement.objects.get(pk=existing.pk).estimated_value_sek == 1_000_000


@pytest.mark.usefixtures("ordering")
def test_a_merge_into_another_plans_procurement_is_not_offered(order, officer, adopted_plan, serv, browse):
    elsewhere = ProcurementFactory(plan=adopted_plan, department=serv)
    response = step(browse(officer), order, "merge", **{"merge-into": f"{elsewhere.pk}:{elsewhere.version}"})
    assert response.status_code == 400 and 'id="id_merge-into_error"' in body(response)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED


@pytest.mark.usefixtures("ordering")
@pytest.mark.parametrize("choice", ["²:1", "1:²", "x", ":", "1"])
def test_a_merge_choice_that_is_no_procurement_is_refused_beside_the_field(order, officer, choice, browse):
    response = step(browse(officer), order, "merge", **{"merge-into": choice})
    assert response.status_code == 400 and 'id="id_merge-into_error"' in body(response)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED


@pytest.mark.usefixtures("ordering")
def test_the_officer_asks_the_department_answers_and_the_mail_links_the_order(
    order, officer, department_rep, browse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asked = step(browse(officer), order, "ask", **{"ask-text": "Hur många anställda?"})
    assert asked.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.question) == (OrderStatus.QUESTION, "Hur många anställda?")
    assert [message.to for message in mail.outbox] == [[department_rep.email]]
    assert f"{settings.SITE_URL}{order_page(order)}" in mail.outbox[0].body
    answered = step(browse(department_rep), order, "answer", **{"answer-text": "Ungefär 400."})
    assert answered.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.answer) == (OrderStatus.ANSWERED, "Ungefär 400.")
    text = body(browse(officer).get(order_page(order)))
    assert "Ungefär 400." in text and 'name="action" value="accept"' in text


@pytest.mark.usefixtures("ordering")
@pytest.mark.parametrize(
    ("action", "role"), [("ask", "officer"), ("decline", "officer"), ("answer", "department_rep")]
)
def test_a_step_without_its_text_shows_the_error_beside_the_field_and_saves_nothing(
    action, role, order, officer, cast, browse
):
    if action == "answer":
        order = act(order, OrderAction.ASK, officer, text="Fråga?")
    before = (order.status, order.version)
    response = step(browse(cast[role]), order, action, **{f"{action}-text": "   "})
    assert response.status_code == 400
    assert f'id="id_{action}-text_error"' in body(response)
    order.refresh_from_db()
    assert (order.status, order.version) == before


@pytest.mark.usefixtures("ordering")
def test_a_step_without_the_version_is_refused(order, officer, browse):
    response = browse(officer).post(order_page(order), {"action": "decline", "decline-text": "Nej."})
    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.SUBMITTED


@pytest.mark.usefixtures("ordering")
def test_a_stale_step_is_refused_naming_who_acted_and_saves_nothing(order, officer, browse):
    colleague = member(UserFactory(username="kollega", first_name="Kim", last_name="Kollega"), Role.OFFICER,
                       centre=officer.memberships.first().centre)  # fmt: skip
    stale_version = order.version
    act(order, OrderAction.DECLINE, colleague, text="Ryms inte.")
    response = browse(officer).post(
        order_page(order), {"action": "ask", "ask-version": stale_version, "ask-text": "Fråga?"}
    )
    assert response.status_code == 409
    text = body(response)
    assert "Kim Kollega" in text and "Nothing of yours was saved" in text
    order.refresh_from_db()
    assert (order.status, order.reason, order.question) == (OrderStatus.DECLINED, "Ryms inte.", "")


@pytest.mark.usefixtures("ordering")
def test_a_step_not_possible_in_the_status_is_a_message_not_an_error(order, officer, browse):
    declined = act(order, OrderAction.DECLINE, officer, text="Nej.")
    response = browse(officer).post(
        order_page(order), {"action": "ask", "ask-version": declined.version, "ask-text": "Fråga?"}
    )
    assert response.status_code == 409 and "Nothing was saved" in body(response)
    assert Order.objects.get(pk=order.pk).status == OrderStatus.DECLINED


STEP_ROLES = [
    # role, an officer's step, the department's answer
    ("officer", 302, 403),
    ("plan_admin", 403, 403),
    ("politician", 403, 403),
    ("department_rep", 403, 302),
    ("other_rep", 404, 404),
    ("outsider", 404, 404),
    ("anonymous", 302, 302),
]


@pytest.mark.usefixtures("ordering")
@pytest.mark.parametrize(("role", "officer_step", "answer"), STEP_ROLES)
def test_each_step_is_for_its_role(role, officer_step, answer, cast, browse, order, officer):
    client = browse(cast[role])
    response = step(client, order, "decline", **{"decline-text": "Nej."})
    assert response.status_code == officer_step
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert (Order.objects.get(pk=order.pk).status == OrderStatus.DECLINED) is (role == "officer")
    question = (
        act(Order.objects.get(pk=order.pk), OrderAction.ASK, officer, text="?") if role != "officer" else None
    )
    if question is not None:
        response = step(client, question, "answer", **{"answer-text": "Svar."})
        assert response.status_code == answer
        assert (Order.objects.get(pk=order.pk).status == OrderStatus.ANSWERED) is (role == "department_rep")


@pytest.mark.usefixtures("ordering")
def test_a_post_without_a_known_step_is_refused_with_a_message(order, officer, politician, browse):
    assert browse(officer).post(order_page(order), {"action": "explode"}).status_code == 400
    assert browse(politician).post(order_page(order), {"action": "explode"}).status_code == 403


def test_no_step_after_adoption(adopted_plan, serv, department_rep, officer, browse):
    with time_machine.travel(date(2016, 3, 1), tick=False):
        old = place(adopted_plan, serv, department_rep)
    response = step(browse(officer), old, "decline", **{"decline-text": "Nej."})
    assert response.status_code == 403


# --- Changing an order ----------------------------------------------------------------------------------

EDIT_ROLES = [
    ("officer", 403),
    ("plan_admin", 403),
    ("politician", 403),
    ("department_rep", 200),
    ("other_rep", 404),
    ("outsider", 404),
    ("anonymous", 302),
]


@pytest.mark.usefixtures("ordering")
@pytest.mark.parametrize(("role", "status"), EDIT_ROLES)
def test_only_the_ordering_department_changes_its_order(role, status, cast, browse, order):
    client = browse(cast[role])
    edit = url("plans:order_edit", order.plan, order=order.pk)
    assert client.get(edit).status_code == status
    response = client.post(edit, form_data(title="Ändrad titel", version=order.version))
    assert response.status_code == (302 if role == "department_rep" else status)
    assert (Order.objects.get(pk=order.pk).title == "Ändrad titel") is (role == "department_rep")


@pytest.mark.usefixtures("ordering")
def test_a_stale_edit_is_refused_and_saves_nothing(order, department_rep, browse):
    edit = url("plans:order_edit", order.plan, order=order.pk)
    client = browse(department_rep)
    client.post(edit, form_data(title="Först", version=order.version))
    response = client.post(edit, form_data(title="Sedan", version=order.version))
    assert response.status_code == 200 and "Nothing of yours was saved" in body(response)
    assert Order.objects.get(pk=order.pk).title == "Först"


@pytest.mark.usefixtures("ordering")
def test_a_bad_edit_shows_the_error_beside_the_field(order, department_rep, browse):
    edit = url("plans:order_edit", order.plan, order=order.pk)
    response = browse(department_rep).post(
        edit, form_data(new_need="on", current_contract_ends="2027-01-31", version=order.version)
    )
    assert response.status_code == 200 and 'id="id_new_need_error"' in body(response)
    assert Order.objects.get(pk=order.pk).version == order.version


@pytest.mark.usefixtures("ordering")
def test_an_accepted_order_is_not_editable_and_points_to_the_procurement(
    order, officer, department_rep, browse
):
    accepted = act(
        order,
        OrderAction.ACCEPT,
        officer,
        procurement_data={"ref": "2027-101", "procedure": "open", "planned_advertisement": date(2027, 3, 1)},
    )
    client = browse(department_rep)
    edit = url("plans:order_edit", order.plan, order=order.pk)
    response = client.get(edit, follow=True)
    text = body(response)
    assert response.redirect_chain[-1][0] == order_page(order)
    assert "changes go as comments on the procurement" in text
    assert accepted.procurement.get_absolute_url() in text
    client.post(edit, form_data(title="Ändrad", version=accepted.version))
    assert Order.objects.get(pk=order.pk).title == NEED["title"]


def test_after_the_window_the_order_is_read_only_but_a_question_is_answered_and_editable(
    order, officer, department_rep, browse
):
    edit = url("plans:order_edit", order.plan, order=order.pk)
    client = browse(department_rep)
    with time_machine.travel(REMISS_DAY, tick=False):
        assert client.get(edit).status_code == 302
        client.post(edit, form_data(title="Ändrad", version=order.version))
        assert Order.objects.get(pk=order.pk).title == NEED["title"]
        asked = act(order, OrderAction.ASK, officer, text="Vad menas?")
        assert client.get(edit).status_code == 200
        client.post(edit, form_data(title="Förtydligad", version=asked.version))
        assert Order.objects.get(pk=order.pk).title == "Förtydligad"


# --- Confidentiality -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("ordering")
def test_a_confidential_order_shows_its_value_and_need_to_the_centre_and_its_department_only(
    falun_plan, serv, department_rep, cast, browse
):
    secret = place(falun_plan, serv, department_rep, confidential=True, need=SECRET_NEED,
                   estimated_value_sek=SECRET_VALUE, estimation_basis="Offert 7123457")  # fmt: skip
    may_see = {"officer", "plan_admin", "department_rep"}
    for role in ("officer", "plan_admin", "politician", "department_rep", "other_rep"):
        client = browse(cast[role])
        detail = client.get(order_page(secret))
        if role == "other_rep":  # another department's order: not theirs to read at all
            assert detail.status_code == 404
        for response in (detail, client.get(url("plans:orders", falun_plan))):
            text = body(response).replace("\u00a0", " ")
            value_shown = "7 123 457" in text or "7,123,457" in text
            assert value_shown is (role in may_see), role
            assert "7123457" not in text or role in may_see  # the estimation basis neither
        assert (SECRET_NEED in body(detail)) is (role in may_see)
        if role == "politician":
            assert "Confidential" in body(detail)


def test_the_order_page_shows_the_cpv_label_beside_the_code(order, officer, browse):
    Order.objects.filter(pk=order.pk).update(cpv="18100000")
    page = body(browse(officer).get(order_page(order)))
    assert '18100000 <span class="muted" lang="en">Occupational clothing' in page
