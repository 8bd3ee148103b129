"""Writes of the jobs app: request a release of a cycle (queued) and run it (in a worker).

``release_request`` checks the request and queues it; ``release_job_run`` is what a worker process calls. The
run claims its job row first (``SELECT ... FOR UPDATE`` and a status check), so a job handed to two workers is
computed once. Progress (step, done/total) is written to the job row as the work goes, outside any long
transaction, so the status page sees it at once.

A running job shows that its worker is alive: a heartbeat thread writes ``heartbeat_at`` every
GOVLENS_JOB_HEARTBEAT_SECONDS, and the job stops itself once it runs past GOVLENS_JOB_TIME_LIMIT_SECONDS. A job whose
worker died (killed, out of memory, machine lost) or that ran past its time limit is marked failed, with the
reason, by ``release_jobs_reap``: every worker runs it now and then, and the status page runs it for the job it
shows, so no page says "running" for ever. Such a job is not run again on its own: a job that killed its worker
would most likely kill the next one too, and one that died after saving its release would publish a second
release; the failure message says so, and an analyst requests the release again from the same page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.utils import timezone

from govlens.home import subdir
from govlens.release import (
    MIN_SCORED,
    PublicationState,
    Release,
    ReleaseError,
    ReleaseSettings,
    create_release,
    next_release_id,
    publication_set,
    release_settings_for,
    releases_dir,
    save_release,
)
from govlens.release.compute import not_approved_report
from govlens.web.accounts.selectors import Actor, is_manager, person
from govlens.web.audit.services import audit_record
from govlens.web.collection.models import Response, ResponseStatus
from govlens.web.collection.selectors import response_answers
from govlens.web.cycles.frameworks import cycle_framework, cycle_release_settings
from govlens.web.cycles.models import Cycle
from govlens.web.errors import Invalid, NotAllowed, NotFound
from govlens.web.jobs.models import JobStatus, ReleaseJob, StopReason

LANGUAGES = ("en", "es", "pt", "fr")
FORMATS = ("html", "pdf")
MAX_REPLICATIONS = 100_000
# Steps of a release job, in order (the status page labels them).
STEPS = ("answers", "release", "save", "reports", "done")
# How often progress inside a step is written at most (seconds); the first and the last call always are.
PROGRESS_INTERVAL = 0.5

Progress = Callable[[str, int, int, str], None]
logger = logging.getLogger(__name__)


# -- liveness -----------------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class JobTimings:
    """Seconds: between two heartbeats of a running job; without one, after which its worker counts as lost;
    the longest a job may run."""

    heartbeat: float = 10.0
    stale: float = 60.0
    time_limit: float = 4 * 3600.0


TIMING_SETTINGS = {
    "heartbeat": "GOVLENS_JOB_HEARTBEAT_SECONDS",
    "stale": "GOVLENS_JOB_STALE_SECONDS",
    "time_limit": "GOVLENS_JOB_TIME_LIMIT_SECONDS",
}


def job_timings() -> JobTimings:
    """The timings from the Django settings, else the environment, else the defaults of ``JobTimings``."""
    values: dict[str, float] = {}
    for key, name in TIMING_SETTINGS.items():
        raw = getattr(settings, name, None)
        if raw is None:
            raw = os.environ.get(name, "").strip() or None
        if raw is None:
            continue
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or value <= 0:
            raise ImproperlyConfigured(f"{name} must be a number of seconds above 0; got {raw!r}")
        values[key] = value
    timings = JobTimings(**values)
    if timings.stale < 2 * timings.heartbeat:
        raise ImproperlyConfigured(
            f"GOVLENS_JOB_STALE_SECONDS must be at least twice GOVLENS_JOB_HEARTBEAT_SECONDS, so that one late "
            f"heartbeat does not fail a live job; got {timings.stale:g} and {timings.heartbeat:g}"
        )
    return timings


class JobStopped(Exception):
    """A running job that must not go on: its time is up, or it is no longer this worker's (it was reaped)."""

    reason = ""


class JobTimeLimit(JobStopped):
    reason = StopReason.TIME_LIMIT.value


class JobLost(JobStopped):
    reason = StopReason.WORKER_LOST.value


