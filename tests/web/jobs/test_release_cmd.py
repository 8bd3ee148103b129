"""``govlens release create`` (govlens/cli/release_cmd.py): the job runs at once; refusals are messages."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from govlens.cli import app
from govlens.web.audit.models import AuditEvent
from govlens.web.jobs.models import ReleaseJob
from tests.web.conftest import World

from .conftest import CYCLE

runner = CliRunner()


def test_release_create_runs_the_job_at_once(approved: World, job_folders: Path) -> None:
    result = runner.invoke(app, ["release", "create", CYCLE, "--lang", "en", "--replications", "50"])
    assert result.exit_code == 0, result.output
    assert "3 approved countries (ARG, BRA, CHL)" in result.output
    assert "release rel-2026-r1 (draft): 4 files" in result.output
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


def test_release_create_refuses_countries_not_approved_and_names_them(partly_approved: World) -> None:
    result = runner.invoke(app, ["release", "create", CYCLE, "--lang", "en", "--replications", "50"])
    assert result.exit_code == 1
    assert "COL (draft)" in result.output and "partial release on purpose" in result.output
    assert ReleaseJob.objects.count() == 0


def test_release_create_partial_makes_a_labelled_partial_draft_then_publish(
    partly_approved: World, job_folders: Path
) -> None:
    result = runner.invoke(app, ["release", "create", CYCLE, "--lang", "en", "--replications", "50", "--partial"])
    assert result.exit_code == 0, result.output
    assert "PARTIAL release: not approved COL (draft)" in result.output
    from govlens.release import load_release, publication_get

    release = load_release("rel-2026-r1", job_folders / "releases")
    assert release.partial and dict(release.not_approved) == {"COL": "draft"}
    assert publication_get("rel-2026-r1", job_folders / "releases").state.value == "draft"
    published = runner.invoke(app, ["release", "publish", "rel-2026-r1"])
    assert published.exit_code == 0, published.output
    assert publication_get("rel-2026-r1", job_folders / "releases").published
    again = runner.invoke(app, ["release", "publish", "rel-2026-r1"])
    assert again.exit_code == 1 and "already published" in again.output
