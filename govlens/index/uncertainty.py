"""Uncertainty analysis: how much do ranks move when the uncertain choices of the index change?

Uncertain inputs (each optional): the imputation method, the treatment (on or off), the most points Winsorised
(winmax), the normalisation method, the aggregation method (arithmetic, geometric, harmonic, power), the coverage
threshold, the weights (a method or a named weight set of the tree), every weight multiplied by a factor drawn
uniformly in [1 - r, 1 + r], and one indicator dropped (none or one of the indicators, uniformly).

Vectorised across replications. A replication never changes the data checks, so the engine computes imputation
+ treatment once per (imputation, treatment, winmax) option and normalisation once per "pair" (those and the
normalisation), and keeps those few matrices; the weights of each weight option are learnt once too.
Replications sharing a pair and an aggregation method are then aggregated together: their weights are stacked
and each level of the tree is one matrix product for all of them (see ``aggregate.weighted_mean``). Dropping an
indicator is a zero weight (aggregation is over the children with a positive weight), so it costs nothing extra.

Random draws come from ``numpy.random.Generator`` (PCG64) seeded by the caller: the same seed gives the
same numbers bit for bit. Percentiles use numpy's default (linear interpolation, R's type 7).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from govlens.index.aggregate import aggregate_nodes
from govlens.index.io import Dataset
from govlens.index.pipeline import (
    IndexResult,
    compute,
    impute_treat,
    leaf_scale,
    normalise_values,
    output_scores,
)
from govlens.index.results import rank_descending, rank_histogram
from govlens.index.settings import MEAN_METHODS, POSITIVE_METHODS, Settings, UncertaintySettings
from govlens.index.tree import Tree

Progress = Callable[[int, int], None]
# elements of one (replications x units x nodes) block: bounds the memory of a chunk (~50 MB per array). The
# chunks also fix the batches of the matrix products, whose last bits can depend on the batch: keep it so that
# the scores stay the same numbers
CHUNK_ELEMENTS = 6_000_000
RANK_PIECE = 64  # replications ranked at a time
QUANTILES = (0.05, 0.5, 0.95)
RESULT_COLUMNS = ("unit", "node", "nominal_rank", "median_rank", "rank_p05", "rank_p95", "score_p05", "score_p95")


# settings applied before normalisation that can be uncertain inputs (fields of both Settings and
# UncertaintySettings): each combination of their options is prepared once
PREPARATION_INPUTS: tuple[str, ...] = ("impute", "treat", "winmax", "skew_thresh", "kurt_thresh")


def _label(option: object) -> str:
    return f"{option:g}" if isinstance(option, float) else str(option)


@dataclass(frozen=True)
class Factor:
    """One uncertain input of the analysis: its name and the columns of the design it reads."""

    name: str
    start: int
    width: int
    options: tuple[str, ...] = ()


@dataclass
class UncertaintyResult:
    table: pd.DataFrame  # RESULT_COLUMNS, one row per unit and node
    nominal: IndexResult
    replications: int
    seed: int
    factors: tuple[str, ...]
    sensitivity: pd.DataFrame | None = field(default=None)


def _pick(u: np.ndarray, count: int) -> np.ndarray:
    """Uniform [0, 1) -> option index 0..count-1."""
    return np.minimum((u * count).astype(np.int64), count - 1)


def mixture_quantiles(values: np.ndarray, counts: np.ndarray, qs: tuple[float, ...]) -> np.ndarray:
    """Quantiles (numpy's linear rule) of the sample in which ``values[c]`` appears ``counts[c]`` times.

    ``values`` is ``(K, ...)``; ``counts`` is ``(K,)`` or shaped like ``values``; NaN values are left out
    of the sample (as ``np.nanquantile``). Returns ``(len(qs), ...)``. Used for indicators, whose scores
    take one value per (imputation, normalisation) pair, and for ranks, counted in histograms."""
    k = values.shape[0]
    if counts.ndim == 1:
        counts = counts.reshape((k,) + (1,) * (values.ndim - 1))
    weights = np.where(np.isnan(values), 0, np.broadcast_to(counts, values.shape))
    order = np.argsort(np.where(np.isnan(values), np.inf, values), axis=0, kind="stable")
    ordered = np.take_along_axis(values, order, axis=0)
    cumulative = np.cumsum(np.take_along_axis(weights, order, axis=0), axis=0)
    total = cumulative[-1]
    out = np.full((len(qs), *values.shape[1:]), np.nan)
    for i, q in enumerate(qs):
        h = (total - 1) * q
        low = np.floor(h)
        lower = np.sum(cumulative <= low, axis=0)
        upper = np.sum(cumulative <= np.minimum(low + 1, total - 1), axis=0)
        v_low = np.take_along_axis(ordered, np.minimum(lower, k - 1)[None], axis=0)[0]
        v_high = np.take_along_axis(ordered, np.minimum(upper, k - 1)[None], axis=0)[0]
        out[i] = np.where(total > 0, v_low + (h - low) * (v_high - v_low), np.nan)
    return out


class _SmallestKept:
    """The ``count`` smallest values of every cell of a stream of ``(S, cells)`` blocks (NaN never kept), exactly.

    A buffer row per cell holds the values kept so far, its free slots +inf (so a cell with fewer than ``count``
    values reads +inf in their place, as a missing value would). Once a cell has been cut back to its ``count``
    smallest (one partition of its row, when the row fills up), its ``count``-th smallest is a threshold that
    only a smaller value can pass: most values of a long stream fail that comparison and are never copied. A
    value equal to the threshold is left out: the cell already holds ``count`` values no larger, so its
    ``count`` smallest stay the same numbers."""

    def __init__(self, cells: int, count: int, capacity: int) -> None:
        self.count = count
        self.buffer = np.full((cells, max(capacity, 2 * count)), np.inf)
        self.used = np.zeros(cells, dtype=np.int64)
        self.threshold = np.full(cells, np.inf)

    def _cut(self, cells: np.ndarray | None = None) -> None:
        """Cut ``cells`` (every cell with None) back to their ``count`` smallest and lower their thresholds."""
        if cells is None:
            self.buffer.partition(self.count - 1, axis=1)
            self.buffer[:, self.count :] = np.inf
            self.used[:] = self.count
            self.threshold = self.buffer[:, self.count - 1].copy()
            return
        for begin in range(0, cells.size, 256):  # a copy of a few rows at a time
            rows = cells[begin : begin + 256]
            kept = self.buffer[rows]
            kept.partition(self.count - 1, axis=1)
            kept[:, self.count :] = np.inf
            self.buffer[rows] = kept
            self.threshold[rows] = kept[:, self.count - 1]
        self.used[cells] = self.count

    def _passing(self, part: np.ndarray, negate: bool) -> np.ndarray:
        """Where the values of ``part`` (negated first with ``negate``) are below their cell's threshold."""
        return part > -self.threshold if negate else part < self.threshold  # NaN compares False

    def _passed_by_cell(self, passed: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Of ``passed`` (width, cells): the flat positions of the values that pass in its transpose, cell by
        cell; their cells; and how many pass in each cell."""
        where = np.flatnonzero(passed.T)
        cell = where // passed.shape[0]
        return where, cell, np.bincount(cell, minlength=passed.shape[1])

    def add(self, block: np.ndarray, negate: bool = False) -> None:
        """Add ``block`` (S, cells), or its negated values with ``negate`` (without a negated copy of it)."""
        cells, capacity = self.buffer.shape
        step = min(capacity - self.count, 128)  # a part fits once its cells are cut; its indices stay small
        for begin in range(0, block.shape[0], step):
            part = block[begin : begin + step]
            width = part.shape[0]
            passed = self._passing(part, negate)
            if bool(np.all(self.used == self.used[0])) and 2 * int(np.count_nonzero(passed)) > passed.size:
                # most values pass (the first blocks) and every cell has as many free slots: copy the part
                if self.used[0] + width > capacity:
                    self._cut()
                    passed = self._passing(part, negate)
                at = int(self.used[0])
                fresh = np.where(passed, part, -np.inf if negate else np.inf)
                if negate:
                    np.negative(fresh, out=fresh)
                self.buffer[:, at : at + width] = fresh.T
                self.used += width
                continue
            # cell by cell, the values that pass go after the cell's used slots
            where, cell, counts = self._passed_by_cell(passed)
            full = self.used + counts > capacity
            if full.any():
                self._cut(np.flatnonzero(full))
                where, cell, counts = self._passed_by_cell(self._passing(part, negate))
            if where.size == 0:
                continue
            start = np.arange(cells) * capacity + self.used - (np.cumsum(counts) - counts)
            values = part.reshape(-1)[(where - cell * width) * cells + cell]
            self.buffer.reshape(-1)[start[cell] + np.arange(where.size)] = -values if negate else values
            self.used += counts

    def smallest(self) -> np.ndarray:
        """``(cells, count)``: the kept values of every cell, ascending (+inf where a cell had fewer values)."""
        self._cut()
        return np.sort(self.buffer[:, : self.count], axis=1)


class TailQuantiles:
    """Exact low and high quantiles (numpy's linear rule, NaN left out) of a sample that arrives in blocks, keeping
    only the values the two quantiles can need: for q = 0.05 of 10,000 replications, the 502 smallest and 502
    largest values of each cell instead of all 10,000 (and in float64, so the percentiles are the scores').

    With c values present in a cell, the quantile q is v[i] + (h - i) (v[i + 1] - v[i]) with h = (c - 1) q,
    i = floor(h) (v ascending); since c <= R, the (floor((R - 1) q) + 2) smallest values hold v[i] and v[i + 1],
    and the (ceil((R - 1) (1 - q)) + 2) largest values hold them for the high quantile."""

    def __init__(self, cells: int, replications: int, low: float, high: float) -> None:
        self.q = (low, high)
        self.keep_low = min(replications, int(np.floor((replications - 1) * low)) + 2)
        self.keep_high = min(replications, int(np.ceil((replications - 1) * (1 - high))) + 2)
        # room for as many values as are kept: a cell's row is partitioned about once per value appended (more
        # room, fewer partitions, but memory first touched is slow on small virtual machines)
        self.smallest = _SmallestKept(cells, self.keep_low, 2 * self.keep_low)
        self.largest = _SmallestKept(cells, self.keep_high, 2 * self.keep_high)  # of the negated values
        self.present = np.zeros(cells, dtype=np.int64)

    def add(self, block: np.ndarray) -> None:
        """Add replications: ``block`` is (S, cells)."""
        block = np.ascontiguousarray(block)
        self.present += block.shape[0] - np.count_nonzero(np.isnan(block), axis=0)
        self.smallest.add(block)
        self.largest.add(block, negate=True)

    def result(self) -> np.ndarray:
        """(2, cells): the low and the high quantile of every cell (NaN where a cell has no value)."""
        out = np.full((2, self.present.size), np.nan)
        c = self.present
        cells = np.arange(c.size)
        for side, (q, kept) in enumerate(zip(self.q, (self.smallest, self.largest), strict=True)):
            ordered = kept.smallest()  # ascending values (low side) or descending values, negated (high side)
            h = (c - 1) * q
            i = np.floor(h).astype(np.int64)
            j = np.minimum(i + 1, c - 1)
            if side == 1:  # ascending position p is descending position c - 1 - p
                i, j = c - 1 - i, c - 1 - j
            ok = c > 0
            a = np.where(ok, ordered[cells, np.clip(i, 0, ordered.shape[1] - 1)], np.nan)
            b = np.where(ok, ordered[cells, np.clip(j, 0, ordered.shape[1] - 1)], np.nan)
            if side == 1:
                a, b = -a, -b
            with np.errstate(invalid="ignore"):
                out[side] = np.where(ok, a + (h - np.floor(h)) * (b - a), np.nan)
        return out


class UncertaintyEngine:
    """Prepare the cached steps once; then evaluate any number of replications in vectorised batches.

    A design is an array ``(R, columns)`` of uniform numbers in [0, 1); ``factors`` says which columns
    each uncertain input reads (``Factor.start``, ``Factor.width``)."""

    def __init__(
        self,
        data: Dataset | pd.DataFrame,
        tree: Tree,
        settings: Settings,
        inputs: UncertaintySettings,
        previous: pd.DataFrame | None = None,
    ) -> None:
        settings.validate()
        inputs.validate()
        outranking = sorted(settings.methods_used() - set(MEAN_METHODS))
        if outranking:
            raise ValueError(
                f"the uncertainty analysis supports aggregate {{{', '.join(MEAN_METHODS)}}}; got {outranking[0]!r}"
            )
        self.tree = tree
        self.settings = settings
        self.inputs = inputs
        dataset = data if isinstance(data, Dataset) else Dataset.from_frame(data)
        self.nominal = compute(dataset, tree, settings, previous)
        # the options of each setting applied before normalisation (the nominal one when not uncertain)
        self.step_options: dict[str, tuple[Any, ...]] = {
            name: tuple(getattr(inputs, name)) or (getattr(settings, name),) for name in PREPARATION_INPUTS
        }
        self.normalise_options = inputs.normalise or (settings.normalise,)
        # the nominal methods, thresholds and powers per level; a drawn method or threshold applies at every level
        methods, thresholds, self.powers = settings.levels(len(tree.levels))
        self.aggregate_options: tuple[str | tuple[str, ...], ...] = inputs.aggregate or (methods,)
        self.coverage_options: tuple[float | tuple[float, ...], ...] = inputs.coverage_threshold or (thresholds,)
        positive = bool((set(inputs.aggregate) | settings.methods_used()) & POSITIVE_METHODS)
        values = self.nominal.prepared.raw  # denominated and checked: the nominal run's
        self.units = self.nominal.prepared.units
        # units screened after imputation: the nominal run's screening holds for every imputation option
        screened = self.nominal.prepared.screener if settings.screen_stage == "imputed" else None
        groups = dataset.groups.reindex(values.index) if dataset.groups is not None else None
        # cached steps, the pipeline's own: imputation + treatment per (imputation, treatment) option, and
        # normalisation per "pair" (imputation, treatment, normalisation)
        self.leaves: list[np.ndarray] = []  # internal (aggregated) representation per pair
        self.leaf_scores: list[np.ndarray] = []  # output scale per pair
        # (offset, factor, output factor, bounded) per pair
        self.maps: list[tuple[float, float, float, bool]] = []
        done: dict[tuple[Any, ...], pd.DataFrame] = {}
        for step in itertools.product(*self.step_options.values()):
            chosen = dataclasses.replace(settings, **dict(zip(PREPARATION_INPUTS, step, strict=True)))
            if inputs.treat and chosen.treat == "none":
                # treatment drawn off: no indicator is treated, whatever its own treatment
                chosen = dataclasses.replace(chosen, treat_per_indicator=None)
            impute = chosen.impute
            # without treatment its parameters change nothing: those steps share one matrix
            key = step if chosen.treat != "none" or chosen.treat_per_indicator else (impute, "none")
            if key not in done:
                done[key] = impute_treat(values, chosen, groups, previous, screened)[2]
            treated = done[key]
            for normalise in self.normalise_options:
                drawn = dataclasses.replace(settings, normalise=normalise)
                _, frame = normalise_values(treated, tree, drawn)
                canonical = frame.to_numpy()
                scale = leaf_scale(tree, drawn, "geometric" if positive else "arithmetic")
                internal = scale.internal(canonical)
                if positive and np.any(internal[~np.isnan(internal)] <= 0):
                    raise ValueError(
                        f"geometric/harmonic aggregation needs positive values, but {normalise} normalisation "
                        f"(with {impute} imputation) gives values that stay non-positive after the shift; "
                        "remove it from the normalisations or the geometric/harmonic means from the aggregations"
                    )
                self.leaves.append(np.ascontiguousarray(internal))
                self.leaf_scores.append(scale.leaf_scores(canonical))
                self.maps.append((scale.offset, scale.factor, scale.out, scale.bounded))
        self.base_weights = self.nominal.weights.to_numpy()
        # the weights of each weight option (a method or a weight set), as the pipeline learns them on the nominal
        # data (PCA weights included); the weight factors and a dropped indicator then apply to the one drawn
        self.weight_options: tuple[str, ...] = inputs.weight_sets or (settings.weights,)
        self.option_weights = np.stack(
            [
                self.base_weights
                if name == settings.weights
                else compute(dataset, tree, dataclasses.replace(settings, weights=name), previous).weights.to_numpy()
                for name in self.weight_options
            ]
        )
        factors: list[Factor] = []
        column = 0
        for name, options in (
            *((name, tuple(_label(o) for o in options)) for name, options in self.step_options.items()),
            ("normalise", self.normalise_options),
            ("aggregate", inputs.aggregate),
            ("coverage", tuple(f"{c:g}" for c in inputs.coverage_threshold)),
        ):
            if len(options) > 1:
                factors.append(Factor(name, column, 1, tuple(options)))
                column += 1
        if len(self.weight_options) > 1:
            factors.append(Factor("weight_set", column, 1, self.weight_options))
            column += 1
        if inputs.weight_range > 0:
            width = len(tree.node_ids) - 1  # every weight but the root's (unused)
            factors.append(Factor("weights", column, width))
            column += width
        if inputs.drop_indicator:
            factors.append(Factor("drop", column, 1, ("none", *tree.leaves)))
            column += 1
        self.factors = tuple(factors)
        self.columns = column

    # -- decoding a design ----------------------------------------------------------------------------
    def decode(self, design: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pair index, aggregation index, node weights) of every replication of ``design``; the aggregation
        index is (aggregation method index) x (number of coverage thresholds) + (coverage threshold index)."""
        count = design.shape[0]
        drawn = {name: np.zeros(count, dtype=np.int64) for name in PREPARATION_INPUTS}
        normalise = np.zeros(count, dtype=np.int64)
        aggregate = np.zeros(count, dtype=np.int64)
        coverage = np.zeros(count, dtype=np.int64)
        weight_set = np.zeros(count, dtype=np.int64)
        for factor in self.factors:
            if factor.name == "weight_set":
                weight_set = _pick(design[:, factor.start], len(factor.options))
        weights = self.option_weights[weight_set]  # a copy per replication (fancy indexing)
        for factor in self.factors:
            block = design[:, factor.start : factor.start + factor.width]
            if factor.name in drawn:
                drawn[factor.name] = _pick(block[:, 0], len(factor.options))
            elif factor.name == "weight_set":
                continue  # drawn above, before the factors that multiply the weights
            elif factor.name == "normalise":
                normalise = _pick(block[:, 0], len(factor.options))
            elif factor.name == "aggregate":
                aggregate = _pick(block[:, 0], len(factor.options))
            elif factor.name == "coverage":
                coverage = _pick(block[:, 0], len(factor.options))
            elif factor.name == "weights":
                r = self.inputs.weight_range
                weights[:, : factor.width] *= 1.0 - r + 2.0 * r * block
            else:
                dropped = _pick(block[:, 0], len(factor.options)) - 1  # -1: nothing dropped
                rows = np.flatnonzero(dropped >= 0)
                weights[rows, dropped[rows]] = 0.0
        step = np.zeros(count, dtype=np.int64)
        for name, options in self.step_options.items():  # the order of itertools.product: the last varies fastest
            step = step * len(options) + drawn[name]
        pair = step * len(self.normalise_options) + normalise
        return pair, aggregate * len(self.coverage_options) + coverage, weights

    def _chunks(self, design: np.ndarray, progress: Progress | None = None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(replication indices, aggregate scores (S, A, n) on the output scale), group by group."""
        pair, aggregate, weights = self.decode(design)
        total = design.shape[0]
        n, nodes = len(self.units), len(self.tree.node_ids)
        size = max(1, CHUNK_ELEMENTS // (n * nodes))
        done = 0
        ways = len(self.aggregate_options) * len(self.coverage_options)
        groups = pair * ways + aggregate
        found = [(int(group), np.flatnonzero(groups == group)) for group in np.unique(groups)]
        # one block of each group in turn: the scores' tails (TailQuantiles) then see every group's values
        # early, so their thresholds soon let few values through
        for begin in range(0, max(members.size for _, members in found), size):
            for group, members in found:
                index = members[begin : begin + size]
                if index.size == 0:
                    continue
                p, way = divmod(group, ways)
                method = self.aggregate_options[way // len(self.coverage_options)]
                threshold = self.coverage_options[way % len(self.coverage_options)]
                offset, factor, out, bounded = self.maps[p]
                raw = aggregate_nodes(self.leaves[p], self.tree, weights[index], method, threshold, True, self.powers)
                yield index, output_scores(raw, offset, factor, out, bounded, overwrite=True)
                del raw  # a block in memory at a time
                done += index.size
                if progress is not None:
                    progress(done, total)

    # -- evaluations ----------------------------------------------------------------------------------
    def aggregate_scores(self, design: np.ndarray) -> np.ndarray:
        """Scores of the aggregates for every replication: ``(R, n, A)`` (small designs and tests)."""
        result = np.empty((design.shape[0], len(self.units), len(self.tree.aggregates)))
        for index, scores in self._chunks(design):
            result[index] = scores.transpose(0, 2, 1)
        return result

    def index_ranks(self, design: np.ndarray, progress: Progress | None = None) -> np.ndarray:
        """Ranks of the units on the index (the root) for every replication: ``(R, n)``."""
        result = np.empty((design.shape[0], len(self.units)))
        for index, scores in self._chunks(design, progress):
            result[index] = rank_descending(scores[:, -1, :], axis=1)
        return result

    def distributions(self, design: np.ndarray, progress: Progress | None = None) -> pd.DataFrame:
        """Per unit and node: nominal rank, median rank, 5th/95th percentile ranks and scores."""
        count = design.shape[0]
        n, aggregates = len(self.units), len(self.tree.aggregates)
        cells = aggregates * n
        # ranks are integers 1..n, so a histogram per cell gives exact percentiles; scores keep only the tails
        # that their 5th and 95th percentiles can need: nothing per replication is kept
        tails = TailQuantiles(cells, count, QUANTILES[0], QUANTILES[2])
        histogram = np.zeros((cells, n), dtype=np.int64)
        for index, block in self._chunks(design, progress):
            tails.add(block.reshape(index.size, cells))
            for start in range(0, index.size, RANK_PIECE):  # ranks are per replication: pieces, less memory
                rank_histogram(block[start : start + RANK_PIECE], into=histogram)
            del block  # before the next block is computed
        # rows of the histogram are cells (node a, unit u) = a * n + u; columns are ranks 1..n
        levels = np.broadcast_to(np.arange(1.0, n + 1.0)[:, None], (n, cells))
        rank_q = mixture_quantiles(levels, histogram.T, QUANTILES)  # (3, A*n)
        score_q = tails.result()  # (2, A*n)
        rank_q = rank_q.reshape(3, aggregates, n).transpose(0, 2, 1)
        score_q = score_q.reshape(2, aggregates, n).transpose(0, 2, 1)
        # indicators: one value per (imputation, normalisation) pair, weighted by how often it was drawn
        pair, _, _ = self.decode(design)
        counts = np.bincount(pair, minlength=len(self.leaves))
        leaf_values = np.stack(self.leaf_scores)  # (K, n, m)
        leaf_ranks = np.stack([rank_descending(v, axis=0) for v in self.leaf_scores])
        leaf_rank_q = mixture_quantiles(leaf_ranks, counts, QUANTILES)
        leaf_score_q = mixture_quantiles(leaf_values, counts, (QUANTILES[0], QUANTILES[2]))
        rank_all = np.concatenate([leaf_rank_q, rank_q], axis=2)  # (3, n, N)
        score_all = np.concatenate([leaf_score_q, score_q], axis=2)
        node_ids = list(self.tree.node_ids)
        nominal = self.nominal.ranks.loc[self.units, node_ids].to_numpy()
        return pd.DataFrame(
            {
                "unit": np.repeat(self.units.to_numpy(), len(node_ids)),
                "node": np.tile(node_ids, n),
                "nominal_rank": nominal.reshape(-1),
                "median_rank": rank_all[1].reshape(-1),
                "rank_p05": rank_all[0].reshape(-1),
                "rank_p95": rank_all[2].reshape(-1),
                "score_p05": score_all[0].reshape(-1),
                "score_p95": score_all[1].reshape(-1),
            }
        )


def monte_carlo_design(columns: int, replications: int, seed: int) -> np.ndarray:
    """``replications`` x ``columns`` uniform numbers from a PCG64 generator seeded with ``seed``."""
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 1:
        raise ValueError(f"replications must be an integer >= 1; got {replications!r}")
    return np.random.default_rng(seed).random((replications, max(columns, 0)))


def uncertainty(
    data: Dataset | pd.DataFrame,
    tree: Tree,
    settings: Settings,
    inputs: UncertaintySettings,
    *,
    previous: pd.DataFrame | None = None,
    progress: Progress | None = None,
    sobol_base: int = 0,
) -> UncertaintyResult:
    """Monte Carlo over the uncertain inputs (``inputs.replications`` draws seeded with ``inputs.seed``): the rank
    and score distribution of every unit at every node; with ``sobol_base`` > 0 also the Sobol indices of every
    input (``sobol_base`` (d + 2) more runs)."""
    from govlens.index.sensitivity import sobol  # sensitivity builds on this module

    engine = UncertaintyEngine(data, tree, settings, inputs, previous)
    design = monte_carlo_design(engine.columns, inputs.replications, inputs.seed)
    table = engine.distributions(design, progress)
    factors = tuple(f.name for f in engine.factors)
    sensitivity = sobol(engine, sobol_base, inputs.seed) if sobol_base > 0 else None
    return UncertaintyResult(table, engine.nominal, inputs.replications, inputs.seed, factors, sensitivity)
