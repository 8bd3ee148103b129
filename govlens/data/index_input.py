"""Indicator values for the index engine from a registered public dataset: the data layer reads the dataset and
hands the engine a :class:`govlens.index.io.Dataset` (the engine never imports the data layer)."""

from __future__ import annotations

import pandas as pd

from govlens.data import errors as _errors  # noqa: F401  (registers the data layer's codes)
from govlens.data import registry
from govlens.framework.errors import Location, problem
from govlens.framework.report import Report
from govlens.index.errors import IndexInputError
from govlens.index.io import Dataset
from govlens.index.tree import Tree


def dataset_for_tree(selector: str, tree: Tree) -> Dataset:
    """Indicator values from a registered public dataset (``NAME`` or ``NAME-YEAR``, e.g.
    ``gtmi-indicators-2022``; the latest year when none is given). Each leaf reads the dataset variable
    its framework names as ``source`` (default: the leaf id). Units without any value in that year are
    left out (a warning): a public dataset lists economies outside the wave."""
    where = f"dataset {selector}"
    try:
        spec, year = registry.parse_selector(selector)
        loaded = registry.load(spec.name)
    except (LookupError, ValueError, OSError) as error:
        raise IndexInputError.single(problem("dataset_not_found", where, None, reason=str(error))) from error
    years = loaded.years()
    chosen = year if year is not None else max(years)
    if chosen not in years:
        raise IndexInputError.single(
            problem("dataset_year", where, None, allowed=f"{{{', '.join(map(str, years))}}}", year=chosen)
        )
    where = f"dataset {spec.name} {chosen}"
    rows = loaded.data[loaded.data["year"] == chosen]
    wide = rows.pivot_table(index="unit", columns="variable", values="value", aggfunc="first", dropna=False)
    report = Report()
    columns = {}
    for leaf in tree.leaves:
        variable = tree.sources.get(leaf, leaf)
        if variable not in wide.columns:
            report.add(
                problem(
                    "tree_data_mismatch",
                    where,
                    Location(column=variable),
                    indicator=leaf,
                    detail=f" (variable {variable!r})",
                    source="dataset",
                    what="variable",
                )
            )
            continue
        columns[leaf] = wide[variable].astype(float)
    if not report.valid:
        raise IndexInputError(report)
    values = pd.DataFrame(columns, index=pd.Index([str(u) for u in wide.index], name="unit"))
    empty = values.isna().all(axis=1)
    if empty.any():
        report.add(problem("units_left_out", where, None, count=int(empty.sum()), year=chosen))
        values = values.loc[~empty]
    rows_of = {unit: i + 2 for i, unit in enumerate(values.index)}
    return Dataset(values, where, None, rows_of, "unit", None, report)
