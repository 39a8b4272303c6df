"""The plan administrator sees on the manage page what is still open before adoption, and follows it."""

import re

from playwright.sync_api import expect

from plans.models import Comment, Plan
from tests.e2e.conftest import assert_accessible, log_in


def test_the_plan_administrator_follows_an_open_comment_from_the_manage_page(page, demo, screenshot):
    plan = Plan.objects.filter(municipality__slug="falun").order_by("-year").first()
    waiting = Comment.objects.filter(procurement__plan=plan, handled=False).order_by("created_at", "pk")
    assert waiting.exists()  # the demo leaves comments unanswered
    log_in(page, "planadmin")
    page.goto(f"/plans/falun/{plan.year}/manage/")
    section = page.locator("#open-items")
    expect(section).to_be_visible()
    assert_accessible(page)
    screenshot(page, "manage-open-items")

    first = waiting.first()
    section.locator(f'a[href$="#comment-{first.pk}"]').click()
    page.wait_for_url(re.compile(rf"/{re.escape(first.procurement.ref)}/#comment-{first.pk}$"))
    expect(page.locator(f"#comment-{first.pk}")).to_contain_text(first.text[:20])
