"""Data checks before anything is computed: infinite values, coverage per unit and per indicator, constant
indicators, duplicated units. Units below a data-availability threshold are excluded or flagged; a threshold
that would exclude every unit is an error."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from govlens.framework.errors import Location, problem
from govlens.framework.report import Report
from govlens.index.errors import check_choice, check_number
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
    whose share of units present is below this are reported.
    """

    def __init__(
        self,
        *,
        unit_coverage: float = 0.0,
        indicator_coverage: float = 0.0,
        action: str = "exclude",
        path: str = "",
        rows: Mapping[str, int] | None = None,
    ) -> None:
        self.unit_coverage = unit_coverage
        self.indicator_coverage = indicator_coverage
        self.action = action
        self.path = path
        self.rows = rows

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
        unit_names = [str(unit) for unit in data.index]
        flagged = np.flatnonzero(shares < max(self.unit_coverage, 1e-12))  # only these need a message
        for i in flagged:
            unit, share = unit_names[i], float(shares[i])
            if share == 0:
                add("unit_without_data", str(unit), None, unit=unit)
            elif share < self.unit_coverage:
                verb = "excluded" if self.action == "exclude" else "flagged"
                add(
                    "low_unit_coverage",
                    str(unit),
                    None,
                    unit=unit,
                    share=share,
                    threshold=self.unit_coverage,
                    action=verb,
                )
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
        self.low_coverage_units_ = tuple(unit_names[i] for i in flagged if 0 < shares[i] < self.unit_coverage)
        self.excluded_units_ = self.low_coverage_units_ if self.action == "exclude" else ()
        if data.shape[0] and len(self.excluded_units_) == data.shape[0]:
            best = float(shares.max())
            report.add(
                problem(
                    "no_unit_left",
                    self.path,
                    None,
                    threshold=self.unit_coverage,
                    units=data.shape[0],
                    best=best,
                    indicators=data.shape[1],
                )
            )
        self.report_ = report
        return self

    def transform(self, data: pd.DataFrame) -> pd.DataFrame:
        return data.drop(index=list(self.excluded_units_)).copy()

    def table(self) -> pd.DataFrame:
        """Coverage of every unit, with its status, for reports."""
        status = ["ok"] * len(self.unit_coverage_)
        for i, unit in enumerate(self.unit_coverage_.index):
            if unit in self.low_coverage_units_:
                status[i] = "excluded" if self.action == "exclude" else "flagged"
        return pd.DataFrame(
            {"unit": self.unit_coverage_.index, "coverage": self.unit_coverage_.to_numpy(), "status": status}
        )
