"""The queue worker: django-tasks' database worker (``django_tasks_db``) over every queue of the default backend.

Each worker takes the next ready task with ``SELECT ... FOR UPDATE SKIP LOCKED`` (an exclusive transaction on
SQLite) and marks it running before it lets the row go, so workers on several processes or machines sharing the
database never take the same task. The release job additionally claims its own row (see ``services``).
"""

from __future__ import annotations

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from govlens.web.jobs.services import worker_name


def worker_id() -> str:
    """Unique across the pool (django-tasks-db allows 64 characters): host:pid and a random suffix."""
    return f"{worker_name().rsplit(':', 1)[0][:50]}:{get_random_string(8)}"


def worker_run(*, once: bool = False, interval: float = 1.0, max_tasks: int | None = None) -> int:
    """Run queued tasks; with ``once`` the tasks ready now, then return. The number of tasks run."""
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=once,
        backend_name="default",
        startup_delay=not once,
        max_tasks=max_tasks,
        worker_id=worker_id(),
        excluded_queue_names=[],
    )
    if not once:
        worker.configure_signals()  # the first Ctrl+C finishes the running job, the second stops it
    worker.run()
    return int(worker._run_tasks)
