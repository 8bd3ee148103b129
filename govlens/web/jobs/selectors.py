"""Reads of release jobs (analysts and administrators only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from govlens.web.accounts.selectors import AnyUser, is_manager
from govlens.web.collection.models import Response
from govlens.web.cycles.models import Cycle
from govlens.web.errors import NotAllowed, NotFound
from govlens.web.jobs.models import JobStatus, ReleaseJob, WorkerSeen
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


def worker_last_seen() -> dt.datetime | None:
    """When a queue worker last showed it was alive (None: no worker ever ran on this database)."""
    seen = WorkerSeen.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return seen


def worker_running(*, timings: JobTimings | None = None, now: dt.datetime | None = None) -> bool:
    """True when a worker was seen within GOVLENS_JOB_STALE_SECONDS (it records itself every heartbeat)."""
    seen = worker_last_seen()
    timings = timings or job_timings()
    return seen is not None and seen >= (now or timezone.now()) - dt.timedelta(seconds=timings.stale)


def release_files(release_id: str) -> list[str]:
    """The names of the files written for a release (reports and profiles, every language), sorted."""
    from govlens.web.jobs.services import outputs_directory

    folder = outputs_directory() / release_id
    if not release_id or "/" in release_id or release_id.startswith(".") or not folder.is_dir():
        return []
    return sorted(path.name for path in folder.iterdir() if path.is_file() and not path.name.startswith("."))


def country_statuses(cycle: Cycle) -> list[tuple[str, str]]:
    """(ISO3, status) of every country of the cycle, by code."""
    return list(Response.objects.filter(cycle=cycle).order_by("country__iso3").values_list("country__iso3", "status"))


@dataclass(frozen=True)
class ReleaseRow:
    release_id: str
    created: str
    state: str
    partial: bool


def cycle_releases(cycle_slug: str) -> list[ReleaseRow]:
    """The releases of a cycle, newest first, with their publication state."""
    import json

    from govlens.release import publications, release_path
    from govlens.web.jobs.services import release_directory

    rows = []
    for release_id, created, publication in reversed(publications(release_directory())):
        try:
            data = json.loads(release_path(release_id, release_directory()).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        inputs = data.get("inputs", {}) if isinstance(data, dict) else {}
        if inputs.get("cycle") != cycle_slug:
            continue
        rows.append(ReleaseRow(release_id, created, publication.state.value, bool(inputs.get("partial", False))))
    return rows
