"""The readable record of decisions and changes: who, when, what, from what to what."""

from plans.models import HistoryEntry
from plans.remiss.snapshots import as_text


def record(*, plan, action, user=None, procurement=None, ref="", changes=None, note=""):
    changes = dict(changes or {})
    if note:
        changes["note"] = note
    return HistoryEntry.objects.create(
        plan=plan,
        procurement=procurement,
        ref=ref or (procurement.ref if procurement else ""),
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        changes=changes,
    )


def field_changes(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields whose text differs."""
    return {
        name: [as_text(before.get(name)), as_text(value)]
        for name, value in after.items()
        if as_text(before.get(name)) != as_text(value)
    }


def readable(value) -> str:
    """A model instance as people know it (a department by its name, a user by theirs)."""
    return "" if value is None else str(value)


# The actions that write a procurement's fields and so make a new version of it.
SAVING_ACTIONS = (
    HistoryEntry.Action.CREATED,
    HistoryEntry.Action.CHANGED,
    HistoryEntry.Action.IMPORTED,
    HistoryEntry.Action.ASSIGNED,  # the capacity page's assignment (issue 16) is a versioned save too
)


def last_saved(procurement) -> HistoryEntry | None:
    """The entry of the procurement's newest saved version: who saved it and when (for a stale edit)."""
    return procurement.history.filter(action__in=SAVING_ACTIONS).select_related("user").first()
