"""The review platform from the shell: ``serve``, ``user add``, ``cycle create|open|close|import|prefill``, and
:func:`demo_platform` for ``govlens demo``.

Thin: each command prepares Django (settings from the environment, migrations applied when needed), calls one
service and prints the outcome. Refusals of the services print their message and exit with code 1.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, TypeVar

import typer

user_app = typer.Typer(help="People of the review platform.", no_args_is_help=True)
cycle_app = typer.Typer(help="Review cycles of the platform.", no_args_is_help=True)

T = TypeVar("T")
ROLES = ("administrator", "analyst", "reviewer", "focal-point")


def _django(migrate: bool = True) -> None:
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


def _call(action: Callable[[], T]) -> T:
    """Run a service; print its refusal (and every problem) and exit 1 instead of a traceback."""
    from govlens.web.errors import Invalid, ServiceError

    try:
        return action()
    except Invalid as error:
        typer.echo(f"error: {error.message}", err=True)
        for problem in error.problems:
            parts = [
                str(problem["sheet"]) if problem.get("sheet") else "",
                f"row {problem['row']}" if problem.get("row") else "",
                str(problem.get("column") or problem.get("field") or problem.get("question") or ""),
            ]
            where = ", ".join(part for part in parts if part)
            typer.echo(
                f"  {where}: {problem.get('message', '')}" if where else f"  {problem.get('message', '')}", err=True
            )
        raise typer.Exit(1) from None
    except ServiceError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(1) from None


def _codes(text: str | None) -> list[str]:
    return [code.strip().upper() for code in (text or "").split(",") if code.strip()]


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes (gunicorn).", min=1, max=64)] = 2,
) -> None:
    """Start the review platform (gunicorn, static files by whitenoise); migrates the database first."""
    _django(migrate=True)
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


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")],
    country: Annotated[str | None, typer.Option(help="Focal points: their country (ISO3).")] = None,
    countries: Annotated[str | None, typer.Option(help="Reviewers: assigned countries, ISO3,ISO3,...")] = None,
    email: Annotated[str, typer.Option(help="Address for notifications.")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Create a user with a role (the password is checked by Django's password validators)."""
    if role not in ROLES:
        typer.echo(f"error: --role must be one of {{{', '.join(ROLES)}}}; got '{role}'", err=True)
        raise typer.Exit(1)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        typer.echo("error: the password is empty", err=True)
        raise typer.Exit(1)
    _django()
    from govlens.web.accounts.services import user_create

    user = _call(
        lambda: user_create(
            actor=None,
            username=username,
            password=password,
            role=role,
            country=country.strip().upper() if country else None,
            countries=_codes(countries),
            email=email,
        )
    )
    detail = f" for {country.upper()}" if country else (f" for {', '.join(_codes(countries))}" if countries else "")
    typer.echo(f"user '{user.username}' created: {role}{detail}")


@cycle_app.command("create")
def cycle_create_command(
    slug: Annotated[str, typer.Argument(help="Short name used in URLs and the API, e.g. lac-2026.")],
    framework: Annotated[str, typer.Option(help="Bundled framework name or framework file.")],
    countries: Annotated[str, typer.Option(help="Participating countries, ISO3,ISO3,...")],
    title: Annotated[str, typer.Option(help="Title shown to participants.")] = "",
) -> None:
    """Open a cycle on a framework: records its version and fingerprint, one draft response per country."""
    from django.utils.text import slugify

    if slugify(slug) != slug:
        typer.echo(
            f"error: SLUG must be lower-case letters, digits and hyphens, e.g. '{slugify(slug)}'; got '{slug}'",
            err=True,
        )
        raise typer.Exit(1)
    _django()
    from govlens.web.cycles.services import cycle_create

    cycle = _call(
        lambda: cycle_create(actor=None, slug=slug, framework=framework, countries=_codes(countries), title=title)
    )
    codes = ", ".join(sorted(cycle.countries.values_list("iso3", flat=True)))
    typer.echo(
        f"cycle '{cycle.slug}' open: {cycle.title}; framework {cycle.framework_id} {cycle.framework_version} "
        f"(fingerprint {cycle.framework_fingerprint[:12]}); countries {codes}"
    )


def _cycle_status(slug: str, opening: bool) -> None:
    _django()
    from govlens.web.cycles.selectors import cycle_get
    from govlens.web.cycles.services import cycle_close, cycle_open

    cycle = _call(partial(cycle_get, slug=slug))
    change = cycle_open if opening else cycle_close
    _call(partial(change, actor=None, cycle=cycle))
    typer.echo(f"cycle '{slug}' {'open' if opening else 'closed'}")


@cycle_app.command("open")
def cycle_open_command(slug: Annotated[str, typer.Argument(help="The cycle to open.")]) -> None:
    """Open a cycle for answers (a closed cycle reopens)."""
    _cycle_status(slug, opening=True)


@cycle_app.command("close")
def cycle_close_command(slug: Annotated[str, typer.Argument(help="The cycle to close.")]) -> None:
    """Close a cycle: answers can no longer change; reviews continue."""
    _cycle_status(slug, opening=False)


