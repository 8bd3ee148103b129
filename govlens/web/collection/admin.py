from __future__ import annotations

from django.contrib import admin

from govlens.web.admin_site import ReadOnlyAdmin
from govlens.web.collection.models import Response


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "country", "status", "version", "updated_at")
    list_filter = ("status", "cycle")
