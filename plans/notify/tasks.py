"""Periodic work: the remiss mails, the digests, the contract radar and the outbox's drain. Each task
is declared in procurement/celery.py's schedule, is safe to run twice, and never decides a plan's phase.

The tasks keep the names they had when they lived in plans/tasks.py, so that the schedule, messages
already queued and a worker of the previous release agree on them."""

from celery import shared_task
from django.utils import timezone

from plans.followup.radar import notify_radar
from plans.notify.notifications import (
    notify_remiss_opened,
    plans_in_remiss,
    send_reminders,
    send_weekly_digest,
)
from plans.notify.outbox import drain
from plans.remiss.review import ensure_snapshot


@shared_task(name="plans.tasks.drain_outbox")
def drain_outbox() -> int:
    """Send whatever waits in the outbox, e.g. what was queued while the broker was down."""
    return drain()


@shared_task(name="plans.tasks.daily_remiss_jobs")
def daily_remiss_jobs() -> dict:
    """For every plan on remiss today: keep its opening snapshot, announce it, remind before it closes."""
    today = timezone.localdate()
    counts = {"plans": 0, "opened": 0, "reminders": 0}
    for plan in plans_in_remiss(today):
        ensure_snapshot(plan)
        counts["plans"] += 1
        counts["opened"] += notify_remiss_opened(plan)
        counts["reminders"] += send_reminders(plan, today)
    return counts


@shared_task(name="plans.tasks.weekly_digests")
def weekly_digests() -> int:
    """Each plan on remiss: the week's activity to everyone taking part."""
    today = timezone.localdate()
    return sum(send_weekly_digest(plan, today) for plan in plans_in_remiss(today))


@shared_task(name="plans.tasks.weekly_radar")
def weekly_radar() -> int:
    """Each procurement centre: the contracts running out without a successor, to its officers, weekly."""
    return notify_radar(timezone.localdate())
