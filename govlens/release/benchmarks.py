"""Public-data comparisons (LAC against the OECD) frozen into a release as plain records, so a release's report
prints the very figures it was made with even after the datasets are updated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govlens.data.compare import Comparison
from govlens.data.registry import get_spec
from govlens.release.serialise import json_value

__all__ = ["BENCHMARK_COLUMNS", "benchmarks_from"]

BENCHMARK_COLUMNS: tuple[str, ...] = (
    "variable",
    "label",
    "lac_n",
    "lac_mean",
    "oecd_n",
    "oecd_mean",
    "gap",
    "frontier_unit",
    "frontier_value",
    "in_both",  # LAC countries with a value that were OECD members in the year: counted in both means
)


def benchmarks_from(comparisons: Sequence[Comparison]) -> list[dict[str, Any]]:
    """Plain records of public-data comparisons (dataset, year, and per variable: LAC and OECD n and mean, gap,
    frontier country and value), ready to freeze into a release."""
    found = []
    for comparison in comparisons:
        table = comparison.table
        rows = [
            {column: json_value(record.get(column)) for column in BENCHMARK_COLUMNS}
            for record in table.to_dict("records")
        ]
        try:
            spec = get_spec(comparison.dataset)
            title, citation = spec.title, spec.citation
        except (KeyError, LookupError, ValueError):
            title, citation = comparison.dataset, ""
        found.append(
            {
                "selector": comparison.selector,
                "dataset": comparison.dataset,
                "title": title,
                "citation": citation,
                "year": int(comparison.year),
                "years_used": comparison.years_used,
                "rows": rows,
            }
        )
    return found
