"""
The writes of ordering (issue 14), each one transaction with keyword-only arguments.

- order_place: a department orders. order_update: it changes its order (plans.orders.rules says when).
- order_act: an officer accepts, merges, asks or declines; the department answers a question. The
  order's row is locked and its version compared first: of two officers acting on the same order at
  once, one wins and the other is told (StaleOrder), never both.

Every step is an OrderEvent (who, when, what), and each officer's step is mailed once, through the
outbox, to whoever placed the order.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plans.models import HistoryEntry, Notification, Order, OrderEvent, Procurement
from plans.notify.outbox import link, queue
from plans.orders.access import order_url
from plans.orders.rules import OrderAction, OrderStatus, department_may_edit, status_after
from plans.register import history, validation
from plans.register.services import goals_of_municipality, procurement_create, procurement_update

# What an accepted order carries over to its procurement, field for field.
CARRIED_OVER = (
    "title",
    "category",
    "cpv",
    "estimated_value_sek",
    "duration_months",
    "current_contract_ends",
    "employment_requirement",
    "reserved_contract",
    "labour_conditions",
    "lots",
    "environmental_level",
    "confidential",
    "department",
    "expert_name",
    "expert_email",
)
EVENT_OF = {
    OrderAction.ACCEPT: OrderEvent.Action.ACCEPTED,
    OrderAction.MERGE: OrderEvent.Action.MERGED,
    OrderAction.ASK: OrderEvent.Action.ASKED,
    OrderAction.DECLINE: OrderEvent.Action.DECLINED,
    OrderAction.ANSWER: OrderEvent.Action.ANSWERED,
}


class StaleOrder(Exception):
    """Someone acted on or changed the order after this form was built."""

    def __init__(self, current: Order):
        super().__init__(f"order {current.pk} at version {current.version}")
        self.current = current


# The actions that need words, and what is said when they are missing.
TEXT_NEEDED = {
    OrderAction.ASK: _("Write your question."),
    OrderAction.ANSWER: _("Write your answer."),
    OrderAction.DECLINE: _("Give a reason."),
}


class OrderNotPossible(Exception):
    """The action is not possible in the order's status (e.g. declining an accepted order)."""


@dataclass(frozen=True)
class Decision:
    """What an officer's action needs besides the order: the text of a question or a decline's reason;
    for an acceptance the procurement's own fields (ref, CPV, procedure, planned advertisement …); for a
    merge the procurement it joins and the version of it the officer saw."""

    text: str = ""
    procurement_data: dict | None = None
    into: Procurement | None = None
    into_version: int | None = None


@transaction.atomic
def order_place(*, plan, department, data: dict, user, goals=()) -> Order:
    """goals: the municipality's goals the order serves (the form and the upload offer no others)."""
    order = Order(plan=plan, department=department, ordered_by=user, **data)
    order.full_clean()
    order.save()
    if goals:
        order.goals.add(*goals_of_municipality(goals, plan.municipality_id))
    OrderEvent.objects.create(order=order, action=OrderEvent.Action.SUBMITTED, user=user)
    return order


@transaction.atomic
def order_update(
    *, order: Order, data: dict, expected_version: int, window_open: bool, user, goals=None
) -> Order:
    """The ordering department changes its order, unless an officer has decided on it or the window is
    closed (OrderNotPossible), or someone saved it since the form was built (StaleOrder). goals: the
    goals it now serves; None leaves them as they are."""
    current = Order.objects.select_for_update().get(pk=order.pk)
    if current.version != expected_version:
        raise StaleOrder(current)
    if not department_may_edit(status=current.status, window_open=window_open):
        raise OrderNotPossible(current.status)
    for name, value in data.items():
        setattr(current, name, value)
    current.full_clean()
    current.version += 1
    current.save()
    if goals is not None:
        current.goals.set(goals_of_municipality(goals, current.plan.municipality_id))
    OrderEvent.objects.create(order=current, action=OrderEvent.Action.EDITED, user=user)
    return current


