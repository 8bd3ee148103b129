"""Results: ranks (highest score first, ties share the best rank: 1, 2, 2, 4) and groups (quartiles or
fixed cut-offs such as the World Bank's A >= 0.75, B >= 0.50, C >= 0.25, D)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

# (label, lower bound of the score on 0..1), highest first; the last label takes everything below.
WORLD_BANK_GROUPS: tuple[tuple[str, float], ...] = (("A", 0.75), ("B", 0.50), ("C", 0.25), ("D", -np.inf))


def sorted_positions(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Sort the last axis from the highest score down (missing last).

    Returns ``order`` (indices into the last axis, best first), ``first`` (for each sorted position, the
    0-based position where its run of tied scores starts: its rank - 1; None when there is no tie, i.e.
    the rank at sorted position j is j + 1) and ``missing`` (sorted positions holding a missing score;
    None when no score is missing). Scores equal to 10 decimal places are ties.

    Speed: a plain ``argsort`` is slow on millions of short rows; instead each score is turned into an
    int64 that sorts like the (rounded) float, its last bits are replaced by the unit's index, and the
    integers are sorted (numpy's vectorised integer sort), which yields order and ties in one pass.
    Where the packing could merge distinct rounded scores (very large scores or units) it falls back to
    ``argsort``."""
    values = np.asarray(scores, dtype=float)
    count = values.shape[-1]
    key = np.round(values, 10)
    key += 0.0  # -0.0 -> +0.0, so that both zeros tie
    high_value, low_value = key.max(initial=-np.inf), key.min(initial=np.inf)
    missing_any = bool(np.isnan(high_value))  # max and min propagate NaN
    if missing_any:
        nan = np.isnan(key)
        high_value, low_value = key[~nan].max(initial=-np.inf), key[~nan].min(initial=np.inf)
    bits = max(1, int(np.ceil(np.log2(max(count, 2)))))
    largest = max(abs(float(high_value)), abs(float(low_value))) if np.isfinite(high_value) else 0.0
    low = np.int64((1 << bits) - 1)
    missing: np.ndarray | None = None
    # distinct rounded scores differ by >= 1e-10; dropping `bits` low bits keeps them apart while
    # 2**bits ulps of the largest magnitude stay well below that
    if largest * 2.0**bits * 2.3e-16 < 0.5e-10 and low_value >= 0:
        # the usual case, scores >= 0: their bits sort like the floats; sort up, then read backwards
        if missing_any:
            key[nan] = -1.0  # below every score: last once reversed
        packed = (key.view(np.int64) & ~low) | np.arange(count, dtype=np.int64)
        packed.sort(axis=-1)
        packed = packed[..., ::-1]
        order = packed & low
        high = packed >> bits
        if missing_any:
            missing = high == (np.array(-1.0).view(np.int64) & ~low) >> bits
    elif largest * 2.0**bits * 2.3e-16 < 0.5e-10:
        np.negative(key, out=key)
        key += 0.0
        if missing_any:
            key[nan] = np.inf
        as_int = key.view(np.int64)
        ordered_int = as_int ^ ((as_int >> 63) & np.int64(0x7FFFFFFFFFFFFFFF))  # sorts like the floats
        packed = (ordered_int & ~low) | np.arange(count, dtype=np.int64)
        packed.sort(axis=-1)
        order = packed & low
        high = packed >> bits
        if missing_any:
            missing = high == (np.array(np.inf).view(np.int64) & ~low) >> bits
    else:
        np.negative(key, out=key)
        if missing_any:
            key[nan] = np.inf
        order = np.argsort(key, axis=-1)
        high = np.take_along_axis(key, order, axis=-1)
        if missing_any:
            missing = np.isinf(high) & (high > 0)
    same = high[..., 1:] == high[..., :-1]
    if missing is not None:
        same &= ~missing[..., 1:]
    if not same.any():
        return order, None, missing  # no ties: sorted position j has rank j + 1
    # ties share the position of the first of their run: carry the run's start along the run
    first = np.empty(order.shape, dtype=np.int64)
    first[...] = np.arange(count)
    first[..., 1:][same] = 0
    np.maximum.accumulate(first, axis=-1, out=first)
    return order, first, missing


