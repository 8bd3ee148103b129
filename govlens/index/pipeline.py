"""The composite index pipeline: checks -> imputation -> treatment -> normalisation -> weights ->
aggregation -> scores, ranks and groups.

Scale conventions. Bounded normalisations (minmax, rank, goalposts, distance-to-best) give scores on
[0, ``scale``] (scale 1 or 100) at every node; z-scores are reported as z (``scale`` does not apply).
Geometric and harmonic means need positive values, so with those aggregations the normalised values are
mapped onto a positive range before aggregating (bounded methods: [1, 100]; z-scores: mean 10, sd 2, as
COINr's examples do) and the aggregates are mapped back linearly afterwards. An arithmetic mean is not
changed by this (it commutes with a linear map); a z-score below -5 still cannot be aggregated
geometrically and is refused with a message naming the unit and indicator. When per-indicator normalisation
mixes bounded methods and z-scores, each leaf is aggregated on its own output scale (arithmetic and outranking
methods only; see ``leaf_scale``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from govlens.framework.errors import Location, problem
from govlens.framework.report import Problem, Report
from govlens.index.aggregate import aggregate_tree
from govlens.index.checks import DataChecks, infinite_values
from govlens.index.denominate import Denominator, denominators
from govlens.index.errors import IndexInputError
from govlens.index.impute import Imputer
from govlens.index.io import Dataset
from govlens.index.normalise import Normaliser
from govlens.index.results import cutoff_groups, long_table, quartile_groups, rank_descending
from govlens.index.screen import Screener
from govlens.index.settings import BOUNDED_METHODS, OUTRANKING_METHODS, POSITIVE_METHODS, Settings
from govlens.index.treat import Treater
from govlens.index.tree import Tree
from govlens.index.weight import Weighter

__all__ = ["IndexPipeline", "IndexResult", "Prepared", "Settings", "compute", "prepare"]


def representation(normalise: str, aggregate: str | frozenset[str]) -> tuple[float, float]:
    """(offset, factor) of the linear map from canonical normalised values to the values aggregated
    (``aggregate``: the method, or every method of a run that aggregates levels differently)."""
    used = frozenset({aggregate}) if isinstance(aggregate, str) else aggregate
    positive = bool(used & POSITIVE_METHODS)
    if normalise == "zscore":
        return (10.0, 2.0) if positive else (0.0, 1.0)
    return (1.0, 99.0) if positive else (0.0, 1.0)


def output_factor(normalise: str, scale: float) -> float:
    return scale if normalise in BOUNDED_METHODS else 1.0


def leaf_methods(tree: Tree, settings: Settings) -> tuple[str, ...]:
    """The normalisation of each leaf: its own (``normalise_per_indicator``) or the setting's."""
    given = settings.normalise_per_indicator or {}
    unknown = sorted(set(given) - set(tree.leaves))
    if unknown:
        raise ValueError(f"normalise_per_indicator must name indicators of the tree; got {unknown[0]!r}")
    return tuple(str(given.get(leaf, {}).get("method", settings.normalise)) for leaf in tree.leaves)


@dataclass(frozen=True)
class LeafScale:
    """How normalised leaves are aggregated and mapped back: ``internal = offset + factor * canonical``, scores
    ``(raw - offset) * out / factor`` (clipped to [0, out] when ``bounded``). When the leaves mix bounded methods
    and z-scores (per-indicator normalisation), each leaf is put on its output scale before the arithmetic mean
    (``columns``: the output factor of each leaf) and the aggregates are neither mapped back nor bounded."""

    offset: float
    factor: float
    out: float
    bounded: bool
    columns: np.ndarray | None = None

    def internal(self, canonical: np.ndarray) -> np.ndarray:
        if self.columns is not None:
            return np.asarray(canonical * self.columns)
        return np.asarray(self.offset + self.factor * canonical)

    def leaf_scores(self, canonical: np.ndarray) -> np.ndarray:
        return np.asarray(canonical * (self.columns if self.columns is not None else self.out))


