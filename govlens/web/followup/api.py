"""The follow-up's JSON endpoints under ``/api/v1/cycles/{cycle}/``: the recommendations and each country's action
plan (read, write, submit, request changes, approve, publish, history). HTTP only, with the API's one error shape."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import FileResponse, HttpRequest, JsonResponse

from govlens import followup as core
from govlens.web.api.api import (
    BadRequest,
    _json_body,
    _optional_int,
    endpoint,
    evidence_json,
    evidence_received,
    workflow_endpoints,
)
from govlens.web.followup.models import ActionPlan, PlanEvidenceFile
from govlens.web.followup.selectors import (
    PlanView,
    plan_events,
    plan_file_get,
    plan_files,
    plan_get,
    plans_visible,
    register_get,
)
from govlens.web.followup.services import (
    plan_evidence_upload,
    plan_publish,
    plan_review_approve,
    plan_review_request_changes,
    plan_submit,
    plan_update,
)
from govlens.web.uploads import evidence_response

_UNICODE = {"ensure_ascii": False}


def register_json(register: core.Register) -> dict[str, Any]:
    return {
        "cycle": register.cycle,
        "release": {"id": register.release_id, "hash": register.release_hash},
        "synthetic": register.synthetic,
        "recommendations": [item.to_dict() for item in register.recommendations],
    }


def plan_json(plan: PlanView) -> dict[str, Any]:
    return {
        "cycle": plan.cycle.slug,
        "country": plan.country.iso3,
        "status": plan.status,
        "version": plan.version,
        "actions": plan.actions,
        "approved_actions": plan.approved_actions,
        "published": plan.published,
        "synthetic": plan.synthetic,
        "evidence_files": [_file_json(item) for files in plan_files(plan).values() for item in files],
    }


def _file_json(evidence: PlanEvidenceFile) -> dict[str, Any]:
    plan = evidence.plan
    record = f"/api/v1/cycles/{plan.cycle.slug}/action-plans/{plan.country.iso3}"
    return evidence_json(evidence, {"action": evidence.action}, record)


def _status_json(plan: ActionPlan) -> dict[str, Any]:
    return {
        "cycle": plan.cycle.slug,
        "country": plan.country.iso3,
        "status": plan.status,
        "version": plan.version,
        "published": plan.published,
    }


@endpoint("GET")
def recommendations(request: HttpRequest, user: User, cycle: str) -> JsonResponse:
    return JsonResponse(register_json(register_get(user=user, cycle_slug=cycle)), json_dumps_params=_UNICODE)


@endpoint("GET")
def plan_list(request: HttpRequest, user: User, cycle: str) -> JsonResponse:
    register_get(user=user, cycle_slug=cycle)  # NotFound for a cycle the user does not take part in
    rows = [_status_json(plan) for plan in plans_visible(user=user, cycle_slug=cycle)]
    return JsonResponse({"cycle": cycle, "plans": rows})


@endpoint("GET", "PUT")
def plan_detail(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
    if request.method == "PUT":
        body = _json_body(request)
        version = _optional_int(body, "version", required=True)
        assert version is not None
        if "actions" not in body:
            raise BadRequest('send {"version": N, "actions": [...]}: the whole list of actions')
        plan_update(actor=user, cycle_slug=cycle, iso3=iso3, version=version, actions=body["actions"])
    return JsonResponse(plan_json(plan_get(user=user, cycle_slug=cycle, iso3=iso3)), json_dumps_params=_UNICODE)


plan_submit_view, plan_request_changes, plan_approve = workflow_endpoints(
    submit=plan_submit, request_changes=plan_review_request_changes, approve=plan_review_approve, status=_status_json
)


@endpoint("POST")
def plan_publish_view(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
    body = _json_body(request)
    published = body.get("published", True)
    if not isinstance(published, bool):
        raise BadRequest(f"'published' must be true or false; got {published!r}")
    return JsonResponse(_status_json(plan_publish(actor=user, cycle_slug=cycle, iso3=iso3, published=published)))


@endpoint("GET")
def plan_history(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
    plan = plan_get(user=user, cycle_slug=cycle, iso3=iso3)
    rows = [
        {
            "at": e.at.isoformat(),
            "actor": e.actor_username,
            "field": e.field,
            "old": e.old,
            "new": e.new,
            "note": e.note,
        }
        for e in plan_events(plan)
    ]
    return JsonResponse({"events": rows}, json_dumps_params=_UNICODE)


@endpoint("POST")
def plan_evidence(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
    """Attach a file to an action: multipart/form-data with ``action`` (its index) and ``file``."""
    raw = request.POST.get("action", "")
    if raw and not raw.isdigit():
        raise BadRequest(f"'action' is the index of an action in the plan (0, 1, ...); got {raw!r}")
    evidence = evidence_received(
        request,
        about=raw and f"actions[{raw}]",
        fields='an "action" field (the index of the action) and a "file"',
        store=lambda upload: plan_evidence_upload(
            actor=user, cycle_slug=cycle, iso3=iso3, action=int(raw), upload=upload
        ),
    )
    return JsonResponse(_file_json(evidence), status=201, json_dumps_params=_UNICODE)


@endpoint("GET")
def plan_evidence_file(request: HttpRequest, user: User, cycle: str, iso3: str, file_id: int) -> FileResponse:
    return evidence_response(plan_file_get(user=user, cycle_slug=cycle, iso3=iso3, file_id=file_id))
