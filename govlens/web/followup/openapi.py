"""The follow-up's part of the OpenAPI document: its paths and schemas, added to ``/api/v1/openapi.json``."""

from __future__ import annotations

from typing import Any

from govlens.web.api.openapi import _COMMON, _PARAMS, _body, _error, _ok, _ref
from govlens.web.api.openapi import _action as action

_PLAN = "/cycles/{cycle}/action-plans/{iso3}"
_DATE = {"type": ["string", "null"], "format": "date"}


def _action(summary: str, body: str, extra: dict[str, Any]) -> dict[str, Any]:
    return action(summary, body, extra, reply="PlanStatus")


def _paths() -> dict[str, Any]:
    conflict = _error("Stale version (both documents in details) or a status that does not allow the action")
    invalid = _error("Invalid plan: every problem (field, code, message) is listed in details.problems")
    return {
        "/cycles/{cycle}/recommendations": {
            "get": {
                "summary": "The cycle's recommendations: ids, texts, addressed countries, linked indicators",
                "parameters": _PARAMS[:1],
                "responses": {
                    "200": _ok("The register", "Recommendations"),
                    "401": _COMMON["401"],
                    "404": _error("No such cycle, or no register imported yet"),
                },
            }
        },
        "/cycles/{cycle}/action-plans": {
            "get": {
                "summary": "Status and version of every action plan the user may read in a cycle",
                "parameters": _PARAMS[:1],
                "responses": {"200": _ok("Plans", "PlanList"), "401": _COMMON["401"], "404": _COMMON["404"]},
            }
        },
        _PLAN: {
            "get": {
                "summary": "A country's action plan (an empty draft at version 0 before its first save)",
                "parameters": _PARAMS,
                "responses": {"200": _ok("The plan", "ActionPlan"), **_COMMON},
            },
            "put": {
                "summary": "Replace the plan's actions, based on a version (optimistic concurrency)",
                "parameters": _PARAMS,
                "requestBody": _body("ActionPlanPut"),
                "responses": {
                    "200": _ok("Saved; the plan with its new version", "ActionPlan"),
                    "400": _error("Malformed body"),
                    **_COMMON,
                    "409": conflict,
                    "422": invalid,
                },
            },
        },
        f"{_PLAN}/submit": _action("Submit the plan to its reviewers", "Versioned", {"409": conflict, "422": invalid}),
        f"{_PLAN}/request-changes": _action(
            "Send a submitted plan back with a message", "ChangeRequest", {"409": conflict, "422": invalid}
        ),
        f"{_PLAN}/approve": _action("Approve a submitted plan and its status changes", "Approval", {"409": conflict}),
        f"{_PLAN}/publish": _action(
            "Show the approved plan on the public follow-up page, or stop (analysts)", "Publication", {"409": conflict}
        ),
        f"{_PLAN}/evidence": {
            "post": {
                "summary": "Attach a file to an action of the plan (multipart: action, its index, and file)",
                "parameters": _PARAMS,
                "requestBody": {
                    "required": True,
                    "content": {"multipart/form-data": {"schema": _ref("PlanEvidenceUpload")}},
                },
                "responses": {
                    "201": _ok("The stored file", "PlanEvidenceFile"),
                    "400": _error("No action or no file"),
                    **_COMMON,
                    "409": conflict,
                    "413": _error("The request is larger than the server accepts"),
                    "422": _error("A file type, size or content the platform refuses"),
                },
            }
        },
        f"{_PLAN}/evidence/{{file_id}}": {
            "get": {
                "summary": "Download a file attached to the plan (those who may read the plan)",
                "parameters": [
                    *_PARAMS,
                    {"name": "file_id", "in": "path", "required": True, "schema": {"type": "integer"}},
                ],
                "responses": {
                    "200": {
                        "description": "The file, as uploaded",
                        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                    },
                    **_COMMON,
                },
            }
        },
        f"{_PLAN}/history": {
            "get": {
                "summary": "The audit trail of the plan",
                "parameters": _PARAMS,
                "responses": {"200": _ok("Audit events, oldest first", "History"), **_COMMON},
            }
        },
    }


