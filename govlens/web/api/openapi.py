"""The OpenAPI 3.1 description of ``/api/v1/``, built by hand next to the endpoints it describes."""

from __future__ import annotations

from typing import Any

from govlens import __version__

_JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {_JSON: {"schema": _ref("Error")}}}


def _ok(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {_JSON: {"schema": _ref(schema)}}}


def _body(schema: str, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {_JSON: {"schema": _ref(schema)}}}


_COMMON = {
    "401": _error("Missing, unknown or expired token"),
    "403": _error("The user may not act on this country's response"),
    "404": _error("No such cycle or response"),
}
_PARAMS = [
    {"name": "cycle", "in": "path", "required": True, "schema": {"type": "string"}, "description": "Cycle slug"},
    {
        "name": "iso3",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z]{3}$"},
        "description": "ISO 3166-1 alpha-3 country code",
    },
]


def _action(summary: str, body: str, extra: dict[str, Any], reply: str = "Status") -> dict[str, Any]:
    """A POST action on one country's record, answering its new status and version (the ``reply`` schema)."""
    return {
        "post": {
            "summary": summary,
            "parameters": _PARAMS,
            "requestBody": _body(body, required=False),
            "responses": {
                "200": _ok("New status and version", reply),
                "400": _error("Malformed body (not a JSON object, or a field of the wrong type)"),
                **_COMMON,
                **extra,
            },
        }
    }


def _unavailable() -> dict[str, Any]:
    reply = _error(
        "The database connection was lost (a restart, a failover), or for an upload the file store failed; retry "
        "after Retry-After seconds"
    )
    reply["headers"] = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
    return reply


def openapi_document() -> dict[str, Any]:
    """The whole document (a fresh dict each call); every operation may answer 503 (retry)."""
    from govlens.web.followup.openapi import add_followup
    from govlens.web.jobs.openapi import add_release

    document = _document()
    add_followup(document)
    add_release(document)
    for operations in document["paths"].values():
        for operation in operations.values():
            operation["responses"]["503"] = _unavailable()
    return document


