"""The import's preview says what each update changes, field by field, old → new (issue 15, fault 6),
readable and accessible on a phone."""

import pytest
from playwright.sync_api import expect

from plans.exchange.imports import plan_import
from plans.models import Plan, Procurement
from tests.e2e.conftest import assert_accessible, log_in
from tests.plans.exchange.test_imports import csv_bytes, row

pytestmark = pytest.mark.usefixtures("media")


def test_the_preview_shows_each_change_old_to_new(page, demo):
    plan = Plan.objects.filter(municipality__slug="falun", adopted_on__isnull=True).order_by("year").first()
    dated = {"Planerad annonsering": f"{plan.year}-03-01", "Nuvarande avtal löper ut": ""}
    plan_import(plan=plan, filename="plan.csv", content=csv_bytes([row(Ref="IMP-1", **dated)]))
    changed = row(Ref="IMP-1", Benämning="Elbilar", **dated, **{"Uppskattat värde SEK": "40 000 000"})

    log_in(page, "upphandlare")
    page.goto(f"/plans/falun/{plan.year}/import/")
    page.locator("#id_file").set_input_files(
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": csv_bytes([changed])}]
    )
    page.get_by_role("button", name="Ladda upp och kontrollera").click()
    changes = page.locator("table.import-changes")
    expect(changes).to_contain_text("IMP-1")
    expect(changes.locator("tr", has_text="Benämning")).to_contain_text("Personbilar")
    expect(changes.locator("tr", has_text="Benämning")).to_contain_text("Elbilar")
    expect(changes.locator("tr", has_text="Uppskattat värde")).to_contain_text("40\u00a0000\u00a0000\u00a0kr")
    assert_accessible(page)
    assert Procurement.objects.get(plan=plan, ref="IMP-1").title == "Personbilar"
