"""The review workflow of a country's record (a questionnaire response or an action plan): the services each record
provides to submit it, send it back and approve it, and the pages that run them, made once for both. HTTP only; the
API's endpoints for the same services are made by ``govlens.web.api.api.workflow_endpoints``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.views.decorators.http import require_POST

from govlens.web.accounts.selectors import Actor
from govlens.web.error_page import error_page
from govlens.web.errors import Invalid, ServiceError

Record = TypeVar("Record", covariant=True)
Page = Callable[[HttpRequest, str, str], HttpResponse]


class Submit(Protocol[Record]):
    def __call__(self, *, actor: Actor, cycle_slug: str, iso3: str, version: int | None = None) -> Record: ...


class RequestChanges(Protocol[Record]):
    def __call__(
        self, *, actor: Actor, cycle_slug: str, iso3: str, message: str, version: int | None = None
    ) -> Record: ...


class Approve(Protocol[Record]):
    def __call__(
        self, *, actor: Actor, cycle_slug: str, iso3: str, version: int | None = None, note: str = ""
    ) -> Record: ...


def act(
    request: HttpRequest,
    cycle: str,
    iso3: str,
    action: Callable[[], object],
    done: str,
    page: str = "response",
) -> HttpResponse:
    """Run a review action and go back to ``page`` (a URL name taking cycle and country) with its outcome; on the
    questionnaire, back to the question's section when the form named a question."""
    question = request.POST.get("question", "") if page == "response" else ""
    try:
        action()
    except Invalid as error:
        messages.error(request, error.message)
    except ServiceError as error:
        return error_page(request, error)
    else:
        messages.success(request, done)
    if re.fullmatch(r"[A-Za-z_][\w.-]{0,199}", question):
        return redirect(reverse("response-question", args=[cycle, iso3, question]))
    return redirect(reverse(page, args=[cycle, iso3]))


def posted_version(request: HttpRequest) -> int | None:
    """The version a review form was based on (None when the form sent none or garbage)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def workflow_page(
    service: Callable[..., object], *, done: str | Promise, page: str, text: str = "", versioned: bool = True
) -> Page:
    """A signed-in POST page running ``service`` (submit, request changes, approve, reopen) with the form's ``text``
    field (``message``, ``note``, ``reason``) passed under its name and, when ``versioned``, the version the form was
    based on; then back to ``page`` with ``done``. The action plan's page is named with the country's code in
    capitals; the response's as it came."""

    @login_required
    @require_POST
    def view(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
        fields: dict[str, object] = {text: request.POST.get(text, "")} if text else {}
        if versioned:
            fields["version"] = posted_version(request)
        back = iso3 if page == "response" else iso3.upper()

        def run() -> object:
            return service(actor=request.user, cycle_slug=cycle, iso3=iso3, **fields)

        return act(request, cycle, back, run, str(done), page=page)

    return view
