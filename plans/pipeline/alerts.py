"""
Suppliers' alerts (issue 17): a saved search by e-mail, confirmed twice, a weekly mail of what is new.

- subscribe(): one subscription per address and search, however often it is asked for; the confirmation
  link is mailed at most once an hour per subscription and three times an hour per address, so the form
  cannot be used to flood someone's inbox. The answer is the same whether the address was new, waiting or
  confirmed: the page reveals nothing about who follows what.
- confirm(): the signed link (CONFIRM_DAYS valid) confirms once; used again, expired or tampered with, it
  changes nothing and says why. An unconfirmed address gets no mail but the confirmation, and is forgotten
  when its link expires.
- run_alerts(): each week, first stamps what has become public since (Procurement.public_since, set once),
  then mails every confirmed subscriber the matches stamped after their watermark (sent_until) and moves
  it: each procurement reaches each subscriber once. Subscribers of the same search with the same
  watermark share one search and one rendering of the list.
- unsubscribe(): the link in every mail leads to one button, and the mail program's one-click unsubscribe
  (the List-Unsubscribe and List-Unsubscribe-Post headers, RFC 8058) needs no page at all; either deletes
  the subscription: nothing of it is kept.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from plans.models import Procurement, Subscription
from plans.notify.outbox import link, render_mail
from plans.pipeline import search as pipeline_search

log = logging.getLogger(__name__)
LANGUAGE = "sv"
CONFIRM_DAYS = 7
RESEND_AFTER = timedelta(hours=1)
CONFIRMATIONS_PER_HOUR = 3
MAX_SEARCHES_PER_ADDRESS = 25
# A mail lists at most this many new procurements, then links to the search for the rest.
MAX_LISTED = 50
CONFIRM_SALT = "plans.pipeline.confirm"
UNSUBSCRIBE_SALT = "plans.pipeline.unsubscribe"


class Refused(Exception):
    """A subscription that cannot be made, with the reason in the user's language."""


def normal_address(email: str) -> str:
    """One spelling per address: surrounding spaces off, lower case (providers ignore case)."""
    return email.strip().lower()


