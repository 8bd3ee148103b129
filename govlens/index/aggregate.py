"""Aggregation: weighted means over the children present, level by level up the tree.

Every function works on stacks of replications at once: values may be ``(n, k)`` or ``(R, n, k)`` and
weights ``(k,)`` or ``(R, k)``, so the uncertainty analysis aggregates all replications in a few matrix
products instead of rebuilding the pipeline per replication.

Definitions (COINr's ``a_amean``, ``a_gmean``, ``a_hmean``), with w the weights of the children present:
arithmetic sum(w x) / sum(w); geometric exp(sum(w log x) / sum(w)); harmonic sum(w) / sum(w / x);
the generalised (power) mean of order p (COINr's ``a_genmean``) (sum(w x^p) / sum(w))^(1/p), which is the
arithmetic mean at p = 1, the harmonic at p = -1 and tends to the geometric as p -> 0 (p = 0 is that limit
here, where COINr refuses it).
A node is missing when no child with a positive weight is present, or when the share of its
positive-weight children present is below ``coverage_threshold``.
Outranking aggregations (COINr's ``outrankMatrix``): for units i and j, s_ij is the share of weight, over the
children both have, on which i is higher than j (ties count half).

- ``copeland`` (non-compensatory, the Handbook's multi-criteria approach, COINr's ``a_copeland``): i wins the
  pair when s_ij > 1/2, loses when s_ij < 1/2, ties at 1/2; COINr's score is wins - losses. Here it is
  mapped onto [0, 1] as (wins + ties / 2) / comparisons = ((wins - losses) / comparisons + 1) / 2 (the same
  order), so that it can be shown like any other score. How much a unit wins by does not count.
- ``borda``: the mean over the other units of s_ij, which equals a weighted mean of mid-percentile ranks
  (a compensatory rank score).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar, cast

import numpy as np

from govlens.index.errors import check_choice, check_number
from govlens.index.settings import AGGREGATE_METHODS, MEAN_METHODS, OUTRANKING_METHODS, POSITIVE_METHODS
from govlens.index.tree import Tree

T = TypeVar("T", str, float)

__all__ = ["AGGREGATE_METHODS", "MEAN_METHODS", "OUTRANKING_METHODS", "POSITIVE_METHODS"]


def _plain_method(method: str, power: float) -> str:
    """The power mean of order 0 is its limit, the geometric mean (1 / p is undefined there)."""
    return "geometric" if method == "power" and float(power) == 0.0 else method


def _terms(values: np.ndarray, present: np.ndarray | None, method: str, power: float = 1.0) -> np.ndarray:
    """What is summed: x (arithmetic), log x (geometric), 1/x (harmonic), x^p (power); 0 where missing
    (``present`` None: nothing is missing)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if present is None:
            if method == "arithmetic":
                return values
            if method == "power":
                return np.asarray(values**power)
            return np.log(values) if method == "geometric" else 1.0 / values
        if method == "arithmetic":
            return np.where(present, values, 0.0)
        if method == "geometric":
            return np.where(present, np.log(np.where(present, values, 1.0)), 0.0)
        if method == "power":
            return np.where(present, np.where(present, values, 1.0) ** power, 0.0)
        return np.where(present, 1.0 / np.where(present, values, 1.0), 0.0)


def _sum_children(x: np.ndarray, members: np.ndarray, starts: np.ndarray | None) -> np.ndarray:
    """Sum ``x`` (..., k, n) over the children of each parent: (..., p, n)."""
    if starts is not None:
        return np.add.reduceat(x, starts, axis=-2)
    return np.asarray(np.matmul(members.T, x))


def _contiguous_starts(members: np.ndarray) -> np.ndarray | None:
    """First child of each parent when every child has one parent and children come parent by parent."""
    if not np.all(members.sum(axis=1) == 1):
        return None
    parent = members.argmax(axis=1)
    if np.any(np.diff(parent) < 0) or len(np.unique(parent)) != members.shape[1]:
        return None
    return np.concatenate([[0], np.flatnonzero(np.diff(parent)) + 1])


