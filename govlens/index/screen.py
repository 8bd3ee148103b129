"""Screening of units (COINr's ``Screen``): a unit is left out when its share of indicators present is below
``unit_coverage`` (COINr's ``dat_thresh``) or when the share of non-zero values among those present is below
``unit_nonzero`` (``nonzero_thresh``); units named in ``include`` are kept and units named in ``exclude`` are left
out whatever their data (COINr's ``Force``). Either threshold at 0 is off, so COINr's ``unit_screen`` modes are
``byNA`` = ``unit_coverage`` alone, ``byzeros`` = ``unit_nonzero`` alone, ``byNAandzeros`` = both (a unit is
left out when it fails either). With ``action="flag"`` units below a threshold are only reported.

The data checks run it on the data as given; the pipeline can run it on the imputed data instead
(``screen_stage="imputed"``). ``fit`` learns which units go, ``transform`` drops them, ``table`` reports every
unit with its shares, status and reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from govlens.framework.errors import Location, problem
from govlens.framework.report import Report
from govlens.index.errors import check_choice, check_number
from govlens.index.settings import COVERAGE_ACTIONS, Settings


class Screener:
    """Which units stay (see the module docstring)."""

    def __init__(
        self,
        *,
        unit_coverage: float = 0.0,
        unit_nonzero: float = 0.0,
        action: str = "exclude",
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        path: str = "",
        rows: Mapping[str, int] | None = None,
    ) -> None:
        self.unit_coverage = unit_coverage
        self.unit_nonzero = unit_nonzero
        self.action = action
        self.include = include
        self.exclude = exclude
        self.path = path
        self.rows = rows

    @classmethod
    def from_settings(cls, settings: Settings, path: str = "", rows: Mapping[str, int] | None = None) -> Screener:
        return cls(
            unit_coverage=settings.unit_coverage,
            unit_nonzero=settings.unit_nonzero,
            action=settings.unit_coverage_action,
            include=settings.screen_include,
            exclude=settings.screen_exclude,
            path=path,
            rows=rows,
        )

    def fit(self, data: pd.DataFrame) -> Screener:
        check_number("unit_coverage", self.unit_coverage, low=0.0, high=1.0)
        check_number("unit_nonzero", self.unit_nonzero, low=0.0, high=1.0)
        check_choice("action", self.action, COVERAGE_ACTIONS)
        both = sorted(set(self.include) & set(self.exclude))
        if both:
            raise ValueError(f"a unit cannot be both included and excluded; got {both[0]!r}")
        rows = self.rows or {}
        report = Report()
        units = [str(unit) for unit in data.index]
        known = set(units)
        for setting, listed in (("screen_include", self.include), ("screen_exclude", self.exclude)):
            for unit in listed:
                if unit not in known:
                    report.add(problem("screen_unknown_unit", self.path, None, setting=setting, unit=unit))
        values = data.to_numpy(dtype=float)
        present = ~np.isnan(values)
        count = present.sum(axis=1)
        coverage = present.mean(axis=1) if values.shape[1] else np.zeros(len(units))
        with np.errstate(invalid="ignore", divide="ignore"):
            nonzero = 1.0 - (values == 0).sum(axis=1) / count  # NaN for a unit without values
        # a unit without any value is an error of the data checks (unit_without_data), not a screened unit
        low_data = (coverage > 0) & (coverage < self.unit_coverage)
        low_nonzero = (count > 0) & (nonzero < self.unit_nonzero)
        included, excluded = set(self.include), set(self.exclude)
        verb = "excluded" if self.action == "exclude" else "flagged"
        status: list[str] = []
        reasons: list[str] = []
        for i, unit in enumerate(units):
            why = []
            if low_data[i]:
                why.append(f"coverage {coverage[i]:.0%} < {self.unit_coverage:.0%}")
            if low_nonzero[i]:
                why.append(f"non-zero {nonzero[i]:.0%} < {self.unit_nonzero:.0%}")
            if unit in excluded:
                status.append("excluded")
                why.append("listed in screen_exclude")
            elif unit in included:
                status.append("ok")  # kept whatever its data
                if why:
                    why.append("kept: listed in screen_include")
            else:
                status.append(verb if why else "ok")
            reasons.append("; ".join(why))
            if unit in excluded:
                continue  # left out by name: no threshold to report
            said = {"unit": unit, "action": "kept (screen_include)" if unit in included else verb}
            at = Location(row=rows.get(unit))
            if low_data[i]:
                share, threshold = float(coverage[i]), self.unit_coverage
                report.add(problem("low_unit_coverage", self.path, at, share=share, threshold=threshold, **said))
            if low_nonzero[i]:
                share, threshold = float(nonzero[i]), self.unit_nonzero
                report.add(problem("low_nonzero_share", self.path, at, share=share, threshold=threshold, **said))
        self.coverage_ = pd.Series(coverage, index=data.index, name="coverage")
        self.nonzero_share_ = pd.Series(nonzero, index=data.index, name="nonzero_share")
        self.status_ = tuple(status)
        self.reasons_ = tuple(reasons)
        self.low_coverage_units_ = tuple(unit for i, unit in enumerate(units) if low_data[i])
        self.excluded_units_ = tuple(unit for unit, state in zip(units, status, strict=True) if state == "excluded")
        if units and len(self.excluded_units_) == len(units):
            rules = []
            if self.unit_coverage > 0 and self.action == "exclude":
                rules.append(f"unit coverage below {self.unit_coverage:.0%}")
            if self.unit_nonzero > 0 and self.action == "exclude":
                rules.append(f"non-zero share below {self.unit_nonzero:.0%}")
            if excluded:
                rules.append(f"{len(excluded)} units listed in screen_exclude")
            report.add(
                problem(
                    "no_unit_left",
                    self.path,
                    None,
                    rules=", ".join(rules),
                    units=len(units),
                    best=float(coverage.max()),
                    indicators=values.shape[1],
                )
            )
        self.report_ = report
        return self

    def transform(self, data: pd.DataFrame) -> pd.DataFrame:
        return data.drop(index=list(self.excluded_units_)).copy()

    def table(self) -> pd.DataFrame:
        """Every unit: its coverage, its share of non-zero values, status (ok, excluded or flagged) and the reason
        (e.g. "coverage 50% < 60%", "listed in screen_exclude")."""
        return pd.DataFrame(
            {
                "unit": self.coverage_.index,
                "coverage": self.coverage_.to_numpy(),
                "nonzero_share": self.nonzero_share_.to_numpy(),
                "status": list(self.status_),
                "reason": list(self.reasons_),
            }
        )
