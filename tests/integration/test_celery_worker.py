"""A real Celery worker on Redis checks and imports an uploaded plan file."""

import pytest
from django.core.files.base import ContentFile

from plans.exchange import tasks as import_tasks
from plans.models import ImportJob, Procurement
from plans.notify import tasks
from tests.plans.exchange.test_imports import csv_bytes, row

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("media")]


def test_a_worker_checks_and_imports_a_file(celery_worker, falun_plan, serv, officer):
    job = ImportJob(plan=falun_plan, user=officer, filename="plan.csv")
    job.file.save("plan.csv", ContentFile(csv_bytes([row(), row(Ref="2027-002")])), save=True)

    assert import_tasks.check_import.delay(job.pk).get(timeout=60) == ImportJob.Status.READY
    job.refresh_from_db()
    assert job.result["created"] == ["2027-001", "2027-002"]
    assert not Procurement.objects.exists()

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    assert import_tasks.apply_import.delay(job.pk).get(timeout=60) == ImportJob.Status.DONE
    assert Procurement.objects.filter(plan=falun_plan).count() == 2
    # Delivered twice (a retry, a second worker): the second run changes nothing.
    assert import_tasks.apply_import.delay(job.pk).get(timeout=60) == ImportJob.Status.DONE
    assert Procurement.objects.filter(plan=falun_plan).count() == 2


def test_a_worker_delivers_a_weekly_digest(celery_worker, falun_plan, serv, politician, officer):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine
    from django.core import mail

    from plans.models import Notification
    from plans.remiss.review import review_give_guidance
    from tests.factories import ProcurementFactory

    procurement = ProcurementFactory(plan=falun_plan, department=serv, estimated_value_sek=150_000_000)
    with time_machine.travel(datetime(2026, 9, 14, 7, tzinfo=ZoneInfo("Europe/Stockholm"))):
        review_give_guidance(procurement=procurement, kind="within_frame", text="Inom ram", user=politician)
        queued = tasks.weekly_digests.delay().get(timeout=60)
    assert queued >= 2
    # The digests were queued in the worker's transaction and sent by send_notification on the worker.
    deadline = 60
    import time

    # Waiting on the outbox, not on the table: on SQLite a read here while the worker claims a row can
    # lock the table under the worker (each send claims its row before it sends).
    while len(mail.outbox) < queued and deadline:
        time.sleep(0.5)
        deadline -= 0.5
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [politician.email, officer.email]
    )
