"""The orders' pages in a browser (issue 14): the department's new order form, the officers' queue and
an order with its steps open pass axe-core's WCAG 2.1 AA rules and fit a 390 px phone."""

from datetime import date

import pytest
import time_machine

from accounts.models import Role
from plans.models import Goal
from plans.orders.services import order_place
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import (
    PASSWORD,
    CentreFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PlanFactory,
    UserFactory,
    member,
)

ORDER_DAY = date(2026, 3, 16)  # inside the 2027 plan's order window


@pytest.fixture
def world(transactional_db):
    centre = CentreFactory()
    falun = MunicipalityFactory(slug="falun", name="Falu kommun", centre=centre)
    serv = DepartmentFactory(municipality=falun, code="SERV", name="Serviceförvaltningen")
    plan = PlanFactory(municipality=falun, year=2027)
    Goal.objects.create(municipality=falun, title="Fossilfritt Falun 2035")
    rep = member(UserFactory(username="rep"), Role.DEPARTMENT_REP, municipality=falun, department=serv)
    officer = member(UserFactory(username="handlaggare"), Role.OFFICER, centre=centre)
    order = order_place(
        plan=plan,
        department=serv,
        data={
            "title": "Arbetskläder",
            "need": "Kläder som tål tvätt.",
            "category": "goods",
            "estimated_value_sek": 2_600_000,
            "duration_months": 48,
        },
        user=rep,
    )
    return {"rep": rep, "officer": officer, "order": order}


def test_the_orders_pages_are_accessible_and_fit_a_phone(page, world):
    with time_machine.travel(ORDER_DAY, tick=True):
        log_in(page, "rep", PASSWORD)
        page.goto("/plans/falun/2027/orders/new/")
        assert_accessible(page)
        page.get_by_role("button", name="Skicka beställningen").click()
        assert_accessible(page)  # the form with its errors beside the fields
        page.goto("/plans/falun/2027/orders/")
        assert_accessible(page)
        page.context.clear_cookies()
        log_in(page, "handlaggare", PASSWORD)
        page.goto(f"/plans/falun/2027/orders/{world['order'].pk}/")
        for summary in page.locator("details summary").all():
            summary.click()
        assert_accessible(page)
        page.goto("/plans/falun/2027/orders/")
        assert_accessible(page)
