"""The desk's lists on a 390 px phone (issue 16): the capacity page's unassigned procurements and the
coordination page's groups and suggestions stack (app.css, .stack-on-phone), so that each row's title
and its actions are on the screen without scrolling sideways. On a laptop they are tables as before."""

from plans.models import Plan
from tests.e2e.conftest import PHONE, assert_accessible, log_in


def desk_year() -> int:
    return Plan.objects.filter(municipality__slug="falun", adopted_on__isnull=True).latest("year").year


def on_screen(locator) -> bool:
    """The element lies within the phone's width as the page stands (x + width ≤ 390), not beyond the
    edge of a box that scrolls sideways."""
    locator.wait_for()
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def scrolls_sideways(page) -> list[str]:
    """The boxes of the page that hold more than their width (a table scrolling inside its box)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll')]
            .filter(box => box.scrollWidth > box.clientWidth + 1 && box.querySelector('.stack-on-phone'))
            .map(box => box.getAttribute('aria-labelledby') || box.className)"""
    )


def test_on_a_phone_an_unassigned_row_shows_its_title_and_the_assign_button(page, demo):
    year = desk_year()
    page.set_viewport_size(PHONE)
    log_in(page, "upphandlare")
    page.goto(f"/centre/uhc/{year}/capacity/")
    first = page.locator("#unassigned tbody tr").first
    assert on_screen(first.get_by_role("button", name="Tilldela"))
    assert on_screen(first.get_by_role("combobox"))
    assert on_screen(first.locator("td[data-label]").nth(3))  # the title
    assert page.evaluate("window.scrollX") == 0
    assert scrolls_sideways(page) == []
    # Each line says which column it is.
    label = first.locator("td").nth(5).evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Upphandlare: "'
    assert_accessible(page)  # axe at the phone's width, as the page stands


def test_on_a_phone_a_suggestion_and_a_group_show_their_controls(page, demo):
    year = desk_year()
    page.set_viewport_size(PHONE)
    log_in(page, "upphandlare")
    page.goto(f"/centre/uhc/{year}/coordination/")
    suggestion = page.locator(".coordination-suggestion").first
    assert on_screen(suggestion.locator("input[type=checkbox]").first)
    assert on_screen(suggestion.locator("tbody tr").first.locator("td[data-label]").nth(4))  # the title
    assert on_screen(suggestion.get_by_role("button").last)
    group = page.locator(".coordination-group").first
    assert on_screen(group.locator("tbody tr").first.locator("td").nth(2))  # the title
    assert on_screen(group.get_by_role("link", name="Lämna").first)
    assert page.evaluate("window.scrollX") == 0
    assert scrolls_sideways(page) == []
    assert_accessible(page)


def test_on_a_laptop_the_lists_are_tables_still(page, demo):
    year = desk_year()
    log_in(page, "upphandlare")
    page.goto(f"/centre/uhc/{year}/capacity/")
    first = page.locator("#unassigned tbody tr").first
    assert first.evaluate("row => getComputedStyle(row).display") == "table-row"
    assert page.locator("#unassigned thead th").first.is_visible()
    page.goto(f"/centre/uhc/{year}/coordination/")
    cell = page.locator(".coordination-suggestion tbody td").first
    assert cell.evaluate("cell => getComputedStyle(cell).display") == "table-cell"
