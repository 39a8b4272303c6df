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


def test_deleting_a_procurement_sends_its_orders_back_to_the_queue(
    placed, officer, falun_plan, run_on_commit
):
    from plans.register.services import procurement_delete

    accepted = act(placed, OrderAction.ACCEPT, officer, procurement_data=TAKE_IN)
    procurement_delete(procurement=accepted.procurement, user=officer)
    back = Order.objects.get(pk=placed.pk)
    assert (back.status, back.procurement) == (OrderStatus.SUBMITTED, None)
    assert back.events.last().action == "returned"
    falun_plan.delete()  # the plan takes its orders and procurements with it
    assert not Order.objects.exists()


def test_a_confidential_order_merged_into_a_public_procurement_makes_it_confidential(
    placed, officer, falun_plan, serv
):
    Order.objects.filter(pk=placed.pk).update(confidential=True)
    placed.refresh_from_db()
    existing = ProcurementFactory(plan=falun_plan, department=serv, estimated_value_sek=1_000_000)
    act(placed, OrderAction.MERGE, officer, into=existing, into_version=existing.version)
    existing.refresh_from_db()
    assert existing.confidential and existing.estimated_value_sek == 3_600_000
    change = existing.history.get(action=HistoryEntry.Action.CHANGED).changes
    assert change["confidential"] == ["0", "1"]  # so the entry's values are secret to non-staff


@pytest.mark.parametrize(
    ("take_in", "order_fields", "field"),
    [
        (TAKE_IN, {"cpv": ""}, "cpv"),  # the order had none and the officer gave none
        ({**TAKE_IN, "ref": "review"}, {}, "ref"),  # a reserved address
        ({key: value for key, value in TAKE_IN.items() if key != "planned_advertisement"}, {}, None),
        ({**TAKE_IN, "planned_advertisement": date(2028, 1, 1)}, {}, "planned_advertisement"),
    ],
)
def test_an_acceptance_is_checked_as_any_procurement_and_writes_nothing_when_wrong(
    placed, officer, take_in, order_fields, field
):
    from django.core.exceptions import ValidationError

    Order.objects.filter(pk=placed.pk).update(**order_fields)
    placed.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        act(placed, OrderAction.ACCEPT, officer, procurement_data=take_in)
    if field:
        assert field in refused.value.message_dict
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.SUBMITTED
    assert not Procurement.objects.exists()


def test_a_taken_ref_is_refused_when_accepting(placed, officer, falun_plan, serv):
    from django.core.exceptions import ValidationError

    ProcurementFactory(plan=falun_plan, department=serv, ref=TAKE_IN["ref"])
    with pytest.raises(ValidationError):
        act(placed, OrderAction.ACCEPT, officer, procurement_data=TAKE_IN)
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.SUBMITTED


def test_a_ref_taken_between_the_check_and_the_insert_is_refused_beside_the_ref(
    placed, officer, falun_plan, serv, monkeypatch
):
    """Another officer's accept (or a procurement made by hand) can take the ref after this one's check:
    the unique constraint then refuses it, and the officer is told as for any taken ref, never a 500."""
    from django.core.exceptions import ValidationError

    ProcurementFactory(plan=falun_plan, department=serv, ref=TAKE_IN["ref"])
    monkeypatch.setattr(Procurement, "full_clean", lambda self, *args, **kwargs: None)  # the check passed
    with pytest.raises(ValidationError) as refused:
        act(placed, OrderAction.ACCEPT, officer, procurement_data=TAKE_IN)
    assert "ref" in refused.value.message_dict
    assert Order.objects.get(pk=placed.pk).status == OrderStatus.SUBMITTED
    assert Procurement.objects.filter(plan=falun_plan).count() == 1


def test_a_merge_brings_the_orders_goals_into_the_procurements_history(
    falun, falun_plan, serv, department_rep, officer, run_on_commit
):
    from plans.models import Goal

    goal = Goal.objects.create(municipality=falun, title="Fossilfritt Falun 2035")
    order = order_place(plan=falun_plan, department=serv, data=NEED, user=department_rep, goals=[goal])
    existing = ProcurementFactory(plan=falun_plan, department=serv, estimated_value_sek=1_000_000)
    merged = act(order, OrderAction.MERGE, officer, into=existing, into_version=existing.version)
    assert list(merged.procurement.goals.all()) == [goal]
    changed = merged.procurement.history.filter(action=HistoryEntry.Action.CHANGED).latest("pk").changes
    assert changed["goals"] == ["", "Fossilfritt Falun 2035"]


@pytest.mark.parametrize("action", [OrderAction.ASK, OrderAction.DECLINE])
def test_a_question_or_a_decline_needs_words(placed, officer, action):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        act(placed, action, officer, text="   ")
    assert Order.objects.get(pk=placed.pk).version == 1


def test_a_department_orders_only_on_its_own_municipalitys_plan(falun_plan, borlange, department_rep):
    from django.core.exceptions import ValidationError

    from tests.factories import DepartmentFactory

    foreign = DepartmentFactory(municipality=borlange, code="KLK")
    with pytest.raises(ValidationError):
        order_place(plan=falun_plan, department=foreign, data=NEED, user=department_rep)
    assert not Order.objects.exists()


def test_a_merge_beyond_what_a_plan_holds_is_refused(placed, officer, falun_plan, serv):
    from django.core.exceptions import ValidationError

    existing = ProcurementFactory(plan=falun_plan, department=serv, estimated_value_sek=10**15)
    with pytest.raises(ValidationError):
        act(placed, OrderAction.MERGE, officer, into=existing)
    existing.refresh_from_db()
    assert existing.estimated_value_sek == 10**15


def test_a_goal_of_another_municipality_is_refused(falun_plan, serv, borlange, department_rep):
    from django.core.exceptions import ValidationError

    from plans.models import Goal

    theirs = Goal.objects.create(municipality=borlange, title="Borlänges mål")
    with pytest.raises(ValidationError) as refused:
        order_place(plan=falun_plan, department=serv, data=NEED, user=department_rep, goals=[theirs])
    assert "goals" in refused.value.message_dict and not Order.objects.exists()


@pytest.mark.parametrize(
    "had, expert",
    [
        (("", ""), ("Eva Sakkunnig", "eva@falun.example")),  # none: the order's expert comes along
        (("Bo Berg", ""), ("Bo Berg", "")),  # one named already stays
    ],
)
def test_a_merge_brings_the_orders_expert_only_where_there_is_none(
    placed, officer, falun_plan, serv, had, expert
):
    existing = ProcurementFactory(plan=falun_plan, department=serv, expert_name=had[0], expert_email=had[1])
    merged = act(placed, OrderAction.MERGE, officer, into=existing, into_version=existing.version)
    assert (merged.procurement.expert_name, merged.procurement.expert_email) == expert
