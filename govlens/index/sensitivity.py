"""Variance-based (Sobol) sensitivity of the ranking to each uncertain input.

Output: the mean absolute shift of the units' index ranks from their nominal ranks, one number per run
(the summary COINr's sensitivity analysis also reports). Design: Saltelli's radial scheme with two
independent N x d uniform matrices A and B and, for each input i, the matrix AB_i (A with the columns of
input i taken from B): N (d + 2) runs. An input spanning several columns (the weights) is swapped as a
group. Estimators (our own implementation, the same as SALib's ``sobol.analyze``):

- first order  S_i  = mean(f(B) (f(AB_i) - f(A))) / V     (Saltelli et al. 2010)
- total order  ST_i = mean((f(A) - f(AB_i))^2) / (2 V)    (Jansen 1999)

with V the variance of f over the runs of A and B together, after f has been centred and scaled over all
runs (as SALib does; it removes the bias of the first-order estimator for outputs far from zero); 95%
intervals by bootstrap over the N rows.
When the ranks never move (V = 0) the indices are undefined: NaN here (SALib reports 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govlens.index.uncertainty import Progress, UncertaintyEngine

SENSITIVITY_COLUMNS = ("input", "first_order", "first_order_conf", "total_order", "total_order_conf")


def saltelli_design(engine: UncertaintyEngine, base: int, seed: int) -> np.ndarray:
    """Stacked runs [A; B; AB_1; ...; AB_d] for the engine's factors: (base (d + 2), columns)."""
    if isinstance(base, bool) or not isinstance(base, int) or base < 2:
        raise ValueError(f"the number of base samples must be an integer >= 2; got {base!r}")
    rng = np.random.default_rng([seed, 1])  # a stream apart from the Monte Carlo design's
    a = rng.random((base, engine.columns))
    b = rng.random((base, engine.columns))
    blocks = [a, b]
    for factor in engine.factors:
        ab = a.copy()
        ab[:, factor.start : factor.start + factor.width] = b[:, factor.start : factor.start + factor.width]
        blocks.append(ab)
    return np.vstack(blocks)


def sobol_estimates(f_a: np.ndarray, f_b: np.ndarray, f_ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total indices from f(A) (N,), f(B) (N,) and f(AB_i) (d, N)."""
    # centre and scale over every run first, as SALib does: the first-order estimator is biased for
    # outputs far from zero (a mean rank shift is always positive)
    every = np.concatenate([f_a, f_b, f_ab.reshape(-1)])
    spread = np.std(every)
    if spread > 0:
        f_a, f_b, f_ab = ((f - every.mean()) / spread for f in (f_a, f_b, f_ab))
    variance = np.var(np.concatenate([f_a, f_b]))  # over the 2N runs of A and B, as SALib
    with np.errstate(invalid="ignore", divide="ignore"):
        first = np.mean(f_b * (f_ab - f_a), axis=-1) / variance
        total = 0.5 * np.mean((f_a - f_ab) ** 2, axis=-1) / variance
    if variance == 0:
        first = np.full(f_ab.shape[0], np.nan)
        total = np.full(f_ab.shape[0], np.nan)
    return np.asarray(first), np.asarray(total)


def mean_rank_shift(ranks: np.ndarray, nominal: np.ndarray) -> np.ndarray:
    """Mean over units of |rank - nominal rank| for each run (units missing in a run are left out)."""
    shift = np.abs(ranks - nominal[np.newaxis, :])
    with np.errstate(invalid="ignore"):
        counts = np.sum(~np.isnan(shift), axis=1)
        return np.where(counts > 0, np.nansum(shift, axis=1) / np.maximum(counts, 1), np.nan)


def sobol(
    engine: UncertaintyEngine,
    base: int = 1000,
    seed: int = 0,
    bootstrap: int = 200,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Sobol first-order and total indices of every uncertain input (rows in the engine's factor order)."""
    factors = engine.factors
    if not factors:
        return pd.DataFrame(columns=list(SENSITIVITY_COLUMNS))
    design = saltelli_design(engine, base, seed)
    ranks = engine.index_ranks(design, progress)
    nominal = engine.nominal.ranks.loc[engine.units, engine.tree.root].to_numpy(dtype=float)
    output = mean_rank_shift(ranks, nominal)
    f_a, f_b = output[:base], output[base : 2 * base]
    f_ab = output[2 * base :].reshape(len(factors), base)
    first, total = sobol_estimates(f_a, f_b, f_ab)
    rng = np.random.default_rng([seed, 2])
    samples = rng.integers(0, base, size=(bootstrap, base))
    boot_first = np.empty((bootstrap, len(factors)))
    boot_total = np.empty((bootstrap, len(factors)))
    for i, rows in enumerate(samples):
        boot_first[i], boot_total[i] = sobol_estimates(f_a[rows], f_b[rows], f_ab[:, rows])
    with np.errstate(invalid="ignore"):
        first_conf = 1.96 * np.std(boot_first, axis=0, ddof=1)
        total_conf = 1.96 * np.std(boot_total, axis=0, ddof=1)
    return pd.DataFrame(
        {
            "input": [f.name for f in factors],
            "first_order": first,
            "first_order_conf": first_conf,
            "total_order": total,
            "total_order_conf": total_conf,
        }
    )
