"""Writes to the audit trail. Every other service records its changes through :func:`audit_record`."""

from __future__ import annotations

from typing import Any, Protocol

from govlens.web.accounts.selectors import Actor, person
from govlens.web.audit.models import AuditEvent
from govlens.web.cycles.models import Country, Cycle


class CountryRecord(Protocol):
    """A country's record in a cycle: a questionnaire response or an action plan."""

    cycle: Cycle
    country: Country


def audit_record(
    *,
    actor: Actor,
    object_type: str,
    object_id: str,
    field: str,
    old: Any,
    new: Any,
    cycle_slug: str = "",
    country: str = "",
    note: str = "",
) -> AuditEvent:
    """Append one event (who, when, object, field, old value, new value)."""
    user = person(actor)
    return AuditEvent.objects.create(
        actor=user,
        actor_username=user.get_username() if user is not None else "",
        object_type=object_type,
        object_id=object_id,
        field=field,
        old=old,
        new=new,
        cycle_slug=cycle_slug,
        country=country,
        note=note,
    )


def audit_record_of(
    actor: Actor,
    record: CountryRecord,
    *,
    object_type: str,
    object_id: str,
    field: str,
    old: Any,
    new: Any,
    note: str = "",
) -> AuditEvent:
    """Append one event about a country's record, filed under its cycle and country."""
    return audit_record(
        actor=actor,
        object_type=object_type,
        object_id=object_id,
        field=field,
        old=old,
        new=new,
        cycle_slug=record.cycle.slug,
        country=record.country.iso3,
        note=note,
    )
