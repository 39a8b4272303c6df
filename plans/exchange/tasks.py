"""Background work of the import: a task takes the job's key, loads it and calls the service. The tasks keep
the names they had in plans/tasks.py (queued messages and the previous release's worker agree)."""

from celery import shared_task

from plans.exchange.services import import_job_run
from plans.models import ImportJob


@shared_task(name="plans.tasks.check_import")
def check_import(job_id: int) -> str:
    """Read and check every row of an uploaded file: the preview the officer confirms."""
    job = ImportJob.objects.select_related("plan__municipality").get(pk=job_id)
    import_job_run(job=job, apply=False)
    return job.status


@shared_task(name="plans.tasks.apply_import")
def apply_import(job_id: int) -> str:
    """Import a checked file, in one transaction."""
    job = ImportJob.objects.select_related("plan__municipality").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORTING:
        return job.status  # already done, or refused: running twice changes nothing
    import_job_run(job=job, apply=True)
    return job.status
