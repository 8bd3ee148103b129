"""A running job shows its worker is alive; one whose worker went silent, or that ran past its time limit, is
marked failed with the reason (by any worker, or by its status page) and is never shown "running" for ever.

Timings here: a heartbeat every 2 s, a worker lost after 10 s of silence, a time limit of 100 s.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading
import time
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from govlens.web.audit.models import AuditEvent
from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.selectors import job_is_stale
from govlens.web.jobs.services import (
    JobLost,
    JobTimeLimit,
    JobTimings,
    _Heartbeat,
    job_timings,
    release_job_beat,
    release_job_claim,
    release_job_run,
    release_jobs_reap,
    release_request,
)
from govlens.web.jobs.worker import worker_run
from tests.web.conftest import World

from .conftest import CYCLE

DEAD = "host-a:4242:1"


@pytest.fixture(autouse=True)
def timings(settings: Any) -> JobTimings:
    settings.GOVLENS_JOB_HEARTBEAT_SECONDS = 2
    settings.GOVLENS_JOB_STALE_SECONDS = 10
    settings.GOVLENS_JOB_TIME_LIMIT_SECONDS = 100
    return JobTimings(heartbeat=2, stale=10, time_limit=100)


def _running(*, heartbeat_ago: float, started_ago: float = 30, deadline_in: float = 70, seed: int = 0) -> ReleaseJob:
    """A job claimed by the worker DEAD (its queue entry taken too), with its clocks set back as asked."""
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50, seed=seed)
    DBTaskResult.objects.get(pk=job.task_id).claim(DEAD)
    claimed = release_job_claim(job_id=job.pk, worker=DEAD)
    assert claimed is not None
    now = timezone.now()
    ReleaseJob.objects.filter(pk=job.pk).update(
        heartbeat_at=now - dt.timedelta(seconds=heartbeat_ago),
        started_at=now - dt.timedelta(seconds=started_ago),
        deadline_at=now + dt.timedelta(seconds=deadline_in),
    )
    return ReleaseJob.objects.get(pk=job.pk)


def _analyst(world: World) -> Client:
    client = Client()
    client.force_login(world.users["analyst"])
    return client


# -- the claim starts the clocks --------------------------------------------------------------------------------
def test_a_claimed_job_gets_a_heartbeat_and_a_deadline(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    before = timezone.now()
    release_job_claim(job_id=job.pk, worker="w1")
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert stored.started_at is not None and stored.heartbeat_at == stored.started_at >= before
    assert stored.deadline_at == stored.started_at + dt.timedelta(seconds=100)


def test_a_beat_counts_only_for_the_worker_running_the_job(approved: World) -> None:
    job = _running(heartbeat_ago=5)
    old = job.heartbeat_at
    assert release_job_beat(job_id=job.pk, worker="someone-else") is False
    assert ReleaseJob.objects.get(pk=job.pk).heartbeat_at == old
    assert release_job_beat(job_id=job.pk, worker=DEAD) is True
    fresh = ReleaseJob.objects.get(pk=job.pk).heartbeat_at
    assert old is not None and fresh is not None and fresh > old
    ReleaseJob.objects.filter(pk=job.pk).update(status="failed")
    assert release_job_beat(job_id=job.pk, worker=DEAD) is False


# -- reaping ----------------------------------------------------------------------------------------------------
def test_a_job_whose_worker_went_silent_is_marked_failed_with_the_reason(approved: World) -> None:
    job = _running(heartbeat_ago=45)
    assert release_jobs_reap() == [job.pk]
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert (stored.status, stored.stop_reason) == ("failed", "worker_lost")
    assert stored.finished_at is not None
    assert stored.error == (
        f"the worker running this job ({DEAD}) stopped responding: its last heartbeat was 45 seconds ago "
        "(a worker that is alive beats every 2 seconds); the job is not retried on its own: request the release again"
    )
    entry = DBTaskResult.objects.get(pk=job.task_id)
    assert (entry.status, entry.exception_class_path) == ("FAILED", "govlens.web.jobs.services.JobLost")
    assert entry.finished_at is not None
    event = AuditEvent.objects.filter(object_type="release_job", field="status").order_by("-id").first()
    assert event is not None and (event.old, event.new, event.actor) == ("running", "failed", None)
    assert "stopped responding" in event.note
    # once is enough: a second round finds nothing
    assert release_jobs_reap() == []


@pytest.mark.parametrize(("heartbeat_ago", "reaped"), [(2, False), (9, False), (11, True), (600, True)])
def test_the_stale_limit_is_ten_seconds_of_silence(approved: World, heartbeat_ago: float, reaped: bool) -> None:
    job = _running(heartbeat_ago=heartbeat_ago)
    assert job_is_stale(job) is reaped
    assert release_jobs_reap() == ([job.pk] if reaped else [])
    assert ReleaseJob.objects.get(pk=job.pk).status == ("failed" if reaped else "running")


def test_a_job_past_its_time_limit_is_failed_even_while_its_worker_beats(approved: World) -> None:
    # deadline 12 s ago: past the time limit by more than the stale limit (10 s), though the heartbeat is fresh
    job = _running(heartbeat_ago=1, started_ago=112, deadline_in=-12)
    assert release_jobs_reap() == [job.pk]
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert (stored.status, stored.stop_reason) == ("failed", "time_limit")
    assert stored.error.startswith("stopped: the job ran past its time limit of 100 seconds")
    assert DBTaskResult.objects.get(pk=job.task_id).exception_class_path.endswith("JobTimeLimit")


def test_just_past_the_time_limit_the_worker_gets_to_stop_the_job_itself(approved: World) -> None:
    job = _running(heartbeat_ago=1, started_ago=105, deadline_in=-5)
    assert release_jobs_reap() == []
    assert ReleaseJob.objects.get(pk=job.pk).status == "running"


def test_queued_and_finished_jobs_are_left_alone(approved: World) -> None:
    queued = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    ReleaseJob.objects.filter(pk=queued.pk).update(created_at=timezone.now() - dt.timedelta(hours=5))
    done = _running(heartbeat_ago=600, seed=1)
    ReleaseJob.objects.filter(pk=done.pk).update(status="succeeded")
    assert release_jobs_reap() == []
    assert ReleaseJob.objects.get(pk=queued.pk).status == "queued"
    assert ReleaseJob.objects.get(pk=done.pk).status == "succeeded"


def test_the_failure_says_when_the_release_was_already_saved(approved: World) -> None:
    job = _running(heartbeat_ago=60)
    ReleaseJob.objects.filter(pk=job.pk).update(release_id="rel-2026-r1")
    release_jobs_reap()
    assert "release rel-2026-r1 was saved, but its reports may be incomplete" in ReleaseJob.objects.get(pk=job.pk).error


def test_a_worker_starting_up_reaps_the_jobs_of_dead_workers(approved: World) -> None:
    job = _running(heartbeat_ago=60)
    assert worker_run(once=True) == 0  # the dead worker's job is not run again
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert (stored.status, stored.stop_reason, stored.runs) == ("failed", "worker_lost", 1)


# -- the running worker -----------------------------------------------------------------------------------------
def test_a_job_stops_itself_at_its_time_limit(approved: World, settings: Any) -> None:
    settings.GOVLENS_JOB_TIME_LIMIT_SECONDS = 0.3
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)

    now = [100.0]

    def slow(step: str, done: int, total: int, detail: str) -> None:
        now[0] += 0.4  # each step takes 0.4 s of the injected clock

    with pytest.raises(JobTimeLimit, match=r"time limit of 0\.3 seconds"):
        release_job_run(job_id=job.pk, progress=slow, clock=lambda: now[0])
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert (stored.status, stored.stop_reason, stored.release_id) == ("failed", "time_limit", "")
    assert stored.error == "stopped: the job ran past its time limit of 0.3 seconds"


def test_a_job_taken_from_its_worker_stops_and_keeps_the_reason_it_was_failed_for(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    steps: list[str] = []

    def reaped_meanwhile(step: str, done: int, total: int, detail: str) -> None:
        steps.append(step)
        if len(steps) == 1:  # the worker froze longer than the stale limit: another worker fails its job
            ReleaseJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=5))
            assert release_jobs_reap() == [job.pk]

    with pytest.raises(JobLost):
        release_job_run(job_id=job.pk, worker="frozen", progress=reaped_meanwhile)
    assert steps == ["answers"]  # it stopped at the next progress step
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert (stored.status, stored.stop_reason, stored.release_id) == ("failed", "worker_lost", "")
    assert "(frozen) stopped responding" in stored.error
    # one failure in the audit trail (the reaper's), and no release
    events = AuditEvent.objects.filter(object_type="release_job", object_id=str(job.pk)).order_by("id")
    assert [(e.field, e.new) for e in events] == [("status", "queued"), ("status", "failed")]


def test_the_heartbeat_thread_beats_until_the_job_is_taken_from_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The thread's loop, with the beat itself faked (the real beat is tested above; a real worker process beats
    in test_worker_killed): it beats every interval, skips a beat on a database error, stops once the job is
    no longer its own."""
    from django.db import OperationalError

    from govlens.web.jobs import services

    answers: list[object] = [True, OperationalError("server closed the connection"), True, False]
    calls: list[tuple[int, str, float]] = []

    def beat(*, job_id: int, worker: str) -> bool:
        calls.append((job_id, worker, time.monotonic()))
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return bool(answer)

    monkeypatch.setattr(services, "release_job_beat", beat)
    beating = _Heartbeat(7, DEAD, 0.05)
    beating.start()
    beating.join(timeout=5)
    assert not beating.is_alive()
    assert beating.lost.is_set()
    assert [(job, worker) for job, worker, _ in calls] == [(7, DEAD)] * 4
    gaps = [later[2] - earlier[2] for earlier, later in itertools.pairwise(calls)]
    assert min(gaps) >= 0.04


