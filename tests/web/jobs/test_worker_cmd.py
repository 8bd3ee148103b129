"""``govlens worker`` (govlens/cli/worker_cmd.py): runs what is queued; refuses bad settings before any job."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from govlens.cli import app
from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.services import release_request
from tests.web.conftest import World

from .conftest import CYCLE

runner = CliRunner()


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


def test_worker_refuses_bad_job_timings_before_claiming_a_job(approved: World, monkeypatch: pytest.MonkeyPatch) -> None:
    release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50, seed=1)
    monkeypatch.setenv("GOVLENS_JOB_STALE_SECONDS", "soon")
    result = runner.invoke(app, ["worker", "--once"])
    assert result.exit_code == 1
    assert "error: GOVLENS_JOB_STALE_SECONDS must be a number of seconds above 0; got 'soon'" in result.output
    assert "Traceback" not in result.output
    assert ReleaseJob.objects.get().status == "queued"  # nothing was claimed