def subscribe(*, email: str, query: str, now=None) -> Subscription:
    """The subscription of this address to this search, made once; its confirmation link mailed unless it
    is confirmed or was mailed within the hour (sent after the transaction commits)."""
    now = now or timezone.now()
    email = normal_address(email)
    existing = Subscription.objects.filter(email=email).values_list("query", flat=True)
    if query not in existing and len(existing) >= MAX_SEARCHES_PER_ADDRESS:
        raise Refused(
            translation.gettext("An address can follow at most %(count)s searches.")
            % {"count": MAX_SEARCHES_PER_ADDRESS}
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                subscription, _created = Subscription.objects.get_or_create(email=email, query=query)
        except IntegrityError:  # the same address and search, subscribed at the same moment
            subscription = Subscription.objects.get(email=email, query=query)
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.confirmed or not _may_send_confirmation(subscription, now):
            return subscription
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
        pk = subscription.pk
        transaction.on_commit(lambda: _confirmation_soon(pk))
    return subscription


def _may_send_confirmation(subscription: Subscription, now) -> bool:
    if subscription.confirmation_sent_at and now - subscription.confirmation_sent_at < RESEND_AFTER:
        return False
    recent = Subscription.objects.filter(
        email=subscription.email, confirmation_sent_at__gt=now - RESEND_AFTER
    ).count()
    return recent < CONFIRMATIONS_PER_HOUR


def _confirmation_soon(subscription_id: int) -> None:
    """The confirmation by a worker; with the broker down, at once in this process."""
    try:
        send_confirmation.delay(subscription_id)
    except Exception:
        log.warning("Confirmation %s sent in-process: no broker", subscription_id, exc_info=True)
        try:
            send_confirmation_now(subscription_id)
        except Exception:
            log.exception("Confirmation %s not sent", subscription_id)


@shared_task(name="plans.pipeline.send_confirmation")
def send_confirmation(subscription_id: int) -> bool:
    return send_confirmation_now(subscription_id)


def send_confirmation_now(subscription_id: int) -> bool:
    subscription = Subscription.objects.filter(pk=subscription_id, confirmed_at__isnull=True).first()
    if subscription is None:
        return False
    filterset, _ignored = pipeline_search.search(subscription.query)
    context = {
        "subscription": subscription,
        "search": pipeline_search.described(filterset),
        "search_url": search_url(subscription.query),
        "confirm_url": link(reverse("pipeline:confirm", args=[confirm_token(subscription)])),
        "days": CONFIRM_DAYS,
    }
    subject, body = render_mail("plans/pipeline/mail/confirm.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [subscription.email]).send()
    return True


# --- Links ----------------------------------------------------------------------------------------------


def search_url(query: str) -> str:
    return link(reverse("pipeline:coming") + (f"?{query}" if query else ""))


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps({"s": subscription.pk, "e": subscription.email}, salt=CONFIRM_SALT, compress=True)


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(
        {"s": subscription.pk, "e": subscription.email}, salt=UNSUBSCRIBE_SALT, compress=True
    )


def unsubscribe_url(subscription: Subscription) -> str:
    return link(reverse("pipeline:unsubscribe", args=[unsubscribe_token(subscription)]))


# --- Confirming and leaving -------------------------------------------------------------------------------


class LinkState:
    CONFIRMED = "confirmed"
    ALREADY = "already"
    EXPIRED = "expired"
    INVALID = "invalid"
    GONE = "gone"


def _subscription_of(token: str, salt: str, max_age=None) -> tuple[str, Subscription | None]:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        return LinkState.EXPIRED, None
    except signing.BadSignature:
        return LinkState.INVALID, None
    if not isinstance(payload, dict):
        return LinkState.INVALID, None
    subscription = Subscription.objects.filter(pk=payload.get("s"), email=payload.get("e")).first()
    return ("" if subscription else LinkState.GONE), subscription


def confirmation_state(token: str) -> tuple[str, Subscription | None]:
    """What the link would do, without doing it: "" (it would confirm) or why not."""
    state, subscription = _subscription_of(token, CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS))
    if subscription is not None and subscription.confirmed:
        return LinkState.ALREADY, subscription
    return state, subscription


def confirm(token: str, *, now=None) -> tuple[str, Subscription | None]:
    """Confirm the subscription of the link, once: (LinkState, subscription). Alerts start with what becomes
    public from now on: what is already there was on the page the subscriber saw."""
    now = now or timezone.now()
    state, subscription = confirmation_state(token)
    if state:
        return state, subscription
    stamp_public(now)
    updated = Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=now, sent_until=now
    )
    if not updated:  # confirmed by a second click at the same moment
        return LinkState.ALREADY, subscription
    subscription.refresh_from_db()
    return LinkState.CONFIRMED, subscription


def unsubscribe_state(token: str) -> tuple[str, Subscription | None]:
    """What the leave link would end, without ending it: ("", subscription) or why not."""
    return _subscription_of(token, UNSUBSCRIBE_SALT)


def unsubscribe(token: str) -> tuple[str, Subscription | None]:
    """Delete the subscription of the link: (LinkState, the subscription as it was). Idempotent."""
    state, subscription = _subscription_of(token, UNSUBSCRIBE_SALT)
    if subscription is not None:
        Subscription.objects.filter(pk=subscription.pk).delete()
    return state or LinkState.CONFIRMED, subscription


def forget_unconfirmed(now=None) -> int:
    """Delete the subscriptions whose confirmation link has expired unused: nothing is kept of them."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=CONFIRM_DAYS)
    deleted, _per_model = (
        Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
        .exclude(confirmation_sent_at__gte=cutoff)
        .delete()
    )
    return deleted


# --- The weekly run ------------------------------------------------------------------------------------


def stamp_public(now=None) -> int:
    """Mark every coming procurement not yet marked as public from now: the moment alerts count from."""
    now = now or timezone.now()
    coming = pipeline_search.coming(timezone.localdate(now)).filter(public_since__isnull=True)
    return Procurement.objects.filter(pk__in=coming.values("pk")).update(public_since=now)


@dataclass
class AlertRun:
    subscriptions: int = 0
    mails: int = 0
    searches: int = 0
    failed: int = 0


def run_alerts(now=None) -> AlertRun:
    """Mail each confirmed subscriber what matches their search and became public since their last mail."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    stamp_public(now)
    forget_unconfirmed(now)
    run = AlertRun()
    groups = defaultdict(list)
    for pk, email, query, since in _claim_due(now):
        groups[(query, since)].append((pk, email))
    municipalities = pipeline_search.public_municipalities(today)
    connection = get_connection()
    with translation.override(LANGUAGE):
        for (query, since), subscribers in groups.items():
            run.searches += 1
            run.subscriptions += len(subscribers)
            sent, failed = _alert_group(
                query,
                since,
                subscribers,
                now=now,
                today=today,
                municipalities=municipalities,
                connection=connection,
            )
            run.mails += sent
            run.failed += failed
    return run


