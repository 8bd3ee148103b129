"""Response headers every page gets: a Content-Security-Policy, and ``Cache-Control: no-store`` on whatever an
authenticated user receives (a shared or back-button cache must not keep a country's answers)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

# Scripts only from our own files (no inline script, no eval): a stored text that escaped escaping still cannot
# run. Inline styles stay allowed: the dashboard's legend colours and the reports' embedded stylesheet use them,
# and a style cannot run code. Nothing may frame a page, and forms post only to the platform.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class SecurityHeadersMiddleware:
    """Adds the policy to every response and forbids storing what an authenticated request received."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        # A session cookie or a token marks a signed-in request without asking the database again: the user is
        # loaded lazily, and a lost connection here would turn the outage middleware's 503 into a 500.
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES or "Authorization" in request.headers
        if signed_in:
            patch_cache_control(response, no_store=True, private=True)
        return response
