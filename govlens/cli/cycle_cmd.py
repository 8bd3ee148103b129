"""``govlens cycle create|open|close|prefill|import``: review cycles of the platform and their answers."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from govlens.cli.platform import call_service, country_codes, prepare_django
from govlens.cli.problems import echo_problems

app = typer.Typer(help="Review cycles of the platform.", no_args_is_help=True)


@app.command("create")
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
    prepare_django()
    from govlens.web.cycles.services import cycle_create

    cycle = call_service(
        lambda: cycle_create(
            actor=None, slug=slug, framework=framework, countries=country_codes(countries), title=title
        )
    )
    codes = ", ".join(sorted(cycle.countries.values_list("iso3", flat=True)))
    typer.echo(
        f"cycle '{cycle.slug}' open: {cycle.title}; framework {cycle.framework_id} {cycle.framework_version} "
        f"(fingerprint {cycle.framework_fingerprint[:12]}); countries {codes}"
    )


def _cycle_status(slug: str, opening: bool) -> None:
    prepare_django()
    from govlens.web.cycles.selectors import cycle_get
    from govlens.web.cycles.services import cycle_close, cycle_open

    cycle = call_service(partial(cycle_get, slug=slug))
    change = cycle_open if opening else cycle_close
    call_service(partial(change, actor=None, cycle=cycle))
    typer.echo(f"cycle '{slug}' {'open' if opening else 'closed'}")


@app.command("open")
def cycle_open_command(slug: Annotated[str, typer.Argument(help="The cycle to open.")]) -> None:
    """Open a cycle for answers (a closed cycle reopens)."""
    _cycle_status(slug, opening=True)


@app.command("close")
def cycle_close_command(slug: Annotated[str, typer.Argument(help="The cycle to close.")]) -> None:
    """Close a cycle: answers can no longer change; reviews continue."""
    _cycle_status(slug, opening=False)


@app.command("prefill")
def cycle_prefill_command(
    slug: Annotated[str, typer.Argument(help="The cycle whose responses get suggestions.")],
    mirror: Annotated[
        Path | None, typer.Option(help="Folder of public datasets (default: $GOVLENS_DATA_MIRROR or the cache).")
    ] = None,
) -> None:
    """Suggest answers from public data to every country of a cycle; focal points accept or answer otherwise."""
    prepare_django()
    from govlens.data.errors import DataError
    from govlens.data.prefill import load_rules, prefill_for
    from govlens.web.collection.services import response_suggestions_store
    from govlens.web.cycles.selectors import cycle_get

    cycle = call_service(partial(cycle_get, slug=slug))
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
            echo_problems(report.errors)
            raise typer.Exit(1)
        stored = call_service(
            partial(response_suggestions_store, actor=None, cycle_slug=slug, iso3=iso3, suggestions=suggestions)
        )
        typer.echo(f"{iso3}: {len(stored)} suggestion(s)")


@app.command("import")
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
    prepare_django()
    from govlens.web.collection.services import submissions_import

    data = path.read_bytes()
    outcome = call_service(
        partial(
            submissions_import,
            actor=None,
            cycle_slug=slug,
            data=data,
            filename=str(path),
            country_column=country_column,
            dry_run=dry_run,
        ),
        path=str(path),
    )
    echo_problems(outcome.warnings)
    verb = "would change" if dry_run else "changed"
    for country in sorted(outcome.changed):
        names = outcome.changed[country]
        typer.echo(
            f"{country}: {verb} {len(names)} answer(s){': ' + ', '.join(names) if names else ''} "
            f"(version {outcome.versions[country]})"
        )