def rank_descending(scores: np.ndarray, axis: int = 0) -> np.ndarray:
    """Ranks along ``axis`` (1 = highest score; ties get the lowest rank of the tie, as R's
    ``ties.method = "min"``; missing scores get NaN). Works on stacks of replications.

    Scores equal to 10 decimal places are ties, so that rounding noise of the arithmetic (for example
    (0.25 + 0.75) / 2 against (0.5 + 0.5) / 2) never decides a rank."""
    moved = np.ascontiguousarray(np.moveaxis(np.asarray(scores, dtype=float), axis, -1))
    order, first, missing = sorted_positions(moved)
    count = moved.shape[-1]
    ranks_sorted = (first + 1.0) if first is not None else np.broadcast_to(np.arange(1.0, count + 1.0), order.shape)
    if missing is not None:
        ranks_sorted = np.where(missing, np.nan, ranks_sorted)
    ranks = np.empty(moved.shape)
    np.put_along_axis(ranks, order, ranks_sorted, axis=-1)
    return np.moveaxis(ranks, -1, axis)


def rank_histogram(scores: np.ndarray, into: np.ndarray | None = None) -> np.ndarray:
    """How often each unit takes each rank at each node: ``scores`` ``(R, nodes, n)`` (units last) gives
    ``(nodes * n, n)``; row ``node * n + unit``, column ``rank - 1``. With ``into`` (that shape, int64) the counts
    are added to it and it is returned (no histogram of its own per block)."""
    _, nodes, count = scores.shape
    order, first, missing = sorted_positions(scores)
    # slot = (node * n + unit) * n + rank - 1
    base = (np.arange(nodes, dtype=np.int64) * count * count)[:, None]
    slots = order * count
    slots += base + np.arange(count, dtype=np.int64) if first is None else base
    if first is not None:
        slots += first
    kept = slots[~missing] if missing is not None else slots.reshape(-1)
    if into is None:
        return np.bincount(kept, minlength=nodes * count * count).reshape(nodes * count, count)
    if not into.flags.c_contiguous or into.dtype != np.int64:
        raise ValueError("rank_histogram: into must be a C-contiguous int64 array")
    np.add.at(into.reshape(-1), kept, 1)
    return into


def quartile_groups(ranks: np.ndarray) -> np.ndarray:
    """ "Q1" (top quarter of the ranked units) .. "Q4" along the first axis; "" where the rank is missing."""
    count = np.sum(~np.isnan(ranks), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        quarter = np.ceil(4 * ranks / count)
    labels = np.full(ranks.shape, "", dtype=object)
    for q in range(1, 5):
        labels[quarter == q] = f"Q{q}"
    return labels


def cutoff_groups(scores: np.ndarray, cutoffs: Sequence[tuple[str, float]] = WORLD_BANK_GROUPS) -> np.ndarray:
    """The label of the first cut-off whose lower bound the score reaches; "" where the score is missing."""
    labels = np.full(scores.shape, "", dtype=object)
    assigned = np.isnan(scores)
    for label, bound in cutoffs:
        hit = ~assigned & (scores >= bound)
        labels[hit] = label
        assigned |= hit
    return labels


def long_table(scores: pd.DataFrame, ranks: pd.DataFrame, groups: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit and node: unit, node, score, rank (and group), nodes in the frames' column order."""
    units = np.repeat(scores.index.to_numpy(), scores.shape[1])
    nodes = np.tile(scores.columns.to_numpy(), scores.shape[0])
    table = pd.DataFrame(
        {
            "unit": units,
            "node": nodes,
            "score": scores.to_numpy().reshape(-1),
            "rank": pd.array(ranks.to_numpy().reshape(-1), dtype="Float64").astype("Int64"),
        }
    )
    if groups is not None:
        table["group"] = groups.to_numpy().reshape(-1)
    return table
