"""The release's part of the OpenAPI document: validation by the countries and publishing."""

from __future__ import annotations

from typing import Any

from govlens.web.api.openapi import _COMMON, _body, _error, _ok

_RELEASE = {
    "name": "release",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "Release id",
}
_ISO3 = {"name": "iso3", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[A-Za-z]{3}$"}}


def _paths() -> dict[str, Any]:
    invalid = _error("Invalid answer, or open validation comments: every problem is listed in details.problems")
    conflict = _error("The release is already published, or the round closed at its deadline")
    return {
        "/releases/{release}/validation/{iso3}": {
            "get": {
                "summary": "A country's validation items of a draft (its profile and the statements counting it)",
                "parameters": [_RELEASE, _ISO3],
                "responses": {"200": _ok("The items and the country's answers", "Validation"), **_COMMON},
            },
            "post": {
                "summary": "The country's focal point accepts or comments on one item (until the deadline)",
                "parameters": [_RELEASE, _ISO3],
                "requestBody": _body("ValidationAnswer"),
                "responses": {
                    "200": _ok("Recorded; the items again", "Validation"),
                    "400": _error("Malformed body"),
                    **_COMMON,
                    "409": conflict,
                    "422": invalid,
                },
            },
        },
        "/releases/{release}/publish": {
            "post": {
                "summary": "Publish a draft (analysts); open validation comments need confirm_open_comments",
                "parameters": [_RELEASE],
                "requestBody": _body("PublishRequest", required=False),
                "responses": {
                    "200": _ok("Published", "PublicationState"),
                    "400": _error("Malformed body"),
                    **_COMMON,
                    "409": conflict,
                    "422": invalid,
                },
            }
        },
    }


def _schemas() -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "Validation": {
            "type": "object",
            "properties": {
                "release": text,
                "country": text,
                "deadline": {"type": "string", "format": "date"},
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "key": text,
                            "kind": {"type": "string", "enum": ["profile", "finding", "recommendation"]},
                            "text": text,
                            "decision": {"type": ["string", "null"], "enum": ["accepted", "commented", None]},
                            "comment": text,
                            "resolution": text,
                            "reply": text,
                        },
                    },
                },
            },
        },
        "ValidationAnswer": {
            "type": "object",
            "required": ["item", "decision"],
            "properties": {
                "item": text,
                "decision": {"type": "string", "enum": ["accepted", "commented"]},
                "comment": text,
            },
        },
        "PublishRequest": {"type": "object", "properties": {"confirm_open_comments": {"type": "boolean"}}},
        "PublicationState": {
            "type": "object",
            "properties": {"release": text, "state": {"type": "string", "enum": ["published"]}},
        },
    }


def add_release(document: dict[str, Any]) -> None:
    """Add the release's paths and schemas to the API's document (in place)."""
    document["paths"].update(_paths())
    document["components"]["schemas"].update(_schemas())
