"""An officer records an outcome and sees the key figure move."""

from playwright.sync_api import expect

from plans.models import Outcome, Procurement
from tests.e2e.conftest import log_in


def test_an_officer_records_an_outcome_and_the_figure_moves(page, demo, screenshot):
    log_in(page, "upphandlare")
    page.goto("/plans/falun/2017/followup/")
    figure = page.locator("#figure-average_bids td.value")
    before = figure.inner_text()
    screenshot(page, "followup-before")

    ref = Procurement.objects.filter(plan__year=2017, outcome__isnull=True).order_by("ref").first().ref
    page.goto(f"/plans/falun/2017/{ref}/outcome/")
    page.get_by_label("Status").select_option("awarded")
    page.get_by_label("Annonserad").fill("2017-04-03")
    page.get_by_label("Antal anbud").fill("30")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text(f"Utfallet för {ref} sparades.")).to_be_visible()
    expect(page.locator("#figure-average_bids td.value")).not_to_have_text(before)
    screenshot(page, "followup-after")
    assert Outcome.objects.get(procurement__ref=ref, procurement__plan__year=2017).bids == 30
