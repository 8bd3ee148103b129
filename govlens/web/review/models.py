"""Review comments: per answer (``question`` set) or on the whole response, including change requests."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlens.web.collection.models import Response


class CommentKind(StrEnum):
    COMMENT = "comment"
    CLARIFICATION = "clarification"
    CHANGES_REQUESTED = "changes_requested"
    APPROVAL = "approval"
    REOPENED = "reopened"


COMMENT_KIND_LABELS = {
    CommentKind.COMMENT: _("Comment"),
    CommentKind.CLARIFICATION: _("Clarification request"),
    CommentKind.CHANGES_REQUESTED: _("Changes requested"),
    CommentKind.APPROVAL: _("Approval"),
    CommentKind.REOPENED: _("Reopened"),
}
COMMENT_KIND_CHOICES = [(member.value, label) for member, label in COMMENT_KIND_LABELS.items()]


class ReviewComment(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    question = models.CharField(_("question"), max_length=200, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=COMMENT_KIND_CHOICES, default=CommentKind.COMMENT.value)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        ordering = (
            "created_at",
            "id",
        )
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return f"{self.response}:{self.question or '*'} {self.kind}"
