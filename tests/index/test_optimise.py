"""Weights optimised to target importances: the targets are reached within a tolerance, checked by rebuilding the
index with the weight set found and correlating again with numpy; unreachable targets are reported, not hidden."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlens.index.optimise import optimise_weights
from govlens.index.pipeline import compute
from govlens.index.settings import Settings
from tests.index.conftest import design_tree

TREE = design_tree(3, 3)  # IDX <- P0, P1, P2, each of three indicators I{p}_{i}


@pytest.fixture
def data() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    factor = rng.normal(size=40)
    loading = {"P0": 1.4, "P1": 0.8, "P2": 0.4}  # P0's indicators share the most with the others
    return pd.DataFrame(
        {leaf: loading[leaf[:2].replace("I", "P")] * factor + rng.normal(size=40) for leaf in TREE.leaves},
        index=[f"u{i:02d}" for i in range(40)],
    )


def shares_of(data: pd.DataFrame, weights: dict[str, float], nodes: list[str], against: list[str]) -> np.ndarray:
    """Each node's correlation with its target node over their sum, from compute() and numpy (not the optimiser)."""
    scores = compute(data, TREE.with_weight_set("check", weights), Settings(weights="check")).scores
    found = np.array([np.corrcoef(scores[n], scores[g])[0, 1] for n, g in zip(nodes, against, strict=True)])
    return found / found.sum()


def test_equal_importance_of_the_pillars_in_the_index(data: pd.DataFrame) -> None:
    pillars = ["P0", "P1", "P2"]
    nominal = shares_of(data, {}, pillars, ["IDX"] * 3)
    assert np.ptp(nominal) > 0.02  # with equal weights, P0 matters most
    found = optimise_weights(data, TREE, level=1, name="balanced")
    assert found.reached and found.largest_gap < 1e-3
    assert shares_of(data, found.weights, pillars, ["IDX"] * 3) == pytest.approx([1 / 3] * 3, abs=1e-3)
    report = found.report.set_index("node")
    assert report["target"].tolist() == pytest.approx([1 / 3] * 3)
    assert report["weight"].sum() == pytest.approx(1.0)  # the level's weights sum to 1 among siblings
    assert report.loc["P0", "weight"] < report.loc["P2", "weight"]  # the strongest pillar weighs least
    assert found.tree(TREE).weight_sets["balanced"] == found.weights


def test_unequal_targets_with_a_rank_correlation(data: pd.DataFrame) -> None:
    targets = {"P0": 1.0, "P1": 1.0, "P2": 1.5}
    found = optimise_weights(data, TREE, level=1, targets=targets, correlation_method="spearman")
    assert found.reached, found.report
    assert found.report["achieved"].to_numpy() == pytest.approx([2 / 7, 2 / 7, 3 / 7], abs=0.01)
    # the report's correlations are Spearman's: rebuild and rank with pandas
    scores = compute(data, TREE.with_weight_set("s", found.weights), Settings(weights="s")).scores
    rho = [scores[p].corr(scores["IDX"], method="spearman") for p in ("P0", "P1", "P2")]
    assert found.report["correlation"].to_numpy() == pytest.approx(rho, abs=1e-12)


def test_indicators_against_their_parent(data: pd.DataFrame) -> None:
    found = optimise_weights(data, TREE, level=0, against="parent", tolerance=0.005)
    assert found.reached
    for pillar in ("P0", "P1", "P2"):
        kids = [f"I{pillar[1]}_{i}" for i in range(3)]
        assert shares_of(data, found.weights, kids, [pillar] * 3) == pytest.approx([1 / 3] * 3, abs=0.005)
    # the pillars keep their base weights (the framework's)
    assert [found.weights[p] for p in ("P0", "P1", "P2")] == [1.0, 1.0, 1.0]


def test_an_unreachable_target_is_reported(data: pd.DataFrame) -> None:
    # P2 would need 90% of the correlations with the index: even alone it cannot take more than its share
    found = optimise_weights(data, TREE, level=1, targets={"P0": 0.05, "P1": 0.05, "P2": 0.9})
    assert not found.reached and found.largest_gap > 0.1
    assert found.report.set_index("node").loc["P2", "achieved"] < 0.9


def test_an_unbalanced_tree_keeps_the_weights_of_siblings_of_another_height(data: pd.DataFrame) -> None:
    from govlens.index.tree import Tree, TreeNode

    # IDX <- P0 (I0_0, I0_1), I1_0 directly: level 0 holds I0_0, I0_1 and I1_0, whose sibling P0 is of level 1
    nodes = [("IDX", None), ("P0", "IDX"), ("I0_0", "P0"), ("I0_1", "P0"), ("I1_0", "IDX")]
    tree = Tree([TreeNode(node, parent) for node, parent in nodes])
    frame = data.loc[:, ["I0_0", "I0_1", "I1_0"]]
    found = optimise_weights(frame, tree, level=0, against="index")
    assert found.reached and found.weights["P0"] == 1.0
    scores = compute(frame, tree.with_weight_set("s", found.weights), Settings(weights="s")).scores
    r = np.array([np.corrcoef(scores[n], scores["IDX"])[0, 1] for n in ("I0_0", "I0_1", "I1_0")])
    assert r / r.sum() == pytest.approx([1 / 3] * 3, abs=0.01)


def test_bad_arguments_say_what_was_allowed(data: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match=r"level must be one of \{0, 1\}.*got 2"):
        optimise_weights(data, TREE, level=2)
    with pytest.raises(ValueError, match="targets must give one importance to each node of the level"):
        optimise_weights(data, TREE, level=1, targets={"P0": 1.0, "PX": 1.0})
    with pytest.raises(ValueError, match=r"correlation must be one of \{pearson, spearman, kendall\}"):
        optimise_weights(data, TREE, level=1, correlation_method="tau")
    with pytest.raises(ValueError, match="needs means at every level"):
        optimise_weights(data, TREE, Settings(aggregate="copeland"), level=1)
