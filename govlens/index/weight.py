"""Weights: explicit from the framework (the nodes' own, or one of the tree's named weight sets), equal, or from a
principal component analysis (PCA).

PCA weights follow the OECD/JRC Handbook: within each aggregation group (the children of one node), the
weight of a child is its squared loading on the first principal component of the children's correlation
matrix (complete cases). Squared loadings of a unit eigenvector sum to 1 and are never negative, unlike
COINr's ``get_PCA`` weights (raw loadings, which can be negative). Groups are processed from the bottom
up, so a pillar's PCA runs on sub-pillar scores computed with the PCA weights below them. A group with a
single child, fewer complete cases than 3, or a constant child falls back to equal weights (noted).
Weights are relative: the aggregation renormalises them over the children present.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from govlens.index.aggregate import aggregate_tree, per_level
from govlens.index.settings import MEAN_METHODS, WEIGHT_METHODS
from govlens.index.tree import Tree


def first_component(values: np.ndarray) -> tuple[np.ndarray, float] | None:
    """Loadings (unit eigenvector, sign fixed so that the sum is positive) of the first principal component
    of the correlation matrix of the complete rows of ``values`` (n, k), and its share of variance."""
    complete = values[~np.isnan(values).any(axis=1)]
    if complete.shape[0] < 3 or complete.shape[1] < 2:
        return None
    if np.any(np.std(complete, axis=0) == 0):
        return None
    correlation = np.corrcoef(complete, rowvar=False)
    eigenvalues, eigenvectors = np.linalg.eigh(correlation)
    vector = eigenvectors[:, -1]
    if vector.sum() < 0:
        vector = -vector
    return vector, float(eigenvalues[-1] / eigenvalues.sum())


class Weighter:
    """Learn the node weights of a tree (in ``tree.node_ids`` order) from normalised indicator values."""

    def __init__(
        self,
        *,
        method: str = "framework",
        aggregate: str | Sequence[str] = "arithmetic",
        coverage_threshold: float | Sequence[float] = 0.0,
        power: float | Sequence[float] = 1.0,
    ):
        self.method = method
        self.aggregate = aggregate
        self.coverage_threshold = coverage_threshold
        self.power = power

    def fit(self, leaves: np.ndarray, tree: Tree) -> Weighter:
        notes: list[str] = []
        if self.method not in WEIGHT_METHODS or self.method == "framework":
            weights = tree.weights_of(self.method)  # ValueError naming the tree's sets when it has no such set
        elif self.method == "equal":
            weights = np.ones(len(tree.node_ids))
        else:
            weights = tree.weight_vector().copy()
            position = {node: i for i, node in enumerate(tree.node_ids)}
            # the scores PCA reads are means (outranking scores are not: the arithmetic mean stands in)
            given = per_level("aggregate method", self.aggregate, len(tree.levels))
            method = tuple(m if m in MEAN_METHODS else "arithmetic" for m in given)
            for level in tree.levels:
                scores = aggregate_tree(leaves, tree, weights, method, self.coverage_threshold, self.power)
                for j, parent in enumerate(level.parents):
                    kids = [c for i, c in enumerate(level.children) if level.membership[i, j]]
                    at = [position[c] for c in kids]
                    found = first_component(scores[:, at])
                    if found is None:
                        weights[at] = 1.0
                        if len(kids) > 1:
                            notes.append(f"{parent}: too few complete cases or a constant child; equal weights")
                        continue
                    weights[at] = found[0] ** 2
        self.weights_ = pd.Series(weights, index=list(tree.node_ids), name="weight")
        self.notes_ = tuple(notes)
        return self


def effective_weights(tree: Tree, weights: np.ndarray) -> np.ndarray:
    """The share of the index each node carries (``tree.node_ids`` order, the root 1): its weight over its
    siblings' times its parent's share. With every child present, the index is the sum over indicators of
    effective weight x score (arithmetic mean); COINr reports these as effective weights."""
    position = {node: i for i, node in enumerate(tree.node_ids)}
    share = np.zeros(len(tree.node_ids))
    share[position[tree.root]] = 1.0
    order = [tree.root]
    for node in order:  # parents before children
        kids = list(tree.children(node))
        order.extend(kids)
        if not kids:
            continue
        at = [position[k] for k in kids]
        total = weights[at].sum()
        share[at] = share[position[node]] * (weights[at] / total if total > 0 else 0.0)
    return share