def leaf_scale(tree: Tree, settings: Settings, aggregate: str | frozenset[str]) -> LeafScale:
    """The :class:`LeafScale` of ``settings`` (``aggregate``: the aggregation methods of the run)."""
    # "none" is on the scale of the setting's method: 0..scale for bounded methods, z otherwise
    family = settings.normalise in BOUNDED_METHODS
    bounded = np.array([m in BOUNDED_METHODS or (m == "none" and family) for m in leaf_methods(tree, settings)])
    scale = float(settings.scale)
    if bounded.all() or not bounded.any():
        normalise = settings.normalise if bool(bounded.all()) == family else ("minmax" if bounded.all() else "zscore")
        offset, factor = representation(normalise, aggregate)
        return LeafScale(offset, factor, output_factor(normalise, scale), normalise in BOUNDED_METHODS)
    used = frozenset({aggregate}) if isinstance(aggregate, str) else aggregate
    positive = sorted(used & POSITIVE_METHODS)
    if positive:
        raise ValueError(
            f"the {positive[0]} mean needs one scale, but normalise_per_indicator mixes z-scores with bounded "
            "methods; use the arithmetic mean, or one kind of normalisation"
        )
    if settings.groups == "cutoffs":
        raise ValueError("groups 'cutoffs' need scores on 0..1, but normalise_per_indicator gives some z-scores")
    return LeafScale(0.0, 1.0, 1.0, False, np.where(bounded, scale, 1.0))


def output_scores(
    raw: np.ndarray, offset: float, factor: float, out: float, bounded: bool, overwrite: bool = False
) -> np.ndarray:
    """Aggregated values mapped back onto the output scale; bounded scores are kept within [0, ``out``]
    (a mean of values in the range is in the range, but a geometric mean of 100s can round to 100.00000000000001).
    With ``overwrite`` the scores are written over ``raw`` (the same numbers, no other block in memory)."""
    if not overwrite:
        scores = raw if (offset, factor, out) == (0.0, 1.0, 1.0) else (raw - offset) * (out / factor)
        return np.clip(scores, 0.0, out) if bounded else scores
    if (offset, factor, out) != (0.0, 1.0, 1.0):
        raw -= offset
        raw *= out / factor
    return np.clip(raw, 0.0, out, out=raw) if bounded else raw


@dataclass
class Prepared:
    """Indicator values after checks, imputation, treatment and normalisation (the steps before weights)."""

    units: pd.Index
    checks: DataChecks
    imputer: Imputer
    treater: Treater
    normaliser: Normaliser
    canonical: pd.DataFrame  # normalised, on [0, 1] (bounded methods) or z
    # the indicator values after denomination and the data checks, before imputation (screened after imputation:
    # also the units screened out then)
    raw: pd.DataFrame
    denominator: Denominator
    screener: Screener  # the screening of units, with the checks or after imputation

    def report(self) -> Report:
        """The problems of the steps before treatment: denomination, data checks, screening."""
        found = Report()
        found.extend(self.denominator.report_)
        found.extend(self.checks.report_)
        if self.screener is not self.checks.screener_:
            found.extend(self.screener.report_)
        return found

    def warnings(self) -> list[Problem]:
        """The warnings of the steps before treatment, for the terminal."""
        return self.report().warnings


@dataclass
class IndexResult:
    tree: Tree
    settings: Settings
    scores: pd.DataFrame  # units x nodes (tree.node_ids), on the output scale
    ranks: pd.DataFrame
    groups: pd.DataFrame | None
    weights: pd.Series
    prepared: Prepared
    report: Report = field(default_factory=Report)

    def table(self) -> pd.DataFrame:
        """unit, node, score, rank (, group): one row per unit and node, the index's nodes last."""
        return long_table(self.scores, self.ranks, self.groups)


def _check_positive(values: pd.DataFrame, settings: Settings) -> None:
    positive = sorted(settings.methods_used() & POSITIVE_METHODS)
    if not positive:
        return
    array = values.to_numpy()
    bad = np.argwhere(array <= 0)
    if bad.size:
        i, j = bad[0]
        raise ValueError(
            f"the {positive[0]} mean needs positive values, but after {settings.normalise} normalisation "
            f"unit {values.index[i]!r} has {array[i, j]:.4g} on indicator {values.columns[j]!r} "
            f"(z-scores are shifted to mean 10, sd 2 for this mean); use minmax, rank or goalposts, "
            "or the arithmetic mean"
        )


