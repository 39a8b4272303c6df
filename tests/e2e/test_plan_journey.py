"""The officer's journey through the plan register, in headless Chromium."""

import re

from playwright.sync_api import expect

from plans.models import Procurement
from tests.e2e.conftest import log_in


def test_officer_filters_sorts_opens_and_corrects_a_procurement(page, demo, screenshot):
    log_in(page, "upphandlare")
    page.get_by_role("link", name="Plan 2017").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Upphandlingsplan 2017 – Falu kommun")
    expect(page.get_by_role("heading", name="99 upphandlingar")).to_be_visible()

    # Filter by a department (the filters are folded away below 1 536 px); the state goes into the address.
    page.locator("details.filters > summary").click()
    page.get_by_label("Förvaltning").select_option("SERV")
    page.get_by_role("button", name="Använd").click()
    page.wait_for_url(re.compile(r"department=SERV"))
    serv_count = Procurement.objects.filter(plan__year=2017, department__code="SERV").count()
    expect(page.get_by_role("heading", name=f"{serv_count} av 99 upphandlingar")).to_be_visible()

    # Sort by value, largest first (two clicks on the header).
    page.get_by_role("link", name="Uppskattat värde").click()
    page.wait_for_url(re.compile(r"sort=shown_value"))
    page.get_by_role("link", name="Uppskattat värde").click()
    page.wait_for_url(re.compile(r"sort=-shown_value"))
    assert "department=SERV" in page.url
    largest = (
        Procurement.objects.filter(plan__year=2017, department__code="SERV")
        .order_by("-estimated_value_sek")
        .first()
    )
    first_row = page.locator("#plan-table tbody tr").first
    expect(first_row).to_contain_text(largest.title)
    screenshot(page, "plan-filtered-sorted")

    # Open it, correct its title, save.
    first_row.get_by_role("link", name=largest.ref).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(largest.title)
    page.get_by_role("link", name="Redigera").click()
    new_title = f"{largest.title} (rättad)"
    page.get_by_label("Benämning").fill(new_title)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text(f"Dina ändringar av {largest.ref} sparades.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(new_title)

    # Back in the plan, the table shows the change.
    page.go_back()
    page.go_back()
    page.go_back()
    page.reload()
    expect(page.locator("#plan-table")).to_contain_text(new_title)
    screenshot(page, "plan-after-edit")
    assert Procurement.objects.get(pk=largest.pk).title == new_title


def test_a_bad_value_is_shown_beside_the_field_in_the_browser(page, demo):
    log_in(page, "upphandlare")
    procurement = Procurement.objects.filter(plan__municipality__slug="falun", plan__year__gt=2017).first()
    page.goto(f"/plans/falun/{procurement.plan.year}/{procurement.ref}/edit/")
    page.get_by_label("Uppskattat värde (kr)").fill("-5")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#id_estimated_value_sek_error")).to_have_text(
        "Det uppskattade värdet kan inte vara negativt."
    )
    procurement.refresh_from_db()
    assert procurement.estimated_value_sek > 0


def test_a_politician_opens_the_matrix_and_follows_a_dot(page, demo, screenshot):
    log_in(page, "politiker")
    page.goto("/plans/falun/2017/")
    page.get_by_role("link", name="Kraljicmatris").click()
    page.wait_for_url(re.compile(r"view=matrix"))
    expect(page.locator("svg.kraljic")).to_be_visible()
    labels = ["Hävstång", "Strategiska", "Rutin", "Flaskhals"]
    expect(page.locator("svg.kraljic text.q-label")).to_have_text(labels)
    strategic_dots = page.locator("svg.kraljic a.dot.strategic")
    assert strategic_dots.count() == Procurement.objects.filter(plan__year=2017, strategic=True).count()
    screenshot(page, "kraljic-matrix")

    cars_title = page.locator("title", has_text="Personbilar och servicebilar")
    cars = page.locator("svg.kraljic a.dot", has=cars_title)
    cars.locator("circle").click()
    page.wait_for_url(re.compile(r"/plans/falun/2017/2017-\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Personbilar")
    expect(page.get_by_text("Strategisk kvadrant i Kraljicmatrisen")).to_be_visible()
    expect(page.get_by_text("Krav låses:", exact=True)).to_be_visible()
