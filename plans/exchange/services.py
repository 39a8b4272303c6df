"""The import's own write: an uploaded file checked or imported, its outcome kept on the job."""

import contextlib

from plans.exchange.imports import plan_import
from plans.exchange.reading import ImportRefused
from plans.models import ImportJob


def import_job_run(*, job, apply: bool) -> None:
    """Check (apply=False) or import (apply=True) an uploaded file, and record the outcome on the job.

    Progress goes to the cache, not the database: the import's own transaction would hide it until the end.
    """
    from django.core.cache import cache
    from django.utils import timezone

    def progress(done, total):
        try:
            cache.set(job.progress_key, {"done": done, "total": total}, timeout=3600)
        except Exception:  # the cache (Redis) is down: the import goes on without a progress bar
            return

    with job.file.open("rb") as handle:
        content = handle.read()
    try:
        result = plan_import(
            plan=job.plan,
            filename=job.filename,
            content=content,
            user=job.user,
            create_departments=job.create_departments,
            dry_run=not apply,
            progress=progress,
        )
    except ImportRefused as refused:
        job.status, job.message, job.result = ImportJob.Status.REFUSED, str(refused), {}
    else:
        job.result = result.as_dict()
        if not result.ok:
            job.status = ImportJob.Status.REFUSED
        else:
            job.status = ImportJob.Status.DONE if apply else ImportJob.Status.READY
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "result", "finished_at"])
    with contextlib.suppress(Exception):  # the cache is down: the progress entry expires by itself
        cache.delete(job.progress_key)