def release_job_beat(*, job_id: int, worker: str) -> bool:
    """Record that ``worker`` is still running the job; False once the job is no longer its to run (it was
    marked failed meanwhile). A job this connection cannot see (not committed yet) counts as still running."""
    now = timezone.now()
    mine = ReleaseJob.objects.filter(pk=job_id, status=JobStatus.RUNNING.value, claimed_by=worker[:200])
    if mine.update(heartbeat_at=now):
        return True
    return not ReleaseJob.objects.filter(pk=job_id).exists()


class _Heartbeat(threading.Thread):
    """Beats for one running job from its own thread (and database connection) until stopped; sets ``lost``
    when the job was taken from this worker. A database error skips one beat: the stale limit allows a few."""

    def __init__(self, job_id: int, worker: str, interval: float) -> None:
        super().__init__(name=f"release-job-{job_id}-heartbeat", daemon=True)
        self.job_id = job_id
        self.worker = worker
        self.interval = interval
        self.stopping = threading.Event()
        self.lost = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.interval):
                try:
                    alive = release_job_beat(job_id=self.job_id, worker=self.worker)
                except DatabaseError as error:
                    logger.warning("heartbeat of release job %s skipped: %s", self.job_id, error)
                    continue
                if not alive:
                    self.lost.set()
                    return
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=max(5.0, 2 * self.interval))


def _reap_message(job: ReleaseJob, reason: StopReason, timings: JobTimings, now: dt.datetime) -> str:
    if reason is StopReason.TIME_LIMIT:
        message = f"stopped: the job ran past its time limit of {timings.time_limit:g} seconds"
    else:
        seen = job.heartbeat_at or job.started_at
        ago = f"{(now - seen).total_seconds():.0f} seconds ago" if seen else "never"
        message = (
            f"the worker running this job ({job.claimed_by or 'unknown'}) stopped responding: its last heartbeat "
            f"was {ago} (a worker that is alive beats every {timings.heartbeat:g} seconds)"
        )
    if job.release_id:
        message += f"; release {job.release_id} was saved, but its reports may be incomplete"
    return message + "; the job is not retried on its own: request the release again"


def release_jobs_reap(*, job_id: int | None = None, now: dt.datetime | None = None) -> list[int]:
    """Mark failed every running job (or just ``job_id``) whose worker stopped beating for GOVLENS_JOB_STALE_SECONDS
    or that is past its time limit by as long; its queue entry fails too. The ids of the jobs marked failed."""
    timings = job_timings()
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=timings.stale)
    overdue = Q(deadline_at__lt=cutoff)
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    reaped: list[int] = []
    found = ReleaseJob.objects.filter(silent | overdue, status=JobStatus.RUNNING.value)
    if job_id is not None:
        found = found.filter(pk=job_id)
    if not found.exists():  # the usual answer, without taking a lock
        return reaped
    with transaction.atomic():
        # locked and filtered again under the lock: a heartbeat that lands first keeps its job running
        for job in found.select_for_update().select_related("cycle"):
            reason = StopReason.TIME_LIMIT if job.deadline_at and job.deadline_at < cutoff else StopReason.WORKER_LOST
            message = _reap_message(job, reason, timings, now)
            ReleaseJob.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED.value, stop_reason=reason.value, error=message[:4000], finished_at=now
            )
            _fail_queue_entry(job.task_id, reason, message, now)
            _audit_failed(job, message)
            logger.warning("release job %s marked failed: %s", job.pk, message)
            reaped.append(job.pk)
    return reaped


