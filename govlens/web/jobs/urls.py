"""Pages of release jobs: request a release of a cycle, follow its job."""

from __future__ import annotations

from django.urls import path

from govlens.web.jobs import views

urlpatterns = [
    path("cycles/<slug:cycle>/publish", views.publish_page, name="release-publish"),
    path("<int:job_id>/", views.job_page, name="job"),
    path("<int:job_id>.json", views.job_json, name="job-json"),
]
