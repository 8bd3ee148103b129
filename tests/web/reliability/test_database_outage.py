"""A request that loses its database connection (a PostgreSQL restart, a failover) should be told to retry."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError

from govlens.web.collection.models import Response

from ..conftest import RESPONSE_ARG, Api, World


def _lost_connection(**kwargs: Any) -> Any:
    raise OperationalError("server closed the connection unexpectedly")


def test_a_lost_database_connection_is_a_503_the_client_may_retry(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = Api("focal_arg")
    monkeypatch.setattr("govlens.web.api.api.response_save", _lost_connection)
    reply = api.patch(RESPONSE_ARG, {"version": 0, "answers": {"staff": 1}})
    assert Response.objects.get(country__iso3="ARG").version == 0
    assert reply.status_code == 503
    assert reply.json()["error"]["status"] == 503
    assert reply.json()["error"]["code"] == "database_unavailable"
    assert reply["Retry-After"] == "5"


def test_a_connection_closed_under_a_read_is_a_503_too(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def closed(**kwargs: Any) -> Any:
        raise InterfaceError("connection already closed")

    monkeypatch.setattr("govlens.web.api.api.cycles_visible", closed)
    reply = Api("focal_arg").get("/api/v1/cycles")
    assert (reply.status_code, reply["Retry-After"]) == (503, "5")


def test_a_real_bug_is_still_a_500(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: Any) -> Any:
        raise IntegrityError("a constraint the code should have checked")

    monkeypatch.setattr("govlens.web.api.api.cycles_visible", broken)
    reply = Api("focal_arg").get("/api/v1/cycles")
    assert (reply.status_code, reply.json()["error"]["code"]) == (500, "internal_error")
    assert not reply.has_header("Retry-After")
