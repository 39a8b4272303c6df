"""Suppliers' alerts: double opt-in, a weekly mail of what is new, each procurement once, one-click leave."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail, signing

from plans.models import Procurement, Subscription
from plans.pipeline import alerts
from tests.factories import ProcurementFactory
from tests.plans.pipeline.conftest import NOW

pytestmark = pytest.mark.django_db


def link_in(message, name):
    return re.search(rf"http://[^\s]+/kommande/alerts/{name}/[^\s]+/", message.body).group(0)


def token_of(url):
    return url.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def subscribed(run_on_commit):
    """An address that followed "skolmåltider" and confirmed it."""

    def make(email="inkop@leverantor.se", query="q=skolm%C3%A5ltider", at=NOW):
        with time_machine.travel(at, tick=False):
            run_on_commit(alerts.subscribe, email=email, query=query)
            confirmation = mail.outbox[-1]
            state, subscription = alerts.confirm(token_of(link_in(confirmation, "confirm")))
        assert state == alerts.LinkState.CONFIRMED
        return subscription

    return make


def test_subscribing_sends_one_confirmation_and_nothing_else(run_on_commit):
    run_on_commit(alerts.subscribe, email="Inkop@Leverantor.se ", query="q=bilar")
    assert Subscription.objects.get().email == "inkop@leverantor.se"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["inkop@leverantor.se"]
    assert "Bekräfta" in message.subject or "Confirm" in message.subject
    assert "/kommande/alerts/confirm/" in message.body


def test_the_same_address_and_search_twice_make_one_subscription(run_on_commit):
    run_on_commit(alerts.subscribe, email="a@b.se", query="q=bilar")
    run_on_commit(alerts.subscribe, email="A@B.se", query="q=bilar")
    assert Subscription.objects.count() == 1
    # Within the hour the link is not mailed again: the form cannot flood an inbox.
    assert len(mail.outbox) == 1
    with time_machine.travel(NOW + timedelta(hours=1, minutes=1), tick=False):
        run_on_commit(alerts.subscribe, email="a@b.se", query="q=bilar")
    assert len(mail.outbox) == 2
    assert Subscription.objects.count() == 1


def test_at_most_three_confirmations_an_hour_per_address(run_on_commit):
    for word in ("a", "b", "c", "d", "e"):
        run_on_commit(alerts.subscribe, email="a@b.se", query=f"q={word}")
    assert Subscription.objects.count() == 5
    assert len(mail.outbox) == alerts.CONFIRMATIONS_PER_HOUR


def test_an_address_follows_a_limited_number_of_searches(run_on_commit):
    for number in range(alerts.MAX_SEARCHES_PER_ADDRESS):
        Subscription.objects.create(email="a@b.se", query=f"q=w{number}")
    with pytest.raises(alerts.Refused):
        alerts.subscribe(email="a@b.se", query="q=one-more")
    # The same search again is no new one.
    alerts.subscribe(email="a@b.se", query="q=w0")
    assert Subscription.objects.count() == alerts.MAX_SEARCHES_PER_ADDRESS


def test_a_confirmed_subscription_gets_no_second_confirmation(subscribed, run_on_commit):
    subscribed()
    sent = len(mail.outbox)
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        run_on_commit(alerts.subscribe, email="inkop@leverantor.se", query="q=skolm%C3%A5ltider")
    assert len(mail.outbox) == sent


def test_the_confirmation_link_works_once(run_on_commit):
    run_on_commit(alerts.subscribe, email="a@b.se", query="q=bilar")
    token = token_of(link_in(mail.outbox[0], "confirm"))
    assert alerts.confirmation_state(token)[0] == ""
    assert alerts.confirm(token)[0] == alerts.LinkState.CONFIRMED
    confirmed_at = Subscription.objects.get().confirmed_at
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        assert alerts.confirm(token)[0] == alerts.LinkState.ALREADY
    assert Subscription.objects.get().confirmed_at == confirmed_at


@pytest.mark.parametrize(
    ("tamper", "state"),
    [
        (lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), alerts.LinkState.INVALID),
        (lambda token: token[: len(token) // 2], alerts.LinkState.INVALID),
        (lambda token: "", alerts.LinkState.INVALID),
        (lambda token: "x" * 500, alerts.LinkState.INVALID),
        # Signed right, but for the unsubscribe link's purpose: not a confirmation.
        (
            lambda token: signing.dumps({"s": 1, "e": "a@b.se"}, salt=alerts.UNSUBSCRIBE_SALT),
            alerts.LinkState.INVALID,
        ),
        (lambda token: signing.dumps([1], salt=alerts.CONFIRM_SALT), alerts.LinkState.INVALID),
        (
            lambda token: signing.dumps({"s": 9999, "e": "a@b.se"}, salt=alerts.CONFIRM_SALT),
            alerts.LinkState.GONE,
        ),
    ],
)
def test_a_tampered_confirmation_link_changes_nothing(run_on_commit, tamper, state):
    run_on_commit(alerts.subscribe, email="a@b.se", query="q=bilar")
    token = token_of(link_in(mail.outbox[0], "confirm"))
    assert alerts.confirm(tamper(token))[0] == state
    assert Subscription.objects.get().confirmed_at is None


def test_an_expired_confirmation_link_changes_nothing(run_on_commit):
    run_on_commit(alerts.subscribe, email="a@b.se", query="q=bilar")
    token = token_of(link_in(mail.outbox[0], "confirm"))
    with time_machine.travel(NOW + timedelta(days=alerts.CONFIRM_DAYS, seconds=1), tick=False):
        assert alerts.confirm(token)[0] == alerts.LinkState.EXPIRED
    assert Subscription.objects.get().confirmed_at is None


@pytest.mark.parametrize(
    ("days", "kept"),
    [(alerts.CONFIRM_DAYS - 1, True), (alerts.CONFIRM_DAYS, True), (alerts.CONFIRM_DAYS + 1, False)],
)
def test_an_unconfirmed_address_is_forgotten_when_its_link_expires(run_on_commit, days, kept):
    run_on_commit(alerts.subscribe, email="a@b.se", query="q=bilar")
    alerts.forget_unconfirmed(NOW + timedelta(days=days))
    assert Subscription.objects.exists() is kept


def test_an_unconfirmed_address_gets_no_alert(run_on_commit, coming_one):
    run_on_commit(alerts.subscribe, email="a@b.se", query="q=skolm%C3%A5ltider")
    mail.outbox.clear()
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        run = alerts.run_alerts()
    assert run.mails == 0
    assert mail.outbox == []


def test_what_was_public_at_confirmation_is_not_news(subscribed, coming_one):
    subscribed()
    mail.outbox.clear()
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        assert alerts.run_alerts().mails == 0


def test_a_new_match_is_mailed_once(subscribed, public_plan, serv):
    subscription = subscribed()
    mail.outbox.clear()
    later = NOW + timedelta(days=2)
    with time_machine.travel(later, tick=False):
        new = ProcurementFactory(
            plan=public_plan,
            department=serv,
            title="Skolmåltider, Slätta skola",
            planned_advertisement=date(2027, 4, 1),
        )
        ProcurementFactory(
            plan=public_plan, department=serv, title="Snöröjning", planned_advertisement=date(2027, 4, 1)
        )
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        run = alerts.run_alerts()
    assert run.mails == 1
    (message,) = mail.outbox
    assert message.to == [subscription.email]
    assert "Skolmåltider, Slätta skola" in message.body
    assert "Snöröjning" not in message.body
    assert new.get_absolute_url() in message.body
    # One click to leave, in the body and for the mail program (RFC 8058).
    assert link_in(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<{link_in(message, 'unsubscribe')}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The next week: nothing new, no mail; the procurement is never mailed again.
    mail.outbox.clear()
    with time_machine.travel(NOW + timedelta(days=14), tick=False):
        assert alerts.run_alerts().mails == 0
    Procurement.objects.filter(pk=new.pk).update(title="Skolmåltider, Slätta och Hosjö")
    with time_machine.travel(NOW + timedelta(days=21), tick=False):
        assert alerts.run_alerts().mails == 0
    assert mail.outbox == []


def test_a_plan_adopted_after_confirmation_brings_its_matches(subscribed, falun, serv):
    from tests.factories import PlanFactory

    draft = PlanFactory(municipality=falun, year=2028)
    ProcurementFactory(
        plan=draft, department=serv, title="Skolmåltider 2028", planned_advertisement=date(2028, 2, 1)
    )
    subscribed()
    mail.outbox.clear()
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        assert alerts.run_alerts().mails == 0
    draft.adopted_on = date(2026, 12, 8)
    draft.save()
    with time_machine.travel(NOW + timedelta(days=14), tick=False):
        assert alerts.run_alerts().mails == 1
    assert "Skolmåltider 2028" in mail.outbox[0].body


def test_a_confidential_value_and_description_never_reach_a_mail(subscribed, public_plan, serv):
    subscribed(query="")
    mail.outbox.clear()
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        ProcurementFactory(
            plan=public_plan,
            department=serv,
            title="Säkerhetstjänster",
            description="Bevakning av Lugnet, hemlig",
            estimated_value_sek=7_654_321,
            confidential=True,
            planned_advertisement=date(2027, 5, 1),
        )
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        alerts.run_alerts()
    (message,) = mail.outbox
    assert "Säkerhetstjänster" in message.body
    for secret in ("7654321", "7 654 321", "7\u00a0654\u00a0321", "hemlig"):
        assert secret not in message.body


def test_subscribers_of_one_search_share_it_and_each_gets_a_mail(subscribed, public_plan, serv):
    first = subscribed(email="a@a.se")
    second = subscribed(email="b@b.se")
    mail.outbox.clear()
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        ProcurementFactory(
            plan=public_plan, department=serv, title="Skolmåltider", planned_advertisement=date(2027, 5, 1)
        )
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        run = alerts.run_alerts()
    assert (run.mails, run.subscriptions) == (2, 2)
    assert sorted(message.to[0] for message in mail.outbox) == [first.email, second.email]
    # Each mail has its own way out.
    assert link_in(mail.outbox[0], "unsubscribe") != link_in(mail.outbox[1], "unsubscribe")


def test_a_failed_send_keeps_the_matches_for_next_week(subscribed, public_plan, serv, monkeypatch):
    subscribed()
    mail.outbox.clear()
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        ProcurementFactory(
            plan=public_plan, department=serv, title="Skolmåltider", planned_advertisement=date(2027, 5, 1)
        )

    def broken(self, messages):
        raise OSError("the mail server is down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        run = alerts.run_alerts()
    assert (run.mails, run.failed) == (0, 1)
    monkeypatch.undo()
    with time_machine.travel(NOW + timedelta(days=14), tick=False):
        assert alerts.run_alerts().mails == 1


def test_unsubscribing_deletes_everything_and_is_idempotent(subscribed):
    subscription = subscribed()
    token = alerts.unsubscribe_token(subscription)
    state, gone = alerts.unsubscribe(token)
    assert state == alerts.LinkState.CONFIRMED and gone.email == subscription.email
    assert not Subscription.objects.exists()
    assert alerts.unsubscribe(token) == (alerts.LinkState.GONE, None)
    assert alerts.unsubscribe(token[:-3])[0] == alerts.LinkState.INVALID


def test_the_mail_links_keep_every_filter(subscribed, public_plan, serv):
    subscribed(query="q=skolm%C3%A5ltider&municipality=falun&category=services")
    mail.outbox.clear()
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        ProcurementFactory(
            plan=public_plan,
            department=serv,
            title='Skolmåltider "A & O"',
            planned_advertisement=date(2027, 5, 1),
        )
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        alerts.run_alerts()
    (message,) = mail.outbox
    assert "q=skolm%C3%A5ltider&municipality=falun&category=services" in message.body
    assert "&amp;" not in message.body
    assert 'Skolmåltider "A & O"' in message.body


def test_a_saved_search_whose_filter_has_passed_sends_nothing(subscribed, public_plan, serv):
    """A quarter that has passed is no filter any more: without it the search would be every procurement."""
    subscribed(query="quarter=2026-4")
    mail.outbox.clear()
    with time_machine.travel(NOW + timedelta(days=40), tick=False):
        ProcurementFactory(plan=public_plan, department=serv, planned_advertisement=date(2027, 5, 1))
    with time_machine.travel(NOW + timedelta(days=45), tick=False):
        assert alerts.run_alerts().mails == 0
    assert mail.outbox == []
