"""The follow-up in the admin: listed and viewable by analysts and administrators, never changed there (plans
and their review, files and the register are written by the services, versioned and audited)."""

from __future__ import annotations

from django.contrib import admin

from govlens.web.admin_site import ReadOnlyAdmin
from govlens.web.followup.models import ActionPlan, CycleRegister, MilestoneReminder, PlanEvidenceFile


@admin.register(CycleRegister)
class CycleRegisterAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "release_id", "imported_at")
    search_fields = ("release_id",)


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "country", "status", "version", "published", "synthetic", "updated_at")
    list_filter = ("status", "published", "synthetic", "cycle")
    search_fields = ("country__iso3",)


@admin.register(PlanEvidenceFile)
class PlanEvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "plan", "action", "content_type", "size", "uploaded_by", "uploaded_at")
    list_filter = ("plan__cycle",)
    search_fields = ("original_name", "plan__country__iso3")


@admin.register(MilestoneReminder)
class MilestoneReminderAdmin(ReadOnlyAdmin):
    list_display = ("plan", "action", "milestone", "due", "kind", "sent_at")
    list_filter = ("kind", "plan__cycle")
