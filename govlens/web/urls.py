"""URLs of the platform: pages, the JSON API under /api/v1/, the admin, the health check."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from govlens.web.api import api

urlpatterns = [
    path("health", api.health, name="health"),
    path("api/v1/", include("govlens.web.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jobs/", include("govlens.web.jobs.urls")),
    path("", include("govlens.web.followup.urls")),  # before results/: /results/follow-up/ is the follow-up's
    path("results/", include("govlens.web.publish.urls")),
    path("", include("govlens.web.pages_urls")),
]