def _fail_queue_entry(task_id: str, reason: StopReason, message: str, now: dt.datetime) -> None:
    """The job's django-tasks entry, left RUNNING by a dead worker, is marked FAILED with the same reason."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    stopped = JobTimeLimit if reason is StopReason.TIME_LIMIT else JobLost
    DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        exception_class_path=f"{stopped.__module__}.{stopped.__qualname__}",
        traceback=message,
    )


# -- where things go ----------------------------------------------------------------------------------------------
def release_directory() -> Path:
    """The releases folder the public dashboard reads (``GOVLENS_RELEASES_DIR`` or ``GOVLENS_HOME/releases``)."""
    configured = getattr(settings, "GOVLENS_RELEASES_DIR", None)
    return Path(configured) if configured else releases_dir()


def outputs_directory() -> Path:
    """Where report files go, one folder per release (``GOVLENS_OUTPUTS_DIR`` or ``GOVLENS_HOME/outputs``)."""
    configured = getattr(settings, "GOVLENS_OUTPUTS_DIR", None)
    return Path(configured) if configured else subdir("outputs")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


# -- request ------------------------------------------------------------------------------------------------------
def _problem(field: str, code: str, message: str) -> dict[str, str]:
    return {"question": "", "field": field, "code": code, "message": message}


def _check_parameters(languages: Sequence[str], replications: object, seed: object) -> list[dict[str, str]]:
    problems = []
    chosen = list(languages)
    unknown = [language for language in chosen if language not in LANGUAGES]
    if not chosen or unknown:
        problems.append(
            _problem(
                "languages",
                "bad_language",
                f"languages must be one or more of {', '.join(LANGUAGES)}; "
                f"got {', '.join(map(repr, chosen)) or 'none'}",
            )
        )
    bad = (
        isinstance(replications, bool) or not isinstance(replications, int) or not 1 <= replications <= MAX_REPLICATIONS
    )
    if replications is not None and bad:  # None: the cycle's (or its framework's)
        problems.append(
            _problem(
                "replications",
                "bad_replications",
                f"replications must be a whole number from 1 to {MAX_REPLICATIONS}; got {replications!r}",
            )
        )
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32):
        problems.append(_problem("seed", "bad_seed", f"seed must be a whole number from 0 to 2^32-1; got {seed!r}"))
    return problems


def approved_responses(cycle: Cycle) -> list[Response]:
    return list(
        Response.objects.select_related("country")
        .filter(cycle=cycle, status=ResponseStatus.APPROVED.value)
        .order_by("country__iso3")
    )


def not_approved(cycle: Cycle) -> dict[str, str]:
    """The cycle's countries whose response is not approved, with its status (ISO3 -> status), by code."""
    return dict(
        Response.objects.filter(cycle=cycle)
        .exclude(status=ResponseStatus.APPROVED.value)
        .order_by("country__iso3")
        .values_list("country__iso3", "status")
    )


def _gate_problems(pending: Mapping[str, str], approved: int) -> list[dict[str, str]]:
    return [
        {**_problem("countries", "release_not_approved", problem.message), "country": problem.path}
        for problem in not_approved_report(pending, approved).problems
    ]


