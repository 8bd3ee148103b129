"""The audit trail: one row per changed field, never updated or deleted.

Append-only is enforced here (``save`` refuses updates, ``delete`` and the queryset's bulk ``update`` and
``delete`` refuse) by database triggers created in the migrations (SQLite and PostgreSQL).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # No database constraint and no cascade: removing a user must not rewrite (or block on) the trail.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text as well so the trail still names the person if the account is removed.
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    cycle_slug = models.CharField(_("cycle"), max_length=60, blank=True, db_index=True)
    country = models.CharField(_("country"), max_length=3, blank=True, db_index=True)
    object_type = models.CharField(_("object"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=200)
    old = models.JSONField(_("old value"), null=True, blank=True)
    new = models.JSONField(_("new value"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = (
            "at",
            "id",
        )
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.object_type}:{self.object_id} {self.field}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnlyError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")
