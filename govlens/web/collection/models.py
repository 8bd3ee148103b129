"""Responses (one per country per cycle), their answers and the evidence files attached to answers."""

from __future__ import annotations

import uuid
from enum import StrEnum
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlens.web.cycles.models import Country, Cycle


class ResponseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"


RESPONSE_STATUS_LABELS = {
    ResponseStatus.DRAFT: _("Draft"),
    ResponseStatus.SUBMITTED: _("Submitted"),
    ResponseStatus.CHANGES_REQUESTED: _("Changes requested"),
    ResponseStatus.APPROVED: _("Approved"),
}
RESPONSE_STATUS_CHOICES = [(member.value, label) for member, label in RESPONSE_STATUS_LABELS.items()]


# Statuses in which the country can still edit its answers.
EDITABLE_STATUSES = (ResponseStatus.DRAFT, ResponseStatus.CHANGES_REQUESTED)


class Response(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="responses")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="responses")
    status = models.CharField(
        _("status"), max_length=20, choices=RESPONSE_STATUS_CHOICES, default=ResponseStatus.DRAFT.value
    )
    # Incremented by every write (answers or status); a save names the version it was based on.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = (
            "cycle",
            "country",
        )
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = (models.UniqueConstraint(fields=("cycle", "country"), name="one_response_per_country"),)

    def __str__(self) -> str:
        return f"{self.cycle.slug}/{self.country.iso3}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(_("question"), max_length=200)
    value = models.JSONField(_("value"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    evidence_urls = models.JSONField(_("evidence URLs"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The response version this answer was last written in: a save based on an older version conflicts only
    # when one of its own questions changed since (people working on other questions do not block each other).
    changed_in = models.PositiveIntegerField(_("changed in version"), default=0)
    # The institution of whoever wrote it last (a contributor's agency, the coordinator's), kept as it was then.
    institution = models.CharField(_("institution"), max_length=200, blank=True)

    class Meta:
        ordering = (
            "response",
            "question",
        )
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = (models.UniqueConstraint(fields=("response", "question"), name="one_answer_per_question"),)

    def __str__(self) -> str:
        return f"{self.response}:{self.question}"


def generated_name(folder: str, filename: str) -> str:
    """A generated name (never the uploader's) under ``folder``, keeping only the extension."""
    return f"{folder}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    """An answer's file, under its response's folder."""
    response = instance.answer.response
    return generated_name(f"evidence/{response.cycle.slug}/{response.country.iso3}", filename)


class StoredFile(models.Model):
    """What every evidence file records besides where it is stored (an answer's, a plan action's)."""

    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class EvidenceFile(StoredFile):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)

    class Meta:
        ordering = (
            "uploaded_at",
            "id",
        )
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")


class SuggestionDecision(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    OVERRIDDEN = "overridden"


SUGGESTION_DECISION_LABELS = {
    SuggestionDecision.PENDING: _("Pending"),
    SuggestionDecision.ACCEPTED: _("Accepted"),
    SuggestionDecision.OVERRIDDEN: _("Answered otherwise"),
}
SUGGESTION_DECISION_CHOICES = [(member.value, label) for member, label in SUGGESTION_DECISION_LABELS.items()]


class AnswerSuggestion(models.Model):
    """An answer suggested from public data (pre-fill), and what the country did with it."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="suggestions")
    question = models.CharField(_("question"), max_length=200)
    value = models.JSONField(_("suggested value"))
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=SUGGESTION_DECISION_CHOICES, default=SuggestionDecision.PENDING.value
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("response", "question")
        verbose_name = _("answer suggestion")
        verbose_name_plural = _("answer suggestions")
        constraints = (models.UniqueConstraint(fields=("response", "question"), name="one_suggestion_per_question"),)

    def __str__(self) -> str:
        return f"{self.response}:{self.question} -> {self.value}"
