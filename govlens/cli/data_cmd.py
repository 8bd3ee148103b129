"""``govlens data ...``: the public datasets (GTMI, EGDI, OECD DGI and OURdata, ITU)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from govlens.cli.problems import echo_problems
from govlens.data.errors import DataError

if TYPE_CHECKING:  # pandas and the loaders are imported by the command that runs, to keep start-up quick
    import pandas as pd

app = typer.Typer(help="Public datasets: list, pull, show, export, compare, gtmi-check, prefill.", no_args_is_help=True)

MirrorOption = Annotated[
    Path | None,
    typer.Option(
        "--mirror",
        help="Folder laid out like ../shared/data to read instead of downloading (default: $GOVLENS_DATA_MIRROR).",
        file_okay=False,
    ),
]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _table(frame: pd.DataFrame) -> str:
    return frame.to_string(index=False, na_rep="", float_format=lambda v: f"{v:.4g}")


@app.command("list")
def list_datasets() -> None:
    """List the registered datasets with publisher, years, units, licence and source address."""
    from govlens.data import registry

    for spec in registry.DATASETS.values():
        typer.echo(f"{spec.name}: {spec.title}")
        typer.echo(f"  publisher: {spec.publisher}")
        typer.echo(f"  years:     {spec.years}")
        typer.echo(f"  units:     {spec.units}")
        typer.echo(f"  licence:   {spec.licence}")
        typer.echo(f"  source:    {spec.source_url}")


@app.command("pull")
def pull(
    name: Annotated[
        str | None, typer.Argument(help="Dataset name (see `govlens data list`); every dataset when left out.")
    ] = None,
    mirror: MirrorOption = None,
) -> None:
    """Store the public datasets under GOVLENS_HOME, from the publishers or a mirror folder, with their
    provenance; every later command reads them from there. Every file is checked first."""
    from govlens.data import registry
    from govlens.data.sources import provenance

    names = [name] if name else list(registry.DATASETS)
    for dataset in names:
        try:
            files = registry.pull(dataset, mirror)
        except DataError as exc:
            _fail(str(exc))
        record = provenance(registry.get_spec(dataset)) or {}
        origins = record.get("files", {})
        for file_name, path in files.items():
            entry = origins.get(file_name, {}) if isinstance(origins, dict) else {}
            typer.echo(f"stored {path} (sha256 {entry.get('sha256', '?')}; from {entry.get('origin', '?')})")


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Dataset name (see `govlens data list`).")],
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region", help="lac | oecd | south-america | central-america | caribbean | a peer group | ISO3,ISO3,..."
        ),
    ] = None,
    variable: Annotated[list[str] | None, typer.Option("--variable", help="Only this variable (repeatable).")] = None,
    groups: Annotated[
        Path | None, typer.Option("--groups", help="YAML or CSV file of peer groups.", dir_okay=False)
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows to print (0 = all).")] = 40,
    mirror: MirrorOption = None,
) -> None:
    """Print a dataset's source, licence and values (tidy: unit, name, year, variable, value)."""
    from govlens.data import query, registry

    try:
        peer_groups = _peer_groups(groups)
        dataset = registry.load(name, mirror)
        rows = query.select(dataset, year=year, region=region, variables=variable or (), peer_groups=peer_groups)
    except (DataError, ValueError) as exc:
        _fail(str(exc))
    spec = dataset.spec
    typer.echo(f"{spec.title} ({spec.publisher})")
    typer.echo(f"licence: {spec.licence}")
    typer.echo(f"source:  {spec.source_url}")
    folders = sorted({str(p.parent) for p in dataset.files})
    typer.echo(
        f"files:   {', '.join(str(p) for p in dataset.files)}"
        if len(dataset.files) <= 3
        else f"files:   {len(dataset.files)} files in {', '.join(folders)}"
    )
    echo_problems(dataset.report)
    shown = rows if limit <= 0 else rows.head(limit)
    typer.echo(_table(shown) if not shown.empty else "(no rows)")
    if len(rows) > len(shown):
        typer.echo(f"... {len(rows) - len(shown)} more rows (--limit 0 prints all; `govlens data export` saves them)")


