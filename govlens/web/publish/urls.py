"""The public dashboard under /results/: overview, method and analysis, country profiles, indicators and downloads
(no login)."""

from __future__ import annotations

from django.urls import path

from govlens.web.publish import views

app_name = "publish"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("analysis/", views.analysis, name="analysis"),
    path("countries/<str:iso3>/", views.country, name="country"),
    path("indicators/<str:node_id>/", views.indicator, name="indicator"),
    path("export/<str:format>/", views.export_download, name="export"),
    path("files/<str:release_id>/<str:name>", views.file_download, name="file"),
]
