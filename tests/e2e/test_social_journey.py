"""The social enterprises' journey in the browser, on the demo (issue 18): Falun's labour-market
coordinator adds an enterprise that cooks meals; the match shows on the order of meals for the home-care
service, to the coordinator and to the ordering department; the officer takes the order in and records
"reserved contract" on the procurement it became, which is then reserved; the follow-up's figure of people
employed through procurements moves once the outcome is recorded. Each page passes axe-core's WCAG 2.1 AA
rules and fits a 390 px phone."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Order, SocialDecision, SocialEnterprise
from tests.e2e.conftest import assert_accessible

ENTERPRISE = "Kök & Omsorg Falun, kooperativ"
ORDER = "Matlådor till hemtjänstens brukare"


def log_in_as(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/")


@pytest.mark.usefixtures("demo")
def test_a_social_enterprise_is_matched_decided_and_followed_up(page):
    order = Order.objects.get(title=ORDER)
    plan = order.plan
    order_url = f"{plan.get_absolute_url()}orders/{order.pk}/"
    followup_url = f"{plan.get_absolute_url()}followup/"

    # The coordinator adds the enterprise, from the start page's link to the register.
    log_in_as(page, "matchare")
    page.get_by_role("link", name=re.compile("registret över sociala företag", re.IGNORECASE)).first.click()
    expect(page).to_have_url(re.compile(r"/social/uhc/enterprises/$"))
    page.get_by_role("link", name="Nytt företag").click()
    assert_accessible(page)
    page.get_by_label("Namn").fill(ENTERPRISE)
    page.get_by_label("Organisationsnummer").fill("769655-4430")
    page.get_by_label("Kommun").select_option(label="Falu kommun")
    page.get_by_label("CPV-koder").fill("15894200 55521100")
    page.get_by_label(re.compile(r"^Kapacitet")).fill("4")
    page.get_by_label(re.compile("kvalificera", re.IGNORECASE)).check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text(f"”{ENTERPRISE}” lades till i registret.")).to_be_visible()
    enterprise = SocialEnterprise.objects.get(name=ENTERPRISE)
    assert enterprise.cpv_codes == ["15894200", "55521100"] and enterprise.reserved_qualified

    # The match shows on the order, to the coordinator …
    page.goto(order_url)
    panel = page.locator("#social-matches")
    expect(panel).to_contain_text("1 socialt företag erbjuder detta")
    expect(panel).to_contain_text(ENTERPRISE)
    assert_accessible(page)
    # … and on the coordinator's page of coming matches, which lists the order among the open ones.
    page.goto("/social/uhc/matches/")
    expect(page.get_by_role("link", name=ORDER)).to_be_visible()
    assert_accessible(page)

    # … and to the ordering department.
    log_in_as(page, "omsorg")
    page.goto(order_url)
    expect(page.locator("#social-matches")).to_contain_text(ENTERPRISE)

    # The officer takes the order in: it becomes a procurement of the plan.
    log_in_as(page, "upphandlare")
    page.goto(order_url)
    page.get_by_text("Godta: en egen upphandling i planen").click()
    accept = page.locator("form:has(input[name=action][value=accept])")
    accept.get_by_label("Förfarande").select_option(index=1)
    accept.get_by_label("Planerad annonsering").fill(f"{plan.year}-03-01")
    accept.get_by_role("button", name="Godta beställningen").click()
    expect(page.locator(".order-status")).to_have_text("Godtagen")
    order.refresh_from_db()
    procurement = order.procurement
    assert not procurement.reserved_contract

    # On the procurement the officer records what was decided: a reserved contract.
    page.goto(procurement.get_absolute_url())
    panel = page.locator("#social-matches")
    expect(panel).to_contain_text(ENTERPRISE)
    assert_accessible(page)
    panel.get_by_label("Beslut").select_option(label="Reserverat kontrakt")
    panel.get_by_label("Motivering").fill(
        "Kooperativet kan laga maten; kontraktet reserveras (LOU 4 kap. 18 §)."
    )
    panel.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text(re.compile("Beslutet om de sociala företagen registrerades"))).to_be_visible()
    decision = SocialDecision.objects.get(procurement=procurement)
    assert decision.decision == "reserved"
    procurement.refresh_from_db()
    assert procurement.reserved_contract  # set on the procurement, rescored, in its history
    assert procurement.history.filter(action="social").exists()

    # The follow-up counts nobody employed through this plan's procurements yet …
    page.goto(followup_url)
    employed = page.locator(f"#social-year-{plan.year} .employed")
    before = int(employed.inner_text())
    assert_accessible(page)

    # … until the officer records the outcome: awarded to the enterprise, two people employed.
    page.goto(f"{procurement.get_absolute_url()}outcome/")
    page.get_by_label("Status").select_option(label="Tilldelad")
    page.get_by_label("Anställda", exact=True).fill("2")
    page.get_by_label(re.compile("Tilldelad ett socialt företag", re.IGNORECASE)).check()
    page.get_by_role("button", name="Spara").click()
    page.goto(followup_url)
    expect(page.locator(f"#social-year-{plan.year} .employed")).to_have_text(str(before + 2))
    department_row = page.locator(f"#social-{procurement.department_id}-{plan.year}")
    expect(department_row.locator(".reserved-planned")).to_contain_text(re.compile(r"[1-9]"))
    assert_accessible(page)
