"""The page a refused request is shown on: a service error's message, with its HTTP status (one for every app)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from govlens.web.errors import ServiceError


def error_page(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(request, "govlens/error.html", {"error": error}, status=error.status)
