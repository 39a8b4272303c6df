"""The order's table and the plan's order window (issue 14)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from plans.models import Order
from tests.factories import ProcurementFactory


def test_a_plan_orders_in_the_default_window_unless_it_has_its_own(falun_plan):
    assert falun_plan.order_window(date(2026, 3, 1)).open
    assert (falun_plan.order_window().starts, falun_plan.order_window().ends) == (
        date(2026, 2, 1),
        date(2026, 5, 31),
    )
    falun_plan.order_starts, falun_plan.order_ends = date(2026, 1, 10), date(2026, 3, 15)
    assert not falun_plan.order_window(date(2026, 3, 16)).open
    assert falun_plan.order_window(date(2026, 1, 10)).open


def order(plan, department, **fields):
    values = {
        "plan": plan,
        "department": department,
        "title": "Arbetskläder",
        "need": "Kläder för hemtjänsten",
        "category": "goods",
        "estimated_value_sek": 1_200_000,
        "duration_months": 24,
    }
    return Order(**(values | fields))


@pytest.mark.parametrize(
    ("status", "with_procurement", "stored"),
    [
        ("submitted", False, True),
        ("declined", False, True),
        ("accepted", True, True),
        ("merged", True, True),
        ("accepted", False, False),  # taken in, but into nothing
        ("submitted", True, False),  # not taken in, yet pointing at a procurement
    ],
)
def test_an_order_names_its_procurement_exactly_when_it_was_taken_in(
    falun_plan, serv, status, with_procurement, stored
):
    procurement = ProcurementFactory(plan=falun_plan, department=serv) if with_procurement else None
    made = order(falun_plan, serv, status=status, procurement=procurement)
    if stored:
        made.save()
        assert Order.objects.filter(pk=made.pk).exists()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            made.save()


@pytest.mark.parametrize(("months", "stored"), [(1, True), (120, True), (0, False), (121, False)])
def test_an_orders_contract_period_is_1_to_120_months_in_the_database_too(falun_plan, serv, months, stored):
    made = order(falun_plan, serv, duration_months=months)
    if stored:
        made.save()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            made.save()
