"""The audit trail of a response: a page and a CSV export (formula injection neutralised)."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govlens import tabular
from govlens.reports.exports import neutralise
from govlens.web.audit.selectors import audit_events_for_response
from govlens.web.collection.selectors import response_get_whole
from govlens.web.error_page import error_page
from govlens.web.errors import ServiceError


def spreadsheet_safe(value: Any) -> str:
    """Text for a spreadsheet cell: values that would start a formula get a leading apostrophe (the exports'
    neutraliser, so the platform and the published files agree on what a formula starter is)."""
    if value is None:
        return ""
    return str(neutralise(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)))


@login_required
@require_GET
def trail(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    try:
        response = response_get_whole(user=request.user, cycle_slug=cycle, iso3=iso3)
    except ServiceError as error:
        return error_page(request, error)
    question = request.GET.get("question") or None
    events = audit_events_for_response(cycle_slug=response.cycle.slug, iso3=response.country.iso3, question=question)
    return render(request, "govlens/audit.html", {"response": response, "events": events, "question": question})


@login_required
@require_GET
def trail_csv(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    try:
        response = response_get_whole(user=request.user, cycle_slug=cycle, iso3=iso3)
    except ServiceError as error:
        return error_page(request, error)
    events = audit_events_for_response(cycle_slug=response.cycle.slug, iso3=response.country.iso3)
    reply = HttpResponse(content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="audit-{response.cycle.slug}-{response.country.iso3}.csv"'
    writer = csv.writer(reply, lineterminator=tabular.LINE_END)
    writer.writerow(["at", "who", "object", "object_id", "field", "old", "new", "note"])
    for e in events:
        writer.writerow(
            [
                e.at.isoformat(),
                *(
                    spreadsheet_safe(v)
                    for v in (e.actor_username, e.object_type, e.object_id, e.field, e.old, e.new, e.note)
                ),
            ]
        )
    return reply
