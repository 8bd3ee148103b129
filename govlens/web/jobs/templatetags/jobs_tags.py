"""Template helpers of the jobs app: ``{% load jobs_tags %}{% if user|can_publish %}``, and the words shown for
stored values (a response's status, a release's state, a validation answer) in the page's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from govlens.release import PublicationState
from govlens.reports.render import setting_value as _setting_value
from govlens.web.accounts.selectors import AnyUser
from govlens.web.collection.models import RESPONSE_STATUS_CHOICES
from govlens.web.jobs.models import ValidationDecision, ValidationResolution
from govlens.web.jobs.selectors import can_publish as _can_publish

register = template.Library()

RELEASE_STATES = {
    PublicationState.DRAFT.value: _("Draft"),
    PublicationState.VALIDATION.value: _("In validation with the countries"),
    PublicationState.PUBLISHED.value: _("Published"),
}
VALIDATION_WORDS = {
    ValidationDecision.ACCEPTED.value: _("Accepted"),
    ValidationDecision.COMMENTED.value: _("Commented"),
    ValidationResolution.RECOMPUTED.value: _("Answer fixed, release recomputed"),
    ValidationResolution.TEXT_EDITED.value: _("Text edited"),
    ValidationResolution.REPLIED.value: _("Replied"),
}


@register.filter
def can_publish(user: AnyUser | None) -> bool:
    return _can_publish(user)


@register.filter
def response_status(value: str) -> str:
    """The word for a response's stored status; an unknown value is shown as it is."""
    return str(dict(RESPONSE_STATUS_CHOICES).get(value, value))


@register.filter
def release_state(value: str) -> str:
    return str(RELEASE_STATES.get(value, value))


@register.filter
def validation_word(value: str) -> str:
    """The word for a validation decision (accepted, commented) or resolution (recomputed, text_edited, replied)."""
    return str(VALIDATION_WORDS.get(value, value))


PASSAGE_KINDS = {
    "key": _("Key message"),
    "intro": _("Introduction of the section"),
    "finding": _("Finding"),
    "recommendation": _("Recommendation"),
    "regional": _("Recommendation to regional bodies"),
}


@register.filter
def passage_kind(target: str) -> str:
    """The word for the kind of an editable passage of the report ("finding:<rule>" -> Finding)."""
    kind = target.split(":", 1)[0]
    return str(PASSAGE_KINDS.get(kind, kind))


@register.filter
def setting_value(value: object) -> str:
    """An engine setting's value in words in the page's language, as the report's method page words it."""
    return _setting_value(value, get_language() or "en")