def release_request(
    *,
    actor: Actor,
    cycle: str,
    languages: Sequence[str] = ("en", "es"),
    replications: int | None = None,
    seed: int | None = None,
    partial: bool = False,
) -> ReleaseJob:
    """Queue a release of ``cycle``'s approved answers (analysts and administrators; None = the system).

    Gates: refused while any country of the cycle is not approved (each named with its status) unless
    ``partial`` asks for a partial release on purpose; refused outright with fewer than MIN_SCORED approved
    countries. The job computes the release with uncertainty analysis, saves it as a *draft* (public only once
    published) and writes the regional report and the country profiles under ``outputs/<release id>/``.

    The settings are the cycle's (its framework's, then the cycle's override); ``replications`` and ``seed``
    override them for this release only. The job records the settings it will use and where each came from."""
    from govlens.web.jobs.tasks import release_task

    if actor is not None and not is_manager(person(actor)):
        raise NotAllowed("only analysts and administrators may publish a release")
    problems = _check_parameters(languages, replications, seed)
    if problems:
        raise Invalid("the release request has invalid parameters", problems=problems)
    with transaction.atomic():
        found = Cycle.objects.select_for_update().filter(slug=cycle).first()
        if found is None:
            raise NotFound(f"no cycle called '{cycle}'")
        approved = approved_responses(found)
        if not approved:
            raise Invalid(
                f"cycle '{cycle}' has no approved response yet: a release is made of approved answers only",
                problems=[_problem("cycle", "nothing_approved", "approve at least one response before publishing")],
            )
        if len(approved) < MIN_SCORED:
            raise Invalid(
                f"cycle '{cycle}' has {len(approved)} approved country ({approved[0].country.iso3}): a release needs "
                f"at least {MIN_SCORED}, since a ranking or a regional share of one country says nothing",
                problems=[_problem("countries", "release_too_few_scored", f"approve at least {MIN_SCORED} countries")],
            )
        pending = not_approved(found)
        if pending and not partial:
            raise Invalid(
                f"cycle '{cycle}' has {len(pending)} countries not approved: "
                + ", ".join(f"{iso3} ({status})" for iso3, status in pending.items())
                + "; approve them first, or make a partial release on purpose",
                problems=_gate_problems(pending, len(approved)),
            )
        chosen, source = cycle_release_settings(found, replications=replications, seed=seed)
        design = chosen.uncertainty
        replications, seed = (design.replications, design.seed) if design is not None else (0, 0)
        problems = _check_parameters(languages, replications, seed)
        if problems:
            raise Invalid(f"the release settings of cycle '{cycle}' are not allowed on the platform", problems=problems)
        formats = [f for f in getattr(settings, "GOVLENS_RELEASE_FORMATS", FORMATS) if f in FORMATS] or ["html"]
        job = ReleaseJob.objects.create(
            cycle=found,
            requested_by=person(actor),
            languages=list(languages),
            formats=formats,
            replications=replications,
            seed=seed,
            settings=chosen.to_dict(),
            settings_source=source.to_dict(),
            benchmarks=bool(getattr(settings, "GOVLENS_RELEASE_BENCHMARKS", True)),
            countries=[response.country.iso3 for response in approved],
            partial=bool(pending),
            not_approved=pending,
        )
        # the queue entry is written in this transaction: a worker sees it only once the job row exists
        result = release_task.enqueue(job.pk)
        job.task_id = str(result.id)
        job.save(update_fields=["task_id"])
        audit_record(
            actor=actor,
            object_type="release_job",
            object_id=str(job.pk),
            field="status",
            old=None,
            new=JobStatus.QUEUED.value,
            cycle_slug=found.slug,
            note=(
                f"release requested: languages {','.join(languages)}, formats {','.join(formats)}, "
                f"{replications} replications, seed {seed}, approved countries {','.join(job.countries)}"
                + (
                    "; PARTIAL on purpose, not approved: " + ", ".join(f"{k} ({v})" for k, v in pending.items())
                    if pending
                    else ""
                )
            ),
        )
    return job


# -- run ----------------------------------------------------------------------------------------------------------
def release_job_claim(*, job_id: int, worker: str) -> ReleaseJob | None:
    """Take a queued job for this worker, or None when another worker has it (or it is finished)."""
    with transaction.atomic():
        job = ReleaseJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.QUEUED.value:
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING.value
        job.claimed_by = worker[:200]
        job.runs += 1
        job.started_at = job.heartbeat_at = now
        job.deadline_at = now + dt.timedelta(seconds=job_timings().time_limit)
        job.save(update_fields=["status", "claimed_by", "runs", "started_at", "heartbeat_at", "deadline_at"])
    return job


def release_job_progress(*, job_id: int, step: str, done: int, total: int, detail: str = "", worker: str = "") -> bool:
    """Record how far a running job is (one UPDATE, committed at once; it counts as a heartbeat). False when the
    job is not running (for ``worker``, when given) any more: it was marked failed meanwhile."""
    running = ReleaseJob.objects.filter(pk=job_id, status=JobStatus.RUNNING.value)
    if worker:
        running = running.filter(claimed_by=worker[:200])
    now = timezone.now()
    return bool(running.update(step=step, done=done, total=total, detail=detail[:200], heartbeat_at=now))


Clock = Callable[[], float]


class _JobGuard:
    """Stops a running job (raises ``JobStopped``) once it is past its time limit, or once its heartbeat found it
    taken from this worker. ``clock`` is monotonic seconds (injected by tests)."""

    def __init__(self, time_limit: float, heartbeat: _Heartbeat | None = None, clock: Clock = time.monotonic) -> None:
        self.time_limit = time_limit
        self.heartbeat = heartbeat
        self.clock = clock
        self.deadline = clock() + time_limit

    def check(self) -> None:
        if self.clock() > self.deadline:
            raise JobTimeLimit(f"stopped: the job ran past its time limit of {self.time_limit:g} seconds")
        if self.heartbeat is not None and self.heartbeat.lost.is_set():
            raise JobLost("stopped: the job was marked failed while it ran (its heartbeat was late)")


