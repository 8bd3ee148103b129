"""Data checks before anything is computed: infinite values, coverage per unit and per indicator, constant
indicators, duplicated units; with them, the screening of units (``govlens.index.screen``: units below a
data-availability or non-zero threshold are excluded or flagged; a screening that would exclude every unit is an
error)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from govlens.framework.errors import Location, problem
from govlens.framework.report import Report
from govlens.index.errors import check_choice, check_number
from govlens.index.screen import Screener
from govlens.index.settings import COVERAGE_ACTIONS

MAX_PROBLEMS_PER_COLUMN = 20


def infinite_values(
    data: pd.DataFrame, path: str = "", rows: Mapping[str, int] | None = None, what: str = "value"
) -> Report:
    """An error for every infinite cell of a units x indicators frame (at most 20 named per indicator):
    an infinite value cannot be normalised (a min-max span or standard deviation becomes infinite)."""
    report = Report()
    values = data.to_numpy(dtype=float)
    rows = rows or {}
    for j, indicator in enumerate(data.columns):
        where = np.flatnonzero(np.isinf(values[:, j]))
        for i in where[:MAX_PROBLEMS_PER_COLUMN]:
            unit = str(data.index[i])
            report.add(
                problem(
                    "infinite_value",
                    path,
                    Location(row=rows.get(unit), column=str(indicator)),
                    what=what,
                    value=float(values[i, j]),
                    unit=unit,
                    indicator=str(indicator),
                )
            )
        if where.size > MAX_PROBLEMS_PER_COLUMN:
            report.add(
                problem(
                    "problems_not_shown",
                    path,
                    Location(column=str(indicator)),
                    count=int(where.size - MAX_PROBLEMS_PER_COLUMN),
                    what=f"infinite values on indicator {str(indicator)!r}",
                )
            )
    return report


class DataChecks:
    """Check a units x indicators frame.

    ``unit_coverage``: units whose share of indicators present is below this are excluded
    (``action="exclude"``) or only reported (``action="flag"``). ``indicator_coverage``: indicators
    whose share of units present is below this are reported. ``screener``: the unit screening to run with the
    checks instead (:class:`govlens.index.screen.Screener`: coverage, zeros, units listed), e.g. one that
    screens nothing when the pipeline screens after imputation.
    """

    def __init__(
        self,
        *,
        unit_coverage: float = 0.0,
        indicator_coverage: float = 0.0,
        action: str = "exclude",
        path: str = "",
        rows: Mapping[str, int] | None = None,
        screener: Screener | None = None,
    ) -> None:
        self.unit_coverage = unit_coverage
        self.indicator_coverage = indicator_coverage
        self.action = action
        self.path = path
        self.rows = rows
        self.screener = screener

    def fit(self, data: pd.DataFrame) -> DataChecks:
        check_number("unit_coverage", self.unit_coverage, low=0.0, high=1.0)
        check_number("indicator_coverage", self.indicator_coverage, low=0.0, high=1.0)
        check_choice("action", self.action, COVERAGE_ACTIONS)
        rows = self.rows or {}
        present = data.notna().to_numpy()
        self.unit_coverage_ = pd.Series(present.mean(axis=1), index=data.index, name="coverage")
        self.indicator_coverage_ = pd.Series(present.mean(axis=0), index=data.columns, name="coverage")
        report = Report()

        def add(code: str, at: str | None, column: str | None, **params: object) -> None:
            row = rows.get(at) if at is not None else None
            report.add(problem(code, self.path, Location(row=row, column=column), **params))

        if data.shape[0] == 0:
            add("data_empty", None, None, reason="the data has no units")
        report.extend(infinite_values(data, self.path, rows))
        duplicated = data.index[data.index.duplicated()].unique()
        for unit in duplicated:
            add("duplicate_unit", str(unit), None, unit=str(unit), where="appears more than once")
        shares = present.mean(axis=1)
        for i in np.flatnonzero(shares == 0):
            unit = str(data.index[int(i)])
            add("unit_without_data", unit, None, unit=unit)
        screener = self.screener
        if screener is None:
            screener = Screener(unit_coverage=self.unit_coverage, action=self.action, path=self.path, rows=rows)
        self.screener_ = screener.fit(data)
        report.extend(screener.report_)
        values = data.to_numpy(dtype=float)
        for j, indicator in enumerate(data.columns):
            column = values[:, j]
            column = column[~np.isnan(column)]
            share = float(self.indicator_coverage_.iloc[j])
            if column.size == 0:
                add("indicator_without_data", None, str(indicator), indicator=str(indicator))
                continue
            if share < self.indicator_coverage:
                add(
                    "low_indicator_coverage",
                    None,
                    str(indicator),
                    indicator=str(indicator),
                    share=share,
                    threshold=self.indicator_coverage,
                )
            if np.all(column == column[0]):
                add("constant_indicator", None, str(indicator), indicator=str(indicator), value=float(column[0]))
        self.low_coverage_units_ = self.screener_.low_coverage_units_
        self.excluded_units_ = self.screener_.excluded_units_
        self.report_ = report
        return self

    def transform(self, data: pd.DataFrame) -> pd.DataFrame:
        return self.screener_.transform(data)

    def table(self) -> pd.DataFrame:
        """Coverage of every unit, with its status, for reports (the screener's table)."""
        return self.screener_.table()
