from __future__ import annotations

from django.urls import include, path, register_converter

from govlens.web.api import api

RESPONSE = "cycles/<slug:cycle>/responses/<str:iso3>"


class AnyPath:
    """Any rest of a path, newlines included (Django's ``path`` converter stops at a newline, which would let
    such a path fall through to the HTML pages instead of the API's JSON 404)."""

    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnyPath, "api_rest")

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
    path(f"{RESPONSE}/evidence", api.response_evidence, name="api-evidence"),
    path(f"{RESPONSE}/evidence/<int:file_id>", api.response_evidence_file, name="api-evidence-file"),
    path("", include("govlens.web.followup.api_urls")),
    path("", include("govlens.web.jobs.api_urls")),
    path("", api.not_found, name="api-root"),
    path("<api_rest:rest>", api.not_found, name="api-not-found"),
]
