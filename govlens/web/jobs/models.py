"""A release job: who asked for which release of which cycle, and how far the worker has come."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlens.web.cycles.models import Cycle


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


JOB_STATUS_LABELS = {
    JobStatus.QUEUED: _("Queued"),
    JobStatus.RUNNING: _("Running"),
    JobStatus.SUCCEEDED: _("Succeeded"),
    JobStatus.FAILED: _("Failed"),
}
JOB_STATUS_CHOICES = [(member.value, label) for member, label in JOB_STATUS_LABELS.items()]
FINISHED = (JobStatus.SUCCEEDED.value, JobStatus.FAILED.value)


class StopReason(StrEnum):
    """Why a job failed without an error of its own: its worker died, or it ran past the time limit."""

    WORKER_LOST = "worker_lost"
    TIME_LIMIT = "time_limit"


class ReleaseJob(models.Model):
    """One requested release. The queue entry itself is django-tasks' ``DBTaskResult`` (``task_id``); this row
    holds what the pages show: parameters, the step being run with its done/total, the outcome."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="release_jobs", verbose_name=_("cycle"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    languages = models.JSONField(_("languages"), default=list)
    formats = models.JSONField(_("formats"), default=list)
    replications = models.PositiveIntegerField(_("replications"))
    seed = models.BigIntegerField(_("seed"), default=0)
    benchmarks = models.BooleanField(_("with public-data benchmarks"), default=True)
    status = models.CharField(_("status"), max_length=10, choices=JOB_STATUS_CHOICES, default=JobStatus.QUEUED.value)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    # How many times a worker started this job; the claim makes it 1 at most.
    runs = models.PositiveIntegerField(default=0)
    step = models.CharField(_("step"), max_length=20, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    countries = models.JSONField(_("countries"), default=list)
    release_id = models.CharField(_("release"), max_length=120, blank=True)
    output_dir = models.CharField(_("output folder"), max_length=500, blank=True)
    files = models.JSONField(_("files"), default=list)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The running worker's last sign of life (a heartbeat thread writes it every GOVLENS_JOB_HEARTBEAT_SECONDS),
    # and the moment the job must be done by (started + GOVLENS_JOB_TIME_LIMIT_SECONDS when it was claimed).
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    deadline_at = models.DateTimeField(_("time limit"), null=True, blank=True)
    # Set when the job was failed for it rather than by an error of its own (StopReason).
    stop_reason = models.CharField(_("stop reason"), max_length=20, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("release job")
        verbose_name_plural = _("release jobs")

    def __str__(self) -> str:
        return f"release job {self.pk} ({self.cycle_id})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
