"""E-mail notifications through Django's mail backend (console in development, SMTP in production)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail

from govlens.web.accounts.models import Membership, Role
from govlens.web.collection.models import Response


def _send(response: Response, user_ids: list[int], text: str) -> None:
    emails = sorted(
        {e for e in User.objects.filter(pk__in=user_ids, is_active=True).values_list("email", flat=True) if e}
    )
    if emails:
        subject = f"[GovLens] {response.cycle.title} — {response.country.local_name}"
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, emails, fail_silently=True)


def notify_focal_points(response: Response, text: str) -> None:
    """The country's focal points: changes requested, approval, reopening."""
    ids = Membership.objects.filter(role=Role.FOCAL_POINT.value, country=response.country).values_list(
        "user_id", flat=True
    )
    _send(response, list(ids), text)


def notify_reviewers(response: Response, text: str) -> None:
    """The reviewers assigned to the country: a response was submitted."""
    ids = Membership.objects.filter(role=Role.REVIEWER.value, countries=response.country).values_list(
        "user_id", flat=True
    )
    _send(response, list(ids), text)
