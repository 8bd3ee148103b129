"""Normalisation: bring indicators onto a common scale, respecting each indicator's direction. One method for
every indicator, or another for some of them (``per_indicator``, including ``none``: values kept as they are).

As in COINr, an indicator with direction -1 is multiplied by -1 before normalising, so that higher
normalised values are always better.

- ``minmax``: (x - min) / (max - min), mapped onto ``range`` (default [0, 1]); a constant column gives NaN.
- ``zscore``: (x - mean) / sd with the SAMPLE standard deviation (n - 1), then * sd_target + mean_target.
- ``rank``: percentile rank (rank - 1) / (n - 1), ties get the lowest rank (COINr's ``n_prank``), on ``range``.
- ``goalposts``: (x - low) / (high - low) truncated to [0, 1] with fixed bounds per indicator (default 0..1,
  e.g. survey items already scored 0..1); direction -1 measures from the high goalpost down. On ``range``.
- ``distance-to-best``: the share of the best performer's value, x / max (COINr's ``n_fracmax``); for
  direction -1, min / x (COINr divides the negated values, -x / max(-x) = x / min, which scores the best
  unit 1 and the others above it). Direction 1 needs values >= 0 (a zero scores 0), direction -1 values > 0.
  On ``range``; the best unit gets the top of the range. (COINr's ``n_dist2max``, 1 - (max - x) / (max -
  min), is min-max itself.)
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from govlens.index.errors import check_choice
from govlens.index.settings import BOUNDED_METHODS, INDICATOR_NORMALISE_METHODS, NORMALISE_METHODS

Params = dict[str, np.ndarray]


def fit_params(
    values: np.ndarray,
    method: str,
    directions: np.ndarray,
    goalposts: np.ndarray | None = None,
) -> Params:
    """What a normalisation learns from a units x indicators array (values already multiplied by direction)."""
    check_choice("normalise method", method, NORMALISE_METHODS)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        # an indicator without any value gives NaN parameters (and NaN scores): reported by the checks
        warnings.simplefilter("ignore", RuntimeWarning)
        if method == "minmax":
            return {"min": np.nanmin(values, axis=0), "max": np.nanmax(values, axis=0)}
        if method == "zscore":
            return {"mean": np.nanmean(values, axis=0), "sd": np.nanstd(values, axis=0, ddof=1)}
        if method == "rank":
            return {"sorted": np.sort(values, axis=0), "count": np.sum(~np.isnan(values), axis=0)}
        if method == "goalposts":
            posts = goalposts if goalposts is not None else np.tile([0.0, 1.0], (values.shape[1], 1))
            return {"posts": posts.astype(float), "directions": directions.astype(float)}
        # distance-to-best: values are direction-adjusted (negative for direction -1), so work on |x|
        absolute = np.abs(values)
        best = np.where(directions > 0, np.nanmax(absolute, axis=0), np.nanmin(absolute, axis=0))
        return {"best": best, "directions": directions.astype(float)}


def apply_params(values: np.ndarray, method: str, params: Params) -> np.ndarray:
    """Normalise a units x indicators array (direction-adjusted) on the canonical scale: [0, 1] for
    bounded methods, mean 0 / sd 1 for z-scores."""
    with np.errstate(all="ignore"):
        if method == "minmax":
            low, high = params["min"], params["max"]
            span = high - low
            # finite bounds far apart (e.g. -1e308 and 1e308) overflow the span: halve before subtracting
            # there (halving is exact, so the ratio is the same)
            overflow = np.isinf(span) & np.isfinite(low) & np.isfinite(high)
            plain = (values - low) / np.where(span == 0, np.nan, span)
            halved = (values / 2 - low / 2) / (high / 2 - low / 2)
            return np.asarray(np.where(overflow, halved, plain))
        if method == "zscore":
            sd = params["sd"]
            return np.asarray((values - params["mean"]) / np.where(sd == 0, np.nan, sd))
        if method == "rank":
            result = np.full(values.shape, np.nan)
            for j in range(values.shape[1]):
                count = int(params["count"][j])
                present = ~np.isnan(values[:, j])
                below = np.searchsorted(params["sorted"][:count, j], values[present, j], side="left")
                result[present, j] = below / (count - 1) if count > 1 else np.nan
            return result
        if method == "goalposts":
            posts, directions = params["posts"], params["directions"]
            low, high = posts[:, 0], posts[:, 1]
            raw = np.where(directions > 0, (values - low) / (high - low), (-values - high) / (low - high))
            return np.asarray(np.clip(raw, 0.0, 1.0))
        best, directions = params["best"], params["directions"]
        absolute = np.abs(values)
        return np.asarray(np.where(directions > 0, absolute / best, best / absolute))


class Normaliser:
    """Normalise indicators column by column (see the module docstring for the definitions).

    ``directions``: indicator -> 1 or -1 (default 1). ``goalposts``: indicator -> (low, high) for the
    goalposts method (indicators not named use 0..1). ``range``: target interval of bounded methods.
    ``mean_sd``: target mean and standard deviation of z-scores. ``per_indicator``: indicator -> method for the
    indicators normalised otherwise (COINr's ``indiv_specs``), including ``none``: the values are kept as they are
    (an indicator whose direction is -1 cannot be).
    """

    def __init__(
        self,
        *,
        method: str = "minmax",
        directions: Mapping[str, int] | None = None,
        goalposts: Mapping[str, tuple[float, float]] | None = None,
        range: tuple[float, float] = (0.0, 1.0),
        mean_sd: tuple[float, float] = (0.0, 1.0),
        per_indicator: Mapping[str, str] | None = None,
    ) -> None:
        self.method = method
        self.directions = directions
        self.goalposts = goalposts
        self.range = range
        self.mean_sd = mean_sd
        self.per_indicator = per_indicator

    def _directions(self, columns: pd.Index) -> np.ndarray:
        given = self.directions or {}
        return np.array([given.get(str(c), 1) for c in columns], dtype=float)

    def methods(self, columns: pd.Index) -> list[str]:
        """The method of each column (the per-indicator ones checked)."""
        given = self.per_indicator or {}
        unknown = sorted(set(given) - {str(c) for c in columns})
        if unknown:
            raise ValueError(f"normalise_per_indicator must name indicators of the tree; got {unknown[0]!r}")
        for column, method in given.items():
            check_choice(f"normalise method of {column!r}", method, INDICATOR_NORMALISE_METHODS)
        return [given.get(str(c), self.method) for c in columns]

    def fit(self, data: pd.DataFrame) -> Normaliser:
        check_choice("normalise method", self.method, NORMALISE_METHODS)
        low, high = self.range
        if not low < high:
            raise ValueError(f"range must be (low, high) with low < high; got {self.range!r}")
        if self.mean_sd[1] <= 0:
            raise ValueError(f"mean_sd must be (mean, sd) with sd > 0; got {self.mean_sd!r}")
        directions = self._directions(data.columns)
        bad = [d for d in directions if d not in (1.0, -1.0)]
        if bad:
            raise ValueError(f"directions must be 1 or -1; got {bad[0]!r}")
        methods = self.methods(data.columns)
        values = data.to_numpy(dtype=float) * directions
        raw = data.to_numpy(dtype=float)
        given = self.goalposts or {}
        self.groups_: dict[str, np.ndarray] = {}
        self.params_: dict[str, Params] = {}
        for method in dict.fromkeys(methods):
            where = np.array([j for j, m in enumerate(methods) if m == method], dtype=np.int64)
            names = [str(data.columns[j]) for j in where]
            self.groups_[method] = where
            if method == "none":
                upside_down = [name for name, j in zip(names, where, strict=True) if directions[j] < 0]
                if upside_down:
                    raise ValueError(
                        f"normalise 'none' keeps the values of indicator {upside_down[0]!r} as they are, but its "
                        "direction is -1 (lower is better): normalise it, or give it direction 1"
                    )
                continue
            posts = None
            if method == "goalposts":
                posts = np.array([given.get(name, (0.0, 1.0)) for name in names], dtype=float).reshape(-1, 2)
                flat = [name for name, (lo, hi) in zip(names, posts, strict=True) if not lo < hi]
                if flat:
                    raise ValueError(f"goalposts must be (low, high) with low < high; got a bad pair for {flat[0]!r}")
            if method == "distance-to-best":
                for name, j in zip(names, where, strict=True):
                    # NaN compares False: missing values are not refused
                    if directions[j] > 0 and np.any(raw[:, j] < 0):
                        raise ValueError(
                            "distance-to-best needs values >= 0 (a share of the best value); "
                            f"indicator {name!r} has negative values: use minmax or goalposts"
                        )
                    if directions[j] < 0 and np.any(raw[:, j] <= 0):
                        raise ValueError(
                            "distance-to-best of an indicator where lower is better needs values > 0 (the best "
                            f"value divided by each value); indicator {name!r} has zero or negative values: "
                            "use minmax or goalposts"
                        )
            self.params_[method] = fit_params(values[:, where], method, directions[where], posts)
        self.columns_ = tuple(str(c) for c in data.columns)
        self.directions_ = directions
        self.methods_ = tuple(methods)
        return self

    def transform(self, data: pd.DataFrame) -> pd.DataFrame:
        values = data.to_numpy(dtype=float) * self._directions(data.columns)
        if len(self.groups_) == 1 and "none" not in self.groups_:
            # one method for every column (the usual case): the whole array at once
            result = self._normalised(values, self.methods_[0])
        else:
            result = values.copy()  # "none": as they are
            for method, where in self.groups_.items():
                if method != "none":
                    result[:, where] = self._normalised(values[:, where], method)
        return pd.DataFrame(result, index=data.index, columns=data.columns)

    def _normalised(self, values: np.ndarray, method: str) -> np.ndarray:
        canonical = apply_params(values, method, self.params_[method])
        if method in BOUNDED_METHODS:
            low, high = self.range
            return np.asarray(low + (high - low) * canonical)
        mean, sd = self.mean_sd
        return np.asarray(mean + sd * canonical)

    def fit_transform(self, data: pd.DataFrame) -> pd.DataFrame:
        return self.fit(data).transform(data)