def _document() -> dict[str, Any]:
    conflict = _error("Stale version (both values in details) or a status that does not allow the action")
    invalid = _error("Invalid answers: every problem is listed in details.problems")
    answers_map = {"type": "object", "additionalProperties": True}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "GovLens review platform API",
            "version": __version__,
            "description": "Cycles, country responses and their review. Every error has the Error shape.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/auth/token": {
                "post": {
                    "summary": "Exchange a username and password for a bearer token",
                    "security": [],
                    "requestBody": _body("Credentials"),
                    "responses": {
                        "201": _ok("A new token", "Token"),
                        "400": _error("Malformed body"),
                        "401": _error("Invalid credentials"),
                        "429": _error("Too many failed logins"),
                    },
                },
                "delete": {
                    "summary": "Revoke the bearer token sent with the request (log out)",
                    "responses": {"200": _ok("Whether the token was revoked", "Revoked"), "401": _COMMON["401"]},
                },
            },
            "/cycles": {
                "get": {
                    "summary": "Cycles the user takes part in",
                    "responses": {"200": _ok("Cycles", "CycleList"), "401": _COMMON["401"]},
                }
            },
            "/cycles/{cycle}": {
                "get": {
                    "summary": "One cycle",
                    "parameters": _PARAMS[:1],
                    "responses": {"200": _ok("The cycle", "Cycle"), "401": _COMMON["401"], "404": _COMMON["404"]},
                }
            },
            "/cycles/{cycle}/responses": {
                "get": {
                    "summary": "Status and version of every response the user may read in a cycle",
                    "parameters": _PARAMS[:1],
                    "responses": {
                        "200": _ok("Responses", "ResponseList"),
                        "401": _COMMON["401"],
                        "404": _COMMON["404"],
                    },
                }
            },
            "/cycles/{cycle}/responses/{iso3}": {
                "get": {
                    "summary": "A country's response: status, version and answers",
                    "parameters": _PARAMS,
                    "responses": {"200": _ok("The response", "Response"), **_COMMON},
                },
                "patch": {
                    "summary": "Save answers based on a version (optimistic concurrency)",
                    "parameters": _PARAMS,
                    "requestBody": _body("ResponsePatch"),
                    "responses": {
                        "200": _ok("Saved; the response with its new version", "Response"),
                        "400": _error("Malformed body"),
                        **_COMMON,
                        "409": conflict,
                        "422": invalid,
                    },
                },
            },
            "/cycles/{cycle}/responses/{iso3}/submit": _action(
                "Submit the response for review", "Versioned", {"409": conflict, "422": invalid}
            ),
            "/cycles/{cycle}/responses/{iso3}/request-changes": _action(
                "Send a submitted response back with a message", "ChangeRequest", {"409": conflict, "422": invalid}
            ),
            "/cycles/{cycle}/responses/{iso3}/approve": _action(
                "Approve a submitted response (it is then locked)", "Approval", {"409": conflict}
            ),
            "/cycles/{cycle}/responses/{iso3}/reopen": _action(
                "Reopen an approved response (analysts), with a reason", "Reopen", {"409": conflict, "422": invalid}
            ),
            "/cycles/{cycle}/responses/{iso3}/history": {
                "get": {
                    "summary": "The audit trail of the response (optionally of one question)",
                    "parameters": [
                        *_PARAMS,
                        {"name": "question", "in": "query", "required": False, "schema": {"type": "string"}},
                    ],
                    "responses": {"200": _ok("Audit events, oldest first", "History"), **_COMMON},
                }
            },
            "/cycles/{cycle}/responses/{iso3}/evidence": {
                "post": {
                    "summary": "Attach a file to an answer (the platform's file types and size limit)",
                    "parameters": _PARAMS,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "multipart/form-data": {
                                "schema": {
                                    "type": "object",
                                    "required": ["question", "file"],
                                    "properties": {
                                        "question": {"type": "string"},
                                        "file": {"type": "string", "format": "binary"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": _ok("The stored file", "EvidenceFile"),
                        "400": _error("No question or no file"),
                        **_COMMON,
                        "409": conflict,
                        "413": _error("The request is larger than the server accepts"),
                        "422": _error("Unknown question, or a file type, size or content the platform refuses"),
                    },
                }
            },
            "/cycles/{cycle}/responses/{iso3}/evidence/{file_id}": {
                "get": {
                    "summary": "Download a file attached to the response",
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
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "code", "message", "details"],
                            "properties": {
                                "status": {"type": "integer"},
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "details": {"type": "object"},
                            },
                        }
                    },
                },
                "Credentials": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
                },
                "Token": {"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}},
                "Revoked": {"type": "object", "required": ["revoked"], "properties": {"revoked": {"type": "boolean"}}},
                "Cycle": {
                    "type": "object",
                    "properties": {
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "string", "enum": ["draft", "open", "closed"]},
                        "framework": {
                            "type": "object",
                            "properties": {
                                "id": {"type": "string"},
                                "version": {"type": "string"},
                                "fingerprint": {"type": "string"},
                            },
                        },
                        "opens_on": {"type": ["string", "null"], "format": "date"},
                        "closes_on": {"type": ["string", "null"], "format": "date"},
                        "countries": {"type": "array", "items": {"type": "string"}},
                    },
                },
                "CycleList": {
                    "type": "object",
                    "properties": {"cycles": {"type": "array", "items": _ref("Cycle")}},
                },
                "Response": {
                    "type": "object",
                    "required": ["status", "version", "answers"],
                    "properties": {
                        "cycle": {"type": "string"},
                        "country": {"type": "string"},
                        "status": {"type": "string", "enum": ["draft", "submitted", "changes_requested", "approved"]},
                        "version": {"type": "integer", "minimum": 0},
                        "answers": answers_map,
                        "comments": {"type": "object", "additionalProperties": {"type": "string"}},
                        "evidence_urls": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        },
                        "evidence_files": {
                            "type": "object",
                            "description": "Files attached to each question",
                            "additionalProperties": {"type": "array", "items": _ref("EvidenceFile")},
                        },
                        "suggestions": {
                            "type": "object",
                            "description": "Answers suggested from public data (pre-fill) and the decision taken",
                            "additionalProperties": {
                                "type": "object",
                                "properties": {
                                    "value": {},
                                    "source": {"type": "string"},
                                    "decision": {"type": "string", "enum": ["pending", "accepted", "overridden"]},
                                },
                            },
                        },
                    },
                },
                "ResponseList": {
                    "type": "object",
                    "properties": {
                        "cycle": {"type": "string"},
                        "responses": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "country": {"type": "string"},
                                    "status": {"type": "string"},
                                    "version": {"type": "integer"},
                                    "updated_at": {"type": "string", "format": "date-time"},
                                    "submitted_at": {"type": ["string", "null"], "format": "date-time"},
                                },
                            },
                        },
                    },
                },
                "ResponsePatch": {
                    "type": "object",
                    "required": ["version"],
                    "properties": {
                        "version": {"type": "integer", "description": "The version the change is based on"},
                        "answers": answers_map,
                        "comments": {"type": "object", "additionalProperties": {"type": "string"}},
                        "evidence_urls": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "string", "format": "uri"}},
                        },
                    },
                },
                "Versioned": {"type": "object", "properties": {"version": {"type": "integer"}}},
                "ChangeRequest": {
                    "type": "object",
                    "required": ["message"],
                    "properties": {"message": {"type": "string"}, "version": {"type": "integer"}},
                },
                "Approval": {
                    "type": "object",
                    "properties": {"note": {"type": "string"}, "version": {"type": "integer"}},
                },
                "Reopen": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}},
                "EvidenceFile": {
                    "type": "object",
                    "required": ["id", "question", "name", "size", "content_type", "url"],
                    "properties": {
                        "id": {"type": "integer"},
                        "question": {"type": "string"},
                        "name": {"type": "string"},
                        "size": {"type": "integer"},
                        "content_type": {"type": "string"},
                        "url": {"type": "string"},
                    },
                },
                "Status": {
                    "type": "object",
                    "properties": {
                        "cycle": {"type": "string"},
                        "country": {"type": "string"},
                        "status": {"type": "string"},
                        "version": {"type": "integer"},
                    },
                },
                "History": {
                    "type": "object",
                    "properties": {
                        "events": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "at": {"type": "string", "format": "date-time"},
                                    "actor": {"type": "string"},
                                    "object_type": {"type": "string"},
                                    "object_id": {"type": "string"},
                                    "field": {"type": "string"},
                                    "old": {},
                                    "new": {},
                                    "note": {"type": "string"},
                                },
                            },
                        }
                    },
                },
            },
        },
    }