def impute_treat(
    values: pd.DataFrame,
    settings: Settings,
    groups: pd.Series | None,
    previous: pd.DataFrame | None,
    screened: Screener | None = None,
) -> tuple[Imputer, Treater, pd.DataFrame]:
    """Imputation then treatment of checked indicator values (the steps the uncertainty analysis caches
    once per imputation option); ``screened``, a fitted screener, drops its units between the two."""
    imputer = Imputer(method=settings.impute, groups=groups, previous=previous)
    imputed = imputer.fit_transform(values)
    if screened is not None:
        imputed = screened.transform(imputed)
    return imputer, *treat_values(imputed, settings)


def treat_values(values: pd.DataFrame, settings: Settings) -> tuple[Treater, pd.DataFrame]:
    """Outlier treatment of imputed values."""
    treater = Treater(
        method=settings.treat,
        winmax=settings.winmax,
        skew_thresh=settings.skew_thresh,
        kurt_thresh=settings.kurt_thresh,
        per_indicator=settings.treat_per_indicator,
    )
    return treater, treater.fit_transform(values)


def normalise_values(values: pd.DataFrame, tree: Tree, settings: Settings) -> tuple[Normaliser, pd.DataFrame]:
    """Normalisation of treated values onto the canonical scale ([0, 1] for bounded methods, z otherwise)."""
    directions = {leaf: tree.direction(leaf) for leaf in tree.leaves}
    goalposts = settings.goalposts if settings.goalposts is not None else (tree.goalposts or None)
    given = settings.normalise_per_indicator or {}
    methods = dict(zip(tree.leaves, leaf_methods(tree, settings), strict=True))
    posts = {leaf: (float(spec["low"]), float(spec["high"])) for leaf, spec in given.items() if "low" in spec}
    if posts:
        goalposts = {**(goalposts or {}), **posts}
    normaliser = Normaliser(
        method=settings.normalise,
        directions=directions,
        goalposts=goalposts,
        per_indicator={leaf: methods[leaf] for leaf in given} or None,
    )
    canonical = normaliser.fit_transform(values)
    kept = [leaf for leaf in tree.leaves if methods[leaf] == "none"]
    if kept:
        # values taken as scores are on the output scale (0..scale for bounded methods): canonical is 0..1
        out = output_factor(settings.normalise, float(settings.scale))
        frame = canonical[kept]
        outside = (frame.lt(0) | frame.gt(out)).to_numpy() & (settings.normalise in BOUNDED_METHODS)
        if outside.any():
            i, j = np.argwhere(outside)[0]
            unit, leaf = str(frame.index[i]), str(kept[j])
            value = float(frame.iloc[i, j])
            raise ValueError(
                f"normalise 'none' takes indicator {leaf!r} as scores on 0..{out:g}, but unit {unit!r} has "
                f"{value:g}: normalise it, or use goalposts"
            )
        canonical[kept] = frame / out
    return normaliser, canonical


def prepare(
    data: Dataset | pd.DataFrame,
    tree: Tree,
    settings: Settings,
    previous: pd.DataFrame | None = None,
) -> Prepared:
    """Checks, imputation, treatment and normalisation (raises IndexInputError on bad data: infinite
    values, units without data, a unit-coverage threshold that excludes every unit ...)."""
    settings.validate()
    dataset = data if isinstance(data, Dataset) else Dataset.from_frame(data)
    missing = [leaf for leaf in tree.leaves if leaf not in dataset.values.columns]
    if missing:
        raise IndexInputError(
            Report(
                [
                    problem(
                        "tree_data_mismatch",
                        dataset.path,
                        Location(row=1, column=leaf),
                        indicator=leaf,
                        detail="",
                        source="data",
                        what="column",
                    )
                    for leaf in missing
                ]
            )
        )
    values = dataset.values.loc[:, list(tree.leaves)].astype(float)
    denominator = Denominator(by=denominators(tree, settings), path=dataset.path, rows=dataset.rows)
    denominator.fit(values, dataset.values)
    if not denominator.report_.valid:
        raise IndexInputError(denominator.report_)
    values = denominator.transform(values, dataset.values)
    screener = Screener.from_settings(settings, dataset.path, dataset.rows)
    after_imputation = settings.screen_stage == "imputed"
    checks = DataChecks(
        path=dataset.path, rows=dataset.rows, screener=Screener() if after_imputation else screener
    ).fit(values)
    if not checks.report_.valid:
        raise IndexInputError(checks.report_)
    values = checks.transform(values)
    if previous is not None:
        shared = [leaf for leaf in tree.leaves if leaf in previous.columns]
        infinite = infinite_values(previous.loc[:, shared], "previous data", what="previous value")
        if not infinite.valid:
            raise IndexInputError(infinite)
    groups = dataset.groups.reindex(values.index) if dataset.groups is not None else None
    imputer = Imputer(method=settings.impute, groups=groups, previous=previous)
    imputed = imputer.fit_transform(values)
    if after_imputation:
        # COINr's Screen on the imputed data set: the imputation saw every unit
        if not screener.fit(imputed).report_.valid:
            raise IndexInputError(screener.report_)
        imputed = screener.transform(imputed)
    treater, treated = treat_values(imputed, settings)
    normaliser, canonical = normalise_values(treated, tree, settings)
    return Prepared(treated.index, checks, imputer, treater, normaliser, canonical, values, denominator, screener)


