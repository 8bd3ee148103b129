"""Against a real ``govlens serve`` (gunicorn, 2 workers) on loopback: concurrent edits never overwrite each
other; a SIGKILL of the server and a restart of PostgreSQL in the middle of autosaves lose no acknowledged save
and leave no save half-written.

The conflict test runs on SQLite and, when GOVLENS_TEST_DATABASE_URL is set, on PostgreSQL; the fault tests
need PostgreSQL (and, for the database restart, the cluster folder GOVLENS_PG_DIR of scripts/postgres.sh).
"""

from __future__ import annotations

import glob
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.polling import wait_until

from .live import (
    QUESTION,
    Platform,
    Server,
    autosave_body,
    make_platform,
    response_url,
    running,
    saved_number,
    token,
)

POSTGRES_URL = os.environ.get("GOVLENS_TEST_DATABASE_URL", "").strip()
needs_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (GOVLENS_TEST_DATABASE_URL)")
DATABASES = [
    pytest.param(None, id="sqlite"),
    pytest.param(POSTGRES_URL, id="postgresql", marks=needs_postgres),
]


@pytest.fixture
def platform_factory(tmp_path: Path) -> Iterator[Any]:
    made: list[Platform] = []

    def make(countries: list[str], postgres_url: str | None) -> Platform:
        platform = make_platform(tmp_path / f"p{len(made)}", countries, postgres_url)
        made.append(platform)
        return platform

    yield make
    for platform in made:
        platform.drop()


@pytest.mark.parametrize("database", DATABASES)
def test_two_clients_on_the_same_version_one_wins_and_the_other_gets_409(
    platform_factory: Any, tmp_path: Path, database: str | None
) -> None:
    platform = platform_factory(["ARG"], database)
    rounds = 8
    with running(platform, tmp_path / "server.log") as server:
        headers = {"Authorization": f"Bearer {token(server.base, 'fp-arg')}"}
        url = response_url(server.base, "ARG")
        clients = [httpx.Client(headers=headers, timeout=20) for _ in range(2)]
        try:
            for round_number in range(rounds):
                version = clients[0].get(url).json()["version"]
                assert version == round_number
                bodies = [autosave_body(version, 1000 * round_number + which) for which in (0, 1)]
                replies = _race(clients, url, bodies)
                statuses = sorted(reply.status_code for reply in replies.values())
                assert statuses == [200, 409], [r.text for r in replies.values()]
                winner = next(w for w, r in replies.items() if r.status_code == 200)
                loser = replies[1 - winner].json()["error"]
                assert loser["code"] == "version_conflict"
                assert loser["details"]["current_version"] == version + 1
                assert loser["details"]["based_on_version"] == version
                stored = clients[0].get(url).json()
                # The winner's save is stored whole; the loser's wrote nothing.
                expected = 1000 * round_number + winner
                assert (stored["version"], saved_number(stored)) == (version + 1, (expected, expected))
        finally:
            for client in clients:
                client.close()


