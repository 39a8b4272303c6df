"""
The outbox: a notification is first written as a row in the same transaction as what caused it, then
sent by a separate step that claims each unsent row before mailing it. Running a job twice sends
nothing twice, and when the broker is down the rows wait for the next drain.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from plans.models import Notification

log = logging.getLogger(__name__)
LANGUAGE = "sv"  # mails go out in the product's language


def link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_mail(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) of a mail template whose first line is the subject, in the product's language."""
    with translation.override(LANGUAGE):
        text = render_to_string(template, {**context, "site_url": settings.SITE_URL})
    subject, _separator, body = text.strip().partition("\n")
    return subject.strip()[:200], body.strip()


def queue(*, user, kind: str, occasion: str, template: str, context: dict) -> Notification | None:
    """Write the notification unless this person already has one for this occasion; send after commit."""
    if not user.email:
        return None
    subject, body = render_mail(template, {**context, "user": user})
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, occasion=occasion, subject=subject, body=body
            )
    except IntegrityError:
        return None  # already queued (or sent) for this occasion
    transaction.on_commit(lambda: _send_soon(notification.pk))
    return notification


def _send_soon(notification_id: int) -> None:
    """Hand the sending to a worker; if the broker is down, the outbox drain sends it later."""
    try:
        send_notification.delay(notification_id)
    except Exception:  # the broker or the mail server is down: the row stays unsent and is drained later
        log.warning("Notification %s not sent now; it waits in the outbox", notification_id, exc_info=True)


# The task keeps the name it had before the outbox had a module of its own: messages already queued
# under it (and a worker of the previous release) still find it.
@shared_task(name="plans.tasks.send_notification")
def send_notification(notification_id: int) -> bool:
    """Mail one queued notification (claimed first, so a second delivery sends nothing)."""
    return send(notification_id)


def send(notification_id: int) -> bool:
    """Claim one unsent notification and mail it; False when someone else already sent it."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(sent_at=now)
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        send_mail(notification.subject, notification.body, None, [notification.user.email])
    except Exception:
        Notification.objects.filter(pk=notification_id).update(sent_at=None)  # try again at the next drain
        raise
    return True


def drain() -> int:
    """Send every notification still waiting in the outbox."""
    sent = 0
    for notification_id in Notification.objects.filter(sent_at__isnull=True).values_list("pk", flat=True):
        try:
            sent += send(notification_id)
        except Exception:
            log.exception("Could not send notification %s", notification_id)
    return sent
