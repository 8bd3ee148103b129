"""Latin America and the Caribbean against the OECD: one table per dataset, reproducible by one command.

For each variable: count, mean, median, min and max over the LAC countries with a value and over the OECD
members *of that year* (Colombia counts from 2020, Costa Rica from 2021), the gap between the two means
(LAC minus OECD), the regional frontier (the best LAC country) and the means of the three LAC sub-regions and
of any user-defined peer groups.
Both averages are real group averages, as in the OECD's regional comparisons: the LAC countries that are OECD members
in the year (Chile, Mexico, and Colombia and Costa Rica once they joined) count in both. The column ``in_both``
lists them for each variable, so a reader sees why the two groups can share a minimum or a maximum.
Ranks are left out (their mean says nothing). For yearly series (internet use) each country contributes its
latest value within a window of years ending at the reference year, and the years used are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govlens import tabular
from govlens.data import registry
from govlens.data.groups import LAC, OECD, SUBREGIONS, members
from govlens.data.model import LoadedDataset

DEFAULT_SELECTORS: tuple[str, ...] = ("dgi-2023", "ourdata-2023", "egdi-2024", "internet")
LATEST_WINDOW = 3  # yearly series: a country's latest value within this many years counts
STAT_COLUMNS: tuple[str, ...] = ("n", "mean", "median", "min", "max")


@dataclass(frozen=True)
class Comparison:
    selector: str
    dataset: str
    year: int
    years_used: str  # "2023", or "2021-2023" for yearly series
    table: pd.DataFrame
    in_both: tuple[str, ...] = ()  # LAC countries that are OECD members in the year: counted in both averages


def _values(dataset: LoadedDataset, year: int | None) -> tuple[pd.DataFrame, int, str]:
    """Values per (unit, variable) for the comparison, the reference year and the years actually used."""
    data = dataset.data[dataset.data["value"].notna()]
    years = dataset.years()
    reference = year if year is not None else years[-1]
    if year is not None and year not in years:
        raise ValueError(f"year must be one of {{{', '.join(map(str, years))}}} for {dataset.spec.name}; got {year}")
    if dataset.spec.year_kind == "observation":
        window = data[(data["year"] <= reference) & (data["year"] > reference - LATEST_WINDOW)]
        latest = window.sort_values("year").groupby(["unit", "variable"], as_index=False).last()
        used = sorted(latest["year"].unique())
        span = f"{used[0]}-{used[-1]}" if len(used) > 1 else str(reference)
        return latest, reference, span
    return data[data["year"] == reference], reference, str(reference)


def _stats(values: pd.Series) -> dict[str, float]:
    if values.empty:
        return {"n": 0, "mean": float("nan"), "median": float("nan"), "min": float("nan"), "max": float("nan")}
    return {"n": int(values.size), "mean": float(values.mean()), "median": float(values.median()),
            "min": float(values.min()), "max": float(values.max())}


def compare_dataset(dataset: LoadedDataset, year: int | None = None, variables: Sequence[str] = (),
                    selector: str | None = None, peer_groups: Mapping[str, tuple[str, ...]] | None = None
                    ) -> Comparison:
    """The comparison table of one dataset; ``peer_groups`` add an n and a mean column per group."""
    values, reference, span = _values(dataset, year)
    lac = set(members(LAC))
    oecd = set(members(OECD, reference))
    sub = {name: set(members(name)) for name in SUBREGIONS}
    sub.update({name: set(units) for name, units in (peer_groups or {}).items()})
    rows = []
    names = [v for v in dataset.variables if dataset.variables[v].measure != "rank"]
    for variable in variables or names:
        meta = dataset.variables[variable]
        subset = values[values["variable"] == variable].set_index("unit")["value"].sort_index()
        row: dict[str, object] = {"variable": variable, "label": meta.label}
        lac_values = subset[subset.index.isin(lac)]
        oecd_values = subset[subset.index.isin(oecd)]
        for prefix, series in (("lac", lac_values), ("oecd", oecd_values)):
            row.update({f"{prefix}_{key}": value for key, value in _stats(series).items()})
        row["in_both"] = " ".join(unit for unit in lac_values.index if unit in oecd)
        row["gap"] = float(row["lac_mean"]) - float(row["oecd_mean"])  # type: ignore[arg-type]
        if lac_values.empty:
            row["frontier_unit"], row["frontier_value"] = "", float("nan")
        else:
            # ties go to the first ISO3 code in alphabetical order, so the table is reproducible
            best = lac_values.max() if meta.higher_is_better else lac_values.min()
            row["frontier_unit"] = str(lac_values[lac_values == best].index[0])
            row["frontier_value"] = float(best)
        for name, units in sub.items():
            part = subset[subset.index.isin(units)]
            row[f"{name}_n"] = int(part.size)
            row[f"{name}_mean"] = float(part.mean()) if not part.empty else float("nan")
        rows.append(row)
    table = pd.DataFrame(rows)
    return Comparison(selector or dataset.spec.name, dataset.spec.name, reference, span, table,
                      in_both=tuple(sorted(lac & oecd)))


def compare(selectors: Sequence[str] = DEFAULT_SELECTORS, mirror: Path | str | None = None,
            loader: Callable[[str, Path | str | None], LoadedDataset] | None = None,
            peer_groups: Mapping[str, tuple[str, ...]] | None = None) -> list[Comparison]:
    """One comparison per selector (``NAME`` or ``NAME-YEAR``), each dataset loaded once."""
    load = loader or registry.load
    loaded: dict[str, LoadedDataset] = {}
    results = []
    for selector in selectors:
        spec, year = registry.parse_selector(selector)
        if spec.name not in loaded:
            loaded[spec.name] = load(spec.name, mirror)
        results.append(compare_dataset(loaded[spec.name], year, selector=selector, peer_groups=peer_groups))
    return results


def write(results: Sequence[Comparison], out_dir: Path) -> list[Path]:
    """One CSV per comparison plus ``compare.csv`` with all of them (rounded to 4 decimals, stable order)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    frames = []
    for result in results:
        table = result.table.round(4)
        table.insert(0, "years_used", result.years_used)
        table.insert(0, "dataset", result.selector)
        path = out_dir / f"compare-{result.selector}.csv"
        tabular.write_frame(table, path)
        written.append(path)
        frames.append(table)
    combined = out_dir / "compare.csv"
    tabular.write_frame(pd.concat(frames, ignore_index=True), combined)
    written.append(combined)
    return written
