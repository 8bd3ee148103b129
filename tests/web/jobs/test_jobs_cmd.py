"""The commands of govlens/cli/jobs_cmd.py: ``worker`` and ``release create``."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from govlens.cli import jobs_cmd
from govlens.web.audit.models import AuditEvent
from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.services import release_request
from tests.web.conftest import World

from .conftest import CYCLE

app = typer.Typer()
app.command("worker")(jobs_cmd.worker)
release_app = typer.Typer()
release_app.command("create")(jobs_cmd.release_create)
app.add_typer(release_app, name="release")
runner = CliRunner()


def test_release_create_runs_the_job_at_once(approved: World, job_folders: Path) -> None:
    result = runner.invoke(app, ["release", "create", CYCLE, "--lang", "en", "--replications", "50"])
    assert result.exit_code == 0, result.output
    assert "3 approved countries (ARG, BRA, CHL)" in result.output
    assert "release rel-2026-r1: 4 files" in result.output
    assert (job_folders / "releases" / "rel-2026-r1.json").is_file()
    job = ReleaseJob.objects.get()
    assert (job.status, job.requested_by) == ("succeeded", None)
    assert AuditEvent.objects.filter(object_type="release_job", field="release", new="rel-2026-r1").exists()


def test_release_create_refuses_a_cycle_without_approved_answers(empty_cycle: World) -> None:
    result = runner.invoke(app, ["release", "create", CYCLE, "--replications", "50"])
    assert result.exit_code == 1
    assert "error: cycle 'rel-2026' has no approved response yet" in result.output
    assert "Traceback" not in result.output
    assert ReleaseJob.objects.count() == 0


def test_release_create_names_a_bad_language(approved: World) -> None:
    result = runner.invoke(app, ["release", "create", CYCLE, "--lang", "en,xx"])
    assert result.exit_code == 1
    assert "languages must be one or more of en, es, pt, fr; got 'en', 'xx'" in result.output


def test_worker_once_runs_what_is_queued_and_exits(approved: World) -> None:
    for seed in (1, 2):
        release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50, seed=seed)
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "ran 2 queued job(s)" in result.output
    assert list(ReleaseJob.objects.values_list("status", flat=True)) == ["succeeded", "succeeded"]


def test_worker_refuses_a_bad_interval(db: None) -> None:
    result = runner.invoke(app, ["worker", "--interval", "0"])
    assert result.exit_code == 1
    assert "--interval must be more than 0 seconds; got 0.0" in result.output


def test_worker_refuses_bad_job_timings_before_claiming_a_job(
    approved: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50, seed=1)
    monkeypatch.setenv("GOVLENS_JOB_STALE_SECONDS", "soon")
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 1
    assert "error: GOVLENS_JOB_STALE_SECONDS must be a number of seconds above 0; got 'soon'" in result.output
    assert "Traceback" not in result.output
    assert ReleaseJob.objects.get().status == "queued"  # nothing was claimed
