"""Writes to the audit trail. Every other service records its changes through :func:`audit_record`."""

from __future__ import annotations

from typing import Any

from govlens.web.accounts.selectors import Actor, person
from govlens.web.audit.models import AuditEvent


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
