"""Against a real ``govlens serve`` on PostgreSQL: people reading HTML pages while PostgreSQL restarts are told to
retry (503, Retry-After, the plain retry page), never shown a server error, and read the pages again afterwards
from the same server process. Needs the cluster folder GOVLENS_PG_DIR of scripts/postgres.sh.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.polling import wait_until

from .live import CYCLE, PASSWORD, Platform, make_platform, running
from .test_live_server import POSTGRES_URL, _pg_ctl, needs_postgres

COUNTRIES = ["ARG", "BRA", "CHL", "COL"]
TITLE = "<h1>Service temporarily unavailable</h1>"


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[Platform]:
    made = make_platform(tmp_path / "platform", COUNTRIES, POSTGRES_URL)
    try:
        yield made
    finally:
        made.drop()


def _logged_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=10, follow_redirects=False)
    form = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token is not None
    reply = client.post("/login/", data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]})
    assert reply.status_code == 302, reply.text[:500]
    return client


class Reader:
    """Reads one focal point's pages in a loop and notes every answer."""

    def __init__(self, client: httpx.Client, pages: list[str], stop: threading.Event) -> None:
        self.client = client
        self.pages = pages
        self.stop = stop
        # (sent, answered, status, page): a request sent while the database was down may be answered after it is
        # back, and its 503 belongs to the outage; one sent before it went down may be answered during it
        self.seen: list[tuple[float, float, int, str]] = []
        self.bad_503: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            for page in self.pages:
                sent = time.monotonic()
                try:
                    reply = self.client.get(page)
                except httpx.TransportError:
                    self.seen.append((sent, time.monotonic(), 0, page))
                    continue
                self.seen.append((sent, time.monotonic(), reply.status_code, page))
                if reply.status_code == 503 and (reply.headers.get("Retry-After") != "5" or TITLE not in reply.text):
                    self.bad_503.append(reply.text[:300])


def _read(reader: Reader, since: float) -> bool:
    """Whether ``reader`` has read a page (200) asked for after the moment ``since``."""
    return any(sent > since and status == 200 for sent, _answered, status, _page in list(reader.seen))


@pytest.mark.slow
@needs_postgres
@pytest.mark.skipif(_pg_ctl() is None, reason="needs the cluster folder GOVLENS_PG_DIR of scripts/postgres.sh")
def test_html_pages_answer_503_then_recover_across_a_postgresql_restart(platform: Platform, tmp_path: Path) -> None:
    from django.db import connections

    command = _pg_ctl()
    assert command is not None
    try:
        with running(platform, tmp_path / "server.log") as server:
            assert server.process is not None
            pid = server.process.pid
            stop = threading.Event()
            readers = [
                Reader(
                    _logged_in(server.base, f"fp-{iso3.lower()}"),
                    ["/", f"/cycles/{CYCLE}/", f"/cycles/{CYCLE}/responses/{iso3}/"],
                    stop,
                )
                for iso3 in COUNTRIES
            ]
            threads = [threading.Thread(target=r.run, daemon=True) for r in readers]
            for thread in threads:
                thread.start()
            wait_until(lambda: all(_read(r, 0.0) for r in readers), 30, "every reader to read a page")
            down = time.monotonic()
            subprocess.run(command, check=True, capture_output=True, timeout=60)  # pg_ctl of our own cluster
            back = time.monotonic()
            # a second after the restart (the pool's broken connections are found and replaced), every reader again
            wait_until(lambda: all(_read(r, back + 1.0) for r in readers), 30, "every reader to read after it")
            stop.set()
            for thread in threads:
                thread.join(timeout=30)
            assert server.process.poll() is None and server.process.pid == pid  # never restarted
            statuses: Counter[int] = Counter(status for r in readers for _sent, _answered, status, _page in r.seen)
            print(f"\nHTML pages across a PostgreSQL restart ({back - down:.1f} s): {dict(statuses)}")
            # while the database was away: a retry page, never a server error
            assert set(statuses) <= {200, 503}, (dict(statuses), server.log_tail())
            assert [text for r in readers for text in r.bad_503] == []
            # every reader read before the restart, and reads again after it, logged in still
            for reader in readers:
                before = [status for _sent, answered, status, _ in reader.seen if answered < down]
                after = [status for sent, _answered, status, _ in reader.seen if sent > back + 1.0]
                assert before and set(before) == {200}
                assert after and set(after) == {200}, Counter(after)
            for reader in readers:
                reader.client.close()
    finally:
        connections.close_all()  # this process's connections to the restarted server are gone
