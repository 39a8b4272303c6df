"""The capacity page in a browser (issue 16): an officer assigns an unassigned procurement in place with
htmx, and the load moves from "unassigned" to the officer's quarter without the page being reloaded."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from plans.models import Plan
from tests.e2e.conftest import assert_accessible, log_in

ASSIGNEE = "Stefan Gehrke"


def _load(page, row_name, quarter):
    """The load figure of one cell ("7 / 12" → 7)."""
    row = page.locator("#capacity-load tbody tr").filter(has=page.locator("th", has_text=row_name))
    text = row.locator("td").nth(quarter - 1).locator(".load-figure").inner_text()
    return Decimal(text.split("/")[0].strip().replace(",", "."))


def test_an_officer_assigns_a_procurement_in_place_and_the_load_moves(page, live_server, demo):
    year = Plan.objects.filter(municipality__slug="falun", adopted_on__isnull=True).latest("year").year
    log_in(page, "upphandlare")
    # In English from here on: the texts asserted are the English ones, whatever the translation says.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"/centre/uhc/{year}/capacity/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Officer capacity")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert_accessible(page)

    first = page.locator("#unassigned tbody tr").first
    ref = first.locator("td").nth(2).inner_text().strip()
    advertised = first.locator("td").first.inner_text().strip()
    quarter = (int(advertised[5:7]) - 1) // 3 + 1
    weight = Decimal(first.locator("td").nth(4).inner_text().strip().replace(",", "."))
    heading = page.locator("#unassigned-heading")
    waiting = int(re.match(r"\d+", heading.inner_text()).group())
    officer_before = _load(page, ASSIGNEE, quarter)
    unassigned_before = _load(page, "Unassigned", quarter)

    page.evaluate("window.stillThisPage = true")
    first.get_by_label(f"Officer for {ref}").select_option(label=ASSIGNEE)
    first.get_by_role("button", name="Assign").click()

    row = page.locator(f"#unassigned tbody tr:has-text('{ref}')")
    expect(row).to_contain_text(f"Assigned to {ASSIGNEE}")
    expect(page.locator("#assign-status")).to_contain_text(f"was assigned to {ASSIGNEE}")
    expect(heading).to_contain_text(str(waiting - 1))
    assert page.evaluate("window.stillThisPage === true")  # swapped in place, not reloaded
    assert _load(page, ASSIGNEE, quarter) == officer_before + weight
    assert _load(page, "Unassigned", quarter) == unassigned_before - weight
    assert_accessible(page)

    # The page as loaded afresh says the same.
    page.reload()
    assert _load(page, ASSIGNEE, quarter) == officer_before + weight
    expect(page.locator("#unassigned")).not_to_contain_text(ref)
