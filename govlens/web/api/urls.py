from __future__ import annotations

from django.urls import path

from govlens.web.api import api

RESPONSE = "cycles/<slug:cycle>/responses/<str:iso3>"

urlpatterns = [
    path("auth/token", api.auth_token, name="api-token"),
    path("openapi.json", api.openapi, name="api-openapi"),
    path("cycles", api.cycles, name="api-cycles"),
    path("cycles/<slug:cycle>", api.cycle_detail, name="api-cycle"),
    path("cycles/<slug:cycle>/responses", api.response_list, name="api-responses"),
    path(RESPONSE, api.response_detail, name="api-response"),
    path(f"{RESPONSE}/submit", api.response_submit_view, name="api-submit"),
    path(f"{RESPONSE}/request-changes", api.response_request_changes, name="api-request-changes"),
    path(f"{RESPONSE}/approve", api.response_approve, name="api-approve"),
    path(f"{RESPONSE}/reopen", api.response_reopen_view, name="api-reopen"),
    path(f"{RESPONSE}/history", api.response_history, name="api-history"),
    path("", api.not_found, name="api-root"),
    path("<path:rest>", api.not_found, name="api-not-found"),
]
