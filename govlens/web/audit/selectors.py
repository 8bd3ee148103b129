"""Reads of the audit trail."""

from __future__ import annotations

from django.db.models import QuerySet

from govlens.web.audit.models import AuditEvent


def audit_events_for_response(*, cycle_slug: str, iso3: str, question: str | None = None) -> QuerySet[AuditEvent]:
    """Events of one country's response in one cycle (optionally of one answer), oldest first."""
    events = AuditEvent.objects.filter(cycle_slug=cycle_slug, country=iso3)
    if question:
        events = events.filter(object_type="answer", object_id=question)
    return events.order_by("at", "id")