@transaction.atomic
def order_act(*, order: Order, action: str, expected_version: int, user, decision: Decision) -> Order:
    """Take one step with the order; see the module's docstring. Returns the order as saved."""
    current = Order.objects.select_for_update().select_related("plan", "department").get(pk=order.pk)
    if current.version != expected_version:
        raise StaleOrder(current)
    action = OrderAction(action)
    status = status_after(current.status, action)
    if status is None:
        raise OrderNotPossible(f"{action} in {current.status}")
    text = decision.text.strip()
    if action in TEXT_NEEDED and not text:
        raise ValidationError({"text": TEXT_NEEDED[action]})
    if action == OrderAction.ACCEPT:
        current.procurement = _take_in(current, decision.procurement_data or {}, user)
    elif action == OrderAction.MERGE:
        current.procurement = _merge(current, decision, user)
    elif action == OrderAction.ASK:
        current.question, current.answer = text, ""
    elif action == OrderAction.ANSWER:
        current.answer = text
    elif action == OrderAction.DECLINE:
        current.reason = text
    current.status = status
    if action != OrderAction.ANSWER:
        current.handled_by, current.handled_at = user, timezone.now()
    current.version += 1
    current.save()
    OrderEvent.objects.create(order=current, action=EVENT_OF[action], user=user, text=text)
    if action != OrderAction.ANSWER:
        _mail(current, action)
    return current


def _take_in(order: Order, procurement_data: dict, user) -> Procurement:
    """The order becomes a procurement of its plan, scored at once (Procurement.save). It is checked
    as any procurement is first (the ref free and not reserved, a CPV code, a planned advertisement in
    the plan year …): a ValidationError names the fields, for the officer's form."""
    data = {name: getattr(order, name) for name in CARRIED_OVER}
    data["description"] = order.need
    data.update(procurement_data)
    Procurement(plan=order.plan, **data).full_clean()
    data["goals"] = list(order.goals.all())
    try:
        # A savepoint: another officer may have taken the ref since it was checked (an accept of another
        # order, or a procurement made by hand), and the unique constraint is then the one that knows.
        with transaction.atomic():
            procurement = procurement_create(plan=order.plan, data=data, user=user)
    except IntegrityError:
        raise ValidationError(
            {"ref": _("%(ref)s was taken by another procurement just now; choose another.") % data}
        ) from None
    history.record(
        plan=order.plan,
        procurement=procurement,
        user=user,
        action=HistoryEntry.Action.TAKEN_IN,
        note=order.department.name,
    )
    return procurement


def _merge(order: Order, decision: Decision, user) -> Procurement:
    """Several departments ordering the same thing become one procurement: the order's value joins the
    procurement's, through the same versioned edit as any other (a stale one raises StaleEdit)."""
    into = decision.into
    if into is None or into.plan_id != order.plan_id:
        raise OrderNotPossible("a merge needs a procurement of the same plan")
    total = into.estimated_value_sek + order.estimated_value_sek
    if total > validation.MAX_AMOUNT:
        raise ValidationError({"into": _("Together the values would be larger than any plan holds.")})
    merged = procurement_update(
        procurement=into,
        # A confidential order's value must not be readable as the difference of a public total: the
        # procurement it joins becomes confidential too (and its history of the change with it).
        # The order's goals join the procurement's, recorded in its history with the value; its expert
        # becomes the procurement's when that has none (every strategic procurement has its people).
        data={
            "estimated_value_sek": total,
            "confidential": into.confidential or order.confidential,
            "goals": {*into.goals.all(), *order.goals.all()},
            **(
                {"expert_name": order.expert_name, "expert_email": order.expert_email}
                if not (into.expert_name or into.expert_email)
                else {}
            ),
        },
        expected_version=decision.into_version if decision.into_version is not None else into.version,
        user=user,
    )
    history.record(
        plan=order.plan, procurement=merged, user=user, action=HistoryEntry.Action.MERGED, note=order.title
    )
    return merged


def _mail(order: Order, action: OrderAction) -> None:
    if order.ordered_by is None:
        return
    queue(
        user=order.ordered_by,
        kind=Notification.Kind.ORDER,
        occasion=f"order:{order.pk}:{order.version}",
        template="plans/notify/order.txt",
        context={
            "order": order,
            "status": OrderStatus(order.status).label,
            "action": action.value,
            "procurement_url": link(order.procurement.get_absolute_url()) if order.procurement_id else "",
            "plan_url": link(order.plan.get_absolute_url()),
            "order_url": link(order_url(order)),
        },
    )
