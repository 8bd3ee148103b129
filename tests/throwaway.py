"""Throwaway platforms in other processes, for the tests and benchmarks that run the real servers (a test
harness: it lives with the tests, not in the shipped package).

The live reliability tests, the worker-crash tests and the API load benchmark each build a platform of their
own (a temporary GOVLENS_HOME with a SQLite file, or a fresh database on the PostgreSQL test server, dropped
afterwards) and run ``govlens serve`` or ``govlens worker`` against it in a process group of its own, so that
the whole server can be SIGKILLed as a crash would. This module is what they share; what each one sets up and
drives stays with it.

It runs in test and benchmark processes before Django is configured: no Django at module level (only
``setup_cycle`` imports it, in the platform's own process), psycopg and httpx only when used.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Self
from urllib.parse import urlsplit, urlunsplit

LOOPBACK = "127.0.0.1"
# the checkout these tests belong to: the platform's processes import this module (and govlens) from it
ROOT = Path(__file__).resolve().parents[1]
GOVLENS = Path(sys.executable).parent / "govlens"
# The caller's own database stays out of the platform's processes.
CALLER_DATABASE = ("DATABASE_URL", "GOVLENS_TEST_DATABASE_URL")

# ``Platform.set_up`` script: Django, migrations, one cycle with a focal point per country (see setup_cycle).
SETUP_CYCLE = """
import json, sys
from tests.throwaway import setup_cycle
setup_cycle(**json.loads(sys.argv[1]))
"""


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port that is free on ``host`` when asked."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def with_database(url: str, name: str) -> str:
    """The database URL ``url`` with database ``name`` in place of its own."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_execute(url: str, statement: str) -> str:
    """One statement on a PostgreSQL server, outside a transaction (CREATE/DROP DATABASE need that); the first
    column of its first row, "" when it returns none."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        cursor = connection.execute(statement)  # statements built by the callers from names made here
        row = cursor.fetchone() if cursor.description else None
        return str(row[0]) if row else ""


class SetupFailed(RuntimeError):
    """The setup process of a platform failed; ``stderr`` is what it wrote."""

    def __init__(self, stderr: str) -> None:
        super().__init__(f"platform setup failed:\n{stderr[-3000:]}")
        self.stderr = stderr


class NotAnswering(RuntimeError):
    """A started process exited, or its URL did not answer in time; ``reason`` says which."""

    def __init__(self, reason: str, log_tail: str) -> None:
        super().__init__(f"{reason}: {log_tail}")
        self.reason = reason


@dataclass
class Platform:
    """A platform's home and the environment of its processes; on PostgreSQL, the database made for it."""

    home: Path
    env: dict[str, str]
    database_url: str | None = None
    created_database: str | None = None

    @classmethod
    def create(cls, home: Path, postgres_url: str | None, *, prefix: str, env: Mapping[str, str] | None = None) -> Self:
        """A platform in ``home``: on PostgreSQL a new database named ``<prefix>_<random>`` on the server of
        ``postgres_url``, else SQLite. ``env`` adds to (or overrides) the platform's environment."""
        home.mkdir(parents=True, exist_ok=True)
        environment = {k: v for k, v in os.environ.items() if k not in CALLER_DATABASE}
        environment |= {"GOVLENS_HOME": str(home), "SECRET_KEY": uuid.uuid4().hex * 2, "GOVLENS_LOG_LEVEL": "ERROR"}
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(ROOT), *(part for part in environment.get("PYTHONPATH", "").split(os.pathsep) if part)]
        )
        environment |= env or {}
        made = cls(home=home, env=environment)
        if postgres_url:
            made.created_database = f"{prefix}_{uuid.uuid4().hex[:12]}"
            admin_execute(postgres_url, f"CREATE DATABASE {made.created_database}")
            made.database_url = with_database(postgres_url, made.created_database)
            environment["DATABASE_URL"] = made.database_url
        return made

    def set_up(self, script: str, spec: Mapping[str, Any], *, timeout: float) -> None:
        """Run the Python ``script`` in a process of the platform, the JSON of ``spec`` its argument. If it
        fails, drop the platform and raise ``SetupFailed``."""
        done = subprocess.run(
            [sys.executable, "-c", script, json.dumps(spec)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            self.drop()
            raise SetupFailed(done.stderr)

    def drop(self) -> None:
        """Drop the database made for the platform (its home goes with the caller's temporary folder)."""
        if self.created_database and self.database_url:
            admin_execute(
                with_database(self.database_url, "postgres"),
                f"DROP DATABASE IF EXISTS {self.created_database} WITH (FORCE)",
            )


def setup_cycle(cycle: str, countries: list[str], password: str, title: str) -> None:
    """In a platform's setup process (``SETUP_CYCLE``): migrate, then one cycle of the bundled ``lac-dgr``
    framework over ``countries`` with a focal point ``fp-<iso3>`` (with ``password``) for each."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govlens.web.settings")
    django.setup()
    from django.core.management import call_command

    from govlens.web.accounts.services import user_create
    from govlens.web.cycles.services import cycle_create

    call_command("migrate", interactive=False, verbosity=0)
    cycle_create(actor=None, slug=cycle, framework="lac-dgr", countries=countries, title=title)
    for iso3 in countries:
        user_create(actor=None, username="fp-" + iso3.lower(), password=password, role="focal-point", country=iso3)


class GroupProcess:
    """A command in a process group of its own (so that it dies whole, children included), its output
    appended to ``log``. It can be started again after it stopped."""

    def __init__(
        self, command: Sequence[str], env: Mapping[str, str], log: Path, *, cwd: Path | None = None, name: str = ""
    ) -> None:
        self.command = list(command)
        self.env = env
        self.log_path = log
        self.cwd = cwd
        self.name = name or Path(self.command[0]).name
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self) -> subprocess.Popen[bytes]:
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command, env=self.env, cwd=self.cwd, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self.process

    def wait_until_answers(self, url: str, timeout: float) -> None:
        """Until ``url`` answers 200; ``NotAnswering`` if the process exits or ``timeout`` seconds pass first."""
        import httpx

        assert self.process is not None, "start() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise NotAnswering(f"{self.name} exited with {self.process.returncode}", self.log_tail())
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise NotAnswering(f"{self.name} did not answer {url} within {timeout:g} s", self.log_tail())

    def kill(self) -> None:
        """SIGKILL the whole process group, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self._close_log()

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM the process group; SIGKILL it if it is still there after ``grace`` seconds."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, chars: int = 2000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


class Server(GroupProcess):
    """``govlens serve`` (gunicorn) for ``platform`` on a free port of 127.0.0.1."""

    def __init__(self, platform: Platform, log: Path, workers: int = 2) -> None:
        self.platform = platform
        self.port = free_port()
        self.base = f"http://{LOOPBACK}:{self.port}"
        command = [str(GOVLENS), "serve", "--host", LOOPBACK, "--port", str(self.port), "--workers", str(workers)]
        super().__init__(command, platform.env, log, name="govlens serve")

    def start(self, timeout: float = 40.0) -> subprocess.Popen[bytes]:
        """Start the server and wait until ``/health`` answers (``NotAnswering`` if it does not)."""
        process = super().start()
        self.wait_until_answers(f"{self.base}/health", timeout)
        return process