@app.command("export")
def export(
    name: Annotated[str, typer.Argument(help="Dataset name (see `govlens data list`).")],
    out: Annotated[Path, typer.Option("--out", help="Output file: .csv or .xlsx.", dir_okay=False)],
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Group name or ISO3,ISO3,...")] = None,
    mirror: MirrorOption = None,
) -> None:
    """Save a dataset (tidy table; .xlsx adds variables, metadata and problems sheets)."""
    from govlens.data import query, registry

    try:
        dataset = registry.load(name, mirror)
        rows = query.select(dataset, year=year, region=region)
        path = query.export(dataset, out, rows)
    except (DataError, ValueError) as exc:
        _fail(str(exc))
    typer.echo(f"wrote {len(rows)} rows to {path}")


@app.command("compare")
def compare(
    out: Annotated[Path, typer.Option("--out", help="Folder for the CSV tables.", file_okay=False)],
    datasets: Annotated[
        str | None,
        typer.Option(
            "--datasets",
            help="Comma-separated NAME or NAME-YEAR selectors (default: dgi-2023, ourdata-2023, egdi-2024 "
            "and internet, the latest edition of each public dataset).",
        ),
    ] = None,
    groups: Annotated[
        Path | None, typer.Option("--groups", help="YAML or CSV file of peer groups to add as columns.", dir_okay=False)
    ] = None,
    mirror: MirrorOption = None,
) -> None:
    """Latin America and the Caribbean against the OECD members of the year: one table per dataset."""
    from govlens.data import compare as compare_mod

    if datasets is None:
        selectors = list(compare_mod.DEFAULT_SELECTORS)
    else:
        selectors = [s.strip() for s in datasets.split(",") if s.strip()]
    try:
        results = compare_mod.compare(selectors, mirror, peer_groups=_peer_groups(groups))
    except (DataError, ValueError) as exc:
        _fail(str(exc))
    columns = [
        "variable",
        "lac_n",
        "lac_mean",
        "lac_median",
        "lac_min",
        "lac_max",
        "oecd_n",
        "oecd_mean",
        "gap",
        "frontier_unit",
        "frontier_value",
    ]
    for result in results:
        typer.echo(
            f"\n{result.selector} (LAC: 33 countries, UN M49; OECD: members in {result.year}; "
            f"values of {result.years_used})"
        )
        if result.in_both:
            typer.echo(
                f"counted in both averages (LAC countries that are OECD members in {result.year}): "
                f"{', '.join(result.in_both)}; the CSV column in_both lists those with a value"
            )
        typer.echo(_table(result.table[columns].round(4)))  # the same rounding as the CSV files
    for path in compare_mod.write(results, out):
        typer.echo(f"wrote {path}")


@app.command("gtmi-check")
def gtmi_check(
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write ours beside the published scores (.csv).", dir_okay=False)
    ] = None,
    mirror: MirrorOption = None,
) -> None:
    """Recompute the GTMI 2022 from its key indicators and compare with the World Bank's published scores."""
    from govlens.data import gtmi_recompute

    try:
        result = gtmi_recompute.check(mirror)
    except (DataError, ValueError, LookupError) as exc:
        _fail(str(exc))
    for line in gtmi_recompute.summary_lines(result):
        typer.echo(line)
    if out is not None:
        typer.echo(f"wrote {gtmi_recompute.write_table(result, out)}")


@app.command("prefill")
def prefill(
    country: Annotated[str, typer.Argument(help="ISO3 code of the country (legacy codes accepted).")],
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="Pre-fill rules (default: the bundled lac-dgr rules).", dir_okay=False),
    ] = None,
    mirror: MirrorOption = None,
) -> None:
    """Suggested answers to questionnaire questions from public data, each with its source and year."""
    from govlens.data import prefill as prefill_mod
    from govlens.data.harmonise import iso3_from_code

    unit = iso3_from_code(country)
    if unit is None:
        _fail(f"country must be an ISO 3166-1 alpha-3 code; got {country!r}")
    try:
        suggestions, report = prefill_mod.prefill_for(str(unit), mirror, rules)
    except (DataError, ValueError, LookupError) as exc:
        _fail(str(exc))
    echo_problems(report)
    if not report.valid:
        raise typer.Exit(1)
    if not suggestions:
        typer.echo(f"no suggestion for {unit}")
    for item in suggestions:
        typer.echo(
            f"{item.question} = {item.answer}  ({item.dataset} {item.variable} {item.year}: "
            f"{item.value:g}; {item.note})"
        )


def _peer_groups(path: Path | None) -> dict[str, tuple[str, ...]] | None:
    from govlens.data.groups import load_peer_groups

    if path is None:
        return None
    groups, report = load_peer_groups(path)
    echo_problems(report)
    if not report.valid:
        raise ValueError(f"{path}: the peer groups file has errors")
    return groups
