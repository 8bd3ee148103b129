"""The follow-up of a cycle: its register of recommendations (from a release) and each country's action plan.

A plan's actions, with their milestones, are one JSON document in the format of ``govlens.followup.plans``
(checked by the core before every write), so a save is one row written under the plan's version. Reviewers
approve a plan as they approve a response: ``approved_actions`` keeps the last approved document, which is what
progress monitoring, the report and the public page use. Reminders sent are rows, so none is sent twice.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from govlens.web.collection.models import StoredFile, generated_name
from govlens.web.cycles.models import Country, Cycle


class PlanStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"


PLAN_STATUS_LABELS = {
    PlanStatus.DRAFT: _("Draft"),
    PlanStatus.SUBMITTED: _("Submitted"),
    PlanStatus.CHANGES_REQUESTED: _("Changes requested"),
    PlanStatus.APPROVED: _("Approved"),
}
PLAN_STATUS_CHOICES = [(member.value, label) for member, label in PLAN_STATUS_LABELS.items()]
# an approved plan may be edited again (the follow-up goes on); a submitted one waits for its reviewer
PLAN_EDITABLE = (PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED, PlanStatus.APPROVED)


class CycleRegister(models.Model):
    """The recommendations of one release of the cycle, as ``govlens.followup.Register.to_dict``."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="register")
    release_id = models.CharField(_("release"), max_length=100)
    release_hash = models.CharField(_("release hash"), max_length=64)
    data = models.JSONField(_("register"))
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("recommendations register")
        verbose_name_plural = _("recommendations registers")

    def __str__(self) -> str:
        return f"{self.cycle.slug} ({self.release_id})"


class ActionPlan(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="action_plans")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="action_plans")
    status = models.CharField(_("status"), max_length=20, choices=PLAN_STATUS_CHOICES, default=PlanStatus.DRAFT.value)
    # Incremented by every write; a save names the version it was based on (409 otherwise).
    version = models.PositiveIntegerField(_("version"), default=0)
    actions = models.JSONField(_("actions"), default=list, blank=True)
    approved_actions = models.JSONField(_("approved actions"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # what analysts chose to show on the public follow-up page (the approved actions only)
    published = models.BooleanField(_("published"), default=False)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        ordering = ("cycle", "country")
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = (models.UniqueConstraint(fields=("cycle", "country"), name="one_plan_per_country"),)

    def __str__(self) -> str:
        return f"{self.cycle.slug}/{self.country.iso3}"

    @property
    def editable(self) -> bool:
        return self.status in PLAN_EDITABLE


def plan_evidence_path(instance: PlanEvidenceFile, filename: str) -> str:
    """A plan action's file, under the plan's own folder (beside, not among, the response's files)."""
    plan = instance.plan
    return generated_name(f"evidence/{plan.cycle.slug}/{plan.country.iso3}/plan", filename)


class PlanEvidenceFile(StoredFile):
    """A file attached to one action of a plan (``action`` is its index in ``ActionPlan.actions``); checked,
    stored and served as an answer's evidence file is."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="files")
    action = models.PositiveIntegerField(_("action"))
    file = models.FileField(_("file"), upload_to=plan_evidence_path, max_length=300)

    class Meta:
        ordering = ("plan", "action", "uploaded_at", "id")
        verbose_name = _("plan evidence file")
        verbose_name_plural = _("plan evidence files")


class MilestoneReminder(models.Model):
    """A reminder sent for one milestone coming due (or overdue), so the next run does not send it again."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reminders")
    action = models.PositiveIntegerField(_("action"))
    milestone = models.CharField(_("milestone"), max_length=300)
    due = models.DateField(_("due"))
    kind = models.CharField(_("kind"), max_length=20)  # coming_due or overdue
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("milestone reminder")
        verbose_name_plural = _("milestone reminders")
        constraints = (
            models.UniqueConstraint(fields=("plan", "action", "milestone", "due", "kind"), name="one_reminder_each"),
        )
