"""A real Celery worker on Redis checks and imports an uploaded plan file."""

import pytest
from django.core.files.base import ContentFile

from plans import tasks
from plans.models import ImportJob, Procurement
from tests.plans.test_imports import csv_bytes, row

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_worker_checks_and_imports_a_file(celery_worker, falun_plan, serv, officer):
    job = ImportJob(plan=falun_plan, user=officer, filename="plan.csv")
    job.file.save("plan.csv", ContentFile(csv_bytes([row(), row(Ref="2027-002")])), save=True)

    assert tasks.check_import.delay(job.pk).get(timeout=60) == ImportJob.Status.READY
    job.refresh_from_db()
    assert job.result["created"] == ["2027-001", "2027-002"]
    assert not Procurement.objects.exists()

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.IMPORTING)
    assert tasks.apply_import.delay(job.pk).get(timeout=60) == ImportJob.Status.DONE
    assert Procurement.objects.filter(plan=falun_plan).count() == 2
    # Delivered twice (a retry, a second worker): the second run changes nothing.
    assert tasks.apply_import.delay(job.pk).get(timeout=60) == ImportJob.Status.DONE
    assert Procurement.objects.filter(plan=falun_plan).count() == 2