class _ProgressWriter:
    """Writes a job's progress to its row at most every PROGRESS_INTERVAL seconds (a new step and the last call of
    a step always); raises ``JobLost`` when the row is no longer this worker's running job."""

    def __init__(self, job_id: int, worker: str = "", clock: Clock = time.monotonic) -> None:
        self.job_id = job_id
        self.worker = worker
        self.clock = clock
        self.last = -math.inf
        self.step = ""

    def write(self, step: str, done: int, total: int, detail: str = "") -> None:
        now = self.clock()
        if step == self.step and done < total and now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        self.step = step
        if not release_job_progress(
            job_id=self.job_id, step=step, done=done, total=total, detail=detail, worker=self.worker
        ):
            raise JobLost("stopped: the job was marked failed while it ran (its heartbeat was late)")


class _JobProgress:
    """The progress callback a job's steps call: the guard first, then the row, then the caller's own callback."""

    def __init__(self, guard: _JobGuard, writer: _ProgressWriter, extra: Progress | None = None) -> None:
        self.guard = guard
        self.writer = writer
        self.extra = extra

    def __call__(self, step: str, done: int, total: int, detail: str = "") -> None:
        self.guard.check()
        self.writer.write(step, done, total, detail)
        if self.extra is not None:
            self.extra(step, done, total, detail)


def _requester(job: ReleaseJob) -> str:
    return job.requested_by.username if job.requested_by is not None else "system"


def _save_with_free_id(release: Release, cycle: Cycle, directory: Path) -> Release:
    """Save the release under the next free id of its cycle. The cycle row is locked meanwhile, so workers
    sharing the database (and the releases folder) never pick the same id for two different releases."""
    with transaction.atomic():
        Cycle.objects.select_for_update().filter(pk=cycle.pk).first()
        free = next_release_id(release.cycle, directory)
        if free != release.id:
            release = dataclasses.replace(release, id=free)
        save_release(release, directory)
    return release


def _release_settings(job: ReleaseJob) -> ReleaseSettings:
    """The settings resolved at request time (a job requested before they were recorded: the old default)."""
    if job.settings:
        return ReleaseSettings.from_dict(job.settings)
    return release_settings_for(job.replications, job.seed)


def _settings_source(job: ReleaseJob) -> dict[str, Any]:
    return {"settings_source": job.settings_source} if job.settings_source else {}


def _benchmarks(job: ReleaseJob) -> list[Any]:
    if not job.benchmarks:
        return []
    from govlens.data import compare
    from govlens.data.errors import DataError

    try:
        return list(compare.compare(compare.DEFAULT_SELECTORS))
    except DataError as error:
        raise ReleaseError.single("benchmarks_unavailable", reason=str(error)) from error


def _execute(job: ReleaseJob, progress: _JobProgress) -> ReleaseJob:
    cycle = job.cycle
    framework = cycle_framework(cycle)
    approved = approved_responses(cycle)
    progress("answers", 0, len(approved))
    answers = {response.country.iso3: response_answers(response) for response in approved}
    if not answers:
        raise ReleaseError.single("release_no_answers", f"cycle '{cycle.slug}' has no approved response any more")
    progress("answers", len(answers), len(answers), ", ".join(answers))
    directory = release_directory()
    # the gates again at run time: a response may have been reopened since the request
    pending = not_approved(cycle)
    release = create_release(
        framework,
        answers,
        cycle=cycle.slug,
        not_approved=pending,
        partial=job.partial,
        min_scored=MIN_SCORED,
        settings=_release_settings(job),
        metadata={"job": job.pk, "approved": sorted(answers), **_settings_source(job)},
        benchmarks=_benchmarks(job),
        directory=directory,
        progress=lambda done, total: progress("release", done, total),
    )
    progress("save", 0, 1)
    release = _save_with_free_id(release, cycle, directory)
    publication_set(
        release.id, PublicationState.DRAFT, by=_requester(job), note="made by the platform", directory=directory
    )
    progress("save", 1, 1, release.id)
    ReleaseJob.objects.filter(pk=job.pk).update(release_id=release.id)
    from govlens.reports.edits import dump_edits
    from govlens.reports.render import publish
    from govlens.web.followup.selectors import follow_up_of
    from govlens.web.jobs.report_edits import EDITS_FILE, cycle_edits

    out = outputs_directory() / release.id
    # the analysts' edits of the cycle's report apply to every recomputed draft; a stale one is shown as edited
    # here and blocks publication (release_publish checks them)
    edits = cycle_edits(cycle.slug)
    written = publish(
        release,
        out,
        languages=list(job.languages),
        formats=list(job.formats),
        edits=edits,
        allow_stale=True,
        progress=lambda name, done, total: progress("reports", done, total, name),
        follow_up=follow_up_of(release),  # the last review's recommendations, followed up in this one's report
    )
    if edits is not None:
        (out / EDITS_FILE).write_text(dump_edits(edits), encoding="utf-8")
    job.release_id = release.id
    job.countries = sorted(answers)
    job.output_dir = str(out)
    job.files = [path.name for path in written]
    return job


