"""The Celery app. Without REDIS_URL, settings make tasks run in-process (CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procurement.settings")

app = Celery("procurement")
app.config_from_object("django.conf:settings", namespace="CELERY")
# The parts of plans/ that have background work: plans.notify.tasks (the periodic jobs and, through
# the outbox, each mail), plans.exchange.tasks (checking and applying an import) and plans.pipeline.tasks
# (suppliers' confirmations and weekly alerts).
app.autodiscover_tasks(["plans.notify", "plans.exchange", "plans.pipeline"])

# Every periodic job, in one place. Each is safe to run twice (send-once records, claimed rows), and
# none decides a plan's phase: they read it from the calendar like everyone else.
app.conf.beat_schedule = {
    # Every day at 06:00: snapshot plans whose remiss opened, announce it, remind 14 days before it closes.
    "daily-remiss-jobs": {"task": "plans.tasks.daily_remiss_jobs", "schedule": crontab(hour=6, minute=0)},
    # Every Monday at 07:00: the week's activity in each remiss.
    "weekly-digests": {
        "task": "plans.tasks.weekly_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # Every Monday at 07:30: the contract-expiry radar, each contract once a week to the centre's officers.
    "weekly-radar": {
        "task": "plans.tasks.weekly_radar",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Every Monday at 06:30: suppliers' alerts of the coming procurements that became public in the week.
    "weekly-supplier-alerts": {
        "task": "plans.pipeline.weekly_alerts",
        "schedule": crontab(hour=6, minute=30, day_of_week="mon"),
    },
    # Every five minutes: send what waits in the outbox (queued while the broker was down, or failed).
    "drain-outbox": {"task": "plans.tasks.drain_outbox", "schedule": crontab(minute="*/5")},
}
