"""The remiss in the browser: a politician's guidance, a department's comment answered by an officer."""

import re

from playwright.sync_api import expect

from plans.models import Comment, Guidance, Plan
from tests.e2e.conftest import log_in


def coming_plan():
    return Plan.objects.filter(municipality__slug="falun").order_by("-year").first()


def test_a_politician_gives_guidance_on_the_most_urgent_item(page, demo, screenshot):
    plan = coming_plan()
    log_in(page, "politiker")
    page.goto(f"/plans/falun/{plan.year}/")
    page.get_by_role("link", name="Granskningskö").click()
    page.get_by_role("link", name=re.compile(r"Utan vägledning")).click()
    page.wait_for_url(re.compile(r"show=without_guidance"))
    first = page.locator("#queue > li").first
    ref = first.get_attribute("id").removeprefix("item-")
    screenshot(page, "review-queue")

    first.get_by_text("Ge vägledning").click()
    first.get_by_label("Behöver politiskt beslut").check()
    first.get_by_label("Din vägledning").fill("Bered frågan med konsekvensbeskrivning innan kraven ställs.")
    first.get_by_role("button", name="Spara vägledningen").click()
    # htmx swaps the item in place with the guidance shown.
    item = page.locator(f"#item-{ref}")
    expect(item).to_contain_text("Din vägledning sparades.")
    expect(item).to_contain_text("Bered frågan med konsekvensbeskrivning")
    assert Guidance.objects.filter(procurement__ref=ref, user__username="politiker").exists()

    page.reload()
    expect(page.locator(f"#item-{ref}")).to_have_count(0)  # it has left the "without guidance" list
    page.get_by_role("link", name=re.compile(r"Alla strategiska")).click()
    expect(page.locator(f"#item-{ref}")).to_contain_text("Behöver politiskt beslut")


def test_a_department_comment_is_answered_by_an_officer(page, demo, screenshot):
    plan = coming_plan()
    log_in(page, "lugi")
    page.goto(f"/plans/falun/{plan.year}/?department=SERV")
    page.locator("#plan-table tbody tr").first.locator("a").first.click()
    expect(page.get_by_text("Din förvaltnings upphandling")).to_be_visible()
    page.get_by_label("Kommentar").fill("Behovet omfattar även de nya förskolorna i Britsarvet.")
    page.get_by_role("button", name="Lägg till kommentaren").click()
    expect(page.get_by_text("Din kommentar sparades.")).to_be_visible()
    comment = Comment.objects.get(text__startswith="Behovet omfattar även")
    address = page.url.split("#")[0]

    page.get_by_role("button", name="Logga ut").click()
    log_in(page, "upphandlare")
    expect(page.get_by_text("Kommentarer som väntar på svar")).to_be_visible()
    page.goto(address)
    block = page.locator(f"#comment-{comment.pk}")
    block.get_by_text("Svara").click()
    block.get_by_label("Svar").fill("Tack, vi lägger till förskolorna i volymen.")
    block.get_by_role("button", name="Spara svaret").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text(
        "Tack, vi lägger till förskolorna i volymen."
    )
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Hanterad")
    screenshot(page, "comment-answered")
    comment.refresh_from_db()
    assert comment.handled and comment.responded_by.username == "upphandlare"


def test_guidance_and_early_involvement_redraw_the_card_as_a_reload_would(page, demo):
    """Issue 15, faults 2 and 3: the card htmx swaps in is the card the reloaded page shows, and early
    involvement is asked once, shown as asked, also after a reload."""
    from plans.models import EarlyInvolvement

    plan = coming_plan()
    log_in(page, "politiker")
    page.goto(f"/plans/falun/{plan.year}/review/")
    first = page.locator("#queue > li").first
    ref = first.get_attribute("id").removeprefix("item-")
    first.get_by_text("Ge vägledning").click()
    first.get_by_label("Inom befintlig budgetram").check()
    first.get_by_label("Din vägledning").fill("Ryms i ramen.")
    first.get_by_role("button", name="Spara vägledningen").click()
    item = page.locator(f"#item-{ref}")
    expect(item).to_contain_text("Din vägledning sparades.")
    guidance = item.locator(".guidance-list li").filter(has_text="Ryms i ramen.")
    swapped = guidance.inner_text()
    assert "Inom befintlig budgetram" in swapped and re.search(r"\d{4}-\d{2}-\d{2}", swapped)
    page.reload()
    assert (
        page.locator(f"#item-{ref} .guidance-list li").filter(has_text="Ryms i ramen.").inner_text()
        == swapped
    )

    # A double click: two requests may reach the server, one request is kept.
    ask = "Begär tidig involvering"
    page.locator(f"#item-{ref}").get_by_role("button", name=ask).dblclick()
    for reloaded in (False, True):
        if reloaded:
            page.reload()
        expect(page.locator(f"#item-{ref} .involvement-asked")).to_be_visible()
        expect(page.locator(f"#item-{ref}").get_by_role("button", name=ask)).to_have_count(0)
    assert EarlyInvolvement.objects.filter(procurement__ref=ref, user__username="politiker").count() == 1
