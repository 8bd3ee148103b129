"""Pages of release jobs: request a release of a cycle, follow its job."""

from __future__ import annotations

from django.urls import path

from govlens.web.jobs import release_views, views

urlpatterns = [
    path("cycles/<slug:cycle>/publish", views.publish_page, name="release-publish"),
    path("<int:job_id>/", views.job_page, name="job"),
    path("<int:job_id>.json", views.job_json, name="job-json"),
    path("releases/<str:release_id>/", release_views.release_page, name="release-page"),
    path("releases/<str:release_id>/action", release_views.release_action, name="release-action"),
    path("releases/<str:release_id>/validation/<str:iso3>/", release_views.validation_page, name="release-validation"),
    path("releases/<str:release_id>/text/", release_views.text_page, name="release-text"),
    path("releases/<str:release_id>/text/action", release_views.text_action, name="release-text-action"),
    path("releases/<str:release_id>/text/edits.yaml", release_views.text_export, name="release-text-export"),
]
