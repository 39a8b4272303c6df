"""Kommande upphandlingar in the browser (issue 17): a supplier, not logged in, finds what is coming, reads
whom to ask, follows the search by e-mail with double opt-in, gets one alert when a new match becomes
public and leaves with one click from that mail.

The live server runs in this process: its tasks run in-process (no broker), and its mails land in
django.core.mail.outbox. The pages' words are not yet translated everywhere, so the browser finds things
by their addresses and fields, not by their text."""

import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Department
from plans.models import Plan, Subscription
from plans.pipeline import alerts
from plans.pipeline.search import PAGE_SIZE, search
from plans.remiss import review
from tests.factories import ProcurementFactory

WORD = "Elbilar"
GROUP = "341"  # CPV 341: motor vehicles
QUERY = f"q={WORD}&cpv_group={GROUP}"  # the search as the subscription keeps it
SUPPLIER = "anbud@elbilsleverantoren.example"
OFFICER_EMAIL = "stefan.g@demo.upphandlingsplan.se"


def falun_draft():
    return Plan.objects.get(municipality__slug="falun", adopted_on__isnull=True, publish_draft=True)


def more_electric_cars(plan, count):
    """Enough matches of the search for a second page: after the demo's, each with Stefan as officer."""
    officer = get_user_model().objects.get(email=OFFICER_EMAIL)
    department = Department.objects.get(municipality=plan.municipality, code="SERV")
    start = timezone.localdate() + timedelta(days=300)
    for number in range(count):
        ProcurementFactory(
            plan=plan,
            ref=f"{plan.year}-E{number:02d}",
            title=f"Elbilar till hemtjänstgrupp {number + 1}",
            cpv="34144900",
            category="goods",
            department=department,
            officer=officer,
            planned_advertisement=start + timedelta(days=number),
        )


def mail_link(message, path):
    found = re.findall(rf"https?://\S+{re.escape(path)}\S+/", message.body)
    assert len(found) == 1, message.body
    return found[0]


def test_a_supplier_finds_follows_and_leaves_a_search(page, demo, live_server, settings, screenshot):
    settings.SITE_URL = live_server.url  # the mails link to the server the browser uses
    plan = falun_draft()
    assert plan.show_officer_email  # the demo names the officers for suppliers' questions
    more_electric_cars(plan, PAGE_SIZE)
    filterset, _ignored = search(QUERY)
    matches = filterset.qs.count()
    assert PAGE_SIZE < matches < 2 * PAGE_SIZE
    assert search(f"q={WORD}")[0].qs.count() > matches  # the CPV group narrows the word's matches

    # From the header of any page to the coming procurements.
    page.goto("/")
    page.locator("header a[href='/kommande/']").click()
    page.wait_for_url("**/kommande/")
    expect(page.locator(".pipeline-item").first).to_be_visible()

    # A word, then the folded filters: the CPV group.
    page.locator("#id_q").fill(WORD)
    page.locator(".search-row button[type=submit]").click()
    page.wait_for_url(re.compile(rf"\?q={WORD}"))
    filters = page.locator("details.filters")
    expect(page.locator("#id_cpv_group")).to_be_hidden()
    filters.locator("summary").click()
    page.locator("#id_cpv_group").select_option(GROUP)
    filters.locator(".filter-actions button[type=submit]").click()
    page.wait_for_url(re.compile(rf"cpv_group={GROUP}"))
    expect(page.locator("#results-heading")).to_contain_text(str(matches))
    expect(page.locator(".pipeline-item")).to_have_count(PAGE_SIZE)
    screenshot(page, "pipeline-search")

    # The second page keeps the search in its address.
    page.locator("ul.pagination a", has_text=re.compile(r"^2$")).click()
    page.wait_for_url(re.compile(r"page=2"))
    assert f"q={WORD}" in page.url and f"cpv_group={GROUP}" in page.url
    expect(page.locator(".pipeline-item")).to_have_count(matches - PAGE_SIZE)
    results = page.url

    # A procurement's public page names its officer's e-mail while the plan says so, and not after.
    item = page.locator(".pipeline-item h3 a").first
    title = item.inner_text()
    assert title.startswith("Elbilar till hemtjänstgrupp")
    item.click()
    expect(page.locator("h1")).to_contain_text(title)
    officer_link = page.locator(f"#people a[href='mailto:{OFFICER_EMAIL}']")
    expect(officer_link).to_have_count(1)
    admin = get_user_model().objects.get(username="planadmin")
    review.plan_set_publication(plan=plan, publish_draft=True, show_officer_email=False, user=admin)
    page.reload()
    expect(page.locator("#people")).to_contain_text("Stefan Gehrke")
    expect(officer_link).to_have_count(0)
    assert OFFICER_EMAIL not in page.content()

    # Follow the search: one confirmation mail, nothing else, and nothing confirmed yet.
    page.goto(results)
    page.locator(".pipeline-subscribe #id_email").fill(SUPPLIER)
    page.locator(".pipeline-subscribe button[type=submit]").click()
    page.wait_for_url(re.compile(r"/kommande/alerts/sent/"))
    subscription = Subscription.objects.get(email=SUPPLIER)
    assert subscription.query == QUERY and not subscription.confirmed
    assert [message.to for message in mail.outbox] == [[SUPPLIER]]
    confirm_url = mail_link(mail.outbox[0], "/kommande/alerts/confirm/")

    # The link shows what it confirms; the button confirms.
    page.goto(confirm_url)
    subscription.refresh_from_db()
    assert not subscription.confirmed  # a mail scanner that follows the link confirms nothing
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator("main form button[type=submit]").click()
    assert answer.value.status == 200
    subscription.refresh_from_db()
    assert subscription.confirmed
    expect(page.locator("main")).to_contain_text(SUPPLIER)

    # A new procurement of the search becomes public, and one that is not of it: one alert, with the first.
    department = Department.objects.get(municipality=plan.municipality, code="SERV")
    later = timezone.localdate() + timedelta(days=200)
    ProcurementFactory(
        plan=plan, ref=f"{plan.year}-E90", title="Elbilar för Svärdsjö", cpv="34144900",
        department=department, planned_advertisement=later,
    )  # fmt: skip
    ProcurementFactory(
        plan=plan, ref=f"{plan.year}-E91", title="Elbilar i leasing, men CPV för tjänster", cpv="90620000",
        department=department, planned_advertisement=later,
    )  # fmt: skip
    mail.outbox.clear()
    run = alerts.run_alerts()
    assert (run.mails, run.failed) == (1, 0)
    (alert,) = mail.outbox
    assert alert.to == [SUPPLIER]
    assert "Elbilar för Svärdsjö" in alert.body
    assert "CPV för tjänster" not in alert.body and "hemtjänstgrupp" not in alert.body
    leave_url = mail_link(alert, "/kommande/alerts/unsubscribe/")
    assert alert.extra_headers["List-Unsubscribe"] == f"<{leave_url}>"
    assert alerts.run_alerts().mails == 0  # each procurement reaches the subscriber once

    # The link from the mail shows the alert (a mail scanner following it ends nothing); the button ends
    # it, and nothing of it is kept.
    response = page.goto(leave_url)
    assert response.status == 200
    expect(page.locator("main")).to_contain_text(SUPPLIER)
    assert Subscription.objects.filter(email=SUPPLIER).exists()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_be_visible()
    assert not Subscription.objects.filter(email=SUPPLIER).exists()
    screenshot(page, "pipeline-unsubscribed")
