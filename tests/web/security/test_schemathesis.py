"""schemathesis against /api/v1/openapi.json on a live test server (pytest-django's ``live_server``): for
generated requests to every operation, valid and invalid, no 500 and every response matches the documented
status codes, content types and schemas."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from govlens.web.api.openapi import openapi_document

from ..conftest import PASSWORD, World

schema = schemathesis.openapi.from_dict(openapi_document())
TRIGGERS = importlib.import_module("govlens.web.audit.migrations.0002_append_only_triggers")


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(scope="module")
def triggers_back_after_flush(django_db_blocker: Any) -> Iterator[None]:
    """Torn down after this module's last database flush: puts the audit trail's triggers back (SQLite)."""
    yield
    if connection.vendor == "sqlite":
        with django_db_blocker.unblock():
            _run([*TRIGGERS.SQLITE_DROP, *TRIGGERS.SQLITE])


@pytest.fixture
def live_api(triggers_back_after_flush: None, live_server: Any) -> Iterator[str]:
    """The API's base URL on a live server.

    A live server needs a transactional database, emptied after the test; on SQLite that flush is a DELETE,
    which the audit trail's append-only triggers refuse, so they are lifted for the flushes of this module."""
    yield f"{live_server.url}/api/v1"
    if connection.vendor == "sqlite":
        _run(TRIGGERS.SQLITE_DROP)


@pytest.fixture
def api_token(world: World) -> str:
    reply = Client().post(
        "/api/v1/auth/token",
        json.dumps({"username": "focal_arg", "password": PASSWORD}),
        content_type="application/json",
    )
    assert reply.status_code == 201
    token: str = reply.json()["token"]
    return token


DOCUMENT = openapi_document()
# All of schemathesis's checks run (the 405 Allow header, documented statuses and content types each have their own
# regression test too) except positive_data_acceptance: a schema-valid request for a cycle that does not exist is
# rightly a 404.
REPLACED = [positive_data_acceptance]


def _documented(case: Any) -> set[str]:
    """The statuses documented for the case's operation; a method the path does not have must get 405."""
    operation = DOCUMENT["paths"][case.path].get(case.method.lower())
    return set(operation["responses"]) if operation else {"405"}


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_openapi_document(case: Any, live_api: str, api_token: str) -> None:
    """No 500, every JSON reply matches its schema (schemathesis's checks), every status is documented and
    every reply is JSON (also for a path the API's URL patterns cannot hold, such as a newline in a path
    parameter); a 405 names the allowed methods in its Allow header."""
    reply = case.call(base_url=live_api, headers={"Authorization": f"Bearer {api_token}"})
    case.validate_response(reply, excluded_checks=REPLACED)
    assert reply.status_code < 500
    assert str(reply.status_code) in _documented(case), (case.method, case.path, reply.status_code)
    kind = (reply.headers.get("content-type") or [""])[0]  # schemathesis keeps header values as lists
    assert kind.startswith("application/json"), (case.method, case.path_parameters, reply.status_code, kind)
    if reply.status_code == 405:
        assert reply.headers.get("allow"), (case.method, case.path)


def test_a_405_names_the_allowed_methods_in_an_allow_header(world: World) -> None:
    reply = Client().generic("TRACE", "/api/v1/cycles")
    assert reply.status_code == 405
    assert reply.json()["error"]["details"]["allowed"] == ["GET"]
    assert reply.get("Allow") == "GET"


def test_every_operation_with_a_body_documents_its_400_reply() -> None:
    missing = [
        f"{method.upper()} {path}"
        for path, operations in DOCUMENT["paths"].items()
        for method, operation in operations.items()
        if method in ("post", "patch") and "400" not in operation["responses"]
    ]
    assert missing == []


def test_every_path_under_the_api_answers_json(world: World) -> None:
    reply = Client().get("/api/v1/cycles/a%0Ab/responses/ARG")
    assert reply.status_code == 404
    assert reply["Content-Type"].startswith("application/json")
