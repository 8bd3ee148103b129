"""``govlens serve``: the review platform and the public dashboard (gunicorn, static files by whitenoise)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import Annotated

import typer

from govlens.cli.platform import prepare_django


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (gunicorn).", min=1, max=64)] = 2,
    with_worker: Annotated[
        bool | None,
        typer.Option(
            "--with-worker/--no-worker",
            help="Also run a queue worker (releases, reports) for single-machine use; default: on with the "
            "embedded SQLite database, off with PostgreSQL (run `govlens worker` on the machines you choose).",
        ),
    ] = None,
) -> None:
    """Start the review platform (gunicorn, static files by whitenoise); migrates the database first."""
    prepare_django(migrate=True)
    from django.conf import settings

    database = settings.DATABASES["default"]
    where = database["NAME"] if database["ENGINE"].endswith("sqlite3") else f"PostgreSQL {database['NAME']}"
    embedded = database["ENGINE"].endswith("sqlite3")
    queue = embedded if with_worker is None else with_worker
    typer.echo(
        f"GovLens on http://{host}:{port}/ ({workers} worker(s), database: {where}; "
        + ("a queue worker runs with it)" if queue else "no queue worker: start one with `govlens worker`)")
    )
    if queue:
        # the worker leaves when this process (the server, once exec'd) is gone: see `govlens worker --exit-with`
        subprocess.Popen([sys.executable, "-m", "govlens.cli", "worker", "--exit-with", str(os.getpid())])
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
    command = [sys.executable, "-m", "gunicorn"] if gunicorn is None else [gunicorn]
    command += [
        "govlens.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    sys.stdout.flush()
    os.execv(command[0], command)  # the server replaces this process: signals reach it directly
