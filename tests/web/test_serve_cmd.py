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
        [sys.executable, "-c", code, "--port", str(port), "--workers", "2"],
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
