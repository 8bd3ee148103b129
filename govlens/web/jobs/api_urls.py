"""The release's API routes, included in ``/api/v1/`` (before its catch-all)."""

from __future__ import annotations

from django.urls import path

from govlens.web.jobs import api

urlpatterns = [
    path("releases/<str:release>/validation/<str:iso3>", api.validation, name="api-release-validation"),
    path("releases/<str:release>/publish", api.publish, name="api-release-publish"),
]
