"""The order rules at their edges (issue 14): the window, the statuses an action leads to, and when the
department may still edit its order. Plain values, no database."""

from datetime import date

import pytest

from plans.orders.rules import (
    DECIDED,
    OrderAction,
    OrderStatus,
    default_order_window,
    department_may_edit,
    order_window,
    status_after,
)

S, Q, A = OrderStatus.SUBMITTED, OrderStatus.QUESTION, OrderStatus.ANSWERED
ACCEPTED, MERGED, DECLINED = OrderStatus.ACCEPTED, OrderStatus.MERGED, OrderStatus.DECLINED

# status → {action: the status it leads to}; an action missing from a row is not possible there.
TRANSITIONS = {
    S: {"accept": ACCEPTED, "merge": MERGED, "ask": Q, "decline": DECLINED},
    A: {"accept": ACCEPTED, "merge": MERGED, "ask": Q, "decline": DECLINED},
    Q: {"answer": A},
    ACCEPTED: {},
    MERGED: {},
    DECLINED: {},
}


@pytest.mark.parametrize("status", list(OrderStatus))
@pytest.mark.parametrize("action", list(OrderAction))
def test_every_status_and_action(status, action):
    assert status_after(status, action) == TRANSITIONS[status].get(action)


def test_a_decision_is_final():
    assert all(status_after(status, action) is None for status in DECIDED for action in OrderAction)


def test_the_default_window_is_february_to_may_of_the_year_before():
    assert default_order_window(2028) == (date(2027, 2, 1), date(2027, 5, 31))


STARTS, ENDS = date(2026, 2, 1), date(2026, 5, 31)


@pytest.mark.parametrize(
    ("today", "is_open", "days_left"),
    [
        (date(2026, 1, 31), False, 1),  # opens tomorrow
        (STARTS, True, 119),
        (date(2026, 5, 30), True, 1),
        (ENDS, True, 0),  # the last day is inside
        (date(2026, 6, 1), False, None),  # closed
    ],
)
def test_the_window_is_open_from_its_first_to_its_last_day(today, is_open, days_left):
    window = order_window(today=today, starts=STARTS, ends=ENDS)
    assert (window.open, window.days_left) == (is_open, days_left)


@pytest.mark.parametrize(
    ("status", "window_open", "may"),
    [
        (S, True, True),
        (S, False, False),  # outside the window: read-only to the department
        (A, True, True),
        (A, False, False),
        (Q, True, True),
        (Q, False, True),  # answering a question is editing, window or not
        (ACCEPTED, True, False),  # changes go as comments on the procurement
        (MERGED, True, False),
        (DECLINED, True, False),
    ],
)
def test_the_department_edits_until_an_officer_has_decided(status, window_open, may):
    assert department_may_edit(status=status, window_open=window_open) is may


def test_the_statuses_read_in_swedish():
    from django.utils import translation

    with translation.override("sv"):
        assert str(OrderStatus.QUESTION.label) == "Fråga ställd"
