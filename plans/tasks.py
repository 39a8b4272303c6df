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
