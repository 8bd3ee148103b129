"""``govlens release ...``, ``govlens report``, ``govlens profile`` and ``govlens export``: publish a release."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

T = TypeVar("T")

release_app = typer.Typer(help="Releases: frozen answers, settings and results of a cycle.", no_args_is_help=True)

ReleaseOpt = Annotated[str, typer.Option("--release", help="Release id, 'latest' or a release .json file.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language: en, es, pt or fr.")]
OutOpt = Annotated[Path, typer.Option("--out", help="File to write (a folder for datapackage).")]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _guarded(action: Callable[[], T]) -> T:
    """Run ``action``, turning the expected errors of bad input into a message and exit code 1."""
    from govlens.release import ReleaseError, ReleaseNotFound

    try:
        return action()
    except ReleaseError as exc:
        lines = [str(problem) for problem in exc.report.problems] or [str(exc)]
        _fail("\n".join(lines))
    except (ReleaseNotFound, ValueError, OSError) as exc:
        _fail(str(exc))


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        _fail(f"{name} must be one of {{{', '.join(allowed)}}}; got {value!r}")
    return value


@release_app.command("list")
def release_list() -> None:
    """List the releases under GOVLENS_HOME, oldest first."""
    from govlens.release import list_releases

    releases = list_releases()
    if not releases:
        typer.echo("no release yet (govlens demo makes one)")
    for release_id, created in releases:
        typer.echo(f"{release_id}\t{created}")


@release_app.command("show")
def release_show(release: Annotated[str, typer.Argument(help="Release id, 'latest' or a .json file.")]) -> None:
    """Summarise a release: framework, units, settings, hash."""
    from govlens.release import load_release

    found = _guarded(lambda: load_release(release))
    typer.echo(f"release:   {found.id} (created {found.created})")
    typer.echo(f"sha256:    {found.hash}")
    framework = found.framework()
    typer.echo(f"framework: {framework.id} {framework.version}")
    typer.echo(f"units:     {len(found.results.units)} ({', '.join(found.results.units)})")
    typer.echo(f"settings:  {found.settings.to_dict()}")
    if found.synthetic:
        typer.echo(f"data:      {found.synthetic_label('en')}")


@release_app.command("verify")
def release_verify(release: Annotated[str, typer.Argument(help="Release id, 'latest' or a .json file.")]) -> None:
    """Recompute a release from its inputs and settings; exit 1 unless every number is the same bit for bit."""
    from govlens.release import load_release, verify

    found = _guarded(lambda: load_release(release))
    report = verify(found)
    if not report.valid:
        for problem in report.problems:
            typer.echo(str(problem), err=True)
        raise typer.Exit(1)
    typer.echo(f"{found.id}: recomputed, same numbers bit for bit (sha256 {found.hash})")


def report(
    release: ReleaseOpt = "latest",
    lang: LangOpt = "en",
    fmt: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    out: OutOpt = Path("report.html"),
) -> None:
    """Write the regional report "Assessment and recommendations" of a release (HTML or PDF)."""
    from govlens.release import load_release
    from govlens.reports.render import FORMATS, write_report

    _choice("format", fmt, FORMATS)
    found = _guarded(lambda: load_release(release))
    typer.echo(f"wrote {_guarded(lambda: write_report(found, out, lang, fmt))} ({found.id})")


def profile(
    country: Annotated[str, typer.Argument(help="ISO3 code of a country in the release.")],
    release: ReleaseOpt = "latest",
    lang: LangOpt = "en",
    fmt: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    out: OutOpt = Path("profile.html"),
) -> None:
    """Write a country profile of a release (HTML or PDF)."""
    from govlens.release import load_release
    from govlens.reports.render import FORMATS, write_profile

    _choice("format", fmt, FORMATS)
    found = _guarded(lambda: load_release(release))
    if country.upper() not in found.results.units:
        _fail(f"country must be one of the release's units {{{', '.join(found.results.units)}}}; got {country!r}")
    written = _guarded(lambda: write_profile(found, country.upper(), out, lang, fmt))
    typer.echo(f"wrote {written} ({found.id})")


def export(
    release: ReleaseOpt = "latest",
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx, sdmx-csv or datapackage.")] = "csv",
    out: OutOpt = Path("results.csv"),
) -> None:
    """Export the results of a release as CSV, XLSX, SDMX-CSV or a Frictionless data package."""
    from govlens.release import load_release
    from govlens.reports import exports

    _choice("format", fmt, exports.EXPORT_FORMATS)
    found = _guarded(lambda: load_release(release))
    typer.echo(f"wrote {_guarded(lambda: exports.export(found, fmt, out))} ({found.id})")
