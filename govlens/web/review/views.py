"""Review pages: the queue, per-answer comments, request changes, approve, reopen. HTTP only."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govlens.web.accounts.models import Role
from govlens.web.accounts.selectors import user_role
from govlens.web.collection.services import response_reopen
from govlens.web.error_page import error_page
from govlens.web.errors import Invalid, NotAllowed, ServiceError
from govlens.web.review.selectors import review_queue
from govlens.web.review.services import (
    review_approve,
    review_comment_add,
    review_comment_resolve,
    review_request_changes,
)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if user_role(request.user) not in (Role.ADMINISTRATOR, Role.ANALYST, Role.REVIEWER):
        error = NotAllowed(_("The review queue is for reviewers and analysts."))
        return error_page(request, error)
    return render(request, "govlens/queue.html", {"queue": review_queue(user=request.user)})


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


@login_required
@require_POST
def request_changes(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    message = request.POST.get("message", "")
    return act(
        request,
        cycle,
        iso3,
        lambda: review_request_changes(
            actor=request.user, cycle_slug=cycle, iso3=iso3, message=message, version=posted_version(request)
        ),
        _("Changes requested; the focal point has been notified."),
    )


@login_required
@require_POST
def approve(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    note = request.POST.get("note", "")
    return act(
        request,
        cycle,
        iso3,
        lambda: review_approve(
            actor=request.user, cycle_slug=cycle, iso3=iso3, note=note, version=posted_version(request)
        ),
        _("Response approved."),
    )


@login_required
@require_POST
def reopen(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return act(
        request,
        cycle,
        iso3,
        lambda: response_reopen(actor=request.user, cycle_slug=cycle, iso3=iso3, reason=reason),
        _("Response reopened."),
    )


@login_required
@require_POST
def comment(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    text = request.POST.get("text", "")
    question = request.POST.get("question", "")
    clarification = request.POST.get("clarification") == "1"
    return act(
        request,
        cycle,
        iso3,
        lambda: review_comment_add(
            actor=request.user, cycle_slug=cycle, iso3=iso3, text=text, question=question, clarification=clarification
        ),
        _("Comment added."),
    )


@login_required
@require_POST
def comment_resolve(request: HttpRequest, cycle: str, iso3: str, comment_id: int) -> HttpResponse:
    return act(
        request,
        cycle,
        iso3,
        lambda: review_comment_resolve(actor=request.user, cycle_slug=cycle, iso3=iso3, comment_id=comment_id),
        _("Comment marked as resolved."),
    )
