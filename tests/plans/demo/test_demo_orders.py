"""The demo's orders (issue 14): next year's Falun plan was ordered by its departments in the spring, and
every status of an order is there, with its goals, its experts and its way through the officers."""

from datetime import date

import pytest
import time_machine

from plans.demo import load_demo
from plans.models import HistoryEntry, Notification, Order, Procurement
from plans.orders.rules import OrderStatus, default_order_window

TODAY = date(2026, 9, 15)  # the coming year's plan (2027) is on remiss; its orders came February – May


@pytest.fixture
def demo(db):
    with time_machine.travel(TODAY, tick=False):
        load_demo(today=TODAY)
    return Order.objects.filter(plan__municipality__slug="falun", plan__year=2027)


def test_every_status_of_an_order_occurs_in_the_demo(demo):
    assert {order.status for order in demo} == {status.value for status in OrderStatus}


def test_the_orders_come_from_several_departments_through_their_representatives(demo):
    assert len({order.department.code for order in demo}) >= 3
    for order in demo.select_related("ordered_by", "department"):
        assert order.ordered_by.memberships.filter(department=order.department).exists()


def test_every_order_names_its_expert_and_most_serve_goals(demo):
    assert all(order.expert_name and order.expert_email.endswith("@falun.example") for order in demo)
    served = demo.filter(goals__isnull=False).distinct()
    assert served.count() >= 4
    assert {goal.municipality.slug for order in served for goal in order.goals.all()} == {"falun"}


def test_the_orders_were_placed_and_handled_in_the_order_window(demo):
    starts, ends = default_order_window(2027)
    for order in demo.prefetch_related("events"):
        assert starts <= order.created_at.date() <= ends
        times = [event.created_at for event in order.events.all()]
        assert times == sorted(times) and times[0] == order.created_at
        if order.handled_at is not None:
            assert order.created_at < order.handled_at


def test_an_accepted_order_is_a_procurement_of_the_plan_with_its_expert_goals_and_history(demo):
    accepted = demo.get(status=OrderStatus.ACCEPTED)
    procurement = accepted.procurement
    assert procurement.plan == accepted.plan and procurement.title == accepted.title
    assert (procurement.expert_name, procurement.department) == (accepted.expert_name, accepted.department)
    assert set(procurement.goals.all()) == set(accepted.goals.all())
    assert procurement.history.filter(action=HistoryEntry.Action.TAKEN_IN).exists()
    assert [event.action for event in accepted.events.all()] == ["submitted", "accepted"]


def test_a_merged_order_joined_a_procurement_of_another_department(demo):
    merged = demo.get(status=OrderStatus.MERGED)
    assert merged.procurement.department != merged.department
    assert merged.procurement.history.filter(action=HistoryEntry.Action.MERGED).exists()


def test_questions_answers_and_the_decline_have_their_words(demo):
    assert all(order.question for order in demo.filter(status__in=["question", "answered"]))
    assert all(order.answer for order in demo.filter(status="answered"))
    assert not any(order.answer for order in demo.filter(status="question"))
    assert demo.get(status=OrderStatus.DECLINED).reason


def test_a_few_procurements_already_in_the_plan_name_their_expert(demo):
    named = Procurement.objects.filter(plan__municipality__slug="falun", plan__year=2027).exclude(
        expert_name=""
    )
    assert named.filter(orders__isnull=True).count() >= 2


def test_the_springs_mails_are_not_sent_again(demo):
    assert not Notification.objects.filter(kind=Notification.Kind.ORDER).exists()