def _race(clients: list[httpx.Client], url: str, bodies: list[dict[str, Any]]) -> dict[int, httpx.Response]:
    """PATCH every body at the same moment, one client each."""
    barrier = threading.Barrier(len(bodies))
    replies: dict[int, httpx.Response] = {}

    def save(which: int) -> None:
        barrier.wait(timeout=10)
        replies[which] = clients[which].patch(url, json=bodies[which])

    threads = [threading.Thread(target=save, args=(which,)) for which in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return replies


# -- faults --------------------------------------------------------------------------------------------


@dataclass
class Writer:
    """One focal point autosaving its own response in a loop, noting what was acknowledged and what was not."""

    base: str
    iso3: str
    token: str
    stop: threading.Event
    acked: list[tuple[int, int, float]] = field(default_factory=list)  # (n, version, when)
    unacked: list[int] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)

    def run(self) -> None:
        url = response_url(self.base, self.iso3)
        with httpx.Client(headers={"Authorization": f"Bearer {self.token}"}, timeout=5) as client:
            version = self._version(client, url)
            n = 0
            while not self.stop.is_set() and version is not None:
                n += 1
                try:
                    reply = client.patch(url, json=autosave_body(version, n))
                except httpx.TransportError:
                    self._count("transport")
                    self.unacked.append(n)
                    version = self._version(client, url)
                    continue
                self._count(str(reply.status_code))
                if reply.status_code == 200:
                    version = reply.json()["version"]
                    self.acked.append((n, version, time.monotonic()))
                else:
                    self.unacked.append(n)
                    version = self._version(client, url)

    def _count(self, key: str) -> None:
        self.statuses[key] = self.statuses.get(key, 0) + 1

    def _version(self, client: httpx.Client, url: str) -> int | None:
        """The stored version, retried while the server or the database is away (None once stopped)."""
        while not self.stop.is_set():
            try:
                reply = client.get(url)
                if reply.status_code == 200:
                    version: int = reply.json()["version"]
                    return version
            except httpx.TransportError:
                pass
            self.stop.wait(0.05)  # a retry interval that ends as soon as the test stops the writers
        return None


ACKS = 3  # acknowledged saves every writer must have before the fault and again after it


