from __future__ import annotations

from django.contrib import admin

from govlens.web.admin_site import ReadOnlyAdmin
from govlens.web.jobs.models import ReleaseJob


@admin.register(ReleaseJob)
class ReleaseJobAdmin(ReadOnlyAdmin):
    """Release jobs are requested on the cycle's "Publish a release" page; the admin only lists them."""

    list_display = ("id", "cycle", "status", "step", "done", "total", "release_id", "requested_by", "created_at")
    list_filter = ("status", "cycle")
    search_fields = ("release_id", "claimed_by")
