"""Countries and review cycles. A cycle records the exact framework it uses (id, version, fingerprint)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from govlens.i18n import country_name


class Country(models.Model):
    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ("iso3",)
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return f"{self.iso3} {self.name}"

    @property
    def local_name(self) -> str:
        """The name in the active language (the ISO 3166 catalogues); in English, or for a code they do not
        know, the stored name."""
        language = (get_language() or "en").split("-")[0]
        if language == "en":
            return self.name
        found = country_name(self.iso3, language)
        return self.name if found == self.iso3 else found


class CycleStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


CYCLE_STATUS_LABELS = {
    CycleStatus.DRAFT: _("Draft"),
    CycleStatus.OPEN: _("Open"),
    CycleStatus.CLOSED: _("Closed"),
}
CYCLE_STATUS_CHOICES = [(member.value, label) for member, label in CYCLE_STATUS_LABELS.items()]


class Cycle(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    framework_id = models.CharField(_("framework"), max_length=100)
    # What the framework was loaded from: a bundled name, or a file path.
    framework_source = models.CharField(_("framework source"), max_length=500, blank=True)
    framework_version = models.CharField(_("framework version"), max_length=50)
    framework_fingerprint = models.CharField(_("framework fingerprint"), max_length=64)
    countries = models.ManyToManyField(Country, related_name="cycles", verbose_name=_("participating countries"))
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CYCLE_STATUS_CHOICES, default=CycleStatus.DRAFT.value)
    # The cycle's override of the framework's release settings: {"index": {...}, "uncertainty": {...}} with only
    # the keys that differ (empty: the framework's). Checked by cycle_settings_set; every release records them.
    release_settings = models.JSONField(
        _("release settings"),
        default=dict,
        blank=True,
        help_text=_(
            'Overrides of the framework\'s index and uncertainty settings, e.g. {"index": {"normalise": "minmax"}, '
            '"uncertainty": {"replications": 500}}; empty keeps the framework\'s.'
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = (
            "-created_at",
            "slug",
        )
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return self.title
