"""Every page, not only the API, answers a lost database connection with 503 and Retry-After (never a 500).

The lost connection is simulated where the driver would raise it: a ``connection.execute_wrapper`` raises
OperationalError / InterfaceError instead of running the query (the first one, or the k-th one of the page, so
the connection also drops halfway through a view or while its template evaluates a query set).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError, connection
from django.test import Client

from ..conftest import PASSWORD, Api, World

RESPONSE = "/cycles/lac-2026/responses/ARG/"
PAGES = [
    "/",
    "/cycles/lac-2026/",
    RESPONSE,
    f"{RESPONSE}audit",
    "/review/",
    "/jobs/cycles/lac-2026/publish",
    "/admin/",
]
DRIVER_MESSAGE = "server closed the connection unexpectedly"


@contextmanager
def queries_fail(error: Exception, after: int = 0) -> Iterator[list[str]]:
    """Let ``after`` queries through, then raise ``error`` for every further one; yields the queries run."""
    ran: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if len(ran) >= after:
            raise error
        ran.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield ran


def _client(username: str | None = "analyst", language: str = "en") -> Client:
    client = Client(raise_request_exception=False, headers={"Accept-Language": language})
    if username is not None:
        from django.contrib.auth.models import User

        client.force_login(User.objects.get(username=username))
    return client


def _assert_retry_page(reply: Any, *, title: str = "Service temporarily unavailable") -> str:
    body: str = reply.content.decode()
    assert reply.status_code == 503, body[:500]
    assert reply["Retry-After"] == "5"
    assert reply["Content-Type"].startswith("text/html")
    assert "no-store" in reply["Cache-Control"]
    assert f"<h1>{title}</h1>" in body
    # nothing of the failure itself reaches the reader
    for leak in ("Traceback", "OperationalError", "InterfaceError", DRIVER_MESSAGE, "closed"):
        assert leak not in body
    return body


@pytest.mark.parametrize("path", PAGES)
def test_a_page_that_cannot_reach_the_database_is_a_503_to_retry(world: World, path: str) -> None:
    client = _client()
    assert client.get(path).status_code == 200  # the page works while the database does
    with queries_fail(OperationalError(DRIVER_MESSAGE)):
        body = _assert_retry_page(client.get(path))
    assert "try again in 5 seconds" in body
    assert f'<a href="{path}">Try again</a>' in body


@pytest.mark.parametrize("path", ["/", RESPONSE, f"{RESPONSE}audit"])
def test_a_connection_lost_at_any_query_of_a_page_is_a_503(world: World, path: str) -> None:
    client = _client("focal_arg" if path != "/" else "analyst")
    with queries_fail(OperationalError("unused"), after=10_000) as ran:
        assert client.get(path).status_code == 200
    count = len(ran)
    assert count >= 3  # the session, the user, the page's own reads
    for after in range(count):
        with queries_fail(InterfaceError("connection already closed"), after=after):
            reply = client.get(path)
        assert (after, reply.status_code, reply.get("Retry-After")) == (after, 503, "5")


def test_a_form_post_that_loses_the_database_is_a_503_and_writes_nothing(world: World) -> None:
    from govlens.web.collection.models import Response

    client = _client("focal_arg")
    with queries_fail(OperationalError(DRIVER_MESSAGE), after=3):
        reply = client.post(f"{RESPONSE}save", {"version": "0", "q": "staff", "a_staff": "3"})
    body = _assert_retry_page(reply)
    assert "Try again</a>" not in body  # a post is not repeated by a link
    assert Response.objects.get(cycle__slug="lac-2026", country__iso3="ARG").version == 0


def test_a_login_that_cannot_reach_the_database_is_a_503(world: World) -> None:
    client = _client(None)
    with queries_fail(OperationalError(DRIVER_MESSAGE)):
        reply = client.post("/login/", {"username": "focal_arg", "password": PASSWORD})
    _assert_retry_page(reply)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("language", "title", "sentence"),
    [
        ("es", "Servicio no disponible temporalmente", "vuelva a intentarlo dentro de 5 segundos"),
        ("pt", "Serviço temporariamente indisponível", "tente novamente dentro de 5 segundos"),
        ("fr", "Service temporairement indisponible", "réessayez dans 5 secondes"),
    ],
)
def test_the_retry_page_is_translated(world: World, language: str, title: str, sentence: str) -> None:
    client = _client(language=language)
    with queries_fail(OperationalError(DRIVER_MESSAGE)):
        body = _assert_retry_page(client.get("/"), title=title)
    assert f'<html lang="{language}">' in body
    assert sentence in body


def test_the_api_answers_the_same_outage_in_its_json_error_shape(world: World) -> None:
    api = Api("focal_arg")
    with queries_fail(OperationalError(DRIVER_MESSAGE)):
        reply = api.get("/api/v1/cycles")
    assert (reply.status_code, reply["Retry-After"]) == (503, "5")
    assert reply.json() == {
        "error": {
            "status": 503,
            "code": "database_unavailable",
            "message": "the database connection was lost; retry in 5 seconds",
            "details": {"retry_after": 5},
        }
    }


def test_a_json_poller_outside_the_api_gets_json_too(world: World) -> None:
    client = _client()
    with queries_fail(InterfaceError("connection already closed")):
        reply = client.get("/jobs/1.json", headers={"Accept": "application/json"})
    assert (reply.status_code, reply["Retry-After"]) == (503, "5")
    assert json.loads(reply.content)["error"]["code"] == "database_unavailable"


def test_a_real_database_bug_on_a_page_is_still_a_500(world: World) -> None:
    client = _client()
    with queries_fail(IntegrityError("a constraint the code should have checked")):
        reply = client.get("/")
    assert reply.status_code == 500
    assert not reply.has_header("Retry-After")
