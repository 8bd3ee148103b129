"""Reads of release jobs (analysts and administrators only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from govlens.web.accounts.selectors import AnyUser, is_manager
from govlens.web.errors import NotAllowed, NotFound
from govlens.web.jobs.models import JobStatus, ReleaseJob
from govlens.web.jobs.services import JobTimings, job_timings


def can_publish(user: AnyUser | None) -> bool:
    """Who may request a release and follow its job."""
    return is_manager(user)


def job_get(*, user: AnyUser | None, job_id: int) -> ReleaseJob:
    if not can_publish(user):
        raise NotAllowed("only analysts and administrators may follow release jobs")
    job = ReleaseJob.objects.select_related("cycle", "requested_by").filter(pk=job_id).first()
    if job is None:
        raise NotFound(f"no release job {job_id}")
    return job


def jobs_of_cycle(*, user: AnyUser | None, cycle_slug: str, limit: int = 10) -> QuerySet[ReleaseJob]:
    if not can_publish(user):
        raise NotAllowed("only analysts and administrators may follow release jobs")
    return ReleaseJob.objects.select_related("requested_by").filter(cycle__slug=cycle_slug)[:limit]


def job_is_stale(job: ReleaseJob, *, timings: JobTimings | None = None, now: dt.datetime | None = None) -> bool:
    """A running job whose worker stopped beating, or that is past its time limit, for GOVLENS_JOB_STALE_SECONDS
    (the test ``services.release_jobs_reap`` applies; here without touching the database)."""
    if job.status != JobStatus.RUNNING.value:
        return False
    timings = timings or job_timings()
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=timings.stale)
    seen = job.heartbeat_at or job.started_at
    return (seen is not None and seen < cutoff) or (job.deadline_at is not None and job.deadline_at < cutoff)


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def job_state(job: ReleaseJob) -> dict[str, Any]:
    """What the status page polls: status, step, done/total, the release once there, the error if any."""
    return {
        "id": job.pk,
        "cycle": job.cycle.slug,
        "status": job.status,
        "finished": job.finished,
        "step": job.step,
        "detail": job.detail,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "release": job.release_id or None,
        "files": list(job.files),
        "error": job.error or None,
        "stop_reason": job.stop_reason or None,
        "heartbeat_at": _iso(job.heartbeat_at),
        "deadline_at": _iso(job.deadline_at),
    }