def test_a_heartbeat_stopped_by_its_job_does_not_mark_it_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    from govlens.web.jobs import services

    beats: list[int] = []
    beaten_twice = threading.Event()

    def beat(**kwargs: object) -> bool:
        beats.append(1)
        if len(beats) >= 2:
            beaten_twice.set()
        return True

    monkeypatch.setattr(services, "release_job_beat", beat)
    beating = _Heartbeat(7, DEAD, 0.05)
    beating.start()
    assert beaten_twice.wait(timeout=5)  # it runs (and beats) before it is stopped
    beating.stop()
    assert not beating.is_alive() and not beating.lost.is_set()


def test_progress_is_written_at_most_every_interval_and_stops_a_lost_job(
    approved: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from govlens.web.jobs import services

    written: list[tuple[str, int]] = []
    kept = [True]

    def record(*, job_id: int, step: str, done: int, total: int, detail: str = "", worker: str = "") -> bool:
        written.append((step, done))
        return kept[0]

    monkeypatch.setattr(services, "release_job_progress", record)
    now = [0.0]
    writer = services._ProgressWriter(7, "w", clock=lambda: now[0])
    for done, at in ((0, 0.0), (1, 0.1), (2, services.PROGRESS_INTERVAL + 0.05), (3, 0.7), (10, 0.71)):
        now[0] = at
        writer.write("release", done, 10)
    writer.write("reports", 0, 5)  # a new step is written at once
    assert written == [("release", 0), ("release", 2), ("release", 10), ("reports", 0)]
    kept[0] = False
    with pytest.raises(JobLost):
        writer.write("save", 0, 1)


# -- the status page --------------------------------------------------------------------------------------------
def test_the_status_page_of_a_live_job_shows_its_last_sign_of_life(approved: World) -> None:
    job = _running(heartbeat_ago=3)
    page = _analyst(approved).get(f"/jobs/{job.pk}/").content.decode()
    assert '<strong id="job-status">Running</strong>' in page
    assert re.search(r"Last sign of life from the worker: [34] seconds ago\.", page)
    assert "Time limit:" in page
    assert ReleaseJob.objects.get(pk=job.pk).status == "running"


def test_the_status_page_of_a_dead_job_marks_it_failed_and_says_why(approved: World) -> None:
    job = _running(heartbeat_ago=60)
    client = _analyst(approved)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert '<strong id="job-status">Failed</strong>' in page
    assert 'data-reason="worker_lost"' in page
    assert "The worker running this job stopped responding" in page
    assert "request the release again" in page
    assert "jobs/job.js" not in page  # no more polling
    state = client.get(f"/jobs/{job.pk}.json").json()
    assert (state["status"], state["finished"], state["stop_reason"]) == ("failed", True, "worker_lost")


def test_the_json_poller_alone_also_ends_a_dead_job(approved: World) -> None:
    job = _running(heartbeat_ago=60)
    state = _analyst(approved).get(f"/jobs/{job.pk}.json").json()
    assert (state["status"], state["finished"], state["stop_reason"]) == ("failed", True, "worker_lost")


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("es", "El proceso de trabajo que ejecutaba este trabajo dejó de responder"),
        ("pt", "O processo de trabalho que executava esta tarefa deixou de responder"),
        ("fr", "Le processus qui exécutait cette tâche a cessé de répondre"),
    ],
)
def test_the_reason_is_translated(approved: World, language: str, sentence: str) -> None:
    job = _running(heartbeat_ago=60)
    with translation.override(language):
        page = _analyst(approved).get(f"/jobs/{job.pk}/", headers={"Accept-Language": language}).content.decode()
    assert sentence in page


