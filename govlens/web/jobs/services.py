"""Writes of the jobs app: request a release of a cycle (queued) and run it (in a worker).

``release_request`` checks the request and queues it; ``release_job_run`` is what a worker process calls. The
run claims its job row first (``SELECT ... FOR UPDATE`` and a status check), so a job handed to two workers is
computed once. Progress (step, done/total) is written to the job row as the work goes, outside any long
transaction, so the status page sees it at once.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govlens.home import subdir
from govlens.reports.release import (
    Release,
    ReleaseError,
    ReleaseSettings,
    UncertaintySettings,
    create_release,
    next_release_id,
    releases_dir,
    save_release,
)
from govlens.web.accounts.selectors import Actor, is_manager, person
from govlens.web.audit.services import audit_record
from govlens.web.collection.models import Response, ResponseStatus
from govlens.web.collection.selectors import response_answers
from govlens.web.cycles.frameworks import cycle_framework
from govlens.web.cycles.models import Cycle
from govlens.web.errors import Invalid, NotAllowed, NotFound
from govlens.web.jobs.models import JobStatus, ReleaseJob

LANGUAGES = ("en", "es", "pt", "fr")
FORMATS = ("html", "pdf")
MAX_REPLICATIONS = 100_000
# Steps of a release job, in order (the status page labels them).
STEPS = ("answers", "release", "save", "reports", "done")
# How often progress inside a step is written at most (seconds); the first and the last call always are.
PROGRESS_INTERVAL = 0.5

Progress = Callable[[str, int, int, str], None]


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
    if isinstance(replications, bool) or not isinstance(replications, int) or not 1 <= replications <= MAX_REPLICATIONS:
        problems.append(
            _problem(
                "replications",
                "bad_replications",
                f"replications must be a whole number from 1 to {MAX_REPLICATIONS}; got {replications!r}",
            )
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        problems.append(_problem("seed", "bad_seed", f"seed must be a whole number from 0 to 2^32-1; got {seed!r}"))
    return problems


def approved_responses(cycle: Cycle) -> list[Response]:
    return list(
        Response.objects.select_related("country")
        .filter(cycle=cycle, status=ResponseStatus.APPROVED.value)
        .order_by("country__iso3")
    )


def release_request(
    *,
    actor: Actor,
    cycle: str,
    languages: Sequence[str] = ("en", "es"),
    replications: int = 1000,
    seed: int = 0,
) -> ReleaseJob:
    """Queue a release of ``cycle``'s approved answers (analysts and administrators; None = the system).

    The job computes the release with uncertainty analysis, saves it where the dashboard reads releases and
    writes the regional report and the country profiles under ``outputs/<release id>/``."""
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
        formats = [f for f in getattr(settings, "GOVLENS_RELEASE_FORMATS", FORMATS) if f in FORMATS] or ["html"]
        job = ReleaseJob.objects.create(
            cycle=found,
            requested_by=person(actor),
            languages=list(languages),
            formats=formats,
            replications=replications,
            seed=seed,
            benchmarks=bool(getattr(settings, "GOVLENS_RELEASE_BENCHMARKS", True)),
            countries=[response.country.iso3 for response in approved],
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
        job.status = JobStatus.RUNNING.value
        job.claimed_by = worker[:200]
        job.runs += 1
        job.started_at = timezone.now()
        job.save(update_fields=["status", "claimed_by", "runs", "started_at"])
    return job


def release_job_progress(*, job_id: int, step: str, done: int, total: int, detail: str = "") -> None:
    """Record how far a running job is (one UPDATE, committed at once)."""
    ReleaseJob.objects.filter(pk=job_id).update(step=step, done=done, total=total, detail=detail[:200])


class _Throttled:
    """A progress recorder that writes at most every PROGRESS_INTERVAL seconds (always the last call)."""

    def __init__(self, job_id: int, extra: Progress | None) -> None:
        self.job_id = job_id
        self.extra = extra
        self.last = 0.0
        self.step = ""

    def __call__(self, step: str, done: int, total: int, detail: str = "") -> None:
        now = time.monotonic()
        if step != self.step or done >= total or now - self.last >= PROGRESS_INTERVAL:
            self.last = now
            self.step = step
            release_job_progress(job_id=self.job_id, step=step, done=done, total=total, detail=detail)
        if self.extra is not None:
            self.extra(step, done, total, detail)


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
    return ReleaseSettings(
        uncertainty=UncertaintySettings(
            replications=job.replications,
            seed=job.seed,
            normalise=("minmax", "rank"),
            aggregate=("arithmetic", "geometric"),
            weight_range=0.25,
        ),
    )


def _benchmarks(job: ReleaseJob) -> list[Any]:
    if not job.benchmarks:
        return []
    from govlens.data import compare
    from govlens.data.errors import DataError

    try:
        return list(compare.compare(compare.DEFAULT_SELECTORS))
    except DataError as error:
        raise ReleaseError.single(
            "benchmarks_unavailable",
            f"the public-data benchmarks cannot be loaded ({error}); point GOVLENS_DATA_MIRROR at the data mirror, "
            "or set GOVLENS_RELEASE_BENCHMARKS=0 to publish releases without them",
        ) from error


def _execute(job: ReleaseJob, progress: _Throttled) -> ReleaseJob:
    cycle = job.cycle
    framework = cycle_framework(cycle)
    approved = approved_responses(cycle)
    progress("answers", 0, len(approved))
    answers = {response.country.iso3: response_answers(response) for response in approved}
    if not answers:
        raise ReleaseError.single("release_no_answers", f"cycle '{cycle.slug}' has no approved response any more")
    progress("answers", len(answers), len(answers), ", ".join(answers))
    directory = release_directory()
    release = create_release(
        framework,
        answers,
        cycle=cycle.slug,
        settings=_release_settings(job),
        metadata={"job": job.pk, "approved": sorted(answers)},
        benchmarks=_benchmarks(job),
        directory=directory,
        progress=lambda done, total: progress("release", done, total),
    )
    progress("save", 0, 1)
    release = _save_with_free_id(release, cycle, directory)
    progress("save", 1, 1, release.id)
    ReleaseJob.objects.filter(pk=job.pk).update(release_id=release.id)
    from govlens.reports.render import publish

    out = outputs_directory() / release.id
    written = publish(
        release,
        out,
        languages=list(job.languages),
        formats=list(job.formats),
        progress=lambda name, done, total: progress("reports", done, total, name),
    )
    job.release_id = release.id
    job.countries = sorted(answers)
    job.output_dir = str(out)
    job.files = [path.name for path in written]
    return job


def release_job_run(*, job_id: int, worker: str = "", progress: Progress | None = None) -> ReleaseJob | None:
    """Run a queued release job to the end; None when the job was not there to claim (another worker has it).

    A failure is recorded on the job (status, message) and in the audit trail, then raised again so the
    queue records it as well."""
    job = release_job_claim(job_id=job_id, worker=worker or worker_name())
    if job is None:
        return None
    recorder = _Throttled(job.pk, progress)
    try:
        job = _execute(job, recorder)
    except Exception as error:  # every failure is recorded on the job before the queue sees it
        message = str(error) or type(error).__name__
        if isinstance(error, ReleaseError):
            message = "; ".join(problem.message for problem in error.report.problems) or message
        ReleaseJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED.value, error=message[:4000], finished_at=timezone.now()
        )
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
        raise
    with transaction.atomic():
        job.status = JobStatus.SUCCEEDED.value
        job.step = "done"
        job.detail = job.release_id
        job.finished_at = timezone.now()
        job.save(
            update_fields=["status", "step", "detail", "finished_at", "release_id", "countries", "output_dir", "files"]
        )
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
    return job
