"""Outlier treatment driven by skewness and kurtosis (the JRC/OECD Handbook rule as COINr applies it).

An indicator fails when |skew| > ``skew_thresh`` AND kurtosis > ``kurt_thresh`` (type-2 / Excel estimators,
kurtosis in excess of 3). A failing indicator is Winsorised: the most extreme value on the side of the
skew (all points tied at it) is replaced by the next value, the check is repeated, up to ``winmax`` points.
If it still fails, the log transform log(x - min + 0.01 (max - min)) is applied to the ORIGINAL column
instead (COINr's ``log_CT``).

A treatment never removes an indicator's variance. Winsorising ordinal data with ties (0/1/2 answers) can
leave a single value; its skew and kurtosis are then undefined, and a constant indicator would drop out of
every aggregate (min-max of a constant is undefined). Such an indicator keeps its original values, and the
treatment table (action ``reverted``) and a warning (``treatment_reverted``) say so. This is what COINr's
``Treat`` does when its skew/kurtosis check returns NA after a treatment (it returns the untreated column
with a warning).

``winsorise`` is the one-column statement of the rule; ``Treater`` runs ``winsorise_columns``, which
treats every column at once with array operations (a property test checks that both agree).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from govlens.framework.errors import Location, problem
from govlens.framework.report import Report
from govlens.index.errors import check_choice, check_number
from govlens.index.settings import TREAT_METHODS


def _moments(x: np.ndarray) -> tuple[float, float]:
    """Type-2 skewness and excess kurtosis of values without NaN (NaN when undefined)."""
    n = x.size
    if n < 3:
        return float("nan"), float("nan")
    d = x - x.mean()
    d2 = d * d
    m2 = np.float64(d2.sum())
    with np.errstate(all="ignore"):
        skew = np.sqrt(n) * (d2 * d).sum() / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * (d2 * d2).sum() / m2**2
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)) if n >= 4 else np.nan
    # no variance (or one too small to square): the moments are undefined
    skew = float(skew) if np.isfinite(skew) and m2 > 0 else float("nan")
    kurt = float(kurt) if np.isfinite(kurt) and m2 > 0 else float("nan")
    return skew, kurt


def skewness(values: np.ndarray) -> float:
    """Type-2 sample skewness (Excel SKEW, e1071 type 2, scipy ``skew(bias=False)``); NaN ignored."""
    return _moments(values[~np.isnan(values)])[0]


def kurtosis(values: np.ndarray) -> float:
    """Type-2 sample excess kurtosis (Excel KURT, scipy ``kurtosis(bias=False)``); NaN ignored."""
    return _moments(values[~np.isnan(values)])[1]


def _passes(skew: float, kurt: float, skew_thresh: float, kurt_thresh: float) -> bool:
    if np.isnan(skew) or np.isnan(kurt):
        return True
    return not (abs(skew) > skew_thresh and kurt > kurt_thresh)


def passes(values: np.ndarray, skew_thresh: float = 2.0, kurt_thresh: float = 3.5) -> bool:
    """True unless |skew| > skew_thresh and kurtosis > kurt_thresh (too few points or constant: passes)."""
    return _passes(*_moments(values[~np.isnan(values)]), skew_thresh, kurt_thresh)


def log_ct(values: np.ndarray) -> np.ndarray:
    """log(x - min + 0.01 (max - min)) over the values present (COINr's log_CT)."""
    low, high = np.nanmin(values), np.nanmax(values)
    return np.asarray(np.log(values - low + 0.01 * (high - low)))


@dataclass(frozen=True)
class ColumnTreatment:
    """What was done to one indicator (learnt by ``Treater.fit``)."""

    indicator: str
    skew_before: float
    kurt_before: float
    action: str  # "none" | "winsorised" | "log" | "reverted" (the treatment would leave it constant)
    points: int  # number of Winsorised points (0 for none/log)
    low: float | None  # lower cap (Winsorised low side)
    high: float | None  # upper cap (Winsorised high side)
    log_min: float | None  # log fallback parameters (min, max of the original column)
    log_max: float | None
    skew_after: float
    kurt_after: float
    passes_after: bool


def winsorise(
    values: np.ndarray, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5
) -> tuple[np.ndarray, int, float | None, float | None]:
    """Winsorise one column: returns (treated values, points treated, lower cap, upper cap)."""
    present = ~np.isnan(values)
    original = values[present].astype(float)
    x = original.copy()
    count = 0
    low: float | None = None
    high: float | None = None
    skew, kurt = _moments(x)
    while not _passes(skew, kurt, skew_thresh, kurt_thresh) and count < winmax:
        if skew >= 0:
            extreme = x.max()
            hits = x == extreme
            if hits.all():
                break
            high = float(x[~hits].max())
            x[hits] = high
        else:
            extreme = x.min()
            hits = x == extreme
            if hits.all():
                break
            low = float(x[~hits].min())
            x[hits] = low
        # points changed so far (points tied at a cap are counted once, as COINr counts them)
        count = int(np.sum(x != original))
        skew, kurt = _moments(x)
    result = values.astype(float).copy()
    result[present] = x
    return result, count, low, high


def column_moments(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Type-2 skewness and excess kurtosis of every column of ``values`` (n, m), NaN ignored."""
    present = ~np.isnan(values)
    n = present.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, values, 0.0).sum(axis=0) / n
        d = np.where(present, values - mean, 0.0)
        d2 = d * d
        m2 = d2.sum(axis=0)
        m3 = (d2 * d).sum(axis=0)
        m4 = (d2 * d2).sum(axis=0)
        skew = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
        r = n * m4 / m2**2
        kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    undefined = (m2 == 0) | ~np.isfinite(skew) | ~np.isfinite(kurt)
    skew = np.where(undefined | (n < 3), np.nan, skew)
    kurt = np.where(undefined | (n < 4), np.nan, kurt)
    return skew, kurt


Threshold = float | np.ndarray  # one value, or one per column


def column_passes(skew: np.ndarray, kurt: np.ndarray, skew_thresh: Threshold, kurt_thresh: Threshold) -> np.ndarray:
    fails = (np.abs(skew) > skew_thresh) & (kurt > kurt_thresh)
    return np.asarray(~fails | np.isnan(skew) | np.isnan(kurt))


def winsorise_columns(
    values: np.ndarray,
    winmax: int | np.ndarray = 5,
    skew_thresh: Threshold = 2.0,
    kurt_thresh: Threshold = 3.5,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`winsorise` on every column at once: (treated, points per column, lower caps, upper caps),
    caps NaN where that side was not touched; ``winmax`` and the thresholds may give one value per column."""
    x = values.astype(float).copy()
    m = x.shape[1]
    counts = np.zeros(m, dtype=int)
    low = np.full(m, np.nan)
    high = np.full(m, np.nan)
    present = ~np.isnan(values)
    skew, kurt = column_moments(x)
    active = ~column_passes(skew, kurt, skew_thresh, kurt_thresh) & (counts < winmax)
    while active.any():
        with np.errstate(invalid="ignore"):
            up = active & (skew >= 0)
            down = active & ~(skew >= 0)
            top = np.where(present, x, -np.inf).max(axis=0)
            bottom = np.where(present, x, np.inf).min(axis=0)
            hits_top = present & (x == top)
            hits_bottom = present & (x == bottom)
            next_top = np.where(present & ~hits_top, x, -np.inf).max(axis=0)
            next_bottom = np.where(present & ~hits_bottom, x, np.inf).min(axis=0)
        # a column whose values are all tied cannot be Winsorised further
        stuck = (up & np.isinf(next_top)) | (down & np.isinf(next_bottom))
        up &= ~stuck
        down &= ~stuck
        x = np.where(hits_top & up, next_top, x)
        x = np.where(hits_bottom & down, next_bottom, x)
        high = np.where(up, next_top, high)
        low = np.where(down, next_bottom, low)
        counts = np.sum(present & (x != values), axis=0)
        skew, kurt = column_moments(x)
        active = (up | down) & ~column_passes(skew, kurt, skew_thresh, kurt_thresh) & (counts < winmax)
    return x, counts, low, high


class Treater:
    """Skew/kurtosis-driven outlier treatment, one indicator at a time (see the module docstring).

    ``fit`` learns per indicator the caps (or the log parameters); ``transform`` applies them, so the
    same treatment can be applied to another data set (e.g. a later cycle). ``per_indicator``: indicator ->
    {"method", "winmax", "skew_thresh", "kurt_thresh"}, each key overriding the value above for that indicator
    (COINr's ``indiv_specs``; method "none" leaves it untreated).
    """

    def __init__(
        self,
        *,
        method: str = "winsorise",
        winmax: int = 5,
        skew_thresh: float = 2.0,
        kurt_thresh: float = 3.5,
        log_fallback: bool = True,
        per_indicator: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        self.method = method
        self.winmax = winmax
        self.skew_thresh = skew_thresh
        self.kurt_thresh = kurt_thresh
        self.log_fallback = log_fallback
        self.per_indicator = per_indicator

    def _rules(self, columns: pd.Index) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per column: treated or not, winmax, skewness and kurtosis thresholds (the overrides checked)."""
        given = self.per_indicator or {}
        unknown = sorted(set(given) - {str(c) for c in columns})
        if unknown:
            raise ValueError(f"treat_per_indicator must name indicators of the tree; got {unknown[0]!r}")
        rules = []
        for column in columns:
            spec = {"method": self.method, "winmax": self.winmax, "skew_thresh": self.skew_thresh}
            spec |= {"kurt_thresh": self.kurt_thresh, **given.get(str(column), {})}
            label = "" if str(column) not in given else f" of {str(column)!r}"
            check_choice(f"treat method{label}", spec["method"], TREAT_METHODS)
            winmax = spec["winmax"]
            if isinstance(winmax, bool) or not isinstance(winmax, int) or winmax < 0:
                raise ValueError(f"winmax{label} must be an integer >= 0; got {winmax!r}")
            skew = check_number(f"skew_thresh{label}", spec["skew_thresh"], low=0.0)
            kurt = check_number(f"kurt_thresh{label}", spec["kurt_thresh"])
            rules.append((spec["method"] == "winsorise", winmax, skew, kurt))
        if not rules:
            check_choice("treat method", self.method, TREAT_METHODS)
            return np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
        parts = list(zip(*rules, strict=True))
        return np.array(parts[0]), np.array(parts[1], dtype=np.int64), np.array(parts[2]), np.array(parts[3])

    def fit(self, data: pd.DataFrame) -> Treater:
        treat, winmax, skew_thresh, kurt_thresh = self._rules(data.columns)
        treatments: list[ColumnTreatment] = []
        values = data.to_numpy(dtype=float)
        skew0, kurt0 = column_moments(values)
        fails = treat & ~column_passes(skew0, kurt0, skew_thresh, kurt_thresh)
        treated, counts, lows, highs = winsorise_columns(
            values[:, fails], winmax[fails], skew_thresh[fails], kurt_thresh[fails]
        )
        skew1, kurt1 = column_moments(treated)
        ok1 = column_passes(skew1, kurt1, skew_thresh[fails], kurt_thresh[fails])
        failing = {int(j): k for k, j in enumerate(np.flatnonzero(fails))}
        self.report_ = Report()
        for j, indicator in enumerate(data.columns):
            skew, kurt = float(skew0[j]), float(kurt0[j])
            if j not in failing:
                treatments.append(
                    ColumnTreatment(str(indicator), skew, kurt, "none", 0, None, None, None, None, skew, kurt, True)
                )
                continue
            k = failing[j]
            if np.isnan(skew1[k]) or np.isnan(kurt1[k]):
                # Winsorising left no variance: keep the indicator as it was (see the module docstring)
                treatments.append(
                    ColumnTreatment(
                        str(indicator), skew, kurt, "reverted", 0, None, None, None, None, skew, kurt, False
                    )
                )
                self.report_.add(
                    problem(
                        "treatment_reverted",
                        "",
                        Location(column=str(indicator)),
                        indicator=str(indicator),
                        skew=skew,
                        kurt=kurt,
                    )
                )
                continue
            if ok1[k] or not self.log_fallback:
                treatments.append(
                    ColumnTreatment(
                        str(indicator),
                        skew,
                        kurt,
                        "winsorised",
                        int(counts[k]),
                        None if np.isnan(lows[k]) else float(lows[k]),
                        None if np.isnan(highs[k]) else float(highs[k]),
                        None,
                        None,
                        float(skew1[k]),
                        float(kurt1[k]),
                        bool(ok1[k]),
                    )
                )
                continue
            column = values[:, j]
            logged = log_ct(column)
            treatments.append(
                ColumnTreatment(
                    str(indicator),
                    skew,
                    kurt,
                    "log",
                    0,
                    None,
                    None,
                    float(np.nanmin(column)),
                    float(np.nanmax(column)),
                    skewness(logged),
                    kurtosis(logged),
                    passes(logged, float(skew_thresh[j]), float(kurt_thresh[j])),
                )
            )
        self.treatments_ = tuple(treatments)
        return self

    def transform(self, data: pd.DataFrame) -> pd.DataFrame:
        values = data.to_numpy(dtype=float).copy()
        by_indicator = {t.indicator: t for t in self.treatments_}
        treated_points = np.zeros(values.shape, dtype=object)
        treated_points[:] = ""
        for j, indicator in enumerate(data.columns):
            treatment = by_indicator.get(str(indicator))
            if treatment is None or treatment.action in ("none", "reverted"):
                continue
            column = values[:, j]
            if treatment.action == "winsorised":
                if treatment.high is not None:
                    treated_points[column > treatment.high, j] = "winsorised high"
                    column = np.where(column > treatment.high, treatment.high, column)
                if treatment.low is not None:
                    treated_points[column < treatment.low, j] = "winsorised low"
                    column = np.where(column < treatment.low, treatment.low, column)
            else:
                assert treatment.log_min is not None and treatment.log_max is not None
                shift = -treatment.log_min + 0.01 * (treatment.log_max - treatment.log_min)
                with np.errstate(invalid="ignore", divide="ignore"):
                    column = np.log(column + shift)
                treated_points[~np.isnan(column), j] = "log"
            values[:, j] = column
        self.treated_points_ = pd.DataFrame(treated_points, index=data.index, columns=data.columns)
        return pd.DataFrame(values, index=data.index, columns=data.columns)

    def fit_transform(self, data: pd.DataFrame) -> pd.DataFrame:
        return self.fit(data).transform(data)

    def table(self) -> pd.DataFrame:
        """One row per indicator: skew and kurtosis before and after, what was done."""
        return pd.DataFrame(
            [
                {
                    "indicator": t.indicator,
                    "skew_before": t.skew_before,
                    "kurtosis_before": t.kurt_before,
                    "action": t.action,
                    "points": t.points,
                    "low_cap": t.low,
                    "high_cap": t.high,
                    "skew_after": t.skew_after,
                    "kurtosis_after": t.kurt_after,
                    "passes_after": t.passes_after,
                }
                for t in self.treatments_
            ]
        )

    def points(self) -> pd.DataFrame:
        """Treated points as rows (unit, indicator, treatment)."""
        labels = self.treated_points_.to_numpy()
        rows, columns = np.nonzero(labels != "")
        units = [str(u) for u in self.treated_points_.index]
        indicators = [str(c) for c in self.treated_points_.columns]
        return pd.DataFrame(
            [(units[r], indicators[c], str(labels[r, c])) for r, c in zip(rows, columns, strict=True)],
            columns=["unit", "indicator", "treatment"],
        )
