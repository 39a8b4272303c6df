"""An officer imports a spreadsheet: an error shown with its line, fixed, uploaded again, confirmed."""

import pytest
from playwright.sync_api import expect

from plans.models import Procurement
from tests.e2e.conftest import log_in
from tests.plans.exchange.test_imports import csv_bytes, row

pytestmark = pytest.mark.usefixtures("media")


def test_officer_fixes_a_bad_row_and_imports(page, demo, screenshot):
    plan_year = Procurement.objects.filter(plan__year__gt=2017).values_list("plan__year", flat=True).first()
    advertised = {"Planerad annonsering": f"{plan_year}-03-01", "Nuvarande avtal löper ut": ""}
    good = row(Ref="IMP-1", Benämning="Skolskjuts", **advertised)
    bad = row(
        Ref="IMP-2", Benämning="Hemtjänstbilar", **advertised, **{"Uppskattat värde SEK": "tolv miljoner"}
    )
    log_in(page, "upphandlare")
    page.goto(f"/plans/falun/{plan_year}/")
    page.get_by_role("link", name="Importera").click()

    page.locator("#id_file").set_input_files(
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": csv_bytes([good, bad])}]
    )
    page.get_by_role("button", name="Ladda upp och kontrollera").click()
    errors = page.locator("table.errors")
    expect(errors).to_contain_text("3")
    expect(errors).to_contain_text("”tolv miljoner” är inte ett belopp i kronor")
    expect(page.get_by_role("button", name="Bekräfta importen")).to_have_count(0)
    screenshot(page, "import-error")
    assert not Procurement.objects.filter(ref__startswith="IMP-").exists()

    fixed = row(
        Ref="IMP-2", Benämning="Hemtjänstbilar", **advertised, **{"Uppskattat värde SEK": "12 000 000"}
    )
    page.get_by_role("link", name="Ladda upp en annan fil").click()
    page.locator("#id_file").set_input_files(
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": csv_bytes([good, fixed])}]
    )
    page.get_by_role("button", name="Ladda upp och kontrollera").click()
    expect(page.locator(".counts")).to_contain_text("2 att skapa")
    page.get_by_role("button", name="Bekräfta importen").click()
    expect(page.get_by_text("Filen importerades och planen värderades om.")).to_be_visible()
    page.get_by_role("link", name="Öppna planen").click()
    page.locator("details.filters > summary").click()  # folded away below 1 536 px
    page.get_by_label("Sök").fill("IMP")
    page.get_by_role("button", name="Använd").click()
    expect(page.locator("#plan-table")).to_contain_text("Skolskjuts")
    expect(page.locator("#plan-table")).to_contain_text("Hemtjänstbilar")
    screenshot(page, "import-done")
    assert Procurement.objects.filter(ref__startswith="IMP-").count() == 2