def weighted_mean_units_last(
    values: np.ndarray,
    weights: np.ndarray,
    membership: np.ndarray,
    method: str = "arithmetic",
    coverage_threshold: float = 0.0,
    check_positive: bool = True,
    power: float = 1.0,
) -> np.ndarray:
    """:func:`weighted_mean` with units on the last axis: values ``(k, n)`` or ``(R, k, n)``, weights
    ``(k,)`` or ``(R, k)``, result ``(..., p, n)``. Keeping units last makes every array of a batch
    contiguous along units, which is the axis that ranks are computed on. ``power`` is the order p of the
    ``power`` method."""
    check_choice("aggregate method", method, MEAN_METHODS)
    check_number("power", power)
    method = _plain_method(method, power)
    k = values.shape[-2]
    members = membership.astype(float)
    starts = _contiguous_starts(membership.astype(bool))
    missing = np.isnan(values)
    present = None if not missing.any() else ~missing
    if check_positive and method in POSITIVE_METHODS and np.any(values <= 0):  # NaN compares False
        raise ValueError(f"the {method} mean needs positive values; got zero or negative values")
    terms = _terms(values, present, method, power)
    if values.ndim == 2 and weights.ndim == 2:
        # shared values, R weight vectors: one (R * p, k) @ (k, n) product for every replication
        replications, p = weights.shape[0], members.shape[1]
        if starts is not None:
            # one (R, k_p) @ (k_p, n) product per parent: no work on the zeros of other parents' children
            bounds = [*starts.tolist(), k]
            numerator = np.empty((replications, p, values.shape[-1]))
            for j in range(p):
                numerator[:, j, :] = weights[:, bounds[j] : bounds[j + 1]] @ terms[bounds[j] : bounds[j + 1]]
        else:
            stacked = (weights[:, None, :] * members.T[None, :, :]).reshape(replications * p, k)
            numerator = (stacked @ terms).reshape(replications, p, values.shape[-1])
        if present is None:
            denominator = (weights @ members)[:, :, None]
        else:
            stacked = (weights[:, None, :] * members.T[None, :, :]).reshape(replications * p, k)
            denominator = (stacked @ present.astype(float)).reshape(replications, p, values.shape[-1])
    else:
        expand = weights[..., :, None]
        if terms is values or np.broadcast_shapes(terms.shape, expand.shape) != terms.shape:
            terms = terms * expand
        else:
            terms *= expand  # a fresh array of the result's shape: no copy of a (replications, children, units) block
        numerator = _sum_children(terms, members, starts)
        if present is None:
            denominator = (weights @ members)[..., :, None]
        else:
            denominator = _sum_children(present * expand, members, starts)
    with np.errstate(divide="ignore", invalid="ignore"):
        # the numerator is a fresh array: the ratios overwrite it (the same numbers, no more blocks in memory)
        if method == "harmonic":
            result = np.divide(denominator, numerator, out=numerator)
        else:
            result = np.divide(numerator, denominator, out=numerator)
        if method == "geometric":
            np.exp(result, out=result)
        elif method == "power":
            result = result ** (1.0 / power)
        if not np.all(denominator > 0):
            result = np.where(denominator > 0, result, np.nan)
        if coverage_threshold > 0:
            counted = (weights > 0).astype(float)
            total = (counted @ members)[..., :, None]
            mask = np.ones(values.shape) if present is None else present.astype(float)
            share = _sum_children(mask * counted[..., :, None], members, starts) / total
            result = np.where(share >= coverage_threshold - 1e-12, result, np.nan)
    return np.asarray(result)


def weighted_mean(
    values: np.ndarray,
    weights: np.ndarray,
    membership: np.ndarray | None = None,
    method: str = "arithmetic",
    coverage_threshold: float = 0.0,
    power: float = 1.0,
) -> np.ndarray:
    """Weighted means of the children present.

    ``values`` ``(n, k)`` or ``(R, n, k)``; child ``weights`` ``(k,)`` or ``(R, k)``; ``membership``
    ``(k, p)`` marks the parent of each child (default: one parent of all children); result ``(..., n, p)``.
    """
    k = values.shape[-1]
    members = np.ones((k, 1), dtype=bool) if membership is None else membership
    result = weighted_mean_units_last(
        np.swapaxes(values, -1, -2), weights, members, method, coverage_threshold, power=power
    )
    return np.swapaxes(result, -1, -2)