def _claim_due(now) -> list[tuple]:
    """The confirmed subscriptions not mailed up to now: (pk, email, query, sent_until) each."""
    return list(
        Subscription.objects.filter(confirmed_at__isnull=False, sent_until__lt=now).values_list(
            "pk", "email", "query", "sent_until"
        )
    )


def _claim(subscribers, since, now) -> set[int]:
    """Move the watermark of those of the group still at since (a second run at the same time finds
    none of them): the ones this run mails."""
    with transaction.atomic():
        claimed = set(
            Subscription.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[pk for pk, _email in subscribers], sent_until=since)
            .values_list("pk", flat=True)
        )
        Subscription.objects.filter(pk__in=claimed).update(sent_until=now)
    return claimed


def _alert_group(query, since, subscribers, *, now, today, municipalities, connection) -> tuple[int, int]:
    """Claim the group's subscribers (their watermark moves to now), then mail them the search's matches
    that became public between since and now. If the mails cannot be sent, the group gets its watermark
    back, and the same matches next week. A saved search with a filter that can no longer be used (a
    quarter that has passed, a municipality with no public plan left) sends nothing: without the filter
    it would be a wider search than the one subscribed to."""
    filterset, ignored = pipeline_search.search(query, today=today, municipalities=municipalities)
    claimed = _claim(subscribers, since, now)
    subscribers = [(pk, email) for pk, email in subscribers if pk in claimed]
    if ignored or not subscribers:
        return 0, 0
    matches = list(
        filterset.qs.filter(public_since__gt=since, public_since__lte=now)
        .select_related("plan__municipality")
        .only(
            "ref",
            "title",
            "planned_advertisement",
            "cpv",
            "plan__year",
            "plan__municipality__slug",
            "plan__municipality__name",
            "plan__adopted_on",
        )[: MAX_LISTED + 1]
    )
    if not matches:
        return 0, 0
    plan_urls = {}
    rows = []
    for procurement in matches[:MAX_LISTED]:
        plan = procurement.plan
        if plan.pk not in plan_urls:
            plan_urls[plan.pk] = plan.get_absolute_url()
        rows.append(
            {
                "title": procurement.title,
                "municipality": plan.municipality.name,
                "draft": plan.adopted_on is None,
                "advertised": procurement.planned_advertisement.isoformat(),
                "cpv": procurement.cpv,
                "url": link(Procurement.address(plan_urls[plan.pk], procurement.ref)),
            }
        )
    listing = {
        "matches": rows,
        "more": len(matches) > MAX_LISTED,
        "search": pipeline_search.described(filterset),
        "search_url": search_url(query),
    }
    subject, body = render_mail("plans/pipeline/mail/alert.txt", listing)
    messages = []
    for pk, email in subscribers:
        leave = unsubscribe_url(Subscription(pk=pk, email=email))
        footer = render_to_string("plans/pipeline/mail/alert_footer.txt", {"unsubscribe_url": leave})
        messages.append(
            EmailMessage(
                subject,
                f"{body}\n\n{footer.strip()}\n",
                settings.DEFAULT_FROM_EMAIL,
                [email],
                headers={
                    "List-Unsubscribe": f"<{leave}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
        )
    try:
        sent = connection.send_messages(messages) or 0
    except Exception:
        log.exception("Alerts for %s subscribers not sent; they get them next week", len(messages))
        Subscription.objects.filter(pk__in=[pk for pk, _email in subscribers]).update(sent_until=since)
        return 0, len(messages)
    return sent, len(messages) - sent


@shared_task(name="plans.pipeline.weekly_alerts")
def weekly_alerts() -> int:
    """The weekly alert run (beat schedule, procurement/celery.py): the number of mails sent."""
    return run_alerts().mails
