"""A worker killed with SIGKILL in the middle of a release job: the job does not stay "running".

Real processes on a database of their own (a SQLite file, and a fresh PostgreSQL database when
GOVLENS_TEST_DATABASE_URL is set): a worker takes the job and is killed while it computes; another worker marks
the job failed once the heartbeats stopped, and the status page shows why. Without any worker left, the status
page itself marks the job failed. Timings: a heartbeat every 0.5 s, a worker counts as lost after 3 s of silence.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .worker_platform import Platform, make_platform, wait_for

POSTGRES_URL = os.environ.get("GOVLENS_TEST_DATABASE_URL", "").strip()
DATABASES = [
    pytest.param(None, id="sqlite"),
    pytest.param(
        POSTGRES_URL,
        id="postgresql",
        marks=pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL (GOVLENS_TEST_DATABASE_URL)"),
    ),
]
TIMINGS = {"heartbeat": 0.5, "stale": 3.0, "time_limit": 600.0}
LOST = "The worker running this job stopped responding"


@pytest.fixture(params=DATABASES)
def platform(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Platform]:
    made = make_platform(tmp_path / "home", request.param, TIMINGS)
    try:
        yield made
    finally:
        made.stop()


def _killed_mid_job(platform: Platform) -> tuple[int, dict[str, Any]]:
    """Queue a job, let a worker take it and compute (silently, beating), SIGKILL the worker. (job, its row)."""
    job = int(json.loads(platform.run("setup", "50"))["job"])
    doomed = platform.start_worker("doomed", stuck=True)
    wait_for(lambda: platform.job_row(job)["step"] == "release", 60, f"the worker to start job {job}")
    first = platform.job_row(job)
    assert first["status"] == "running"
    # no progress comes any more, yet the heartbeat goes on: the worker is alive
    wait_for(lambda: platform.job_row(job)["heartbeat_at"] != first["heartbeat_at"], 10, "a heartbeat")
    os.killpg(doomed.pid, signal.SIGKILL)
    assert doomed.wait(timeout=10) == -signal.SIGKILL
    row = platform.job_row(job)
    assert (row["status"], row["stop_reason"]) == ("running", "")  # nobody knows yet
    return job, row


def _silent_for(heartbeat: object) -> float:
    """Seconds since a heartbeat as the database stores it (a datetime from PostgreSQL, ISO text from SQLite; UTC)."""
    seen = heartbeat if isinstance(heartbeat, dt.datetime) else dt.datetime.fromisoformat(str(heartbeat))
    return (dt.datetime.now(dt.UTC) - seen.replace(tzinfo=seen.tzinfo or dt.UTC)).total_seconds()


def test_another_worker_marks_the_job_of_a_killed_worker_failed(platform: Platform) -> None:
    job, before = _killed_mid_job(platform)
    killed_at = time.monotonic()
    survivor = platform.start_worker("survivor")
    wait_for(lambda: platform.job_row(job)["status"] != "running", 30, f"job {job} to be marked failed")
    waited = time.monotonic() - killed_at
    row = platform.job_row(job)
    assert (row["status"], row["stop_reason"]) == ("failed", "worker_lost"), platform.log("survivor")
    assert f"the worker running this job ({before['claimed_by']}) stopped responding" in row["error"]
    assert "request the release again" in row["error"]
    # not before the stale limit; within it, one housekeeping round and the worker's start-up
    assert waited >= TIMINGS["stale"] - 0.5
    assert survivor.poll() is None, platform.log("survivor")  # the survivor goes on serving the queue

    shown = json.loads(platform.run("page", str(job)))
    assert shown["page_status"] == 200
    assert '<strong id="job-status">Failed</strong>' in shown["page"]
    assert LOST in shown["page"]
    assert 'data-refresh=""' in shown["page"]  # the page stops polling
    assert (shown["state"]["status"], shown["state"]["finished"]) == ("failed", True)
    assert shown["state"]["stop_reason"] == "worker_lost"
    assert shown["queue"] == "FAILED"  # the django-tasks queue entry too


def test_with_no_worker_left_the_status_page_marks_the_job_failed(platform: Platform) -> None:
    job, _ = _killed_mid_job(platform)
    # until the last heartbeat is older than the stale limit by the clock the platform's processes share
    wait_for(lambda: _silent_for(platform.job_row(job)["heartbeat_at"]) > TIMINGS["stale"], 30, "the job to go stale")
    assert platform.job_row(job)["status"] == "running"  # still, in the database: nobody looked
    shown = json.loads(platform.run("page", str(job)))
    assert '<strong id="job-status">Failed</strong>' in shown["page"]
    assert LOST in shown["page"]
    assert (shown["state"]["status"], shown["state"]["stop_reason"]) == ("failed", "worker_lost")
    assert platform.job_row(job)["status"] == "failed"
