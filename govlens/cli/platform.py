"""The review platform behind the commands that use it: prepare Django, call one service, print its refusal.

Every command that reaches the platform (serve, user, cycle, worker, release create, backup, demo) starts with
:func:`prepare_django` and runs services through :func:`call_service`, so a refusal prints its message (and every
problem) and exits with code 1 instead of a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

import typer

from govlens.cli.problems import echo_rows

T = TypeVar("T")


def prepare_django(migrate: bool = True) -> None:
    """Configure Django from the environment and bring the database schema up to date (exit 1 on failure)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govlens.web.settings")
    import django
    from django.apps import apps

    try:
        if not apps.ready:
            django.setup()
        if migrate:
            from django.core.management import call_command
            from django.db import connection
            from django.db.migrations.executor import MigrationExecutor

            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                call_command("migrate", interactive=False, verbosity=0)
    except Exception as error:  # bad DATABASE_URL, unreachable server, unwritable GOVLENS_HOME ...
        typer.echo(f"error: cannot prepare the database: {type(error).__name__}: {error}", err=True)
        raise typer.Exit(1) from None


def call_service(action: Callable[[], T], *, path: str = "") -> T:
    """Run a service; print its refusal (and every problem, as every command prints problems: the rows of an
    input file are located in ``path``) and exit 1 instead of a traceback."""
    from govlens.web.errors import Invalid, ServiceError

    try:
        return action()
    except Invalid as error:
        typer.echo(f"error: {error.message}", err=True)
        echo_rows(error.problems, path)
        raise typer.Exit(1) from None
    except ServiceError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(1) from None


def country_codes(text: str | None) -> list[str]:
    """ISO3 codes from "arg, bra" (upper-cased, blanks dropped)."""
    return [code.strip().upper() for code in (text or "").split(",") if code.strip()]