def _autosave_during(server: Server, countries: list[str], fault: Any) -> list[Writer]:
    """Writers autosave until each has ACKS acknowledged saves, then ``fault(writers)`` runs (returning the moment
    the service is back), then they go on until each has ACKS more acknowledged after that moment."""
    tokens: dict[str, str] = {}
    threads = [
        threading.Thread(target=lambda c=c: tokens.__setitem__(c, token(server.base, f"fp-{c.lower()}")))
        for c in countries
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stop = threading.Event()
    writers = [Writer(server.base, c, tokens[c], stop) for c in countries]
    running_threads = [threading.Thread(target=w.run, daemon=True) for w in writers]
    for thread in running_threads:
        thread.start()
    try:
        wait_until(lambda: all(len(w.acked) >= ACKS for w in writers), 30, f"{ACKS} saves of every writer")
        back: float = fault(writers)
        wait_until(
            lambda: all(sum(1 for a in w.acked if a[2] > back) >= ACKS for w in writers),
            30,
            f"{ACKS} saves of every writer after the fault",
        )
    finally:
        stop.set()
        for thread in running_threads:
            thread.join(timeout=30)
    return writers


def _around(writers: list[Writer], start: float, end: float) -> tuple[list[int], list[int]]:
    """Acknowledged saves of each writer before ``start`` and after ``end``."""
    before = [sum(1 for _n, _v, at in w.acked if at < start) for w in writers]
    after = [sum(1 for _n, _v, at in w.acked if at > end) for w in writers]
    return before, after


def _summary(what: str, writers: list[Writer], before: int, after: int) -> None:
    """One line for the record (shown with pytest -s): what the clients saw around the fault."""
    statuses: dict[str, int] = {}
    for writer in writers:
        for key, count in writer.statuses.items():
            statuses[key] = statuses.get(key, 0) + count
    acked = sum(len(w.acked) for w in writers)
    print(
        f"\n{what}: {len(writers)} writers, {acked} acknowledged ({before} before, {after} after), replies {statuses}"
    )


def _check_every_acknowledged_save(server: Server, writers: list[Writer]) -> None:
    for writer in writers:
        headers = {"Authorization": f"Bearer {token(server.base, f'fp-{writer.iso3.lower()}')}"}
        url = response_url(server.base, writer.iso3)
        stored = httpx.get(url, headers=headers, timeout=10).json()
        history = httpx.get(f"{url}/history?question={QUESTION}", headers=headers, timeout=10).json()["events"]
        values = [int(e["new"].rsplit("/", 1)[1]) for e in history if e["field"] == "value"]
        comments = [int(e["new"].split()[1]) for e in history if e["field"] == "comment"]
        # Every committed save wrote both its answer and its comment; the response shows the last one whole.
        assert comments == values, writer.iso3
        assert saved_number(stored) == (values[-1], values[-1]), writer.iso3
        # Each save adds one version: the k-th committed save is version k.
        assert stored["version"] == len(values), writer.iso3
        for n, version, _when in writer.acked:
            assert values[version - 1] == n, (writer.iso3, n, version)
        # Nothing appears that was never sent.
        assert set(values) <= {n for n, _v, _w in writer.acked} | set(writer.unacked), writer.iso3


COUNTRIES = ["ARG", "BRA", "CHL", "COL", "MEX", "PER", "URY", "ECU"]


@pytest.mark.slow
@needs_postgres
def test_acknowledged_saves_survive_a_sigkill_of_the_server(platform_factory: Any, tmp_path: Path) -> None:
    platform = platform_factory(COUNTRIES, POSTGRES_URL)
    server = Server(platform, tmp_path / "server.log")
    server.start()
    moments: dict[str, float] = {}

    def crash_and_restart(writers: list[Writer]) -> float:
        moments["kill"] = time.monotonic()
        failed = sum(w.statuses.get("transport", 0) for w in writers)
        server.kill()
        # down until a client has found it down (a save that could not reach the server), then started again
        wait_until(lambda: sum(w.statuses.get("transport", 0) for w in writers) > failed, 30, "a client to see it down")
        server.start()
        moments["back"] = time.monotonic()
        return moments["back"]

    try:
        writers = _autosave_during(server, COUNTRIES, crash_and_restart)
        before, after = _around(writers, moments["kill"], moments["back"])
        assert min(before) >= ACKS and min(after) >= ACKS, (before, after, [w.statuses for w in writers])
        assert sum(w.statuses.get("500", 0) for w in writers) == 0
        _check_every_acknowledged_save(server, writers)
        _summary("SIGKILL of the server", writers, sum(before), sum(after))
    finally:
        server.stop()


def _pg_ctl() -> list[str] | None:
    folder = os.environ.get("GOVLENS_PG_DIR", "")
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not folder or not Path(folder, "data").is_dir() or not binaries:
        return None
    command = [binaries[-1], "-D", f"{folder}/data", "-l", f"{folder}/server.log", "-m", "fast", "-w", "restart"]
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.mark.slow
@needs_postgres
@pytest.mark.skipif(_pg_ctl() is None, reason="needs the cluster folder GOVLENS_PG_DIR of scripts/postgres.sh")
def test_the_app_recovers_from_a_postgresql_restart_without_its_own(platform_factory: Any, tmp_path: Path) -> None:
    from django.db import connections

    platform = platform_factory(COUNTRIES, POSTGRES_URL)
    command = _pg_ctl()
    assert command is not None
    moments: dict[str, float] = {}

    def restart_database(writers: list[Writer]) -> float:
        moments["down"] = time.monotonic()
        subprocess.run(command, check=True, capture_output=True, timeout=60)  # pg_ctl of our own cluster
        moments["back"] = time.monotonic()
        return moments["back"]

    try:
        with running(platform, tmp_path / "server.log") as server:
            assert server.process is not None
            pid = server.process.pid
            writers = _autosave_during(server, COUNTRIES, restart_database)
            assert server.process.poll() is None and server.process.pid == pid  # the same server, never restarted
            before, after = _around(writers, moments["down"], moments["back"])
            assert min(before) >= ACKS and min(after) >= ACKS, (before, after, [w.statuses for w in writers])
            # A save caught by the restart is told to retry (503), never answered as a bug (500).
            assert sum(w.statuses.get("500", 0) for w in writers) == 0, [w.statuses for w in writers]
            assert httpx.get(f"{server.base}/health", timeout=5).status_code == 200
            _check_every_acknowledged_save(server, writers)
            _summary("PostgreSQL restart", writers, sum(before), sum(after))
    finally:
        # This process's own connections to the restarted server are gone; the next test opens new ones.
        connections.close_all()
