"""A department representative uploads the department's orders: a bad row is shown with its line and
nothing is placed; the file corrected, the orders are placed and listed. Accessible, and fits a phone."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from plans.models import Goal, Order
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, DepartmentFactory, MunicipalityFactory, PlanFactory, UserFactory, member
from tests.plans.orders.test_import import LAUNDRY, WORKWEAR, csv_bytes, with_cell


def test_a_representative_fixes_a_bad_row_and_imports_the_orders(page, transactional_db, screenshot):
    falun = MunicipalityFactory(slug="falun", name="Falu kommun")
    serv = DepartmentFactory(municipality=falun, code="SERV", name="Serviceförvaltningen")
    today = timezone.localdate()
    plan = PlanFactory(
        municipality=falun, year=today.year + 1, order_starts=today - timedelta(days=1), order_ends=today
    )
    Goal.objects.create(municipality=falun, title="Fossilfritt Falun 2035")
    Goal.objects.create(municipality=falun, title="40 % ekologisk mat")
    member(UserFactory(username="lugi"), Role.DEPARTMENT_REP, municipality=falun, department=serv)
    log_in(page, "lugi", PASSWORD)

    page.goto(f"/plans/falun/{plan.year}/orders/import/")
    assert_accessible(page)
    # The button's Swedish words come with the translations; either language's will do.
    submit = page.get_by_role("button", name="Importera beställningarna")
    bad = with_cell(with_cell(LAUNDRY, "Mål", "Världsfred"), "CPV", "1234")
    page.locator("#id_file").set_input_files(
        files=[{"name": "orders.csv", "mimeType": "text/csv", "buffer": csv_bytes([WORKWEAR, bad])}]
    )
    submit.click()
    errors = page.locator("table.errors")
    expect(errors).to_contain_text("Världsfred")
    expect(errors.locator("tbody tr")).to_have_count(2)
    assert_accessible(page)
    screenshot(page, "order-import-error")
    assert not Order.objects.exists()

    page.locator("#id_file").set_input_files(
        files=[{"name": "orders.csv", "mimeType": "text/csv", "buffer": csv_bytes([WORKWEAR, LAUNDRY])}]
    )
    submit.click()
    page.wait_for_url(f"**/plans/falun/{plan.year}/orders/")
    assert Order.objects.filter(plan=plan, department=serv).count() == 2