# -- settings -----------------------------------------------------------------------------------------------------
def test_timings_come_from_the_settings_else_the_environment_else_defaults(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("GOVLENS_JOB_HEARTBEAT_SECONDS", "GOVLENS_JOB_STALE_SECONDS", "GOVLENS_JOB_TIME_LIMIT_SECONDS"):
        delattr(settings, name)
        monkeypatch.delenv(name, raising=False)
    assert job_timings() == JobTimings(heartbeat=10, stale=60, time_limit=14400)
    monkeypatch.setenv("GOVLENS_JOB_STALE_SECONDS", "30")
    assert job_timings() == JobTimings(heartbeat=10, stale=30, time_limit=14400)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("GOVLENS_JOB_HEARTBEAT_SECONDS", "0", "GOVLENS_JOB_HEARTBEAT_SECONDS must be a number of seconds above 0"),
        ("GOVLENS_JOB_TIME_LIMIT_SECONDS", "soon", "got 'soon'"),
        ("GOVLENS_JOB_STALE_SECONDS", "3", "at least twice GOVLENS_JOB_HEARTBEAT_SECONDS"),
    ],
)
def test_bad_timings_are_refused_with_what_was_expected(settings: Any, name: str, value: str, message: str) -> None:
    setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        job_timings()


def test_the_publish_page_lists_a_dead_job_as_failed(approved: World) -> None:
    dead = _running(heartbeat_ago=60)
    alive = _running(heartbeat_ago=1, seed=1)
    page = _analyst(approved).get(f"/jobs/cycles/{CYCLE}/publish").content.decode()
    assert page.count("Failed") == 1 and page.count("Running") == 1
    assert ReleaseJob.objects.get(pk=dead.pk).status == "failed"
    assert ReleaseJob.objects.get(pk=alive.pk).status == "running"
