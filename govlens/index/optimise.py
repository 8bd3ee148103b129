"""Weights optimised to target importances (COINr's ``get_opt_weights``, "balance").

The importance of a node is read from its correlation with the aggregate it feeds: a pillar that correlates
twice as strongly with the index as another one drives the ranking more, whatever the nominal weights say
(Paruolo, Saisana and Saltelli 2013; Becker et al. 2017). Given target importances for the nodes of one level,
the weights of those nodes are searched so that each node's share of the level's correlations,
``corr_i / sum_j corr_j``, matches its share of the targets:

- ``against="index"`` (COINr's reading): every node of the level with the index, shares over the whole level;
- ``against="parent"``: every node with its own parent, shares among its siblings.

The objective is the sum of squared differences between achieved and target shares. Weights are positive and
relative, so the search runs on their logarithms (scipy.optimize.minimize; L-BFGS-B for Pearson's r, whose
objective is smooth; Nelder-Mead for the rank correlations, whose objective is a step function of the weights),
from the targets as starting weights, as COINr starts. Against parents, each group of siblings depends on its own
weights only, so each group is searched on its own (the same optimum, in far fewer evaluations). Every evaluation
aggregates the tree once with the engine's own aggregation, on the data as the settings prepare it (imputation,
treatment, normalisation). In an unbalanced tree a node of the level may have siblings of another height: their
weights stay as they are, and the level's weights are then not rescaled.

Levels are heights in the tree: 0 the indicators, 1 the aggregates of indicators (the first level of the
per-level settings), and so on; COINr's ``Level`` is this level plus one. The result is a named weight set: the
base weights (``settings.weights``) with the level's nodes replaced by the optimised weights, those summing to 1
among siblings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from govlens.index.aggregate import aggregate_tree
from govlens.index.audit import CORRELATION_METHODS, column_correlations
from govlens.index.errors import check_choice, check_number
from govlens.index.io import Dataset
from govlens.index.pipeline import prepare, representation
from govlens.index.settings import MEAN_METHODS, Settings
from govlens.index.tree import Tree
from govlens.index.weight import Weighter

AGAINST: tuple[str, ...] = ("index", "parent")
REPORT_COLUMNS = ("node", "parent", "against", "target", "achieved", "correlation", "weight")


@dataclass(frozen=True)
class OptimisedWeights:
    """A named weight set found by :func:`optimise_weights` and how close it came to the targets."""

    name: str
    weights: dict[str, float]  # every node but the root: the set to add to the tree (Tree.with_weight_set)
    report: pd.DataFrame  # REPORT_COLUMNS: target and achieved shares, the correlation, the optimised weight
    largest_gap: float  # max |achieved - target| over the level's nodes
    reached: bool  # largest_gap <= the tolerance
    evaluations: int

    def tree(self, tree: Tree) -> Tree:
        """``tree`` with this weight set added (the same name replaced)."""
        return tree.with_weight_set(self.name, self.weights)


def _target_shares(nodes: list[str], groups: list[list[int]], targets: Mapping[str, float] | None) -> np.ndarray:
    given = {node: 1.0 for node in nodes} if targets is None else dict(targets)
    unknown = sorted(set(given) - set(nodes))
    missing = [node for node in nodes if node not in given]
    if unknown or missing:
        raise ValueError(
            f"targets must give one importance to each node of the level ({', '.join(nodes)}); "
            f"got {'unknown ' + ', '.join(unknown) if unknown else 'none for ' + ', '.join(missing)}"
        )
    values = np.array([float(given[node]) for node in nodes])
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"targets must be numbers >= 0; got {dict(zip(nodes, values.tolist(), strict=True))}")
    shares = np.empty_like(values)
    for group in groups:
        total = values[group].sum()
        if total <= 0:
            raise ValueError(f"targets of {', '.join(nodes[i] for i in group)} must not all be 0")
        shares[group] = values[group] / total
    return shares


def optimise_weights(
    data: Dataset | pd.DataFrame,
    tree: Tree,
    settings: Settings | None = None,
    *,
    level: int,
    targets: Mapping[str, float] | None = None,
    correlation_method: str = "pearson",
    against: str = "index",
    name: str = "optimised",
    tolerance: float = 0.01,
    max_evaluations: int = 5000,
    previous: pd.DataFrame | None = None,
) -> OptimisedWeights:
    """Weights of the nodes of ``level`` (0: the indicators) whose correlations with the index (or each with its
    parent) are shared as ``targets`` (node -> relative importance; None: equal). See the module docstring."""
    settings = (settings or Settings()).validate()
    check_choice("correlation", correlation_method, CORRELATION_METHODS)
    check_choice("against", against, AGAINST)
    check_number("tolerance", tolerance, low=0.0, high=1.0)
    heights = sorted(set(tree.height.values()))
    if isinstance(level, bool) or not isinstance(level, int) or level not in heights[:-1]:
        raise ValueError(
            f"level must be one of {{{', '.join(map(str, heights[:-1]))}}} (0: the indicators; the index, "
            f"level {heights[-1]}, has no weight); got {level!r}"
        )
    outranking = sorted(settings.methods_used() - set(MEAN_METHODS))
    if outranking:
        raise ValueError(f"weight optimisation needs means at every level (aggregate); got {outranking[0]!r}")
    nodes = [node for node in tree.node_ids if tree.height[node] == level]
    parents = [tree.parent(node) or "" for node in nodes]
    goal = [tree.root if against == "index" else parent for parent in parents]
    if against == "index":
        groups = [list(range(len(nodes)))]
    else:
        groups = [[i for i, p in enumerate(parents) if p == parent] for parent in dict.fromkeys(parents)]
    shares = _target_shares(nodes, groups, targets)

    prepared = prepare(data, tree, settings, previous)
    methods, thresholds, powers = settings.levels(len(tree.levels))
    offset, factor = representation(settings.normalise, settings.methods_used())
    leaves = (offset + factor * prepared.canonical).to_numpy()
    base = Weighter(method=settings.weights, aggregate=methods, coverage_threshold=thresholds, power=powers)
    base_weights = base.fit(leaves, tree).weights_.to_numpy()
    position = {node: i for i, node in enumerate(tree.node_ids)}
    at = np.array([position[node] for node in nodes])
    goal_at = np.array([position[node] for node in goal])
    evaluations = 0

    def weights_from(theta: np.ndarray) -> np.ndarray:
        weights = base_weights.copy()
        weights[at] = np.exp(np.clip(theta, -50.0, 50.0))
        return weights

    def achieved(theta: np.ndarray, method: str = correlation_method) -> tuple[np.ndarray, np.ndarray]:
        scores = aggregate_tree(leaves, tree, weights_from(theta), methods, thresholds, powers)
        found = column_correlations(scores[:, at], scores[:, goal_at], method)
        out = np.full(len(nodes), np.nan)
        for group in groups:
            total = found[group].sum()
            if np.isfinite(total) and total > 0:
                out[group] = found[group] / total
        return out, found

    def objective(theta: np.ndarray, method: str = correlation_method) -> float:
        nonlocal evaluations
        evaluations += 1
        got, _ = achieved(theta, method)
        gap = got - shares
        # an undefined correlation (a node without variance) or shares of a sum <= 0 count as far off
        return float(np.sum(np.where(np.isfinite(gap), gap, 1.0) ** 2))

    from scipy.optimize import minimize  # local: scipy.optimize is only needed here

    best = np.log(np.maximum(shares, 1e-3 * shares.max()))
    # against parents, each group's correlations depend on its own weights only: one small search per group
    # finds the same optimum as one search over all of them, in far fewer evaluations
    blocks = groups if against == "parent" else [list(range(len(nodes)))]
    for block in blocks:

        def part(x: np.ndarray, method: str = correlation_method, block: list[int] = block) -> float:
            theta = best.copy()
            theta[block] = x
            return objective(theta, method)

        start = best[block]
        # Pearson's r first (smooth: a gradient search); the rank correlations then refine that point without
        # gradients, their objective being flat between the weights where two units swap
        options = {"maxfun": max_evaluations, "ftol": 1e-15}
        smooth = minimize(part, start, args=("pearson",), method="L-BFGS-B", options=options)
        chosen = smooth.x if part(smooth.x) <= part(start) else start
        if correlation_method != "pearson":
            simplex = {"maxfev": max_evaluations, "xatol": 1e-6, "fatol": 1e-12, "adaptive": len(block) > 3}
            refined = minimize(part, chosen, method="Nelder-Mead", options=simplex)
            chosen = refined.x if part(refined.x) <= part(chosen) else chosen
        best[block] = chosen
    got, raw = achieved(best)
    weights = weights_from(best)
    for parent in dict.fromkeys(parents):  # the level's weights sum to 1 among siblings (all of the level)
        siblings = at[[i for i, p in enumerate(parents) if p == parent]]
        if len(siblings) == len(tree.children(parent)):
            weights[siblings] = weights[siblings] / weights[siblings].sum()
    gap = np.abs(got - shares)
    largest = float(np.max(np.where(np.isfinite(gap), gap, np.inf)))
    report = pd.DataFrame(
        {
            "node": nodes,
            "parent": parents,
            "against": goal,
            "target": shares,
            "achieved": got,
            "correlation": raw,
            "weight": weights[at],
        },
        columns=list(REPORT_COLUMNS),
    )
    values = {node: float(weights[position[node]]) for node in tree.node_ids if node != tree.root}
    return OptimisedWeights(name, values, report, largest, largest <= tolerance, evaluations)
