"""Writes of the review: comments and clarification requests, request changes, approve (then locked)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from govlens.web.accounts.selectors import Actor, can_review_response, can_view_response, person
from govlens.web.audit.services import audit_record_of
from govlens.web.collection.models import Response, ResponseStatus
from govlens.web.collection.services import response_lock, response_status_set, response_version_check
from govlens.web.cycles.frameworks import cycle_framework
from govlens.web.errors import Invalid, InvalidTransition, NotAllowed, NotFound
from govlens.web.notifications import notify_focal_points
from govlens.web.review.models import CommentKind, ReviewComment
from govlens.web.text import quoted, text_problem

MAX_TEXT_LENGTH = 20_000  # a comment or a note; longer is a paste accident


def _require_text(text: str, what: str, *, required: bool = True) -> str:
    """The trimmed text of a comment, request or note; Invalid when empty (if ``required``), too long or holding a
    character no stored text may hold."""
    problem = text_problem(text, what=what)
    if problem is not None:
        raise Invalid(f"{problem['message']}; nothing was saved", problems=[problem])
    if required and not text.strip():
        raise Invalid(
            f"{what} needs a text", problems=[{"question": "", "code": "missing_text", "message": f"{what} is empty"}]
        )
    if len(text.strip()) > MAX_TEXT_LENGTH:
        message = f"{what} may be at most {MAX_TEXT_LENGTH} characters; got {len(text.strip())}"
        raise Invalid(message, problems=[{"question": "", "code": "text_too_long", "message": message}])
    return text.strip()


def _require_question(response: Response, question: str) -> None:
    """A comment on an answer names a question of the cycle's framework (else nobody would ever see it)."""
    if not question:
        return
    names = {q.name for q in cycle_framework(response.cycle).questions()}
    if question not in names:
        message = f"no question called {quoted(question)} in this cycle's framework"
        raise Invalid(message, problems=[{"question": question, "code": "unknown_question", "message": message}])


def review_comment_add(
    *, actor: Actor, cycle_slug: str, iso3: str, text: str, question: str = "", clarification: bool = False
) -> ReviewComment:
    """A comment on one answer (``question``) or on the whole response. Reviewers, managers and the country's
    focal point (answering a clarification request) may comment."""
    body = _require_text(text, "a comment")
    with transaction.atomic():
        response = response_lock(actor=actor, cycle_slug=cycle_slug, iso3=iso3)
        if actor is not None and not can_view_response(actor, response.country.iso3):
            raise NotAllowed(f"you may not comment on the response of {response.country.iso3}")
        if clarification and actor is not None and not can_review_response(actor, response.country.iso3):
            raise NotAllowed("only reviewers may request clarifications")
        _require_question(response, question)
        comment = ReviewComment.objects.create(
            response=response,
            question=question,
            author=person(actor),
            kind=CommentKind.CLARIFICATION if clarification else CommentKind.COMMENT,
            text=body,
        )
        audit_record_of(
            actor,
            response,
            object_type="comment",
            object_id=question or response.country.iso3,
            field="comment",
            old=None,
            new=body,
        )
    return comment


def _reviewable(actor: Actor, cycle_slug: str, iso3: str, version: int | None, *, refused: str) -> Response:
    """The response, locked, when ``actor`` may review it, it is submitted and ``version`` is current (None: any);
    ``refused`` words the InvalidTransition of another status (``{}``: the status)."""
    response = response_lock(actor=actor, cycle_slug=cycle_slug, iso3=iso3)
    if actor is not None and not can_review_response(actor, response.country.iso3):
        raise NotAllowed(f"you may not review the response of {response.country.iso3}")
    if response.status != ResponseStatus.SUBMITTED:
        raise InvalidTransition(refused.format(response.status))
    response_version_check(response, version)
    return response


def review_request_changes(
    *, actor: Actor, cycle_slug: str, iso3: str, message: str, version: int | None = None
) -> Response:
    """Send a submitted response back to the country with a message; the focal points are notified."""
    body = _require_text(message, "a change request")
    with transaction.atomic():
        response = _reviewable(
            actor, cycle_slug, iso3, version, refused="changes can be requested on a submitted response; this one is {}"
        )
        response_status_set(actor, response, ResponseStatus.CHANGES_REQUESTED, note=body)
        ReviewComment.objects.create(
            response=response, author=person(actor), kind=CommentKind.CHANGES_REQUESTED, text=body
        )
        notice = gettext("Changes requested: %(request)s") % {"request": body}
        transaction.on_commit(lambda: notify_focal_points(response, notice))
    return response


def review_approve(*, actor: Actor, cycle_slug: str, iso3: str, version: int | None = None, note: str = "") -> Response:
    """Approve a submitted response: it is locked until an analyst reopens it."""
    with transaction.atomic():
        response = _reviewable(
            actor, cycle_slug, iso3, version, refused="only a submitted response can be approved; this one is {}"
        )
        note = _require_text(note, "the approval note", required=False)
        response_status_set(actor, response, ResponseStatus.APPROVED, note=note)
        ReviewComment.objects.create(
            response=response, author=person(actor), kind=CommentKind.APPROVAL, text=note or "Approved"
        )
        notice = gettext("Your response was approved.")
        transaction.on_commit(lambda: notify_focal_points(response, notice))
    return response


def review_comment_resolve(*, actor: Actor, cycle_slug: str, iso3: str, comment_id: int) -> ReviewComment:
    """Mark a comment or clarification request of this response as resolved (reviewers and managers)."""
    with transaction.atomic():
        response = response_lock(actor=actor, cycle_slug=cycle_slug, iso3=iso3)
        if actor is not None and not can_review_response(actor, response.country.iso3):
            raise NotAllowed(f"you may not resolve comments on the response of {response.country.iso3}")
        comment = ReviewComment.objects.filter(pk=comment_id, response=response).first()
        if comment is None:
            raise NotFound(f"no comment {comment_id} on the response of {response.country.iso3}")
        if not comment.resolved:
            comment.resolved = True
            comment.save(update_fields=["resolved"])
            audit_record_of(
                actor,
                response,
                object_type="comment",
                object_id=str(comment.pk),
                field="resolved",
                old=False,
                new=True,
            )
    return comment
