"""``govlens worker``: run the queued jobs of the platform (release computation, reports).

Several workers may share the queue, here or on other machines sharing the database: each job is claimed by
exactly one of them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from govlens.cli.platform import prepare_django


def worker(
    once: Annotated[bool, typer.Option("--once", help="Run the jobs already queued, then exit.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between two looks at an empty queue.")] = 1.0,
    max_tasks: Annotated[int, typer.Option(help="Exit after this many jobs (0: no limit).")] = 0,
    exit_with: Annotated[
        int, typer.Option(hidden=True, help="Stop when the parent process with this id (the server) is gone.")
    ] = 0,
) -> None:
    """Run queued jobs (release computation, reports). Start several workers, here or on other machines
    sharing the database: each job is claimed by exactly one of them."""
    if interval <= 0:
        typer.echo(f"error: --interval must be more than 0 seconds; got {interval}", err=True)
        raise typer.Exit(1)
    if max_tasks < 0:
        typer.echo(f"error: --max-tasks must be 0 (no limit) or more; got {max_tasks}", err=True)
        raise typer.Exit(1)
    prepare_django(migrate=True)
    from django.core.exceptions import ImproperlyConfigured

    from govlens.web.jobs.services import job_timings
    from govlens.web.jobs.worker import worker_run

    try:
        job_timings()  # a bad GOVLENS_JOB_* value is refused before any job is claimed
    except ImproperlyConfigured as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
    if exit_with:
        _exit_with(exit_with)
    ran = worker_run(once=once, interval=interval, max_tasks=max_tasks or None)
    if once:
        typer.echo(f"ran {ran} queued job(s)")


def _exit_with(pid: int, every: float = 0.5) -> None:
    """Ask this worker to stop (as Ctrl+C does: the running job is finished first) once its parent ``pid`` (the
    server that started it) has exited: the worker is then handed to another parent."""
    import os
    import signal
    import threading

    def watch() -> None:
        while os.getppid() == pid:
            threading.Event().wait(every)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, name="exit-with-server", daemon=True).start()
