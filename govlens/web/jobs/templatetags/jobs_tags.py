"""Template helpers of the jobs app: ``{% load jobs_tags %}{% if user|can_publish %}``."""

from __future__ import annotations

from django import template

from govlens.web.accounts.selectors import AnyUser
from govlens.web.jobs.selectors import can_publish as _can_publish

register = template.Library()


@register.filter
def can_publish(user: AnyUser | None) -> bool:
    return _can_publish(user)
