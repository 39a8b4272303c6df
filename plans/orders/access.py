"""
Who sees which orders of a plan, and the one place the orders' pages find them (issue 14).

- The centre's staff and the municipality's politicians read all the plan's orders; the officers
  handle them (politicians read, never write).
- A department representative reads the orders of their own departments only: another department's
  order is a 404, as a guessed address of another municipality's is.
- Anyone else who may see the plan (an adopted plan is public) is refused the orders (403).
"""

from dataclasses import dataclass
from functools import cached_property

from django.http import Http404
from django.urls import reverse

from accounts.models import Department
from accounts.permissions import (
    can_answer_order,
    can_handle_orders,
    can_place_order,
    can_read_every_order,
    can_read_orders,
)
from plans.models import Order
from plans.orders.rules import department_may_edit
from plans.register.access import PlanAccess, plan_access
from plans.register.disclosure import OrderDisclosure


@dataclass
class OrderAccess:
    pa: PlanAccess

    @property
    def plan(self):
        return self.pa.plan

    @property
    def phase(self) -> str:
        return self.pa.status.phase

    @property
    def window(self):
        return self.pa.order_window

    @cached_property
    def can_read(self) -> bool:
        return can_read_orders(self.pa.access, municipality_id=self.pa.municipality_id)

    @cached_property
    def sees_all(self) -> bool:
        """Staff, politicians and the coordinator read every order of the plan; a representative only their
        own."""
        return can_read_every_order(self.pa.access, municipality_id=self.pa.municipality_id)

    @cached_property
    def can_handle(self) -> bool:
        return can_handle_orders(self.pa.access, municipality_id=self.pa.municipality_id, phase=self.phase)

    @property
    def departments(self) -> frozenset[int]:
        """The ids of the departments the viewer represents (in any municipality)."""
        return self.pa.access.departments

    @cached_property
    def own_departments(self) -> list[Department]:
        """The departments of the plan's municipality that the viewer represents (one query, if any)."""
        if not self.departments:
            return []
        return list(
            Department.objects.filter(
                pk__in=self.departments, municipality_id=self.pa.municipality_id
            ).order_by("name")
        )

    def may_place(self, department_id: int) -> bool:
        return can_place_order(
            self.pa.access, department_id=department_id, window_open=self.window.open, phase=self.phase
        )

    @cached_property
    def placing_departments(self) -> list[Department]:
        """The departments the viewer may order for now (the window open, the plan not adopted)."""
        return [department for department in self.own_departments if self.may_place(department.pk)]

    @cached_property
    def can_order(self) -> bool:
        """The viewer represents a department of this municipality and the plan is not adopted: the new
        order page is theirs (read-only while the window is closed)."""
        return bool(self.own_departments) and self.phase != "adopted"

    def may_answer(self, order) -> bool:
        """The ordering department answers a question (and reaches the edit page), until adoption."""
        return can_answer_order(self.pa.access, department_id=order.department_id, phase=self.phase)

    def may_edit(self, order) -> bool:
        return self.may_answer(order) and department_may_edit(
            status=order.status, window_open=self.window.open
        )

    @cached_property
    def disclosure(self) -> OrderDisclosure:
        return self.pa.disclosure.orders(self.departments)

    def orders(self):
        """The plan's orders this viewer may read."""
        orders = Order.objects.filter(plan=self.plan)
        return orders if self.sees_all else orders.filter(department_id__in=self.departments)

    def order(self, pk: int) -> Order:
        """One order of this plan the viewer may read, else 404 (by plan and pk: never another plan's)."""
        order = (
            self.orders()
            .select_related("department", "ordered_by", "handled_by", "procurement")
            .filter(pk=pk)
            .first()
        )
        if order is None:
            raise Http404
        order.plan = self.plan  # the one in hand, with its municipality
        if order.procurement is not None:
            order.procurement.plan = self.plan
        return order


def order_access(request, municipality: str, year: int) -> OrderAccess:
    """The plan's orders for this user: 404 or the login page where the plan is not theirs to see
    (plan_access), 403 where the plan is (an adopted one) but its orders are not."""
    access = OrderAccess(plan_access(request, municipality, year))
    access.pa.require(access.can_read)
    return access


def order_url(order) -> str:
    plan = order.plan
    return reverse(
        "plans:order", kwargs={"municipality": plan.municipality.slug, "year": plan.year, "order": order.pk}
    )