def scores_from(prepared: Prepared, tree: Tree, settings: Settings) -> tuple[np.ndarray, pd.Series]:
    """Node scores (units x tree.node_ids, output scale) and the weights used."""
    methods, thresholds, powers = settings.levels(len(tree.levels))
    scale = leaf_scale(tree, settings, settings.methods_used())
    canonical = prepared.canonical
    internal = pd.DataFrame(scale.internal(canonical.to_numpy()), index=canonical.index, columns=canonical.columns)
    _check_positive(internal, settings)
    leaves = internal.to_numpy()
    weighter = Weighter(method=settings.weights, aggregate=methods, coverage_threshold=thresholds, power=powers).fit(
        leaves, tree
    )
    weights = weighter.weights_
    raw = aggregate_tree(leaves, tree, weights.to_numpy(), methods, thresholds, powers)
    scores = output_scores(raw, scale.offset, scale.factor, scale.out, scale.bounded)
    if settings.methods_used() & OUTRANKING_METHODS:
        # outranking scores are already on [0, 1]; only the leaves went through the linear map
        scores[:, len(tree.leaves) :] = raw[:, len(tree.leaves) :] * float(settings.scale)
    return scores, weights


class IndexPipeline:
    """Compute a composite index: ``IndexPipeline(Settings(normalise="zscore")).fit(dataset, tree).result_``."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings

    def fit(self, data: Dataset | pd.DataFrame, tree: Tree, previous: pd.DataFrame | None = None) -> IndexPipeline:
        settings = self.settings if self.settings is not None else Settings()
        if not isinstance(settings, Settings):
            raise ValueError(f"settings must be a govlens.index.settings.Settings; got {type(settings).__name__}")
        prepared = prepare(data, tree, settings, previous)
        scores, weights = scores_from(prepared, tree, settings)
        node_ids = list(tree.node_ids)
        score_frame = pd.DataFrame(scores, index=prepared.units, columns=node_ids)
        ranks = pd.DataFrame(rank_descending(scores, axis=0), index=prepared.units, columns=node_ids)
        groups = None
        if settings.groups == "quartiles":
            groups = pd.DataFrame(quartile_groups(ranks.to_numpy()), index=prepared.units, columns=node_ids)
        elif settings.groups == "cutoffs":
            share = scores / float(settings.scale)
            groups = pd.DataFrame(cutoff_groups(share), index=prepared.units, columns=node_ids)
        report = Report()
        if isinstance(data, Dataset):
            report.extend(data.report)
        report.extend(prepared.report())
        report.extend(prepared.treater.report_)
        self.result_ = IndexResult(tree, settings, score_frame, ranks, groups, weights, prepared, report)
        return self


def compute(
    data: Dataset | pd.DataFrame,
    tree: Tree,
    settings: Settings | None = None,
    previous: pd.DataFrame | None = None,
) -> IndexResult:
    """Run the whole pipeline once and return scores, ranks and groups of every unit at every node."""
    return IndexPipeline(settings).fit(data, tree, previous).result_
