"""The queued work, as django-tasks tasks: a worker (``govlens worker``) picks them from the database queue."""

from __future__ import annotations

from django_tasks import task

from govlens.web.jobs.services import release_job_run


@task()
def release_task(job_id: int) -> str:
    """Compute and publish the release of one job; returns the release id ('' when another worker had it)."""
    job = release_job_run(job_id=job_id)
    return job.release_id if job is not None else ""
