"""Reads of cycles."""

from __future__ import annotations

from django.db.models import QuerySet

from govlens.web.accounts.selectors import AnyUser, assigned_countries, is_manager
from govlens.web.cycles.models import Cycle
from govlens.web.errors import NotFound


def cycle_get(*, slug: str) -> Cycle:
    cycle = Cycle.objects.filter(slug=slug).first()
    if cycle is None:
        raise NotFound(f"no cycle called '{slug}'")
    return cycle


def cycles_visible(*, user: AnyUser | None) -> QuerySet[Cycle]:
    """Managers see every cycle; others the cycles in which one of their countries takes part."""
    cycles = Cycle.objects.all().order_by("-created_at", "slug")
    if is_manager(user):
        return cycles
    return cycles.filter(countries__iso3__in=assigned_countries(user)).distinct()
