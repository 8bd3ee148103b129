"""E-mails of the follow-up through Django's mail backend (console or file by default, SMTP by setting): review
steps of a plan, milestone reminders to focal points, and the analysts' digest."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import Q
from django.utils.translation import gettext as _

from govlens.web.accounts.models import Membership, Role
from govlens.web.followup.models import ActionPlan


def addresses(users: Iterable[User]) -> list[str]:
    return sorted({user.email for user in users if user.is_active and user.email})


def focal_points(plan: ActionPlan) -> list[str]:
    ids = Membership.objects.filter(role=Role.FOCAL_POINT.value, country=plan.country).values_list("user_id", flat=True)
    return addresses(User.objects.filter(pk__in=list(ids)))


def reviewers(plan: ActionPlan) -> list[str]:
    ids = Membership.objects.filter(role=Role.REVIEWER.value, countries=plan.country).values_list("user_id", flat=True)
    return addresses(User.objects.filter(pk__in=list(ids)))


def analysts() -> list[str]:
    """Analysts and administrators (superusers included): who receives the digest."""
    managers = Q(membership__role__in=[Role.ANALYST.value, Role.ADMINISTRATOR.value]) | Q(is_superuser=True)
    return addresses(User.objects.filter(managers).distinct())


def send(recipients: list[str], subject: str, text: str, *, quiet: bool = False) -> int:
    """Send one message to ``recipients`` (nothing when there are none); the number of messages sent. ``quiet``
    notices (after a committed change) never fail the request; reminders do fail, so they are not marked sent."""
    if not recipients:
        return 0
    subject = f"[GovLens] {subject}"
    return send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=quiet)


def _plan_subject(plan: ActionPlan) -> str:
    return _("%(cycle)s — %(country)s: action plan") % {"cycle": plan.cycle.title, "country": plan.country.local_name}


def notify_plan_focal_points(plan: ActionPlan, text: str) -> None:
    send(focal_points(plan), _plan_subject(plan), text, quiet=True)


def notify_plan_reviewers(plan: ActionPlan, text: str) -> None:
    send(reviewers(plan), _plan_subject(plan), text, quiet=True)
