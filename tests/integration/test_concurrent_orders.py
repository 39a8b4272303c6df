"""Two officers accept the same order at once, on PostgreSQL: exactly one procurement, the other told."""

from functools import partial

import pytest
from django.db import connection

from plans.models import Order, Procurement
from plans.orders.rules import OrderAction, OrderStatus
from plans.orders.services import Decision, StaleOrder, order_act, order_place
from tests.integration.at_once import at_once
from tests.plans.orders.test_services import NEED, TAKE_IN

pytestmark = pytest.mark.integration
ROUNDS = 5


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrent-writers test needs PostgreSQL's row locks (set DATABASE_URL)")


def accept_at_once(order, users_and_refs) -> list[str]:
    """Each user accepts the order, built from version 1, at the same moment: "accepted" or "told"."""

    def accept(user, ref):
        loaded = Order.objects.get(pk=order.pk)
        decision = Decision(procurement_data={**TAKE_IN, "ref": ref})
        order_act(order=loaded, action=OrderAction.ACCEPT, expected_version=1, user=user, decision=decision)
        return "accepted"

    results = at_once(*(partial(accept, user, ref) for user, ref in users_and_refs), expected=[StaleOrder])
    return sorted("told" if isinstance(result, StaleOrder) else result for result in results)


def test_two_officers_accepting_one_order_make_one_procurement(
    on_postgresql, falun_plan, serv, department_rep, officer, plan_admin
):
    for number in range(ROUNDS):
        order = order_place(plan=falun_plan, department=serv, data=NEED, user=department_rep)
        refs = (f"R{number}-A", f"R{number}-B")
        assert accept_at_once(order, [(officer, refs[0]), (plan_admin, refs[1])]) == ["accepted", "told"]
        assert Procurement.objects.filter(plan=falun_plan, ref__in=refs).count() == 1
        assert Order.objects.get(pk=order.pk).status == OrderStatus.ACCEPTED
