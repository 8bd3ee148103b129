"""Several workers sharing one queue never run the same job.

Runs on PostgreSQL (GOVLENS_TEST_DATABASE_URL), where the workers really take jobs at once from separate
connections (``SELECT ... FOR UPDATE SKIP LOCKED``); SQLite serialises whole transactions.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from govlens.web.jobs.models import ReleaseJob
from govlens.web.jobs.services import release_job_run, release_request
from govlens.web.jobs.worker import worker_run
from tests.web.conftest import World

from .conftest import CYCLE

pytestmark = [
    pytest.mark.skipif(not os.environ.get("GOVLENS_TEST_DATABASE_URL"), reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _in_threads(count: int, action: object) -> list[object]:
    barrier = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[index] = action()  # type: ignore[operator]
        except Exception as error:  # reported by the assertions below
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_two_workers_share_the_queue_without_running_a_job_twice(approved: World, job_folders: Path) -> None:
    jobs = 6
    for seed in range(jobs):
        release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50, seed=seed)
    ran = _in_threads(2, lambda: worker_run(once=True))
    assert all(isinstance(n, int) for n in ran), ran
    assert sum(ran) == jobs  # type: ignore[arg-type]
    assert list(ReleaseJob.objects.values_list("runs", flat=True)) == [1] * jobs
    assert set(ReleaseJob.objects.values_list("status", flat=True)) == {"succeeded"}
    # every queue entry was taken by one worker only
    assert [len(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)] == [1] * jobs
    # and the releases got distinct ids, each saved once
    release_ids = sorted(ReleaseJob.objects.values_list("release_id", flat=True))
    assert release_ids == sorted(f"rel-2026-r{n}" for n in range(1, jobs + 1))
    # (the releases folder also holds the publication state folder: count the release files)
    saved = sorted(path.name for path in (job_folders / "releases").glob("rel-2026-r*.json"))
    assert saved == sorted(f"rel-2026-r{n}.json" for n in range(1, jobs + 1))


def test_one_job_handed_to_two_workers_at_once_runs_once(approved: World) -> None:
    job = release_request(actor=None, cycle=CYCLE, languages=["en"], replications=50)
    outcomes = _in_threads(2, lambda: release_job_run(job_id=job.pk))
    finished = [o for o in outcomes if isinstance(o, ReleaseJob)]
    assert len(finished) == 1 and outcomes.count(None) == 1, outcomes
    stored = ReleaseJob.objects.get(pk=job.pk)
    assert (stored.runs, stored.status) == (1, "succeeded")
    assert Counter(ReleaseJob.objects.values_list("release_id", flat=True)) == Counter({"rel-2026-r1": 1})
