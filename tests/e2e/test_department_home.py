"""The department's start page in a browser (issue 14): the demo's department representative sees the
question waiting for them first, their procurements and the answer to their comment, on a page that
passes axe-core's WCAG 2.1 AA rules and fits a 390 px phone."""

from tests.e2e.conftest import assert_accessible, log_in


def test_the_department_start_page_is_accessible_and_fits_a_phone(page, demo):
    log_in(page, "lugi")
    orders = page.locator("#department-orders")
    first = orders.locator("tbody tr").first
    assert first.get_attribute("data-order-status") == "question"
    assert "Kostdatasystem" in first.inner_text()
    assert page.locator("#department-procurements").get_by_text("Eldrivna arbetsmaskiner").count() == 1
    assert page.locator("#comment-answers").get_by_text("Tack, vi räknar upp volymen").count() == 1
    assert_accessible(page)
    first.get_by_role("link").click()
    page.wait_for_url("**/plans/falun/*/orders/*/")
    assert "Kostdatasystem" in page.content()
