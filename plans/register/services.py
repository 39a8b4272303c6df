"""Writes to plans and procurements: each a function with keyword-only arguments, one transaction each."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from plans.centre import coordination
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


def goal_titles(goals) -> str:
    """The goals as the history shows them: their titles in a fixed order, so equal sets read the same."""
    return ", ".join(sorted(goal.title for goal in goals))


def goals_of_municipality(goals, municipality_id: int) -> list:
    """The goals as a list, if every one is the municipality's; a ValidationError names the field if not
    (the forms offer no others: this holds for every other caller too)."""
    goals = list(goals)
    if any(goal.municipality_id != municipality_id for goal in goals):
        raise ValidationError({"goals": _("A goal must be one of the municipality's own.")})
    return goals


@transaction.atomic
def procurement_create(*, plan: Plan, data: dict, user) -> Procurement:
    """A new procurement of the plan; data may name its goals (any iterable of Goal, or omitted)."""
    data = dict(data)
    goals = data.pop("goals", None)
    if goals is not None:
        goals = goals_of_municipality(goals, plan.municipality_id)
    procurement = Procurement(plan=plan, **data)
    procurement.save()
    if goals is not None:
        procurement.goals.set(goals)
    history.record(plan=plan, procurement=procurement, user=user, action=HistoryEntry.Action.CREATED)
    return procurement


@transaction.atomic
def procurement_update(*, procurement: Procurement, data: dict, expected_version: int, user) -> Procurement:
    """Save the edited fields, unless someone saved the procurement after the editor loaded it.

    expected_version is the version the editor's form was built from; if the stored one has moved on,
    StaleEdit is raised and nothing is written.
    """
    # A coordinated procurement's group is locked first, as the coordination services lock it (issue 16).
    groups = coordination.lock_groups([procurement])
    current = Procurement.objects.select_for_update().get(pk=procurement.pk)
    if current.version != expected_version:
        raise StaleEdit(current)
    data = dict(data)
    # The goals are a many-to-many relation: compared by their ids, recorded by their titles.
    goals = data.pop("goals", None)
    before = _comparable(current, data)
    for name, value in data.items():
        setattr(current, name, value)
    changes = history.field_changes(before, _comparable(current, data))
    if goals is not None:
        goals = goals_of_municipality(goals, current.plan.municipality_id)
        had = list(current.goals.all())
        if {goal.pk for goal in had} != {goal.pk for goal in goals}:
            changes["goals"] = [goal_titles(had), goal_titles(goals)]
            current.goals.set(goals)
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
        if "estimated_value_sek" in changes and current.coordination_id:
            coordination.refresh_groups([*groups, current.coordination_id], user=user)
            current.refresh_from_db()
    return current


@transaction.atomic
def procurement_delete(*, procurement: Procurement, user) -> None:
    """Remove a procurement. The orders it was made from go back to the officers' queue (submitted),
    each with an event saying so, rather than pointing at nothing. A coordinated one leaves its group
    (issue 16): the others are refreshed, and the group dissolved if fewer than two remain."""
    groups = coordination.lock_groups([procurement])
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
    if groups:
        coordination.refresh_groups(groups, user=user, gone=procurement.plan.municipality.name)


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