def release_job_run(
    *, job_id: int, worker: str = "", progress: Progress | None = None, clock: Clock = time.monotonic
) -> ReleaseJob | None:
    """Run a queued release job to the end; None when the job was not there to claim (another worker has it).

    While it runs, a heartbeat thread shows the worker is alive, and the job stops at its next progress step
    once it is past the time limit (or was marked failed meanwhile). A failure is recorded on the job (status,
    message) and in the audit trail, then raised again so the queue records it as well. ``clock`` (monotonic
    seconds) measures the time limit and the progress interval."""
    worker = (worker or worker_name())[:200]
    job = release_job_claim(job_id=job_id, worker=worker)
    if job is None:
        return None
    timings = job_timings()
    heartbeat = _Heartbeat(job.pk, worker, timings.heartbeat)
    recorder = _JobProgress(
        _JobGuard(timings.time_limit, heartbeat, clock), _ProgressWriter(job.pk, worker, clock), progress
    )
    try:
        heartbeat.start()
        try:
            job = _execute(job, recorder)
        finally:
            heartbeat.stop()
        _succeeded(job, worker)
    except Exception as error:  # every failure is recorded on the job before the queue sees it
        _failed(job, worker, error)
        raise
    return job


def _succeeded(job: ReleaseJob, worker: str) -> None:
    with transaction.atomic():
        now = timezone.now()
        mine = ReleaseJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING.value, claimed_by=worker)
        done = mine.update(
            status=JobStatus.SUCCEEDED.value,
            step="done",
            detail=job.release_id,
            finished_at=now,
            release_id=job.release_id,
            countries=job.countries,
            output_dir=job.output_dir,
            files=job.files,
        )
        if not done:
            raise JobLost("the job was marked failed before it could be marked done (its heartbeat was late)")
        job.status, job.step, job.detail, job.finished_at = JobStatus.SUCCEEDED.value, "done", job.release_id, now
        audit_record(
            actor=None,
            object_type="release_job",
            object_id=str(job.pk),
            field="release",
            old=None,
            new=job.release_id,
            cycle_slug=job.cycle.slug,
            note=f"release {job.release_id} published: {len(job.files)} files in {job.output_dir}",
        )


def _failed(job: ReleaseJob, worker: str, error: Exception) -> None:
    """Record the failure, unless the job was already marked failed by ``release_jobs_reap`` (its reason stays)."""
    message = str(error) or type(error).__name__
    if isinstance(error, ReleaseError):
        message = "; ".join(problem.message for problem in error.report.problems) or message
    reason = error.reason if isinstance(error, JobStopped) else ""
    mine = ReleaseJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING.value, claimed_by=worker)
    if not mine.update(
        status=JobStatus.FAILED.value, error=message[:4000], stop_reason=reason, finished_at=timezone.now()
    ):
        return
    _audit_failed(job, message)


def _audit_failed(job: ReleaseJob, message: str) -> None:
    """The audit trail's record of a job that failed (by its own error or marked failed by the reaper)."""
    audit_record(
        actor=None,
        object_type="release_job",
        object_id=str(job.pk),
        field="status",
        old=JobStatus.RUNNING.value,
        new=JobStatus.FAILED.value,
        cycle_slug=job.cycle.slug,
        note=f"release failed: {message[:500]}",
    )
