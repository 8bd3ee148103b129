"""The platform's commands (govlens/cli/web_cmd.py): serve, user add, cycle create."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import typer
from django.contrib.auth.models import User
from typer.testing import CliRunner

from govlens.cli import web_cmd
from govlens.web.accounts.models import Membership
from govlens.web.cycles.models import Cycle
from govlens.web.throwaway import free_port

from .conftest import PASSWORD, World

app = typer.Typer()
app.command("serve")(web_cmd.serve)
app.add_typer(web_cmd.user_app, name="user")
app.add_typer(web_cmd.cycle_app, name="cycle")
runner = CliRunner()


def test_user_add_reads_the_password_from_stdin(db: None) -> None:
    result = runner.invoke(
        app,
        ["user", "add", "ana", "--role", "reviewer", "--countries", "arg,bra", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "user 'ana' created: reviewer for ARG, BRA" in result.output
    membership = Membership.objects.get(user__username="ana")
    assert membership.role == "reviewer"
    assert sorted(membership.countries.values_list("iso3", flat=True)) == ["ARG", "BRA"]
    assert User.objects.get(username="ana").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        (
            ["--role", "boss"],
            PASSWORD,
            "--role must be one of {administrator, analyst, reviewer, focal-point}; got 'boss'",
        ),
        (["--role", "focal-point"], PASSWORD, "a focal point needs --country ISO3"),
        (["--role", "focal-point", "--country", "XYZ"], PASSWORD, "got 'XYZ'"),
        (["--role", "analyst"], "123", "the password is too weak"),
    ],
)
def test_user_add_refusals_exit_1_with_a_message(db: None, args: list[str], password: str, message: str) -> None:
    result = runner.invoke(app, ["user", "add", "bob", *args, "--password-stdin"], input=password + "\n")
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not User.objects.filter(username="bob").exists()


def test_cycle_create(db: None) -> None:
    result = runner.invoke(
        app, ["cycle", "create", "lac-2027", "--framework", "tiny", "--countries", "arg, mex", "--title", "LAC 2027"]
    )
    assert result.exit_code == 0, result.output
    assert "cycle 'lac-2027' open: LAC 2027; framework tiny 1" in result.output
    cycle = Cycle.objects.get(slug="lac-2027")
    assert sorted(cycle.countries.values_list("iso3", flat=True)) == ["ARG", "MEX"]
    assert cycle.responses.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad Slug", "--framework", "tiny", "--countries", "ARG"], "SLUG must be lower-case"),
        (["lac-2026", "--framework", "tiny", "--countries", "ARG"], "already exists"),
        (["x", "--framework", "nope", "--countries", "ARG"], "no framework called 'nope'"),
        (["x", "--framework", "tiny", "--countries", ""], "at least one participating country"),
    ],
)
def test_cycle_create_refusals(world: World, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["cycle", "create", *args])
    assert result.exit_code == 1
    assert message in result.output


def test_serve_runs_gunicorn_workers_and_answers_health(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "GOVLENS_HOME": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    if os.environ.get("GOVLENS_TEST_DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["GOVLENS_TEST_DATABASE_URL"]
    code = "import typer; from govlens.cli.web_cmd import serve; typer.run(serve)"
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


def test_cycle_close_and_open(world: World) -> None:
    closed = runner.invoke(app, ["cycle", "close", "lac-2026"])
    assert (closed.exit_code, closed.output.strip()) == (0, "cycle 'lac-2026' closed")
    assert Cycle.objects.get(slug="lac-2026").status == "closed"
    again = runner.invoke(app, ["cycle", "close", "lac-2026"])
    assert again.exit_code == 1 and "its status must be one of {open}; it is 'closed'" in again.output
    assert runner.invoke(app, ["cycle", "open", "lac-2026"]).exit_code == 0
    missing = runner.invoke(app, ["cycle", "open", "nope"])
    assert missing.exit_code == 1 and "no cycle called 'nope'" in missing.output


def test_unusable_database_url_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "GOVLENS_HOME": str(tmp_path), "DATABASE_URL": "mysql://u@h/db"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    code = "import typer; from govlens.cli.web_cmd import serve; typer.run(serve)"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "error: cannot prepare the database: DatabaseUrlError: DATABASE_URL must start with one of" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
