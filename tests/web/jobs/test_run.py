"""A release job from the queue to the dashboard: worker, release file, report files, progress, audit."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from govlens.release import read_release
from govlens.web.audit.models import AuditEvent
from govlens.web.cycles.frameworks import framework_cache_clear
from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.services import release_job_run, release_request
from govlens.web.jobs.worker import worker_run
from tests.release.conftest import tiny_framework as release_framework
from tests.web.conftest import FRAMEWORKS, World

from .conftest import CYCLE

# one language and one format: the regional report and the profiles of the three approved countries
FILES = ["profile-ARG-en.html", "profile-BRA-en.html", "profile-CHL-en.html", "report-en.html"]


def test_a_queued_job_is_run_by_the_worker_end_to_end(approved: World, job_folders: Path) -> None:
    job = release_request(actor=approved.users["analyst"], cycle=CYCLE, languages=["en"], replications=50, seed=3)
    assert worker_run(once=True) == 1
    assert worker_run(once=True) == 0  # nothing left in the queue

    job = ReleaseJob.objects.get(pk=job.pk)
    assert (job.status, job.release_id, job.error, job.runs) == ("succeeded", "rel-2026-r1", "", 1)
    assert job.finished_at is not None
    release_file = job_folders / "releases" / "rel-2026-r1.json"
    release = read_release(release_file)
    assert release.results.units == ("ARG", "BRA", "CHL")
    assert sorted(release.inputs.answers) == ["ARG", "BRA", "CHL"]
    assert release.settings.uncertainty is not None
    assert (release.settings.uncertainty.replications, release.settings.uncertainty.seed) == (50, 3)
    assert release.inputs.answers["BRA"]["q_strategy"] == "partial"

    out = job_folders / "outputs" / "rel-2026-r1"
    assert Path(job.output_dir) == out
    assert sorted(job.files) == FILES
    assert sorted(p.name for p in out.iterdir()) == FILES
    assert "rel-2026-r1" in (out / "report-en.html").read_text(encoding="utf-8")

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert DBTaskResult.objects.get().return_value == "rel-2026-r1"

    # a draft: the public does not see it, analysts do
    assert Client().get("/results/", {"release": "rel-2026-r1"}).status_code == 404
    analyst = Client()
    analyst.force_login(approved.users["analyst"])
    page = analyst.get("/results/", {"release": "rel-2026-r1"})
    assert page.status_code == 200
    assert "rel-2026-r1" in page.content.decode()

    events = list(AuditEvent.objects.filter(object_type="release_job", object_id=str(job.pk)).order_by("id"))
    assert [(e.field, e.old, e.new) for e in events] == [("status", None, "queued"), ("release", None, "rel-2026-r1")]
    assert events[1].actor is None and str(out) in events[1].note


def test_a_second_release_of_the_cycle_gets_the_next_id(approved: World, job_folders: Path) -> None:
    for seed in (1, 2):
        release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50, seed=seed)
    assert worker_run(once=True) == 2
    assert sorted(ReleaseJob.objects.values_list("release_id", flat=True)) == ["rel-2026-r1", "rel-2026-r2"]
    assert sorted(p.name for p in (job_folders / "releases").glob("*.json")) == ["rel-2026-r1.json", "rel-2026-r2.json"]


def test_progress_is_recorded_on_the_job_step_by_step(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, languages=["en", "es"], replications=50)
    calls: list[tuple[str, int, int]] = []
    stored_steps: list[str] = []

    def seen(step: str, done: int, total: int, detail: str) -> None:
        calls.append((step, done, total))
        # the job row already holds the step when the callback runs: a status page polling it sees the same
        stored_steps.append(ReleaseJob.objects.get(pk=job.pk).step)

    finished = release_job_run(job_id=job.pk, progress=seen)
    assert finished is not None
    steps = [step for step, _, _ in calls]
    order = [step for i, step in enumerate(steps) if i == 0 or steps[i - 1] != step]
    assert order == ["answers", "release", "save", "reports"]
    assert stored_steps == steps
    assert calls[0] == ("answers", 0, 3) and ("answers", 3, 3) in calls
    release_calls = [(done, total) for step, done, total in calls if step == "release"]
    assert release_calls[-1][0] == release_calls[-1][1] > 0
    # 2 languages x 1 format x (1 report + 3 profiles) = 8 files, counted one by one
    assert [(done, total) for step, done, total in calls if step == "reports"] == [(n, 8) for n in range(1, 9)]
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert (stored.step, stored.done, stored.total, stored.percent) == ("done", 8, 8, 100)


def test_a_job_that_finished_is_not_run_again(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    assert release_job_run(job_id=job.pk) is not None
    assert release_job_run(job_id=job.pk) is None
    assert ReleaseJob.objects.get(pk=job.pk).runs == 1


def test_a_failed_job_records_the_error_and_the_worker_goes_on(approved: World, job_folders: Path) -> None:
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    # the framework changes under the version the cycle recorded: the job must refuse to use it
    FRAMEWORKS["tiny-dgr"] = release_framework(pillar_label="Changed governance")
    framework_cache_clear()
    assert worker_run(once=True) == 1
    job = ReleaseJob.objects.get(pk=job.pk)
    assert job.status == "failed"
    assert "framework" in job.error and job.release_id == ""
    assert not (job_folders / "releases").exists() or not any((job_folders / "releases").iterdir())
    assert DBTaskResult.objects.get().status == "FAILED"
    event = AuditEvent.objects.filter(object_type="release_job", field="status").order_by("-id").first()
    assert event is not None and (event.old, event.new) == ("running", "failed")
    assert "framework" in event.note


def test_missing_public_data_fails_the_job_with_a_hint(
    approved: World, settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings.GOVLENS_RELEASE_BENCHMARKS = True
    monkeypatch.setenv("GOVLENS_DATA_MIRROR", str(tmp_path / "no-mirror"))
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    assert job.benchmarks is True
    assert worker_run(once=True) == 1
    job = ReleaseJob.objects.get(pk=job.pk)
    assert job.status == "failed"
    assert "public-data benchmarks cannot be loaded" in job.error
    assert "GOVLENS_RELEASE_BENCHMARKS=0" in job.error


@pytest.mark.skipif(not os.environ.get("GOVLENS_DATA_MIRROR"), reason="needs the public-data mirror")
def test_the_release_freezes_the_public_data_benchmarks(approved: World, settings: Any, job_folders: Path) -> None:
    settings.GOVLENS_RELEASE_BENCHMARKS = True
    release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    assert worker_run(once=True) == 1
    release = read_release(job_folders / "releases" / "rel-2026-r1.json")
    assert len(release.inputs.benchmarks) > 0