@cycle_app.command("prefill")
def cycle_prefill_command(
    slug: Annotated[str, typer.Argument(help="The cycle whose responses get suggestions.")],
    mirror: Annotated[
        Path | None, typer.Option(help="Folder of public datasets (default: $GOVLENS_DATA_MIRROR or the cache).")
    ] = None,
) -> None:
    """Suggest answers from public data to every country of a cycle; focal points accept or answer otherwise."""
    _django()
    from govlens.data.errors import DataError
    from govlens.data.prefill import load_rules, prefill_for
    from govlens.web.collection.services import response_suggestions_store
    from govlens.web.cycles.selectors import cycle_get

    cycle = _call(partial(cycle_get, slug=slug))
    framework_id, _rules, report = load_rules()
    if framework_id != cycle.framework_id:
        typer.echo(
            f"error: the pre-fill rules are written for framework '{framework_id}'; cycle '{slug}' uses "
            f"'{cycle.framework_id}'",
            err=True,
        )
        raise typer.Exit(1)
    for iso3 in sorted(cycle.countries.values_list("iso3", flat=True)):
        try:
            suggestions, report = prefill_for(iso3, mirror)
        except DataError as error:
            typer.echo(f"error: {iso3}: public data unavailable: {error}", err=True)
            raise typer.Exit(1) from None
        if not report.valid:
            for problem in report.errors:
                typer.echo(str(problem), err=True)
            raise typer.Exit(1)
        stored = _call(
            partial(response_suggestions_store, actor=None, cycle_slug=slug, iso3=iso3, suggestions=suggestions)
        )
        typer.echo(f"{iso3}: {len(stored)} suggestion(s)")


@cycle_app.command("import")
def cycle_import_command(
    slug: Annotated[str, typer.Argument(help="The cycle to import into.")],
    path: Annotated[Path, typer.Argument(help="KoboToolbox/ODK export: .csv or .xlsx, one row per submission.")],
    country_column: Annotated[str, typer.Option(help="Column naming each row's country (ISO3).")] = "country",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report; save nothing.")] = False,
) -> None:
    """Import submissions into the countries' draft responses; nothing is saved unless every row is valid."""
    if not path.is_file():
        typer.echo(f"error: no such file: {path}", err=True)
        raise typer.Exit(1)
    _django()
    from govlens.web.collection.services import submissions_import

    data = path.read_bytes()
    outcome = _call(
        partial(
            submissions_import,
            actor=None,
            cycle_slug=slug,
            data=data,
            filename=str(path),
            country_column=country_column,
            dry_run=dry_run,
        )
    )
    for warning in outcome.warnings:
        typer.echo(f"warning: {warning}")
    verb = "would change" if dry_run else "changed"
    for country in sorted(outcome.changed):
        names = outcome.changed[country]
        typer.echo(
            f"{country}: {verb} {len(names)} answer(s){': ' + ', '.join(names) if names else ''} "
            f"(version {outcome.versions[country]})"
        )


DEMO_CYCLE = "demo-2026"
DEMO_COUNTRIES = ("ARG", "BRA", "CHL", "COL", "MEX", "URY")
DEMO_ACCOUNTS = (
    ("demo-analyst", "analyst", None, ()),
    ("demo-reviewer", "reviewer", None, DEMO_COUNTRIES),
    ("demo-focal-arg", "focal-point", "ARG", ()),
    ("demo-focal-bra", "focal-point", "BRA", ()),
)


def demo_platform(framework: str = "lac-dgr") -> None:
    """Create (or refresh) the demo cycle and demo accounts and print how to log in; for ``govlens demo``.

    Passwords are generated on every run and printed once; existing demo accounts get the new password.
    """
    import secrets

    _django()
    from django.contrib.auth.models import User

    from govlens.web.accounts.services import membership_set, user_create
    from govlens.web.cycles.models import Cycle
    from govlens.web.cycles.services import cycle_create

    if not Cycle.objects.filter(slug=DEMO_CYCLE).exists():
        _call(
            lambda: cycle_create(
                actor=None,
                slug=DEMO_CYCLE,
                framework=framework,
                countries=list(DEMO_COUNTRIES),
                title="Demo: digital government review of Latin America and the Caribbean 2026",
            )
        )
    typer.echo(f"Review platform: cycle '{DEMO_CYCLE}' ({', '.join(DEMO_COUNTRIES)}). Start it with `govlens serve`,")
    typer.echo("then log in at http://127.0.0.1:8000/ with one of these demo accounts:")
    for username, role, country, countries in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        existing = User.objects.filter(username=username).first()
        if existing is None:
            _call(
                partial(
                    user_create,
                    actor=None,
                    username=username,
                    password=password,
                    role=role,
                    country=country,
                    countries=list(countries),
                )
            )
        else:
            existing.set_password(password)
            existing.save(update_fields=["password"])
            _call(
                partial(
                    membership_set, actor=None, user=existing, role=role, country=country, countries=list(countries)
                )
            )
        scope = f" ({country})" if country else (f" ({', '.join(countries)})" if countries else "")
        typer.echo(f"  {username:<16} {password:<18} {role}{scope}")
