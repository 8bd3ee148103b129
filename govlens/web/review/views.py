"""Review pages: the queue, per-answer comments, request changes, approve, reopen. HTTP only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from govlens.web.accounts.models import Role
from govlens.web.accounts.selectors import user_role
from govlens.web.collection.services import response_reopen
from govlens.web.error_page import error_page
from govlens.web.errors import NotAllowed
from govlens.web.review.selectors import review_queue
from govlens.web.review.services import (
    review_approve,
    review_comment_add,
    review_comment_resolve,
    review_request_changes,
)
from govlens.web.review.workflow import act, workflow_page


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if user_role(request.user) not in (Role.ADMINISTRATOR, Role.ANALYST, Role.REVIEWER):
        error = NotAllowed(_("The review queue is for reviewers and analysts."))
        return error_page(request, error)
    return render(request, "govlens/queue.html", {"queue": review_queue(user=request.user)})


request_changes = workflow_page(
    review_request_changes,
    done=gettext_lazy("Changes requested; the focal point has been notified."),
    page="response",
    text="message",
)
approve = workflow_page(review_approve, done=gettext_lazy("Response approved."), page="response", text="note")


reopen = workflow_page(
    response_reopen, done=gettext_lazy("Response reopened."), page="response", text="reason", versioned=False
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
