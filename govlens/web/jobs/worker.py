"""The queue worker: django-tasks' database worker (``django_tasks_db``) over every queue of the default backend.

Each worker takes the next ready task with ``SELECT ... FOR UPDATE SKIP LOCKED`` (an exclusive transaction on
SQLite) and marks it running before it lets the row go, so workers on several processes or machines sharing the
database never take the same task. The release job additionally claims its own row (see ``services``).

Every worker also looks after the others: when it starts, and then every GOVLENS_JOB_HEARTBEAT_SECONDS from a
housekeeping thread, it marks failed the running jobs whose worker stopped beating (SIGKILL, out of memory, a lost
machine) or that ran past their time limit (``services.release_jobs_reap``).
"""

from __future__ import annotations

import logging
import threading

from django.db import DatabaseError, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from govlens.web.jobs.services import job_timings, release_jobs_reap, worker_name

logger = logging.getLogger(__name__)


def worker_id() -> str:
    """Unique across the pool (django-tasks-db allows 64 characters): host:pid and a random suffix."""
    return f"{worker_name().rsplit(':', 1)[0][:50]}:{get_random_string(8)}"


def worker_seen(name: str) -> None:
    """Record that this worker is alive (the publish page reads it); a database error only skips one record."""
    from django.utils import timezone

    from govlens.web.jobs.models import WorkerSeen

    try:
        WorkerSeen.objects.update_or_create(name=name[:200], defaults={"seen_at": timezone.now()})
    except DatabaseError as error:
        logger.warning("could not record that worker %s is alive: %s", name, error)


def reap_stale_jobs() -> list[int]:
    """Mark failed the jobs whose worker is gone; a database error is logged and leaves it to the next round."""
    try:
        return release_jobs_reap()
    except DatabaseError as error:
        logger.warning("could not look for release jobs whose worker is gone: %s", error)
        return []


class Housekeeper(threading.Thread):
    """Every ``every`` seconds on its own thread (and database connection): records that the worker ``name`` is
    alive and runs ``reap_stale_jobs``."""

    def __init__(self, every: float, name: str = "") -> None:
        super().__init__(name="release-job-housekeeper", daemon=True)
        self.every = every
        self.worker = name
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                if self.worker:
                    worker_seen(self.worker)
                reap_stale_jobs()
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=max(5.0, 2 * self.every))


def worker_run(*, once: bool = False, interval: float = 1.0, max_tasks: int | None = None) -> int:
    """Run queued tasks; with ``once`` the tasks ready now, then return. The number of tasks run."""
    timings = job_timings()  # a bad setting stops the worker here, with its message
    name = worker_id()
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=once,
        backend_name="default",
        startup_delay=not once,
        max_tasks=max_tasks,
        worker_id=name,
        excluded_queue_names=[],
    )
    worker_seen(name)
    reap_stale_jobs()
    if once:
        worker.run()
        return int(worker._run_tasks)
    worker.configure_signals()  # the first Ctrl+C finishes the running job, the second stops it
    housekeeper = Housekeeper(timings.heartbeat, name)
    housekeeper.start()
    try:
        worker.run()
    finally:
        housekeeper.stop()
    return int(worker._run_tasks)
