"""A real platform for the reliability tests: its own database (a SQLite file, or a fresh PostgreSQL database on
the test server), users and a cycle made by a setup process, and ``govlens serve`` (gunicorn) on a free loopback
port in its own process group, so that a test can SIGKILL the whole server and start it again."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import httpx

VENV_BIN = Path(sys.executable).parent
PASSWORD = "live-test-password-91"
CYCLE = "live"
# An optional URL question (no skip logic, no constraint) of the bundled framework, and its free-text comment.
QUESTION = "dat_od_portal"

SETUP = """
import json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govlens.web.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from govlens.web.accounts.services import user_create
from govlens.web.cycles.services import cycle_create
spec = json.loads(sys.argv[1])
cycle_create(actor=None, slug=spec["cycle"], framework="lac-dgr", countries=spec["countries"], title="Live test")
for iso3 in spec["countries"]:
    user_create(actor=None, username="fp-" + iso3.lower(), password=spec["password"], role="focal-point", country=iso3)
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _admin_execute(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        connection.execute(statement)  # names made here, not input


@dataclass
class Platform:
    home: Path
    database_url: str | None
    countries: list[str]
    created_database: str | None = None
    env: dict[str, str] = field(default_factory=dict)

    def drop(self) -> None:
        if self.created_database and self.database_url:
            _admin_execute(
                _with_database(self.database_url, "postgres"),
                f"DROP DATABASE IF EXISTS {self.created_database} WITH (FORCE)",
            )


def make_platform(tmp: Path, countries: list[str], postgres_url: str | None) -> Platform:
    """A fresh platform: on PostgreSQL a new database on the same server as ``postgres_url``, else SQLite."""
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GOVLENS_TEST_DATABASE_URL")}
    env |= {"GOVLENS_HOME": str(home), "SECRET_KEY": uuid.uuid4().hex * 2, "GOVLENS_LOG_LEVEL": "ERROR"}
    created = None
    url = None
    if postgres_url:
        created = f"govlens_live_{uuid.uuid4().hex[:12]}"
        _admin_execute(postgres_url, f"CREATE DATABASE {created}")
        url = _with_database(postgres_url, created)
        env["DATABASE_URL"] = url
    platform = Platform(home=home, database_url=url, countries=countries, created_database=created, env=env)
    spec = json.dumps({"cycle": CYCLE, "countries": countries, "password": PASSWORD})
    done = subprocess.run(
        [sys.executable, "-c", SETUP, spec], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        platform.drop()
        raise RuntimeError(f"platform setup failed:\n{done.stderr[-3000:]}")
    return platform


class Server:
    """``govlens serve`` on 127.0.0.1, in its own process group."""

    def __init__(self, platform: Platform, log: Path, workers: int = 2) -> None:
        self.platform = platform
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self, timeout: float = 40.0) -> None:
        self._log = self.log_path.open("ab")
        command = [str(VENV_BIN / "govlens"), "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--workers", str(self.workers)]
        self.process = subprocess.Popen(
            command, env=self.platform.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"govlens serve exited with {self.process.returncode}: {self.log_tail()}")
            try:
                if httpx.get(f"{self.base}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"govlens serve did not answer /health within {timeout} s: {self.log_tail()}")

    def kill(self) -> None:
        """SIGKILL the server's whole process group (arbiter and workers), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._close_log()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-2000:] if self.log_path.exists() else ""


@contextmanager
def running(platform: Platform, log: Path, workers: int = 2) -> Iterator[Server]:
    server = Server(platform, log, workers)
    server.start()
    try:
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
