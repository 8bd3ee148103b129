"""``govlens serve`` (govlens/cli/serve_cmd.py): answers health and static files; a bad database is a message."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from tests.throwaway import free_port

runner = CliRunner()


def test_serve_runs_gunicorn_workers_and_answers_health(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "GOVLENS_HOME": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    if os.environ.get("GOVLENS_TEST_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["GOVLENS_TEST_DATABASE_URL"]
    code = "import typer; from govlens.cli.serve_cmd import serve; typer.run(serve)"
    server = subprocess.Popen(
        [sys.executable, "-c", code, "--port", str(port), "--workers", "2", "--no-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = b""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as reply:
                    body = reply.read()
                    break
            except OSError:
                time.sleep(0.2)
        assert body == b'{"status": "ok"}'
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/govlens/questionnaire.js", timeout=5) as reply:
            assert b"autosave" in reply.read()  # static files served by the app itself (whitenoise)
        if not env.get("DATABASE_URL"):
            assert (tmp_path / "govlens.sqlite3").is_file()  # migrated on first run
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode(errors="replace")
    assert f"GovLens on http://127.0.0.1:{port}/ (2 worker(s)" in output


def test_unusable_database_url_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "GOVLENS_HOME": str(tmp_path), "DATABASE_URL": "mysql://u@h/db"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "import typer; from govlens.cli.serve_cmd import serve; typer.run(serve)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "error: cannot prepare the database: DatabaseUrlError: DATABASE_URL must start with one of" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_serve_with_the_embedded_database_runs_a_worker_that_leaves_with_it(tmp_path: Path) -> None:
    import sqlite3

    port = free_port()
    env = {**os.environ, "GOVLENS_HOME": str(tmp_path)}
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        env.pop(name, None)
    server = subprocess.Popen(
        [sys.executable, "-c", "from govlens.cli import main; main()", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    database = tmp_path / "govlens.sqlite3"

    def workers_seen() -> int:
        try:
            with sqlite3.connect(database) as connection:
                return int(connection.execute("SELECT count(*) FROM jobs_workerseen").fetchone()[0])
        except sqlite3.Error:
            return 0

    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not workers_seen():
            time.sleep(0.3)
        assert workers_seen() == 1  # the worker started by `serve` recorded itself
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode(errors="replace")
    assert "a queue worker runs with it" in output
    # the worker watches the server and stops once it is gone
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _worker_processes(str(server.pid)):
        time.sleep(0.3)
    assert not _worker_processes(str(server.pid))


def _worker_processes(server_pid: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--exit-with" in command and server_pid.encode() in command:
            found.append(entry.name)
    return found
