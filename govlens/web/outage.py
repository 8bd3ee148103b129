"""A lost database connection (a PostgreSQL restart, a failover) is answered "503, retry in a few seconds", never as a
bug (500): one mechanism for every page and the JSON API.

``DatabaseOutageMiddleware`` (in ``settings.MIDDLEWARE``) turns a database connection error raised by any view, or
by the rendering of its template, into ``database_unavailable``; the API's endpoint wrapper calls the same function.
The answer carries ``Retry-After``, is never cached, and shows no traceback: JSON in the API's error shape for the
API and for clients that ask for JSON (the job status poller), else a plain translated page that needs neither the
database nor the session (``503.html``, rendered without context processors, which would load the user).
A request whose transaction was cut off committed nothing; a save repeated after one that did commit names its
version and comes back as a version conflict rather than being written twice.
Not covered: an error raised inside another middleware (say the session middleware saving a changed session
after the view): Django answers those with its 500 handler before any ``process_exception`` sees them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext

logger = logging.getLogger(__name__)
# Seconds a client waits before retrying after the database connection was lost (a restart, a failover).
RETRY_AFTER_SECONDS = 5
# What a lost or refused connection raises (Django wraps the driver's errors in these).
DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
API_PREFIX = "/api/"


def is_database_outage(error: BaseException) -> bool:
    return isinstance(error, DATABASE_ERRORS)


def wants_json(request: HttpRequest) -> bool:
    """The API, or a client that asks for JSON rather than a page."""
    if request.path.startswith(API_PREFIX):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def database_unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 answer to a request that lost its database connection: JSON or the page (see ``wants_json``)."""
    if wants_json(request):
        return database_unavailable_json(request, error)
    _log(request, error)
    context = {
        "seconds": RETRY_AFTER_SECONDS,
        "again": request.get_full_path() if request.method in ("GET", "HEAD") else "",
        "title": gettext("Service temporarily unavailable"),
    }
    return _retry_later(HttpResponse(render_to_string("503.html", context), status=503))


def database_unavailable_json(request: HttpRequest, error: BaseException) -> JsonResponse:
    """The 503 answer in the API's one error shape (``govlens.web.api.api.error_response``)."""
    _log(request, error)
    body = {
        "error": {
            "status": 503,
            "code": "database_unavailable",
            "message": f"the database connection was lost; retry in {RETRY_AFTER_SECONDS} seconds",
            "details": {"retry_after": RETRY_AFTER_SECONDS},
        }
    }
    reply = JsonResponse(body, status=503)
    _retry_later(reply)
    return reply


def _log(request: HttpRequest, error: BaseException) -> None:
    # a warning with the driver's message: an outage is expected now and then, not a bug with a traceback
    logger.warning("database unavailable in %s %s: %s", request.method, request.path, error)


def _retry_later(reply: HttpResponse) -> HttpResponse:
    reply["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(reply)
    return reply


class DatabaseOutageMiddleware:
    """Answers ``database_unavailable`` when a view (or its template) loses the database connection."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_outage(exception):
            return database_unavailable(request, exception)
        return None
