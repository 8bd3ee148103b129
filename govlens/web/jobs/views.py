"""HTTP of release jobs: the "Publish a release" page of a cycle and the job status page (HTTP only)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from govlens.web.cycles.frameworks import cycle_release_settings
from govlens.web.cycles.selectors import cycle_get
from govlens.web.error_page import error_page
from govlens.web.errors import Invalid, NotAllowed, ServiceError
from govlens.web.jobs.models import JOB_STATUS_LABELS, JobStatus, ReleaseJob, StopReason
from govlens.web.jobs.selectors import (
    can_publish,
    country_statuses,
    cycle_releases,
    job_get,
    job_is_stale,
    job_state,
    jobs_of_cycle,
    worker_last_seen,
    worker_running,
)
from govlens.web.jobs.services import LANGUAGES, not_approved, release_jobs_reap, release_request

# seconds between two refreshes of a running job's page
REFRESH_SECONDS = 2


def _step_labels() -> dict[str, str]:
    return {
        "answers": _("Collecting the approved answers"),
        "release": _("Computing the release with uncertainty analysis"),
        "save": _("Saving the release"),
        "reports": _("Writing the regional report and the country profiles"),
        "done": _("Done"),
    }


def _stop_reasons() -> dict[str, str]:
    return {
        StopReason.WORKER_LOST.value: _(
            "The worker running this job stopped responding (it was stopped, or its machine failed), so the job "
            "was marked failed."
        ),
        StopReason.TIME_LIMIT.value: _("The job ran past its time limit, so it was stopped and marked failed."),
    }


def _current_job(request: HttpRequest, job_id: int) -> ReleaseJob:
    """The job, marked failed first if its worker is gone: a status page never says "running" for ever."""
    job = job_get(user=request.user, job_id=job_id)
    if job_is_stale(job) and release_jobs_reap(job_id=job.pk):
        job = job_get(user=request.user, job_id=job_id)
    return job


def _current_jobs(request: HttpRequest, cycle: str) -> list[ReleaseJob]:
    """The cycle's latest jobs, those whose worker is gone marked failed first (as on the job page)."""
    jobs = list(jobs_of_cycle(user=request.user, cycle_slug=cycle))
    if any(job_is_stale(job) for job in jobs) and release_jobs_reap():
        jobs = list(jobs_of_cycle(user=request.user, cycle_slug=cycle))
    return jobs


def _seconds_since(moment: dt.datetime | None) -> int | None:
    return None if moment is None else max(0, int((timezone.now() - moment).total_seconds()))


def _int(raw: str, default: int) -> int | str:
    raw = raw.strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        return raw


@login_required
@require_http_methods(["GET", "POST"])
def publish_page(request: HttpRequest, cycle: str) -> HttpResponse:
    try:
        if not can_publish(request.user):
            raise NotAllowed(_("Only analysts and administrators may publish a release."))
        found = cycle_get(slug=cycle)
    except ServiceError as error:
        return error_page(request, error)
    chosen = list(LANGUAGES[:2])
    try:  # the cycle's settings (its framework's, then its override): the form's defaults
        cycle_settings, source = cycle_release_settings(found)
    except ServiceError as error:
        return error_page(request, error)
    design = cycle_settings.uncertainty
    default_replications, default_seed = (design.replications, design.seed) if design is not None else (0, 0)
    replications: int | str = default_replications
    seed: int | str = default_seed
    if request.method == "POST":
        chosen = request.POST.getlist("languages")
        replications = _int(request.POST.get("replications", ""), default_replications)
        seed = _int(request.POST.get("seed", ""), default_seed)
        try:
            job = release_request(
                actor=request.user,
                cycle=found.slug,
                partial=request.POST.get("partial") == "yes",
                languages=chosen,
                # the cycle's value is no override of this run (checked by the service otherwise)
                replications=None if replications == default_replications else replications,  # type: ignore[arg-type]
                seed=None if seed == default_seed else seed,  # type: ignore[arg-type]
            )
        except Invalid as error:
            messages.error(request, error.message)
            for problem in error.problems:
                messages.error(request, str(problem.get("message", "")))
        except ServiceError as error:
            return error_page(request, error)
        else:
            messages.success(request, _("The release is queued."))
            return redirect(reverse("job", args=[job.pk]))
    language_names = dict((code, name) for code, name in _language_choices())
    context = {
        "cycle": found,
        "language_options": [(code, language_names.get(code, code), code in chosen) for code in LANGUAGES],
        "replications": replications,
        "seed": seed,
        "index_settings": cycle_settings.index,
        "settings_source": source,
        "jobs": _current_jobs(request, found.slug),
        "statuses": country_statuses(found),
        "not_approved": not_approved(found),
        "worker_running": worker_running(),
        "worker_seen": worker_last_seen(),
        "releases": cycle_releases(found.slug),
        "status_labels": {status.value: label for status, label in JOB_STATUS_LABELS.items()},
    }
    return render(request, "jobs/publish.html", context, status=422 if request.method == "POST" else 200)


def _language_choices() -> list[tuple[str, str]]:
    from django.conf import settings

    return [(code, str(name)) for code, name in settings.LANGUAGES]


@login_required
@require_GET
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = _current_job(request, job_id)
    except ServiceError as error:
        return error_page(request, error)
    context = {
        "job": job,
        "state": job_state(job),
        "step_label": _step_labels().get(job.step, job.step),
        "status_label": JOB_STATUS_LABELS.get(JobStatus(job.status), job.status),
        "refresh": None if job.finished else REFRESH_SECONDS,
        "stop_reason": _stop_reasons().get(job.stop_reason, ""),
        "silent_for": _seconds_since(job.heartbeat_at),
        "dashboard": f"{reverse('publish:overview')}?release={job.release_id}" if job.release_id else "",
    }
    return render(request, "jobs/job.html", context)


@login_required
@require_GET
def job_json(request: HttpRequest, job_id: int) -> JsonResponse:
    try:
        job = _current_job(request, job_id)
    except ServiceError as error:
        body = {"error": {"status": error.status, "code": error.code, "message": error.message}}
        return JsonResponse(body, status=error.status)
    return JsonResponse(job_state(job))
