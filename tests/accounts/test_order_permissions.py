"""Who may read, place, answer and take in orders (issue 14): the rules at their edges, no database."""

import pytest

from accounts.permissions import (
    ADOPTED,
    AWAITING_DECISION,
    DRAFT,
    REMISS,
    can_answer_order,
    can_handle_orders,
    can_place_order,
    can_read_orders,
)
from plans.remiss.phases import Phase
from tests.accounts.test_permissions import (
    ANONYMOUS,
    BORLANGE,
    DEPARTMENT_REP,
    FALUN,
    LUDVIKA,
    OFFICER,
    OUTSIDER,
    PLAN_ADMIN,
    POLITICIAN,
)

OWN, OTHER = 10, 11  # DEPARTMENT_REP represents department 10 of Falun


def test_the_rules_phases_are_the_plans_phases():
    """accounts imports nothing from plans: its phase values must be the same strings as Phase's."""
    assert tuple(phase.value for phase in Phase) == (DRAFT, REMISS, AWAITING_DECISION, ADOPTED)


@pytest.mark.parametrize(
    ("access", "reads"),
    [
        (OFFICER, True),
        (PLAN_ADMIN, True),
        (POLITICIAN, True),
        (DEPARTMENT_REP, True),
        (OUTSIDER, False),
        (ANONYMOUS, False),
    ],
)
def test_the_municipality_and_its_centre_read_its_orders(access, reads):
    assert can_read_orders(access, municipality_id=FALUN) is reads
    assert not can_read_orders(access, municipality_id=LUDVIKA) or access is OFFICER


@pytest.mark.parametrize(
    ("access", "department", "window_open", "phase", "may"),
    [
        (DEPARTMENT_REP, OWN, True, DRAFT, True),
        (DEPARTMENT_REP, OWN, False, DRAFT, False),  # outside the window: read-only
        (DEPARTMENT_REP, OTHER, True, DRAFT, False),  # another department's
        (DEPARTMENT_REP, OWN, True, ADOPTED, False),
        (POLITICIAN, OWN, True, DRAFT, False),  # politicians read orders, never write them
        (OFFICER, OWN, True, DRAFT, False),  # officers take orders in; they do not place them
        (PLAN_ADMIN, OWN, True, DRAFT, False),
        (OUTSIDER, OWN, True, DRAFT, False),
        (ANONYMOUS, OWN, True, DRAFT, False),
    ],
)
def test_a_department_orders_for_itself_while_the_window_is_open(access, department, window_open, phase, may):
    assert can_place_order(access, department_id=department, window_open=window_open, phase=phase) is may


@pytest.mark.parametrize(
    ("access", "department", "phase", "may"),
    [
        (DEPARTMENT_REP, OWN, DRAFT, True),
        (DEPARTMENT_REP, OWN, REMISS, True),  # an officer's question may come after the window
        (DEPARTMENT_REP, OTHER, DRAFT, False),
        (DEPARTMENT_REP, OWN, ADOPTED, False),
        (POLITICIAN, OWN, DRAFT, False),
        (OFFICER, OWN, DRAFT, False),
    ],
)
def test_the_ordering_department_answers_a_question(access, department, phase, may):
    assert can_answer_order(access, department_id=department, phase=phase) is may


@pytest.mark.parametrize(
    ("access", "municipality", "phase", "may"),
    [
        (OFFICER, FALUN, DRAFT, True),
        (OFFICER, FALUN, REMISS, True),
        (OFFICER, FALUN, AWAITING_DECISION, True),
        (OFFICER, FALUN, ADOPTED, False),
        (OFFICER, BORLANGE, DRAFT, True),
        (OFFICER, LUDVIKA, DRAFT, False),  # a municipality the centre does not serve
        (PLAN_ADMIN, FALUN, DRAFT, False),
        (POLITICIAN, FALUN, DRAFT, False),
        (DEPARTMENT_REP, FALUN, DRAFT, False),
        (ANONYMOUS, FALUN, DRAFT, False),
    ],
)
def test_officers_take_orders_in_until_the_plan_is_adopted(access, municipality, phase, may):
    assert can_handle_orders(access, municipality_id=municipality, phase=phase) is may
