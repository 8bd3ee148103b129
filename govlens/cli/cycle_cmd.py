"""``govlens cycle create|open|close|prefill|import|settings``: review cycles of the platform, their answers and
their release settings."""

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


def _setting(text: str) -> tuple[str, str, object]:
    """``section.key=value`` as (section, key, value); the value is read as YAML (numbers, yes/no, [a, b])."""
    import yaml

    name, sep, raw = text.partition("=")
    section, dot, key = name.strip().partition(".")
    if not sep or not dot or not key:
        typer.echo(f"error: --set takes SECTION.KEY=VALUE, e.g. index.normalise=minmax; got {text!r}", err=True)
        raise typer.Exit(1)
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw.strip()
    return section, key.strip(), value


@app.command("settings")
def cycle_settings_command(
    slug: Annotated[str, typer.Argument(help="The cycle.")],
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override one setting for the cycle: SECTION.KEY=VALUE (index.normalise=minmax)."),
    ] = None,
    unset: Annotated[
        list[str] | None, typer.Option("--unset", help="Go back to the framework's value: SECTION.KEY.")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Drop every override of the cycle.")] = False,
) -> None:
    """Show the release settings of a cycle (its framework's, then its overrides), or change its overrides."""
    prepare_django()
    from govlens.web.cycles.frameworks import cycle_release_settings
    from govlens.web.cycles.selectors import cycle_get
    from govlens.web.cycles.services import cycle_settings_set

    cycle = call_service(partial(cycle_get, slug=slug))
    if set_ or unset or clear:
        stored = {} if clear else cycle.release_settings
        override: dict[str, dict[str, object]] = {section: dict(values) for section, values in stored.items()}
        for name in unset or []:
            section, _, key = name.strip().partition(".")
            override.get(section, {}).pop(key, None)
        for text in set_ or []:
            section, key, value = _setting(text)
            override.setdefault(section, {})[key] = value
        override = {section: values for section, values in override.items() if values}
        cycle = call_service(partial(cycle_settings_set, actor=None, cycle=cycle, override=override))
    settings, source = call_service(partial(cycle_release_settings, cycle))
    typer.echo(f"release settings of cycle {cycle.slug} (framework {source.framework}):")
    changed = set(source.from_cycle)
    for section, values in settings.to_dict().items():
        for key, value in (values or {}).items():
            mark = "  (this cycle)" if f"{section}.{key}" in changed else ""
            typer.echo(f"  {section}.{key} = {value}{mark}")
