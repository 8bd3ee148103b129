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
    # the release settings resolved when the job was requested (framework, cycle override, this run's options)
    # and where each key came from; empty on jobs made before settings were resolved at request time
    settings = models.JSONField(_("release settings"), default=dict, blank=True)
    settings_source = models.JSONField(_("release settings source"), default=dict, blank=True)
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
    # a partial release, asked for on purpose: the cycle's countries that were not approved (ISO3 -> status)
    partial = models.BooleanField(_("partial release"), default=False)
    not_approved = models.JSONField(_("not approved"), default=dict)
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


class WorkerSeen(models.Model):
    """The last sign of life of each queue worker (written when it starts and then every heartbeat), so the
    publish page can say when no worker is running."""

    name = models.CharField(_("worker"), max_length=200, unique=True)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        ordering = ("-seen_at",)
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return self.name


class ValidationRound(models.Model):
    """The countries' check of a draft release before it goes public: opened by an analyst with a deadline."""

    release_id = models.CharField(_("release"), max_length=120, unique=True)
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="validation_rounds")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    deadline = models.DateField(_("deadline"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ("-opened_at",)
        verbose_name = _("validation round")
        verbose_name_plural = _("validation rounds")

    def __str__(self) -> str:
        return f"validation of {self.release_id}"


class ValidationDecision(StrEnum):
    ACCEPTED = "accepted"
    COMMENTED = "commented"


class ValidationResolution(StrEnum):
    """How an analyst closed a comment: the answer fixed and the release recomputed, the text edited, or a reply."""

    RECOMPUTED = "recomputed"
    TEXT_EDITED = "text_edited"
    REPLIED = "replied"


class ValidationReview(models.Model):
    """A focal point's answer on one item of the draft (their country's profile, or one regional statement in
    which their country is counted): accepted, or a comment the analyst resolves. One per country and item."""

    round = models.ForeignKey(ValidationRound, on_delete=models.CASCADE, related_name="reviews")
    country = models.CharField(_("country"), max_length=3)
    item = models.CharField(_("item"), max_length=120)  # "profile" or "statement:<rule id>"
    item_text = models.TextField(_("item text"), blank=True)  # what the focal point saw
    decision = models.CharField(_("decision"), max_length=10)
    comment = models.TextField(_("comment"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    resolution = models.CharField(_("resolution"), max_length=12, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ("country", "item")
        constraints = (models.UniqueConstraint(fields=("round", "country", "item"), name="one_review_per_item"),)
        verbose_name = _("validation review")
        verbose_name_plural = _("validation reviews")

    @property
    def open(self) -> bool:
        return self.decision == ValidationDecision.COMMENTED.value and not self.resolution

    @property
    def passage(self) -> str:
        """The passage of the report the item is ("finding:<rule>" for "statement:<rule>:finding"), to edit it;
        "" for the profile."""
        parts = self.item.split(":")
        return f"{parts[2]}:{parts[1]}" if len(parts) == 3 and parts[0] == "statement" else ""


class ChapterEdit(models.Model):
    """An analyst's replacement of one passage of a cycle's regional report in one language: the platform's form
    of an entry of an edits file (:mod:`govlens.reports.edits`). Kept per cycle, so every release recomputed for
    the cycle takes it; ``release_id`` is the draft it was made on, ``generated`` the passage it replaced then."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="chapter_edits", verbose_name=_("cycle"))
    target = models.CharField(_("passage"), max_length=120)  # finding:<rule>, recommendation:<rule>, intro:<theme> ...
    language = models.CharField(_("language"), max_length=5)
    text = models.TextField(_("text"))
    generated = models.TextField(_("generated text"), blank=True)
    release_id = models.CharField(_("release"), max_length=120)
    by = models.CharField(_("edited by"), max_length=150)  # the name the report shows
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        ordering = ("target", "language")
        constraints = (models.UniqueConstraint(fields=("cycle", "target", "language"), name="one_edit_per_passage"),)
        verbose_name = _("report edit")
        verbose_name_plural = _("report edits")

    def __str__(self) -> str:
        return f"{self.target} ({self.language}) of {self.cycle_id}"
