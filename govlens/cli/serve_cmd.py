"""``govlens serve``: the review platform and the public dashboard (gunicorn, static files by whitenoise)."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Annotated

import typer

from govlens.cli.platform import prepare_django


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (gunicorn).", min=1, max=64)] = 2,
) -> None:
    """Start the review platform (gunicorn, static files by whitenoise); migrates the database first."""
    prepare_django(migrate=True)
    from django.conf import settings

    database = settings.DATABASES["default"]
    where = database["NAME"] if database["ENGINE"].endswith("sqlite3") else f"PostgreSQL {database['NAME']}"
    typer.echo(f"GovLens on http://{host}:{port}/ ({workers} worker(s), database: {where})")
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
