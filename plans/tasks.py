"""Background work. A task takes primary keys, loads the objects and calls a service."""

from celery import shared_task

from . import services
from .models import ImportJob


@shared_task
def check_import(job_id: int) -> str:
    """Read and check every row of an uploaded file: the preview the officer confirms."""
    job = ImportJob.objects.select_related("plan__municipality").get(pk=job_id)
    services.import_job_run(job=job, apply=False)
    return job.status


@shared_task
def apply_import(job_id: int) -> str:
    """Import a checked file, in one transaction."""
    job = ImportJob.objects.select_related("plan__municipality").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return job.status  # already done, or refused: running twice changes nothing
    services.import_job_run(job=job, apply=True)
    return job.status


@shared_task
def send_notification(notification_id: int) -> bool:
    """Mail one queued notification (claimed first, so a second delivery sends nothing)."""
    from .notifications import send

    return send(notification_id)


@shared_task
def drain_outbox() -> int:
    """Send whatever waits in the outbox, e.g. what was queued while the broker was down."""
    from .notifications import drain

    return drain()


@shared_task
def daily_remiss_jobs() -> dict:
    """For every plan on remiss today: keep its opening snapshot, announce it, remind before it closes."""
    from django.utils import timezone

    from .notifications import notify_remiss_opened, plans_in_remiss, send_reminders
    from .review import ensure_snapshot

    today = timezone.localdate()
    counts = {"plans": 0, "opened": 0, "reminders": 0}
    for plan in plans_in_remiss(today):
        ensure_snapshot(plan)
        counts["plans"] += 1
        counts["opened"] += notify_remiss_opened(plan)
        counts["reminders"] += send_reminders(plan, today)
    return counts


@shared_task
def weekly_digests() -> int:
    """Each plan on remiss: the week's activity to everyone taking part."""
    from django.utils import timezone

    from .notifications import plans_in_remiss, send_weekly_digest

    today = timezone.localdate()
    return sum(send_weekly_digest(plan, today) for plan in plans_in_remiss(today))


@shared_task
def weekly_radar() -> int:
    """Each procurement centre: the contracts running out without a successor, to its officers, weekly."""
    from django.utils import timezone

    from .radar import notify_radar

    return notify_radar(timezone.localdate())
