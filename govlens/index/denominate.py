"""Denomination: an indicator divided by a denominator (GDP, population, area ...) of the same unit, so that
large and small units compare (COINr's ``Denominate``): ``x / (d / scale)``, e.g. crimes per 100,000 people with
``d`` the population and ``scale`` 100,000.

It runs first, before the data checks, screening and imputation, on the values as read. The denominators are
columns of the data file (or frame) beside the indicators; which indicator is divided by which column comes from
the tree table's ``denominator`` and ``denominator_scale`` columns and from the ``denominate`` setting (which
wins for the indicators it names). A denominator column that is missing, or a zero, negative or infinite
denominator of a unit with a value, is an error located at the unit's row; a missing denominator makes the
indicator missing for that unit (a warning), as COINr's division by NA does.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from govlens.framework.errors import Location, problem
from govlens.framework.report import Report
from govlens.index.checks import MAX_PROBLEMS_PER_COLUMN
from govlens.index.settings import Settings
from govlens.index.tree import Tree


def denominators(tree: Tree, settings: Settings) -> dict[str, tuple[str, float]]:
    """indicator -> (denominator column, scale): the tree's, then the ``denominate`` setting's (ValueError for an
    indicator that is not a leaf of the tree)."""
    given = settings.denominate or {}
    unknown = sorted(set(given) - set(tree.leaves))
    if unknown:
        raise ValueError(f"denominate must name indicators of the tree; got {unknown[0]!r}")
    found = dict(tree.denominators)
    for indicator, spec in given.items():
        found[indicator] = (str(spec["by"]), float(spec.get("scale", 1.0)))
    return {leaf: found[leaf] for leaf in tree.leaves if leaf in found}


class Denominator:
    """Divide indicators by denominator columns: ``by`` maps an indicator to (column, scale).

    ``fit(values, columns)`` checks the denominators (``columns``: a frame of the data's columns indexed by unit,
    holding the denominator columns) and reports every problem in ``report_``; ``transform`` divides."""

    def __init__(
        self,
        *,
        by: Mapping[str, tuple[str, float]] | None = None,
        path: str = "",
        rows: Mapping[str, int] | None = None,
    ) -> None:
        self.by = by
        self.path = path
        self.rows = rows

    def fit(self, values: pd.DataFrame, columns: pd.DataFrame) -> Denominator:
        by = dict(self.by or {})
        rows = self.rows or {}
        report = Report()
        for indicator, (column, scale) in by.items():
            if indicator not in values.columns:
                raise ValueError(f"denominate names indicator {indicator!r}, which is not a column of the values")
            if not scale > 0:
                raise ValueError(f"the scale of the denominator of {indicator!r} must be > 0; got {scale!r}")
            if column not in columns.columns:
                at = Location(row=1, column=column)
                report.add(problem("denominator_not_found", self.path, at, indicator=indicator, column=column))
                continue
            d = columns[column].reindex(values.index).to_numpy(dtype=float)
            present = ~np.isnan(values[indicator].to_numpy(dtype=float))
            invalid = present & ~np.isnan(d) & ~((d > 0) & np.isfinite(d))
            self._add(report, "invalid_denominator", invalid, column, indicator, d, values.index, rows)
            self._add(report, "denominator_missing", present & np.isnan(d), column, indicator, d, values.index, rows)
        self.by_ = by
        self.report_ = report
        return self

    def _add(
        self,
        report: Report,
        code: str,
        bad: np.ndarray,
        column: str,
        indicator: str,
        d: np.ndarray,
        units: pd.Index,
        rows: Mapping[str, int],
    ) -> None:
        """A problem ``code`` for each unit where ``bad`` (at most 20 named per column)."""
        where = np.flatnonzero(bad)
        for i in where[:MAX_PROBLEMS_PER_COLUMN]:
            unit = str(units[i])
            at = Location(row=rows.get(unit), column=column)
            params = {"value": f"{d[i]:g}"} if code == "invalid_denominator" else {}
            report.add(problem(code, self.path, at, unit=unit, column=column, indicator=indicator, **params))
        if where.size > MAX_PROBLEMS_PER_COLUMN:
            kind = "bad" if code == "invalid_denominator" else "missing"
            count = int(where.size - MAX_PROBLEMS_PER_COLUMN)
            what = f"units with a {kind} denominator {column!r}"
            report.add(problem("problems_not_shown", self.path, Location(column=column), count=count, what=what))

    def transform(self, values: pd.DataFrame, columns: pd.DataFrame) -> pd.DataFrame:
        if not self.by_:
            return values
        result = values.copy()
        for indicator, (column, scale) in self.by_.items():
            d = columns[column].reindex(values.index).to_numpy(dtype=float)
            # COINr's order of operations: x / (d / scale)
            result[indicator] = values[indicator].to_numpy(dtype=float) / (d / scale)
        return result

    def table(self) -> pd.DataFrame:
        """One row per denominated indicator: indicator, denominator, scale."""
        return pd.DataFrame(
            [(indicator, column, scale) for indicator, (column, scale) in self.by_.items()],
            columns=["indicator", "denominator", "scale"],
        )
