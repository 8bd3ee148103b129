"""The ``govlens`` command: a thin shell over the core layers.

Each command group lives in its own module named after it (``release_cmd`` holds ``govlens release ...``,
``cycle_cmd`` holds ``govlens cycle ...``); :mod:`.platform` prepares Django for the commands that need it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from govlens import __version__
from govlens.cli import (
    backup_cmd,
    cycle_cmd,
    data_cmd,
    demo_cmd,
    followup_cmd,
    framework_cmd,
    index_cmd,
    release_cmd,
    reports_cmd,
    serve_cmd,
    user_cmd,
    worker_cmd,
)
from govlens.home import ENV_VAR, expand_user_path

app = typer.Typer(
    name="govlens",
    help="GovLens: run a digital government review as one reproducible pipeline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(framework_cmd.app, name="framework")
app.add_typer(index_cmd.app, name="index")
app.add_typer(data_cmd.app, name="data")
app.add_typer(release_cmd.app, name="release")
app.command("report")(reports_cmd.report)
app.command("profile")(reports_cmd.profile)
app.command("export")(reports_cmd.export)
app.command("demo")(demo_cmd.demo)
app.command("serve")(serve_cmd.serve)
app.add_typer(user_cmd.app, name="user")
app.add_typer(cycle_cmd.app, name="cycle")
app.command("backup")(backup_cmd.backup)
app.command("restore")(backup_cmd.restore)
app.command("worker")(worker_cmd.worker)
app.add_typer(followup_cmd.app, name="followup")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"govlens {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help=f"State folder (database, uploads, caches, outputs); overrides ${ENV_VAR}.",
            file_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """GovLens: run a digital government review as one reproducible pipeline."""
    if home is not None:
        try:
            os.environ[ENV_VAR] = str(expand_user_path(str(home), "--home").resolve())
        except ValueError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None


def main() -> None:
    app()
