"""A real platform for the reliability tests: its own database (a SQLite file, or a fresh PostgreSQL database on
the test server), users and a cycle made by a setup process, and ``govlens serve`` (gunicorn) on a free loopback
port in its own process group, so that a test can SIGKILL the whole server and start it again (the platform and
the server come from ``tests/throwaway.py``; the cycle, its users and the API calls of the tests are here)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.throwaway import SETUP_CYCLE, Platform, Server

PASSWORD = "live-test-password-91"
CYCLE = "live"
# An optional URL question (no skip logic, no constraint) of the bundled framework, and its free-text comment.
QUESTION = "dat_od_portal"


def make_platform(tmp: Path, countries: list[str], postgres_url: str | None) -> Platform:
    """A fresh platform: on PostgreSQL a new database on the same server as ``postgres_url``, else SQLite."""
    platform = Platform.create(tmp / "home", postgres_url, prefix="govlens_live")
    spec = {"cycle": CYCLE, "countries": countries, "password": PASSWORD, "title": "Live test"}
    platform.set_up(SETUP_CYCLE, spec, timeout=120)
    return platform


@contextmanager
def running(platform: Platform, log: Path, workers: int = 2) -> Iterator[Server]:
    server = Server(platform, log, workers)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def token(base: str, username: str) -> str:
    reply = httpx.post(f"{base}/api/v1/auth/token", json={"username": username, "password": PASSWORD}, timeout=30)
    reply.raise_for_status()
    value: str = reply.json()["token"]
    return value


def response_url(base: str, iso3: str) -> str:
    return f"{base}/api/v1/cycles/{CYCLE}/responses/{iso3}"


def autosave_body(version: int, n: int) -> dict[str, Any]:
    """Save number ``n``: the answer and its comment name the same n, so a half-written save shows."""
    return {
        "version": version,
        "answers": {QUESTION: f"https://example.org/save/{n}"},
        "comments": {QUESTION: f"save {n}"},
    }


def saved_number(body: dict[str, Any]) -> tuple[int | None, int | None]:
    """(n of the stored answer, n of the stored comment) of a response body."""
    answer = body["answers"].get(QUESTION)
    comment = body["comments"].get(QUESTION)
    return (
        int(answer.rsplit("/", 1)[1]) if answer else None,
        int(comment.split()[1]) if comment else None,
    )
