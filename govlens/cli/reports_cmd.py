"""``govlens report``, ``govlens profile`` and ``govlens export``: the files a release is published as."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from govlens.cli.release_cmd import fail, guarded

ReleaseOpt = Annotated[str, typer.Option("--release", help="Release id, 'latest' or a release .json file.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language: en, es, pt or fr.")]
OutOpt = Annotated[Path, typer.Option("--out", help="File to write (a folder for datapackage).")]


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        fail(f"{name} must be one of {{{', '.join(allowed)}}}; got {value!r}")
    return value


def report(
    release: ReleaseOpt = "latest",
    lang: LangOpt = "en",
    fmt: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    out: OutOpt = Path("report.html"),
    edits: Annotated[
        Path | None,
        typer.Option("--edits", help="Analysts' edits of the chapter (YAML, see docs/reports.md); checked first."),
    ] = None,
) -> None:
    """Write the regional report "Assessment and recommendations" of a release (HTML or PDF).

    With --edits, the analysts' passages replace the generated ones; an edited passage whose figures the release
    does not support stops the command before anything is written."""
    from govlens.release import load_release
    from govlens.reports.edits import read_edits
    from govlens.reports.render import FORMATS, write_report

    _choice("format", fmt, FORMATS)
    found = guarded(lambda: load_release(release))
    chosen = guarded(lambda: read_edits(edits)) if edits is not None else None
    written = guarded(lambda: write_report(found, out, lang, fmt, edits=chosen))
    typer.echo(f"wrote {written} ({found.id}{', with ' + str(len(chosen.edits)) + ' edit(s)' if chosen else ''})")


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
    found = guarded(lambda: load_release(release))
    if country.upper() not in found.results.units:
        fail(f"country must be one of the release's units {{{', '.join(found.results.units)}}}; got {country!r}")
    written = guarded(lambda: write_profile(found, country.upper(), out, lang, fmt))
    typer.echo(f"wrote {written} ({found.id})")


def export(
    release: ReleaseOpt = "latest",
    fmt: Annotated[
        str, typer.Option("--format", help="csv, xlsx, sdmx-csv (2.0), sdmx-csv-1.0, sdmx-structure or datapackage.")
    ] = "csv",
    out: OutOpt = Path("results.csv"),
) -> None:
    """Export the results of a release as CSV, XLSX, SDMX-CSV or a Frictionless data package."""
    from govlens.release import load_release
    from govlens.reports import exports

    _choice("format", fmt, exports.EXPORT_FORMATS)
    found = guarded(lambda: load_release(release))
    typer.echo(f"wrote {guarded(lambda: exports.export(found, fmt, out))} ({found.id})")
