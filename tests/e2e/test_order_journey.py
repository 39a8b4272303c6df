"""The order's journey in the browser (issue 14): a department orders, an officer asks, the department
answers, the officer accepts, and the procurement stands scored in the plan with the order's values,
its goal and its expert. Each page on the way passes axe-core's WCAG 2.1 AA rules and fits a phone."""

import re
from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.models import Role
from plans.models import Goal, Order, Procurement
from plans.orders.rules import OrderStatus
from tests.e2e.conftest import assert_accessible
from tests.factories import (
    PASSWORD,
    CentreFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PlanFactory,
    UserFactory,
    member,
)

ORDER_DAY = date(2027, 3, 16)  # inside the 2028 plan's order window (1 February – 31 May 2027)
TITLE = "Elcyklar för hemtjänsten"


@pytest.fixture
def world(transactional_db):
    centre = CentreFactory()
    falun = MunicipalityFactory(slug="falun", name="Falu kommun", centre=centre)
    serv = DepartmentFactory(municipality=falun, code="OMV", name="Omvårdnadsförvaltningen")
    PlanFactory(municipality=falun, year=2028)
    goal = Goal.objects.create(municipality=falun, title="Fossilfritt Falun 2035", target_year=2035)
    member(UserFactory(username="omsorg", first_name="Lena", last_name="Dahl"), Role.DEPARTMENT_REP,
           municipality=falun, department=serv)  # fmt: skip
    member(UserFactory(username="handlaggare", first_name="Per", last_name="Ek"), Role.OFFICER,
           centre=centre)  # fmt: skip
    return {"goal": goal}


def log_in_as(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/")


def test_an_order_becomes_a_scored_procurement_with_its_expert(page, world, screenshot):
    with time_machine.travel(ORDER_DAY, tick=True):
        # The department orders, from the plan page.
        log_in_as(page, "omsorg")
        page.goto("/plans/falun/2028/")
        page.get_by_role("link", name="Beställningar").first.click()
        page.get_by_role("link", name="Ny beställning").click()
        assert_accessible(page)
        page.get_by_label("Benämning").fill(TITLE)
        page.get_by_label("Behovet").fill("Hemtjänsten i centrala Falun byter bilar mot elcyklar.")
        page.get_by_label("Kategori").select_option(label="Vara")
        page.get_by_label("Uppskattat värde").fill("1 800 000")
        page.get_by_label("Avtalstid").fill("48")
        page.get_by_label("Nytt behov").check()
        page.get_by_label("Fossilfritt Falun 2035").check()
        page.get_by_label("Sakkunnig", exact=True).fill("Karin Berg")
        page.get_by_label("Sakkunnigs e-post").fill("karin.berg@falun.example")
        page.get_by_role("button", name="Skicka beställningen").click()
        expect(page.get_by_text("Din beställning skickades")).to_be_visible()
        order = Order.objects.get(title=TITLE)
        assert order.status == OrderStatus.SUBMITTED and order.estimated_value_sek == 1_800_000

        # An officer asks for more information.
        log_in_as(page, "handlaggare")
        page.goto("/plans/falun/2028/orders/")
        assert_accessible(page)
        page.get_by_role("link", name=TITLE).click()
        page.get_by_text("Be förvaltningen om mer information").click()
        page.get_by_label("Din fråga till förvaltningen").fill("Hur många cyklar, och behövs laddplatser?")
        page.get_by_role("button", name="Skicka frågan").click()
        expect(page.locator(".order-status")).to_have_text("Fråga ställd")

        # The department sees the question on its start page and answers it.
        log_in_as(page, "omsorg")
        expect(page.get_by_text("Hur många cyklar, och behövs laddplatser?")).to_be_visible()
        page.get_by_role("link", name=TITLE).first.click()
        assert_accessible(page)
        page.get_by_label("Ditt svar").fill("Tjugo cyklar; laddning sker i befintliga förråd.")
        page.get_by_role("button", name="Skicka svaret").click()
        expect(page.locator(".order-status")).to_have_text("Besvarad")

        # The officer accepts it: a procurement of the plan, scored at once.
        log_in_as(page, "handlaggare")
        page.goto(f"/plans/falun/2028/orders/{order.pk}/")
        expect(page.locator(".response")).to_have_text("Tjugo cyklar; laddning sker i befintliga förråd.")
        page.get_by_text("Godta: en egen upphandling i planen").click()
        accept = page.locator("form:has(input[name=action][value=accept])")
        accept.get_by_label("CPV-kod").fill("34430000")
        accept.get_by_label("Förfarande").select_option(index=1)
        accept.get_by_label("Planerad annonsering").fill("2028-02-01")
        assert_accessible(page)
        accept.get_by_role("button", name="Godta beställningen").click()
        expect(page.locator(".order-status")).to_have_text("Godtagen")
        screenshot(page, "order-accepted")

        procurement = Procurement.objects.get(orders=order)
        assert procurement.title == TITLE and procurement.estimated_value_sek == 1_800_000
        assert procurement.expert_name == "Karin Berg" and procurement.department.code == "OMV"
        assert list(procurement.goals.all()) == [world["goal"]]
        assert procurement.economic_score > 0  # scored with the plan's rubric as it was saved

        # The procurement's page says who ordered it and names its expert.
        page.get_by_role("link", name=re.compile(re.escape(TITLE))).first.click()
        expect(page.get_by_text(re.compile(r"Beställd av Omvårdnadsförvaltningen"))).to_be_visible()
        expect(page.get_by_text("Karin Berg").first).to_be_visible()
        assert_accessible(page)

        # And it stands in the plan.
        page.goto(f"/plans/falun/2028/?goal={world['goal'].pk}")
        expect(page.locator("#plan-table")).to_contain_text(TITLE)
