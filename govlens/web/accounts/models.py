"""Roles and assignments, API tokens and login attempts (the users themselves are Django's)."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlens.web.cycles.models import Country


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    FOCAL_POINT = "focal-point"
    CONTRIBUTOR = "contributor"


ROLE_LABELS = {
    Role.ADMINISTRATOR: _("Administrator"),
    Role.ANALYST: _("Analyst"),
    Role.REVIEWER: _("Reviewer"),
    Role.FOCAL_POINT: _("Focal point"),
    Role.CONTRIBUTOR: _("Contributor"),
}
ROLE_CHOICES = [(member.value, label) for member, label in ROLE_LABELS.items()]


class Membership(models.Model):
    """A user's role: reviewers read and review their assigned countries; a focal point has one country (and
    coordinates it); a contributor answers the sections of one country that its focal point delegated."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="focal_points", verbose_name=_("country")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="reviewers", verbose_name=_("assigned countries")
    )
    # A contributor's delegated sections (section names of the cycle's framework); empty for other roles.
    sections = models.JSONField(_("delegated sections"), default=list, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = (
            models.CheckConstraint(
                condition=~models.Q(role="focal-point") | models.Q(country__isnull=False),
                name="focal_point_has_country",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="contributor") | models.Q(country__isnull=False),
                name="contributor_has_country",
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak does not leak usable tokens."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


class LoginFailure(models.Model):
    """A failed login, kept in the database so the throttle holds across workers and machines."""

    username = models.CharField(max_length=150, db_index=True)  # login_key(): normalised and case-folded
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
