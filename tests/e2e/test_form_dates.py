"""A date on a busy day (issue 15, fault 5), in the browser: a date typed as a Swede writes it is read as
meant, and one that is not a date comes back as typed beside its message, under the "nothing was saved"
banner. A browser without a date picker (or one that lets text through) is stood in for by turning the
date input into a text input, as such a browser draws it."""

from datetime import date

from playwright.sync_api import expect

from plans.models import Outcome, Procurement
from tests.e2e.conftest import assert_accessible, log_in


def type_as_text(page, label, text):
    field = page.get_by_label(label)
    field.evaluate("input => { input.type = 'text'; }")
    field.fill(text)


def test_an_outcome_date_is_read_as_meant_and_a_bad_one_comes_back_as_typed(page, demo):
    log_in(page, "upphandlare")
    procurement = Procurement.objects.filter(plan__year=2017, outcome__isnull=True).order_by("ref").first()
    page.goto(f"/plans/falun/2017/{procurement.ref}/outcome/")
    page.get_by_label("Status").select_option("advertised")
    type_as_text(page, "Annonserad", "32/1/2017")
    page.get_by_role("button", name="Spara").click()

    expect(page.get_by_text("Inget sparades. Rätta de markerade fälten nedan.")).to_be_visible()
    expect(page.get_by_label("Annonserad")).to_have_value("32/1/2017")
    expect(page.locator("#id_advertised_on_error")).to_contain_text("”32/1/2017” är inte ett datum")
    assert_accessible(page)
    assert not Outcome.objects.filter(procurement=procurement).exists()

    page.get_by_label("Annonserad").fill("1/2/2017")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text(f"Utfallet för {procurement.ref} sparades.")).to_be_visible()
    assert Outcome.objects.get(procurement=procurement).advertised_on == date(2017, 2, 1)
