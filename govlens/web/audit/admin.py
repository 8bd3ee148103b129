from __future__ import annotations

from django.contrib import admin

from govlens.web.admin_site import ReadOnlyAdmin
from govlens.web.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_username", "cycle_slug", "country", "object_type", "object_id", "field")
    list_filter = ("object_type", "cycle_slug", "country")
    search_fields = ("actor_username", "object_id", "field")
