"""Reads for reviewers: the queue of submitted responses and the comments of a response."""

from __future__ import annotations

from django.db.models import QuerySet

from govlens.web.accounts.models import Role
from govlens.web.accounts.selectors import AnyUser, is_manager, user_role, visible_countries
from govlens.web.collection.models import Response, ResponseStatus
from govlens.web.review.models import ReviewComment


def review_queue(*, user: AnyUser | None) -> QuerySet[Response]:
    """Submitted responses the user may review, oldest submission first."""
    role = user_role(user)
    if role not in (Role.ADMINISTRATOR, Role.ANALYST, Role.REVIEWER):
        return Response.objects.none()
    responses = Response.objects.select_related("cycle", "country").filter(status=ResponseStatus.SUBMITTED)
    if not is_manager(user):
        responses = responses.filter(country__in=visible_countries(user))
    return responses.order_by("submitted_at", "id")


def review_comments(response: Response, *, question: str | None = None) -> QuerySet[ReviewComment]:
    comments = response.comments.select_related("author").all()
    if question is not None:
        comments = comments.filter(question=question)
    return comments.order_by("created_at", "id")


def review_messages_recent(*, user: AnyUser | None, limit: int = 10) -> QuerySet[ReviewComment]:
    """The latest review messages on the responses the user may read: the in-app notifications."""
    comments = ReviewComment.objects.select_related("response__cycle", "response__country", "author")
    if not is_manager(user):
        comments = comments.filter(response__country__in=visible_countries(user))
    return comments.order_by("-created_at", "-id")[:limit]
