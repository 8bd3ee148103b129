"""A platform in other processes for the worker-crash tests: its own GOVLENS_HOME (a SQLite file, or a fresh
PostgreSQL database on the test server), the tiny release framework of ``tests/reports``, a cycle with three
approved countries, a queued release job, and real ``govlens worker`` processes in their own process groups.

``python -m tests.web.jobs.worker_platform setup REPLICATIONS`` prepares the database and prints the job id;
``python -m tests.web.jobs.worker_platform page JOB`` prints what the job status page and its JSON show an analyst;
``python -m tests.web.jobs.worker_platform stuck-worker 0`` is the real worker (``worker_run``, as ``govlens worker``
runs it) whose release computation reports its first progress and then works silently for an hour, so that a test
can kill it in the middle of a job. The platform and the process groups come from ``tests/throwaway.py``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govlens.framework.model import Framework
from tests import throwaway
from tests.polling import wait_until

ROOT = Path(__file__).resolve().parents[3]
CYCLE = "crash-2026"
APPROVED = ("ARG", "BRA", "CHL")
PASSWORD = "crash-test-password-73"


def loader(framework_id: str) -> Framework:
    """GOVLENS_FRAMEWORK_LOADER of the platform's processes: the tiny release framework."""
    from tests.release.conftest import tiny_framework

    if framework_id != "tiny-dgr":
        raise LookupError(f"this platform only knows 'tiny-dgr'; got '{framework_id}'")
    return tiny_framework()


@dataclass
class Platform(throwaway.Platform):
    workers: list[throwaway.GroupProcess] = field(default_factory=list)

    def run(self, *args: str, timeout: float = 120) -> str:
        """``python -m tests.web.jobs.worker_platform ARGS`` against this platform; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.web.jobs.worker_platform", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start_worker(self, name: str, *, stuck: bool = False) -> subprocess.Popen[bytes]:
        """``govlens worker`` (or the stuck one) in its own process group (so a test can SIGKILL it whole)."""
        command = [str(throwaway.GOVLENS), "worker", "--interval", "0.2"]
        if stuck:
            command = [sys.executable, "-m", "tests.web.jobs.worker_platform", "stuck-worker", "0"]
        worker = throwaway.GroupProcess(command, self.env, self.home / f"{name}.log", cwd=ROOT)
        self.workers.append(worker)
        return worker.start()

    def log(self, name: str) -> str:
        path = self.home / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def job_row(self, job_id: int) -> dict[str, Any]:
        """The job's row, read straight from the database (no Django in this process for it)."""
        columns = ("status", "step", "done", "claimed_by", "heartbeat_at", "stop_reason", "error", "task_id")
        query = f"SELECT {', '.join(columns)} FROM jobs_releasejob WHERE id = {int(job_id)}"
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1)) as connection:
                row = connection.execute(query).fetchone()
        else:
            with sqlite3.connect(self.home / "govlens.sqlite3", timeout=20) as connection:
                row = connection.execute(query).fetchone()
        assert row is not None, f"no job {job_id}"
        return dict(zip(columns, row, strict=True))

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop(grace=15)
        self.drop()


def make_platform(home: Path, postgres_url: str | None, timings: dict[str, float]) -> Platform:
    env = {
        "GOVLENS_LOG_LEVEL": "WARNING",
        "GOVLENS_FRAMEWORK_LOADER": "tests.web.jobs.worker_platform.loader",
        "GOVLENS_RELEASE_FORMATS": "html",
        "ALLOWED_HOSTS": "testserver",
        "GOVLENS_RELEASE_BENCHMARKS": "0",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    }
    env |= {f"GOVLENS_JOB_{name.upper()}_SECONDS": str(value) for name, value in timings.items()}
    return Platform.create(home, postgres_url, prefix="govlens_crash", env=env)


def wait_for(condition: Any, timeout: float, what: str) -> None:
    wait_until(condition, timeout, what, interval=0.1)


# -- the commands run in the platform's processes ----------------------------------------------------------------
def _setup(replications: int) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from govlens.web.accounts.services import user_create
    from govlens.web.collection.services import response_save, response_submit
    from govlens.web.cycles.services import cycle_create
    from govlens.web.jobs.services import release_request
    from govlens.web.review.services import review_approve
    from tests.release.conftest import ANSWERS

    analyst = user_create(actor=None, username="analyst", password=PASSWORD, role="analyst")
    cycle_create(actor=None, slug=CYCLE, framework="tiny-dgr", countries=list(APPROVED), title="Crash test")
    for iso3 in APPROVED:
        answers = {k: v for k, v in ANSWERS[iso3].items() if k != "q_note"}
        response_save(actor=analyst, cycle_slug=CYCLE, iso3=iso3, version=0, answers=answers)
        response_submit(actor=analyst, cycle_slug=CYCLE, iso3=iso3)
        review_approve(actor=analyst, cycle_slug=CYCLE, iso3=iso3)
    job = release_request(actor=analyst, cycle=CYCLE, languages=["en"], replications=replications, seed=1)
    print(json.dumps({"job": job.pk}))


def _page(job_id: int) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="analyst"))
    page = client.get(f"/jobs/{job_id}/")
    state = client.get(f"/jobs/{job_id}.json")
    from django_tasks_db.models import DBTaskResult

    from govlens.web.jobs.models import ReleaseJob

    job = ReleaseJob.objects.get(pk=job_id)
    queue = DBTaskResult.objects.filter(pk=job.task_id).values_list("status", flat=True).first()
    print(
        json.dumps(
            {
                "page_status": page.status_code,
                "page": page.content.decode(),
                "state_status": state.status_code,
                "state": state.json(),
                "queue": queue,
            }
        )
    )


def _stuck_worker() -> None:
    from govlens.web.jobs import services
    from govlens.web.jobs.worker import worker_run

    def long_computation(*args: Any, progress: Any, **kwargs: Any) -> Any:
        progress(1, 1000)
        time.sleep(3600)  # no progress from here on: only the heartbeat thread shows the worker is alive
        raise AssertionError("the test should have killed this worker long ago")

    services.create_release = long_computation  # type: ignore[assignment]
    worker_run(interval=0.2)


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govlens.web.settings")
    import django

    django.setup()
    command, argument = argv[0], int(argv[1])
    if command == "setup":
        _setup(argument)
    elif command == "page":
        _page(argument)
    elif command == "stuck-worker":
        _stuck_worker()
    else:
        raise SystemExit(f"unknown command {command!r}: setup REPLICATIONS, page JOB or stuck-worker 0")


if __name__ == "__main__":
    main(sys.argv[1:])
