"""``govlens demo``: the whole review on the embedded default, from frameworks to regional statements.

The answers of the demo review are SYNTHETIC (generated from a seed, calibrated to the shares the seed review
reports); every file and every screen that shows them says so.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import pandas as pd
import typer

from govlens.home import subdir

T = TypeVar("T")

SYNTHETIC_LABEL = "SYNTHETIC DEMO DATA: generated answers, not real country responses"
# findings whose regional figures the demo prints (the seed's headline shares)
HEADLINE_FINDINGS = ("F01", "F02", "F04", "F07", "F39")


def _step(title: str, action: Callable[[], T]) -> T:
    started = time.perf_counter()
    typer.echo(f"\n== {title}")
    result = action()
    typer.echo(f"   ({time.perf_counter() - started:.1f} s)")
    return result


def _frameworks() -> None:
    from govlens.framework import catalogue, validate

    for path in catalogue.bundled_paths():
        report = validate.validate(path)
        framework = catalogue.load(path)
        typer.echo(f"   {validate.summary(framework, report)}")
        if not report.valid:
            raise typer.Exit(1)


def _public_data(out: Path) -> dict[str, float]:
    from govlens.data import compare, registry

    results = compare.compare(compare.DEFAULT_SELECTORS)
    written = compare.write(results, out / "public-data")
    for result in results:
        table = result.table
        first = table.iloc[0]
        lac, oecd = first.get("lac_mean"), first.get("oecd_mean")
        typer.echo(
            f"   {result.selector:<14} {first.get('variable', '')!s:<10} LAC mean {lac:.3f} vs OECD mean {oecd:.3f}"
            f" ({result.years_used})"
        )
    typer.echo(f"   wrote {len(written)} tables to {out / 'public-data'}")
    egdi = registry.load("egdi").data
    latest = egdi[(egdi["variable"] == "EGDI") & (egdi["year"] == egdi["year"].max())]
    return {str(u): float(v) for u, v in zip(latest["unit"], latest["value"], strict=True) if pd.notna(v)}


def _gtmi(out: Path) -> None:
    from govlens.data import gtmi_recompute

    result = gtmi_recompute.check()
    for line in gtmi_recompute.summary_lines(result)[:3]:
        typer.echo(f"   {line}")
    gtmi_recompute.write_table(result, out / "gtmi-2022-recomputed.csv")


def _review(out: Path, seed: int, replications: int, egdi: dict[str, float]) -> None:
    from govlens.analysis import narrative, regional, synthetic
    from govlens.data import groups
    from govlens.framework import answers, catalogue, scoring
    from govlens.index.pipeline import compute
    from govlens.index.tree import Tree
    from govlens.index.uncertainty import UncertainInputs, uncertainty

    framework = catalogue.load("lac-dgr")
    responses = synthetic.synthetic_answers(framework, seed=seed, maturity=synthetic.maturity_from(egdi))
    typer.echo(f"   {SYNTHETIC_LABEL}")
    typer.echo(f"   {len(responses.countries)} countries answered {framework.id} {framework.version} (seed {seed})")
    for country, given in responses.answers.items():
        report = answers.validate_answers(framework, given, submitting=True)
        if not report.valid:  # the generator must produce answers a focal point could submit
            raise RuntimeError(f"synthetic answers of {country} do not validate: {report.errors[0]}")

    table = scoring.score_table(framework, responses.answers)
    tree = Tree.from_framework(framework)
    result = compute(table, tree, normalise="goalposts")
    ranks = uncertainty(
        table,
        tree,
        result.settings,
        UncertainInputs(normalise=("goalposts", "minmax", "rank"), aggregate=("arithmetic", "geometric"),
                        weight_range=0.25),
        replications=replications,
        seed=seed,
    )
    review = out / "review"
    review.mkdir(parents=True, exist_ok=True)
    result.table().assign(data=SYNTHETIC_LABEL).to_csv(review / "results.csv", index=False, lineterminator="\n")
    ranks.table.assign(data=SYNTHETIC_LABEL).to_csv(review / "ranks.csv", index=False, lineterminator="\n")
    (review / "answers.json").write_text(
        json.dumps({"label": SYNTHETIC_LABEL, "metadata": dict(responses.metadata), "answers": responses.answers},
                   indent=1, sort_keys=True, default=list),
        encoding="utf-8",
    )
    index_id = tree.root
    top = ranks.table[ranks.table["node"] == index_id].sort_values("nominal_rank").head(5)
    typer.echo(f"   index {index_id}: top 5 with 90% rank interval over {replications} replications")
    for row in top.itertuples():
        typer.echo(f"     {row.nominal_rank:>3.0f}  {row.unit}  [{row.rank_p05:.0f}-{row.rank_p95:.0f}]")

    lac = {"lac": [c for c in responses.countries if c in set(groups.members("lac"))]}
    stats = regional.regional_statistics(framework, responses.answers, groups=lac, scores=table)
    rules = narrative.load_rules("lac-dgr", framework)
    statements = narrative.regional_statements(stats, rules)
    lines = [f"# Regional findings ({SYNTHETIC_LABEL})", ""]
    for statement in statements:
        lines.append(f"- [{statement.provenance.to_dict().get('rule', '')}] {statement.in_language('en')}")
    (review / "findings-en.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    headline = narrative.by_finding(statements)
    for finding in HEADLINE_FINDINGS:
        for statement in headline.get(finding, [])[:1]:
            typer.echo(f"   {finding}: {statement.in_language('en')}")
    typer.echo(f"   wrote {review}")


def demo(
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for the files (default: GOVLENS_HOME/outputs/demo).", file_okay=False),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic answers and of the Monte Carlo.")] = 2023,
    replications: Annotated[
        int, typer.Option("--replications", min=10, help="Monte Carlo replications of the uncertainty analysis.")
    ] = 1000,
) -> None:
    """Run the demo review: frameworks, public data, GTMI check, and a synthetic LAC review with its index."""
    from govlens.data.errors import DataError

    target = (out or subdir("outputs") / "demo").resolve()
    target.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        _step("Frameworks", _frameworks)
        egdi = _step("Public data: LAC against the OECD", lambda: _public_data(target))
        _step("GTMI 2022 recomputed from its key indicators", lambda: _gtmi(target))
        _step("Demo review of lac-dgr (synthetic answers)", lambda: _review(target, seed, replications, egdi))
    except DataError as exc:
        typer.echo(f"error: {exc}", err=True)
        typer.echo("hint: point GOVLENS_DATA_MIRROR (or `govlens data pull`) at the public datasets", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"\nDemo finished in {time.perf_counter() - started:.1f} s; files in {target}")