def outranking(values: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the rows of ``values`` (n, k) with child weights (k,): the weight on which each unit is higher
    than each other (n, n), the weight on which they are equal (n, n), and the weight both have (n, n)."""
    present = ~np.isnan(values)
    w = np.where(weights > 0, weights, 0.0)
    x = np.where(present, values, 0.0)
    both = present[:, None, :] & present[None, :, :]  # (n, n, k)
    greater = ((x[:, None, :] > x[None, :, :]) & both).astype(float) @ w
    equal = ((x[:, None, :] == x[None, :, :]) & both).astype(float) @ w
    return greater, equal, both.astype(float) @ w


def _outranking_scores(values: np.ndarray, points: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Mean over the comparable other units of ``points`` (n, n); a unit without any value is missing."""
    comparable = total > 0
    np.fill_diagonal(comparable, False)
    count = comparable.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(comparable, points, 0.0).sum(axis=1) / count
    has_data = ~np.isnan(values).all(axis=1) & (count > 0)
    return np.where(has_data, scores, np.nan)


def copeland_net(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Copeland's wins - losses of every row of ``values`` (n, k): COINr's ``a_copeland`` score.

    A pair is won when the weight on which the unit is higher exceeds the weight on which it is lower (a
    difference within 1e-12 of the compared weight is a tie, so that sums of weights in another order tie)."""
    greater, _, total = outranking(values, weights)
    lower = greater.T
    margin = greater - lower
    tie = np.abs(margin) <= 1e-12 * np.maximum(total, 1e-300)
    result = np.where(tie, 0.0, np.sign(margin))
    result = np.where(total > 0, result, 0.0)
    np.fill_diagonal(result, 0.0)
    net = result.sum(axis=1)
    return np.where(~np.isnan(values).all(axis=1), net, np.nan)


def copeland(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Copeland scores in [0, 1] of the rows of ``values`` (n, k) with child weights (k,): a pairwise majority
    won counts 1, a tie 1/2, a loss 0, averaged over the units it could be compared with."""
    greater, _, total = outranking(values, weights)
    margin = greater - greater.T
    tie = np.abs(margin) <= 1e-12 * np.maximum(total, 1e-300)
    points = np.where(tie, 0.5, (margin > 0).astype(float))
    return _outranking_scores(values, points, total)


def borda(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Borda scores in [0, 1]: the mean over the other units of the share of weight on which a unit is higher
    (ties half), i.e. a weighted mean of mid-percentile ranks."""
    greater, equal, total = outranking(values, weights)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, (greater + 0.5 * equal) / np.where(total > 0, total, 1.0), 0.0)
    return _outranking_scores(values, share, total)


OUTRANKING = {"copeland": copeland, "borda": borda}


def per_level(name: str, value: T | Sequence[T], levels: int) -> tuple[T, ...]:
    """One value per level of aggregates from a single value (every level) or a sequence of ``levels``."""
    if isinstance(value, str | int | float):
        return (cast(T, value),) * levels
    values = tuple(cast(Sequence[T], value))
    if len(values) != levels:
        raise ValueError(
            f"{name} must give one value per level of aggregates ({levels} in this tree, from the aggregates of "
            f"indicators up to the index); got {len(values)}"
        )
    return values


def _rows_of(blocks: list[np.ndarray], rows: np.ndarray) -> np.ndarray:
    """Rows ``rows`` (axis -2) of the blocks stacked along that axis: a view when they are a whole block (the usual
    tree, whose level takes the level below in order), else a copy."""
    start = 0
    for block in blocks:
        size = block.shape[-2]
        if (
            rows.size
            and rows[0] >= start
            and rows[-1] < start + size
            and np.array_equal(rows, np.arange(rows[0], rows[0] + rows.size))
        ):
            view = block[..., rows[0] - start : rows[0] - start + rows.size, :]
            if view.flags.c_contiguous:  # as the copy would be: numpy's vectorised log and exp read it alike
                return view
        start += size
    return np.concatenate(blocks, axis=-2)[..., rows, :]


def aggregate_nodes(
    leaves: np.ndarray,
    tree: Tree,
    weights: np.ndarray,
    method: str | Sequence[str] = "arithmetic",
    coverage_threshold: float | Sequence[float] = 0.0,
    units_last: bool = False,
    power: float | Sequence[float] = 1.0,
) -> np.ndarray:
    """Scores of the aggregates: leaves ``(n, m)`` or ``(R, n, m)`` in ``tree.leaves`` order, node weights
    ``(N,)`` or ``(R, N)`` in ``tree.node_ids`` order; result ``(..., n, A)`` in ``tree.aggregates`` order
    (``(..., A, n)`` with ``units_last``). ``method``, ``coverage_threshold`` and ``power`` are one value for
    every level or one per level of ``tree.levels`` (from the aggregates of indicators up to the index)."""
    count = len(tree.levels)
    methods = per_level("aggregate method", method, count)
    thresholds = per_level("coverage_threshold", coverage_threshold, count)
    powers = per_level("power", power, count)
    for level_method, threshold, order in zip(methods, thresholds, powers, strict=True):
        check_choice("aggregate method", level_method, AGGREGATE_METHODS)
        check_number("coverage_threshold", threshold, low=0.0, high=1.0)
        check_number("power", order)
    if len({m in OUTRANKING_METHODS for m in methods}) > 1:
        raise ValueError(
            "copeland and borda give scores on 0..1 that are not means of their children: they cannot be mixed "
            f"with means across levels; got {', '.join(methods)}"
        )
    position = {node: i for i, node in enumerate(tree.node_ids)}
    leaf_count = len(tree.leaves)
    batch = np.broadcast_shapes(leaves.shape[:-2], weights.shape[:-1])
    n = leaves.shape[-2]
    by_leaf = np.ascontiguousarray(np.swapaxes(leaves, -1, -2))  # (..., m, n)
    computed: list[np.ndarray] = []  # one (..., p, n) block per level; levels follow tree.aggregates order
    for level, level_method, threshold, order in zip(tree.levels, methods, thresholds, powers, strict=True):
        child_at = np.array([position[c] for c in level.children])
        from_leaves = bool(np.all(child_at < leaf_count))
        if from_leaves:
            children = by_leaf[..., child_at, :]
        elif np.all(child_at >= leaf_count):
            children = _rows_of(computed, child_at - leaf_count)
        else:
            every = np.concatenate([np.broadcast_to(by_leaf, (*batch, leaf_count, n)), *computed], axis=-2)
            children = every[..., child_at, :]
        child_weights = weights[..., child_at]
        if level_method in OUTRANKING_METHODS:
            if batch:
                raise ValueError(f"{level_method} aggregation works on one replication at a time")
            block = np.empty((len(level.parents), n))
            for j in range(len(level.parents)):
                kids = np.flatnonzero(level.membership[:, j])
                values = children[kids, :].T
                result = OUTRANKING[level_method](values, child_weights[kids])
                if threshold > 0:
                    positive = child_weights[kids] > 0
                    share = (~np.isnan(values[:, positive])).mean(axis=1)
                    result = np.where(share >= threshold - 1e-12, result, np.nan)
                block[j] = result
            computed.append(block)
            continue
        # means of positive values are positive: only the leaves need the check (and every level's children
        # when levels mix methods: an arithmetic mean of positive values is positive too)
        computed.append(
            weighted_mean_units_last(
                children, child_weights, level.membership, level_method, threshold, from_leaves, power=order
            )
        )
    result = np.concatenate(computed, axis=-2)
    return result if units_last else np.swapaxes(result, -1, -2)


def aggregate_tree(
    leaves: np.ndarray,
    tree: Tree,
    weights: np.ndarray,
    method: str | Sequence[str] = "arithmetic",
    coverage_threshold: float | Sequence[float] = 0.0,
    power: float | Sequence[float] = 1.0,
) -> np.ndarray:
    """Scores of every node, ``(..., n, N)`` in ``tree.node_ids`` order (leaves first, then aggregates)."""
    aggregates = aggregate_nodes(leaves, tree, weights, method, coverage_threshold, power=power)
    shape = (*aggregates.shape[:-1], len(tree.leaves))
    return np.concatenate([np.broadcast_to(leaves, shape), aggregates], axis=-1)
