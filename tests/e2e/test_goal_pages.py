"""The municipality's goals in a browser (issue 14): the plan administrator keeps them (a form with its
errors, the question before a removal), and the follow-up and the board brief show, per goal, the plan's
procurements serving it. Every page passes axe-core's WCAG 2.1 AA rules and fits a 390 px phone."""

from playwright.sync_api import expect

from plans.models import Goal
from tests.e2e.conftest import PHONE, WCAG_AA, assert_accessible, log_in


def test_the_plan_administrator_keeps_the_goals(page, demo, screenshot):
    log_in(page, "planadmin")
    page.goto("/plans/falun/goals/")
    expect(page.get_by_role("heading", name="Fossilfritt Falun 2035")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "goals")

    page.goto("/plans/falun/goals/new/")
    page.get_by_role("button").last.click()  # nothing typed: the title is wanted
    expect(page.locator("#id_title_error")).to_be_visible()
    assert_accessible(page)
    page.locator("#id_title").fill("Fossilfritt Falun 2035")
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("#id_title_error")).to_be_visible()  # the title is taken
    page.locator("#id_title").fill("Minskad matsvinn i skolköken")
    page.locator("#id_target_value").fill("−20")
    page.locator("#id_unit").fill("%")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url("**/plans/falun/goals/")
    assert Goal.objects.filter(title="Minskad matsvinn i skolköken").exists()

    organic = Goal.objects.get(title="40 % ekologiska livsmedel i kommunens kök")
    page.goto(f"/plans/falun/goals/{organic.pk}/delete/")
    # Four procurements of 2017 and four of the coming year's plan, and the orders that name it.
    expect(page.locator(".goal-links")).to_contain_text("8 upphandlingar")
    assert_accessible(page)


def test_the_follow_up_and_the_brief_show_the_goals(page, demo, screenshot):
    from axe_playwright_python.sync_playwright import Axe

    log_in(page, "politiker")
    page.goto("/plans/falun/2017/followup/")
    expect(page.locator(".goals-progress")).to_contain_text("40 % ekologiska livsmedel i kommunens kök")
    assert_accessible(page)
    screenshot(page, "followup-goals")
    page.goto("/plans/falun/2017/brief/")
    expect(page.locator(".goals-progress")).to_contain_text("Fossilfritt Falun 2035")
    # The brief's own blocks are not this test's: axe on the whole page, the phone's width on the goals.
    results = Axe().run(page, options=WCAG_AA)
    assert not results.response["violations"], [v["id"] for v in results.response["violations"]]
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        right = page.evaluate("document.querySelector('.goals-progress').getBoundingClientRect().right")
        assert right <= PHONE["width"]
    finally:
        page.set_viewport_size(size)
