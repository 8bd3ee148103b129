"""The ``govlens`` command: a thin shell over the core layers.

Each command group lives in its own module named after it (``release_cmd`` holds ``govlens release ...``,
``cycle_cmd`` holds ``govlens cycle ...``); :mod:`.platform` prepares Django for the commands that need it.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from govlens import __version__
from govlens.home import ENV_VAR, expand_user_path

# every command or command group: (name, its module in govlens.cli, the Typer group or function there), in the
# order --help lists them
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("framework", "framework_cmd", "app"),
    ("index", "index_cmd", "app"),
    ("data", "data_cmd", "app"),
    ("release", "release_cmd", "app"),
    ("report", "reports_cmd", "report"),
    ("profile", "reports_cmd", "profile"),
    ("export", "reports_cmd", "export"),
    ("demo", "demo_cmd", "demo"),
    ("serve", "serve_cmd", "serve"),
    ("user", "user_cmd", "app"),
    ("cycle", "cycle_cmd", "app"),
    ("backup", "backup_cmd", "backup"),
    ("restore", "backup_cmd", "restore"),
    ("worker", "worker_cmd", "worker"),
    ("followup", "followup_cmd", "app"),
)
COMMAND_NAMES = tuple(name for name, _, _ in COMMANDS)


def _register(application: typer.Typer, only: str | None = None) -> None:
    """Add every command (or only the one named ``only``: its module alone is imported, so that a command does not
    wait for the others' imports)."""
    for name, module, attribute in COMMANDS:
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(f"govlens.cli.{module}"), attribute)
        if isinstance(target, typer.Typer):
            application.add_typer(target, name=name)
        else:
            application.command(name)(target)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"govlens {__version__}")
        raise typer.Exit()


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


def _application(only: str | None = None) -> typer.Typer:
    application = typer.Typer(
        name="govlens",
        help="GovLens: run a digital government review as one reproducible pipeline.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    application.callback()(root)
    _register(application, only)
    return application


def __getattr__(name: str) -> typer.Typer:
    """``govlens.cli.app``: the whole command tree, built when first asked for (tests, the CLI reference)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    application = globals()["app"] = _application()
    return application


def _command_named(args: list[str]) -> str | None:
    """The command an argument list runs (its first argument that is not an option of ``govlens`` itself)."""
    value_follows = False
    for arg in args:
        if value_follows:
            value_follows = False
        elif arg == "--home":
            value_follows = True
        elif not arg.startswith("-"):
            return arg
    return None


def main() -> None:
    """``govlens``: a known command builds only its own part of the tree (``--version`` alone, none of it);
    anything else (help, a mistyped command) the whole tree, so that help and errors list every command."""
    name = _command_named(sys.argv[1:])
    if name is None and "--version" in sys.argv[1:] and "--help" not in sys.argv[1:]:
        name = ""  # the version only: no command at all
    (_application(name) if name in (*COMMAND_NAMES, "") else _application())()
