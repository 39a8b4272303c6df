"""
Orders (beställningar): how the municipality's departments order the procurements of next year's plan,
as plain rules on plain values (issue 14). No ORM, no request.

1. The order window: by default 1 February – 31 May of the year before the plan year (the remiss
   follows in August). A plan administrator may move it; both days are inside.
2. A department representative places and edits their own department's orders while the window is
   open, until an officer has decided on the order. Outside the window the orders are read-only to the
   department; officers may still take orders in.
3. What may happen to an order, by whom:
   - submitted or answered → accepted (it becomes a procurement of the plan), merged (into an existing
     procurement), declined (with a reason) or question (an officer asks for more information): officers;
   - question → answered: the ordering department, which answers and so resubmits it.
   Accepted, merged and declined are decisions: nothing follows them.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class OrderStatus(StrEnum):
    # The department has ordered it; waiting for an officer.
    SUBMITTED = "submitted"
    # An officer has asked the department for more information.
    QUESTION = "question"
    # The department has answered the question: waiting for an officer again.
    ANSWERED = "answered"
    # An officer took it into the plan as a procurement of its own.
    ACCEPTED = "accepted"
    # An officer joined it to a procurement already in the plan (several departments order the same).
    MERGED = "merged"
    # An officer declined it, with a reason.
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    OrderStatus.SUBMITTED: _("Submitted"),
    OrderStatus.QUESTION: _("Question asked"),
    OrderStatus.ANSWERED: _("Answered"),
    OrderStatus.ACCEPTED: _("Accepted"),
    OrderStatus.MERGED: _("Merged"),
    OrderStatus.DECLINED: _("Declined"),
}


class OrderAction(StrEnum):
    ACCEPT = "accept"
    MERGE = "merge"
    ASK = "ask"
    DECLINE = "decline"
    ANSWER = "answer"


# The officers' actions; the ordering department's one is answering.
OFFICER_ACTIONS = frozenset({OrderAction.ACCEPT, OrderAction.MERGE, OrderAction.ASK, OrderAction.DECLINE})

WAITING_FOR_OFFICER = frozenset({OrderStatus.SUBMITTED, OrderStatus.ANSWERED})
DECIDED = frozenset({OrderStatus.ACCEPTED, OrderStatus.MERGED, OrderStatus.DECLINED})

_AFTER = {
    OrderAction.ACCEPT: OrderStatus.ACCEPTED,
    OrderAction.MERGE: OrderStatus.MERGED,
    OrderAction.ASK: OrderStatus.QUESTION,
    OrderAction.DECLINE: OrderStatus.DECLINED,
}


def status_after(status: str, action: str) -> OrderStatus | None:
    """The status an action leads to, or None when the action is not possible in this status."""
    status, action = OrderStatus(status), OrderAction(action)
    if action in OFFICER_ACTIONS:
        return _AFTER[action] if status in WAITING_FOR_OFFICER else None
    if action == OrderAction.ANSWER:
        return OrderStatus.ANSWERED if status == OrderStatus.QUESTION else None
    return None


def default_order_window(plan_year: int) -> tuple[date, date]:
    """1 February – 31 May of the year before the plan year."""
    return date(plan_year - 1, 2, 1), date(plan_year - 1, 5, 31)


@dataclass(frozen=True)
class OrderWindow:
    starts: date
    ends: date
    # Open today: both the first and the last day count.
    open: bool
    # Days until it opens (before) or until its last day (open, 0 on the last day); None after it.
    days_left: int | None


def order_window(*, today: date, starts: date, ends: date) -> OrderWindow:
    if today < starts:
        return OrderWindow(starts, ends, False, (starts - today).days)
    if today <= ends:
        return OrderWindow(starts, ends, True, (ends - today).days)
    return OrderWindow(starts, ends, False, None)


def department_may_edit(*, status: str, window_open: bool) -> bool:
    """The ordering department edits its order while the window is open and no officer has decided on
    it; an order with a question waiting is edited as the answer is written, window or not."""
    status = OrderStatus(status)
    if status == OrderStatus.QUESTION:
        return True
    return window_open and status in WAITING_FOR_OFFICER