def _schemas() -> dict[str, Any]:
    milestone = {
        "type": "object",
        "required": ["title", "due"],
        "properties": {"title": {"type": "string"}, "due": {"type": "string", "format": "date"}, "done_on": _DATE},
    }
    action = {
        "type": "object",
        "required": ["recommendation", "title"],
        "properties": {
            "recommendation": {"type": "string", "description": "A recommendation id addressed to the country"},
            "title": {"type": "string"},
            "institution": {"type": "string"},
            "start": _DATE,
            "due": _DATE,
            "status": {"type": "string", "enum": ["planned", "in_progress", "done", "dropped"]},
            "reason": {"type": "string", "description": "Why a dropped action was dropped (required then)"},
            "expected_effect": {"type": "string"},
            "evidence_urls": {"type": "array", "items": {"type": "string", "format": "uri"}},
            "milestones": {"type": "array", "items": milestone},
        },
    }
    status = {"type": "string", "enum": ["draft", "submitted", "changes_requested", "approved"]}
    return {
        "Recommendation": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "finding": {"type": "string"},
                "text": {"type": "object", "additionalProperties": {"type": "string"}},
                "countries": {"type": "array", "items": {"type": "string"}},
                "indicators": {"type": "array", "items": {"type": "string"}},
                "bodies": {"type": "array", "items": {"type": "string"}},
            },
        },
        "Recommendations": {
            "type": "object",
            "properties": {
                "cycle": {"type": "string"},
                "release": {"type": "object", "properties": {"id": {"type": "string"}, "hash": {"type": "string"}}},
                "synthetic": {"type": "boolean"},
                "recommendations": {"type": "array", "items": _ref("Recommendation")},
            },
        },
        "PlanAction": action,
        "ActionPlan": {
            "type": "object",
            "required": ["status", "version", "actions"],
            "properties": {
                "cycle": {"type": "string"},
                "country": {"type": "string"},
                "status": status,
                "version": {"type": "integer", "minimum": 0},
                "actions": {"type": "array", "items": _ref("PlanAction")},
                "approved_actions": {"type": ["array", "null"], "items": _ref("PlanAction")},
                "published": {"type": "boolean"},
                "synthetic": {"type": "boolean"},
                "evidence_files": {"type": "array", "items": _ref("PlanEvidenceFile")},
            },
        },
        "PlanEvidenceFile": {
            "type": "object",
            "required": ["id", "action", "name", "size", "content_type", "url"],
            "properties": {
                "id": {"type": "integer"},
                "action": {"type": "integer", "description": "The index of the action in the plan"},
                "name": {"type": "string"},
                "size": {"type": "integer"},
                "content_type": {"type": "string"},
                "url": {"type": "string"},
            },
        },
        "PlanEvidenceUpload": {
            "type": "object",
            "required": ["action", "file"],
            "properties": {"action": {"type": "integer"}, "file": {"type": "string", "format": "binary"}},
        },
        "ActionPlanPut": {
            "type": "object",
            "required": ["version", "actions"],
            "properties": {
                "version": {"type": "integer", "description": "The version the change is based on (0 for a new plan)"},
                "actions": {"type": "array", "items": _ref("PlanAction")},
            },
        },
        "PlanStatus": {
            "type": "object",
            "properties": {
                "cycle": {"type": "string"},
                "country": {"type": "string"},
                "status": status,
                "version": {"type": "integer"},
                "published": {"type": "boolean"},
            },
        },
        "PlanList": {
            "type": "object",
            "properties": {"cycle": {"type": "string"}, "plans": {"type": "array", "items": _ref("PlanStatus")}},
        },
        "Publication": {"type": "object", "properties": {"published": {"type": "boolean"}}},
    }


def add_followup(document: dict[str, Any]) -> None:
    """Add the follow-up's paths and schemas to the API's document (in place)."""
    document["paths"].update(_paths())
    document["components"]["schemas"].update(_schemas())
