"""Ordering's writes (issue 14): every step attributed and time-stamped, officers' steps mailed once,
an accepted order a scored procurement with its fields, a merge summing the values; a stale or
impossible step refused and nothing written."""

from datetime import date

import pytest
from django.core import mail

from plans.models import HistoryEntry, Order, Procurement
from plans.orders.rules import OrderAction, OrderStatus
from plans.orders.services import (
    Decision,
    OrderNotPossible,
    StaleOrder,
    order_act,
    order_place,
    order_update,
)
from tests.factories import ProcurementFactory

NEED = {
    "title": "Arbetskläder hemtjänsten",
    "need": "Kläder som tål tvätt i 90 grader.",
    "category": "goods",
    "cpv": "18100000",
    "estimated_value_sek": 2_600_000,
    "duration_months": 48,
    "employment_requirement": True,
    "expert_name": "Eva Sakkunnig",
    "expert_email": "eva@falun.example",
}
TAKE_IN = {
    "ref": "2027-101",
    "procedure": "open",
    "planned_advertisement": date(2027, 3, 1),
}


@pytest.fixture
def placed(falun_plan, serv, department_rep, run_on_commit):
    return order_place(plan=falun_plan, department=serv, data=NEED, user=department_rep)


def act(order, action, user, **decision):
    return order_act(
        order=order, action=action, expected_version=order.version, user=user, decision=Decision(**decision)
    )


def test_an_accepted_order_becomes_a_scored_procurement_with_its_fields(placed, officer, run_on_commit):
    accepted = run_on_commit(act, placed, OrderAction.ACCEPT, officer, procurement_data=TAKE_IN)
    procurement = accepted.procurement
    assert accepted.status == OrderStatus.ACCEPTED and accepted.handled_by == officer
    assert (procurement.title, procurement.estimated_value_sek, procurement.department) == (
        NEED["title"],
        2_600_000,
        placed.department,
    )
    assert procurement.description == NEED["need"] and procurement.employment_requirement
    assert (procurement.economic_score, procurement.social_score) == (2, 2)  # scored at once
    assert procurement.history.filter(action=HistoryEntry.Action.TAKEN_IN).exists()
    assert [event.action for event in accepted.events.all()] == ["submitted", "accepted"]
    assert [message.to for message in mail.outbox] == [[placed.ordered_by.email]]
    assert NEED["title"] in mail.outbox[0].subject


def test_a_merge_sums_the_values_into_one_procurement(placed, officer, falun_plan, serv, run_on_commit):
    existing = ProcurementFactory(plan=falun_plan, department=serv, estimated_value_sek=1_000_000)
    merged = act(placed, OrderAction.MERGE, officer, into=existing, into_version=existing.version)
    existing.refresh_from_db()
    assert merged.status == OrderStatus.MERGED and merged.procurement == existing
    assert existing.estimated_value_sek == 3_600_000 and existing.version == 2
    assert list(existing.orders.all()) == [merged]


def test_a_question_goes_back_and_the_answer_resubmits_it(placed, officer, department_rep, run_on_commit):
    asked = run_on_commit(act, placed, OrderAction.ASK, officer, text="Hur många anställda?")
    assert (asked.status, asked.question) == (OrderStatus.QUESTION, "Hur många anställda?")
    answered = act(asked, OrderAction.ANSWER, department_rep, text="Ungefär 400.")
    assert (answered.status, answered.answer) == (OrderStatus.ANSWERED, "Ungefär 400.")
    assert [event.action for event in answered.events.all()] == ["submitted", "asked", "answered"]
    assert len(mail.outbox) == 1  # the officer's question is mailed; the department's own answer is not


def test_a_step_from_a_stale_form_is_refused_and_writes_nothing(placed, officer, run_on_commit):
    act(placed, OrderAction.ASK, officer, text="Fråga")
    with pytest.raises(StaleOrder):
        act(placed, OrderAction.DECLINE, officer, text="Nej")  # built from version 1, now 2
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.QUESTION


@pytest.mark.parametrize("action", [OrderAction.DECLINE, OrderAction.ACCEPT, OrderAction.ASK])
def test_a_decision_is_final(placed, officer, action, run_on_commit):
    declined = act(placed, OrderAction.DECLINE, officer, text="Ryms inte i ramen")
    with pytest.raises(OrderNotPossible):
        act(declined, action, officer, text="igen", procurement_data=TAKE_IN)
    assert not Procurement.objects.filter(ref=TAKE_IN["ref"]).exists()


def test_a_merge_into_another_plans_procurement_is_not_possible(placed, officer, adopted_plan, serv):
    elsewhere = ProcurementFactory(plan=adopted_plan, department=serv)
    with pytest.raises(OrderNotPossible):
        act(placed, OrderAction.MERGE, officer, into=elsewhere)
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.SUBMITTED


@pytest.mark.parametrize(
    ("status", "window_open", "allowed"),
    [("submitted", True, True), ("submitted", False, False), ("declined", True, False)],
)
def test_the_department_changes_its_order_while_it_may(placed, department_rep, status, window_open, allowed):
    Order.objects.filter(pk=placed.pk).update(status=status)
    placed.refresh_from_db()
    change = {"title": "Arbetskläder och skor"}
    if allowed:
        saved = order_update(
            order=placed, data=change, expected_version=1, window_open=window_open, user=department_rep
        )
        assert (saved.title, saved.version) == ("Arbetskläder och skor", 2)
    else:
        with pytest.raises(OrderNotPossible):
            order_update(
                order=placed, data=change, expected_version=1, window_open=window_open, user=department_rep
            )
        assert Order.objects.get(pk=placed.pk).title == NEED["title"]
