"""Writes to plans and procurements: each a function with keyword-only arguments, one transaction each."""

from django.db import transaction

from plans.models import HistoryEntry, Order, OrderEvent, Plan, Procurement, StrategicFlag
from plans.orders.rules import OrderStatus
from plans.register import history
from plans.register.history import readable


class StaleEdit(Exception):
    """The procurement was saved by someone else after the editor loaded it."""

    def __init__(self, current: Procurement):
        super().__init__(f"{current.ref} is at version {current.version}")
        self.current = current


EDITABLE_FIELDS_FOR_HISTORY = (
    "department",
    "officer",
)


def _comparable(procurement: Procurement, names) -> dict:
    return {
        name: readable(getattr(procurement, name))
        if name in EDITABLE_FIELDS_FOR_HISTORY
        else getattr(procurement, name)
        for name in names
    }


@transaction.atomic
def procurement_create(*, plan: Plan, data: dict, user) -> Procurement:
    procurement = Procurement(plan=plan, **data)
    procurement.save()
    history.record(plan=plan, procurement=procurement, user=user, action=HistoryEntry.Action.CREATED)
    return procurement


@transaction.atomic
def procurement_update(*, procurement: Procurement, data: dict, expected_version: int, user) -> Procurement:
    """Save the edited fields, unless someone saved the procurement after the editor loaded it.

    expected_version is the version the editor's form was built from; if the stored one has moved on,
    StaleEdit is raised and nothing is written.
    """
    current = Procurement.objects.select_for_update().get(pk=procurement.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    before = _comparable(current, data)
    for name, value in data.items():
        setattr(current, name, value)
    changes = history.field_changes(before, _comparable(current, data))
    if changes:
        current.version += 1
        current.save()
        history.record(
            plan=current.plan,
            procurement=current,
            user=user,
            action=HistoryEntry.Action.CHANGED,
            changes=changes,
        )
    return current


@transaction.atomic
def procurement_delete(*, procurement: Procurement, user) -> None:
    """Remove a procurement. The orders it was made from go back to the officers' queue (submitted),
    each with an event saying so, rather than pointing at nothing."""
    for order in Order.objects.select_for_update().filter(procurement=procurement):
        order.status, order.procurement = OrderStatus.SUBMITTED, None
        order.version += 1
        order.save()
        OrderEvent.objects.create(
            order=order, action=OrderEvent.Action.RETURNED, user=user, text=procurement.ref
        )
    history.record(
        plan=procurement.plan,
        ref=procurement.ref,
        user=user,
        action=HistoryEntry.Action.DELETED,
        note=procurement.title,
    )
    procurement.delete()


@transaction.atomic
def procurement_flag(*, procurement: Procurement, flagged: bool, reason: str, user) -> StrategicFlag:
    """Flag a procurement strategic, or remove the flag, with a reason; it is rescored at once."""
    current = Procurement.objects.select_for_update().select_related("plan").get(pk=procurement.pk)
    flag = StrategicFlag.objects.create(
        procurement=current, flagged=flagged, reason=reason.strip(), user=user
    )
    current.flagged_strategic = flagged
    current.save(update_fields=["flagged_strategic"])
    history.record(
        plan=current.plan,
        procurement=current,
        user=user,
        action=HistoryEntry.Action.FLAGGED if flagged else HistoryEntry.Action.UNFLAGGED,
        note=flag.reason,
    )
    return flag
