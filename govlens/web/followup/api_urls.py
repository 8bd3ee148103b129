"""The follow-up's API routes, included in ``/api/v1/`` (before its catch-all)."""

from __future__ import annotations

from django.urls import path

from govlens.web.followup import api

PLAN = "cycles/<slug:cycle>/action-plans/<str:iso3>"

urlpatterns = [
    path("cycles/<slug:cycle>/recommendations", api.recommendations, name="api-recommendations"),
    path("cycles/<slug:cycle>/action-plans", api.plan_list, name="api-plans"),
    path(PLAN, api.plan_detail, name="api-plan"),
    path(f"{PLAN}/submit", api.plan_submit_view, name="api-plan-submit"),
    path(f"{PLAN}/request-changes", api.plan_request_changes, name="api-plan-request-changes"),
    path(f"{PLAN}/approve", api.plan_approve, name="api-plan-approve"),
    path(f"{PLAN}/publish", api.plan_publish_view, name="api-plan-publish"),
    path(f"{PLAN}/evidence", api.plan_evidence, name="api-plan-evidence"),
    path(f"{PLAN}/evidence/<int:file_id>", api.plan_evidence_file, name="api-plan-evidence-file"),
    path(f"{PLAN}/history", api.plan_history, name="api-plan-history"),
]
