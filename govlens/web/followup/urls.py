"""Follow-up pages: /cycles/<cycle>/follow-up/ (signed in) and the public /results/follow-up/."""

from __future__ import annotations

from django.urls import path

from govlens.web.followup import views

PLAN = "cycles/<slug:cycle>/follow-up/<str:iso3>/"

urlpatterns = [
    path("cycles/<slug:cycle>/follow-up/", views.monitoring, name="followup-monitoring"),
    path("cycles/<slug:cycle>/follow-up/register", views.register_import_view, name="followup-register"),
    path(PLAN, views.plan_page, name="followup-plan"),
    path(f"{PLAN}save", views.plan_save, name="followup-plan-save"),
    path(f"{PLAN}upload", views.plan_evidence_upload_view, name="followup-plan-upload"),
    path(f"{PLAN}files/<int:file_id>", views.plan_evidence_download, name="followup-plan-file"),
    path(f"{PLAN}submit", views.plan_submit_page, name="followup-plan-submit"),
    path(f"{PLAN}request-changes", views.plan_request_changes_page, name="followup-plan-request-changes"),
    path(f"{PLAN}approve", views.plan_approve_page, name="followup-plan-approve"),
    path(f"{PLAN}publish", views.plan_publish_page, name="followup-plan-publish"),
    path("results/follow-up/", views.public_overview, name="followup-public"),
    path("results/follow-up/countries/<str:iso3>/", views.public_country, name="followup-public-country"),
    path("results/follow-up/export/<slug:table>.csv", views.public_export, name="followup-public-export"),
    path(
        "results/follow-up/recommendations/<slug:recommendation>/",
        views.public_recommendation,
        name="followup-public-recommendation",
    ),
]
