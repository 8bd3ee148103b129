"""Follow-up pages: the cycle's progress (every country the user may see), a country's plan (editor, review,
publication, progress, history), and the public follow-up page of the dashboard. HTTP only."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govlens import followup as core
from govlens.framework.findings import FINDINGS
from govlens.i18n import gettext as core_gettext
from govlens.reports.exports import write_plans_csv
from govlens.web.accounts.selectors import can_edit_response, can_review_response, is_manager
from govlens.web.error_page import error_page
from govlens.web.errors import Conflict, Invalid, NotFound, ServiceError
from govlens.web.followup import forms
from govlens.web.followup.models import PLAN_STATUS_LABELS, PlanStatus
from govlens.web.followup.selectors import (
    PlanView,
    core_plan,
    monitoring_get,
    plan_events,
    plan_file_get,
    plan_files,
    plan_get,
    plans_visible,
    published_core_plans,
    published_plans,
    register_of_cycle,
    register_row,
)
from govlens.web.followup.services import (
    plan_evidence_upload,
    plan_publish,
    plan_review_approve,
    plan_review_request_changes,
    plan_submit,
    plan_update,
    register_import,
)
from govlens.web.review.workflow import act, posted_version, workflow_page
from govlens.web.uploads import evidence_response, evidence_store, upload_refused

_FIELD = re.compile(r"actions\[(\d+)\]\.?(.*)")
STATUS_WORDS = {
    core.ActionStatus.PLANNED.value: gettext_lazy("Planned"),
    core.ActionStatus.IN_PROGRESS.value: gettext_lazy("In progress"),
    core.ActionStatus.DONE.value: gettext_lazy("Done"),
    core.ActionStatus.DROPPED.value: gettext_lazy("Dropped"),
}


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _change_text(change: core.IndicatorChange) -> str:
    if change.series_break:
        return _("series break (framework changed)")
    if change.change is None:
        return "–"
    return f"{change.change:+.2f}"


def _progress_rows(progress: core.Progress) -> list[dict[str, Any]]:
    """One entry per recommendation: its text and, per country, plan status, overdue milestones and changes."""
    language = _language()
    rows = []
    for item in progress.items:
        rows.append(
            {
                "id": item.recommendation.id,
                "finding": item.recommendation.finding,
                "topic": core_gettext(FINDINGS[item.recommendation.finding], language)
                if item.recommendation.finding in FINDINGS
                else "",
                "text": item.recommendation.in_language(language),
                "indicators": item.recommendation.indicators,
                "countries": [
                    {
                        "iso3": country.country,
                        "has_plan": country.has_plan,
                        "statuses": [(STATUS_WORDS.get(k, k), n) for k, n in country.statuses.items()],
                        "implemented": country.implemented,
                        "overdue": [{"action": title, "title": m.title, "due": m.due} for title, m in country.overdue],
                        "changes": [
                            {"indicator": c.indicator, "before": c.before, "after": c.after, "text": _change_text(c)}
                            for c in country.changes
                        ],
                    }
                    for country in item.countries
                ],
            }
        )
    return rows


# -- the cycle's monitoring page ----------------------------------------------------------------------------------
@login_required
@require_GET
def monitoring(request: HttpRequest, cycle: str) -> HttpResponse:
    try:
        progress = monitoring_get(user=request.user, cycle_slug=cycle)
    except NotFound as error:
        if "no recommendations yet" not in error.message:
            return error_page(request, error)
        progress = None
    except ServiceError as error:
        return error_page(request, error)
    plans = {plan.country.iso3: plan for plan in plans_visible(user=request.user, cycle_slug=cycle)}
    context: dict[str, Any] = {
        "cycle_slug": cycle,
        "progress": progress,
        "rows": _progress_rows(progress) if progress is not None else [],
        "plans": sorted(plans.values(), key=lambda plan: plan.country.iso3),
        "status_labels": PLAN_STATUS_LABELS,
        "can_import": is_manager(request.user),
    }
    if progress is not None:
        context["register"] = progress.previous
        context["overdue"] = sum(item.overdue for item in progress.items)
    return render(request, "followup/monitoring.html", context)


@login_required
@require_POST
def register_import_view(request: HttpRequest, cycle: str) -> HttpResponse:
    try:
        row = register_import(actor=request.user, cycle_slug=cycle, release_id=request.POST.get("release") or None)
    except Invalid as error:
        messages.error(request, error.message)
    except ServiceError as error:
        return error_page(request, error)
    else:
        count = len(row.data.get("recommendations", []))
        messages.success(
            request,
            ngettext(
                "%(count)d recommendation taken from release %(release)s.",
                "%(count)d recommendations taken from release %(release)s.",
                count,
            )
            % {
                "count": count,
                "release": row.release_id,
            },
        )
    return redirect(reverse("followup-monitoring", args=[cycle]))


# -- a country's plan ---------------------------------------------------------------------------------------------
def _problems_by_row(problems: Sequence[dict[str, Any]], origin: Sequence[int]) -> list[str]:
    lines = []
    for problem in problems:
        field = str(problem.get("field", ""))
        match = _FIELD.match(field)
        if match and int(match.group(1)) < len(origin):
            row = origin[int(match.group(1))] + 1
            where = _("Action %(row)d, %(field)s") % {"row": row, "field": match.group(2) or _("whole action")}
        else:
            where = field
        lines.append(f"{where}: {problem.get('message', '')}")
    return lines


def _file_rows(plan: PlanView) -> list[dict[str, Any]]:
    """Each saved action with its evidence files (the upload form goes beside it)."""
    files = plan_files(plan)
    return [
        {"index": index, "title": item.get("title", ""), "files": files.get(index, [])}
        for index, item in enumerate(plan.actions)
    ]


def _plan_context(request: HttpRequest, plan: PlanView) -> dict[str, Any]:
    user = request.user
    iso3 = plan.country.iso3
    context: dict[str, Any] = {
        "plan": plan,
        "cycle_slug": plan.cycle.slug,
        "status_label": PLAN_STATUS_LABELS.get(PlanStatus(plan.status), plan.status),
        "status_words": STATUS_WORDS,
        "can_edit": can_edit_response(user, iso3) and plan.editable,
        "can_review": can_review_response(user, iso3) and plan.status == PlanStatus.SUBMITTED,
        "can_submit": can_edit_response(user, iso3)
        and plan.status in (PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED)
        and bool(plan.actions),
        "can_publish": is_manager(user) and plan.approved_actions is not None,
        "events": list(plan_events(plan))[-30:],
        "recommendations": [],
        "rows": forms.rows_of(plan.actions),
        "file_rows": _file_rows(plan),
        "problems": [],
        "progress_rows": [],
    }
    try:
        register = register_of_cycle(plan.cycle)
    except NotFound:
        context["no_register"] = True
        return context
    language = _language()
    context["recommendations"] = [
        {"id": item.id, "text": item.in_language(language), "indicators": item.indicators}
        for item in register.for_country(iso3)
    ]
    progress = monitoring_get(user=user, cycle_slug=plan.cycle.slug, iso3=iso3)
    context["progress_rows"] = _progress_rows(progress)
    return context


@login_required
@require_GET
def plan_page(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    try:
        plan = plan_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        context = _plan_context(request, plan)
    except ServiceError as error:
        return error_page(request, error)
    return render(request, "followup/plan.html", context)


@login_required
@require_POST
def plan_save(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    rows = forms.posted_rows(request.POST)
    actions, origin = forms.actions_from_rows(rows)
    version = posted_version(request)
    try:
        plan_update(
            actor=request.user,
            cycle_slug=cycle,
            iso3=iso3,
            version=version if version is not None else -1,
            actions=actions,
            origin=origin,  # the editor's rows are the plan's actions in order, then a blank one
        )
    except (Invalid, Conflict) as error:
        # the page again, with what the user typed and every problem (or, for a stale save, the current plan)
        try:
            plan = plan_get(user=request.user, cycle_slug=cycle, iso3=iso3)
            context = _plan_context(request, plan)
        except ServiceError as other:
            return error_page(request, other)
        context["rows"] = [*rows, {name: "" for name in (*forms.FIELDS, "evidence_urls", "milestones")}]
        if isinstance(error, Invalid):
            context["problems"] = _problems_by_row(error.problems, origin)
            context["version"] = version
        else:
            context["problems"] = [error.message]
            context["conflict"] = forms.rows_of(plan.actions)[:-1]  # theirs, beside the user's rows
        return render(request, "followup/plan.html", context, status=error.status)
    except ServiceError as error:
        return error_page(request, error)
    messages.success(request, _("Action plan saved."))
    return redirect(reverse("followup-plan", args=[cycle, iso3.upper()]))


@login_required
@require_POST
def plan_evidence_upload_view(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    """Attach a file to one action (the form beside it); problems come back as a message on the plan page."""
    raw = request.POST.get("action", "")
    upload = request.FILES.get("file")

    def store() -> None:
        refused = upload_refused(request, question=f"actions[{raw}]")  # stopped at the size limit while streaming
        if refused is not None:
            raise refused
        if upload is None:
            raise Invalid(_("Choose a file to attach."), problems=[])
        if not raw.isdigit():
            raise NotFound(_("No such action in this plan."))
        plan_evidence_upload(actor=request.user, cycle_slug=cycle, iso3=iso3, action=int(raw), upload=upload)

    try:
        evidence_store(request, store, where=f"{cycle}/{iso3} actions[{raw}]")
    except ServiceError as error:
        return error_page(request, error)
    return redirect(reverse("followup-plan", args=[cycle, iso3.upper()]))


@login_required
@require_GET
def plan_evidence_download(request: HttpRequest, cycle: str, iso3: str, file_id: int) -> HttpResponseBase:
    try:
        evidence = plan_file_get(user=request.user, cycle_slug=cycle, iso3=iso3, file_id=file_id)
    except ServiceError as error:
        return error_page(request, error)
    return evidence_response(evidence)


plan_submit_page = workflow_page(
    plan_submit, done=gettext_lazy("Action plan submitted; the reviewers have been notified."), page="followup-plan"
)
plan_request_changes_page = workflow_page(
    plan_review_request_changes,
    done=gettext_lazy("Changes requested; the focal point has been notified."),
    page="followup-plan",
    text="message",
)
plan_approve_page = workflow_page(
    plan_review_approve, done=gettext_lazy("Action plan approved."), page="followup-plan", text="note"
)


@login_required
@require_POST
def plan_publish_page(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    published = request.POST.get("published", "1") == "1"
    return act(
        request,
        cycle,
        iso3.upper(),
        lambda: plan_publish(actor=request.user, cycle_slug=cycle, iso3=iso3, published=published),
        _("Shown on the public follow-up page.") if published else _("Removed from the public follow-up page."),
        page="followup-plan",
    )


# -- the public page ----------------------------------------------------------------------------------------------
def _public_entries(iso3: str | None = None, recommendation: str | None = None) -> list[dict[str, Any]]:
    language = _language()
    entries = []
    for row in published_plans(iso3=iso3):
        plan = core_plan(row)
        registered = register_row(row.cycle)
        if plan is None or registered is None:
            continue
        register = core.Register.from_dict(registered.data)
        for item in register.for_country(row.country.iso3):
            if recommendation is not None and item.id != recommendation:
                continue
            entries.append(
                {
                    "cycle": row.cycle,
                    "country": row.country,
                    "recommendation": item,
                    "text": item.in_language(language),
                    "synthetic": row.synthetic,
                    "implemented": plan.implemented(item.id),
                    "actions": [
                        {"action": action, "status": STATUS_WORDS.get(action.status.value, action.status.value)}
                        for action in plan.for_recommendation(item.id)
                    ],
                }
            )
    return entries


@require_GET
def public_overview(request: HttpRequest) -> HttpResponse:
    entries = _public_entries()
    return render(request, "followup/public.html", {"entries": entries, "scope": None})


@require_GET
def public_country(request: HttpRequest, iso3: str) -> HttpResponse:
    entries = _public_entries(iso3=iso3)
    return render(request, "followup/public.html", {"entries": entries, "scope": iso3.upper(), "kind": "country"})


@require_GET
def public_recommendation(request: HttpRequest, recommendation: str) -> HttpResponse:
    entries = _public_entries(recommendation=recommendation)
    context = {"entries": entries, "scope": recommendation, "kind": "recommendation"}
    return render(request, "followup/public.html", context)


@require_GET
def public_export(request: HttpRequest, table: str) -> HttpResponse:
    """The published plans as CSV: ``actions`` (one row per action) or ``milestones`` (one row per milestone)."""
    if table not in ("actions", "milestones"):
        return render(request, "followup/public.html", {"entries": [], "scope": table}, status=404)
    with tempfile.TemporaryDirectory(prefix="govlens-plans-") as folder:
        actions, milestones = write_plans_csv(
            published_core_plans(), Path(folder) / "actions.csv", Path(folder) / "milestones.csv"
        )
        content = (actions if table == "actions" else milestones).read_bytes()
    reply = HttpResponse(content, content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="follow-up-{table}.csv"'
    return reply
