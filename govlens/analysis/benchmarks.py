"""Benchmarks: each country against group averages (for example the OECD) and against the regional frontier.

Works on any table of values, units (ISO3 codes) x variables: the public datasets (DGI 2023 dimensions, OURdata,
EGDI, internet use) or the review's own index and pillar scores. Groups are passed as a mapping
``name -> ISO3 codes`` (``govlens.data.groups`` builds them), so this module does not depend on the data layer.

Gaps are signed so that a positive gap is always "better than": ``value - mean`` (or ``mean - value`` for a
variable where lower is better). The frontier is the best value in the frontier group (highest, or lowest where
lower is better); the gap to it is zero or negative. Every mean and frontier lists the countries behind it.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence

import pandas as pd

__all__ = ["benchmark_table"]


def _check_groups(groups: Mapping[str, Iterable[str]], wanted: Sequence[str]) -> None:
    unknown = [name for name in wanted if name not in groups]
    if unknown:
        raise ValueError(f"groups must be among {{{', '.join(groups)}}}; got {', '.join(unknown)}")


def benchmark_table(
    values: pd.DataFrame,
    groups: Mapping[str, Iterable[str]],
    *,
    frontier_group: str,
    average_groups: Sequence[str] = (),
    lower_is_better: Collection[str] = (),
    countries: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One row per (country, variable): the value, each average group's mean, count, countries and gap, and the
    frontier of ``frontier_group`` (its value, the countries holding it, the gap to it).

    ``countries`` defaults to the members of ``frontier_group`` that have a row in ``values``. A mean is over the
    group's members with a value for that variable (NaN, with an empty country list, when none has one).
    """
    _check_groups(groups, [frontier_group, *average_groups])
    unknown = [name for name in lower_is_better if name not in values.columns]
    if unknown:
        raise ValueError(f"lower_is_better must name variables among the columns; got {', '.join(unknown)}")
    table = values.astype(float)
    members = {name: [unit for unit in dict.fromkeys(groups[name]) if unit in table.index] for name in groups}
    chosen = list(countries) if countries is not None else members[frontier_group]
    missing = [unit for unit in chosen if unit not in table.index]
    if missing:
        raise ValueError(f"countries must have a row in the values; got {', '.join(missing)}")

    rows: list[dict[str, object]] = []
    for variable in table.columns:
        column = table[variable]
        sign = -1.0 if variable in lower_is_better else 1.0
        averages: dict[str, tuple[float, list[str]]] = {}
        for name in average_groups:
            present = [unit for unit in members[name] if not math.isnan(column.loc[unit])]
            mean = float(column.loc[present].mean()) if present else math.nan
            averages[name] = (mean, present)
        frontier_units = [unit for unit in members[frontier_group] if not math.isnan(column.loc[unit])]
        if frontier_units:
            best = float(sign * max(sign * column.loc[unit] for unit in frontier_units))
            leaders = [unit for unit in frontier_units if column.loc[unit] == best]
        else:
            best, leaders = math.nan, []
        for unit in chosen:
            value = float(column.loc[unit])
            row: dict[str, object] = {"country": unit, "variable": variable, "value": value}
            for name, (mean, present) in averages.items():
                row[f"{name}_mean"] = mean
                row[f"{name}_n"] = len(present)
                row[f"{name}_countries"] = " ".join(present)
                row[f"gap_{name}"] = sign * (value - mean)
            row["frontier"] = best
            row["frontier_countries"] = " ".join(leaders)
            row["gap_frontier"] = sign * (value - best)
            rows.append(row)
    return pd.DataFrame(rows)
