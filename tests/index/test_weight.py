from __future__ import annotations

import numpy as np
import pytest

from govlens.index.tree import Tree, TreeNode
from govlens.index.weight import Weighter, first_component


def test_framework_and_equal_weights(small_tree: Tree) -> None:
    leaves = np.random.default_rng(0).random((5, 4))
    framework = Weighter(method="framework").fit(leaves, small_tree).weights_
    assert framework["c"] == 2.0 and framework["d"] == 1.0
    equal = Weighter(method="equal").fit(leaves, small_tree).weights_
    assert set(equal.to_numpy()) == {1.0}


def test_first_component_of_two_correlated_children_is_balanced() -> None:
    # any two positively correlated columns: the first eigenvector of [[1, r], [r, 1]] is (1, 1)/sqrt(2)
    rng = np.random.default_rng(1)
    base = rng.normal(size=50)
    values = np.column_stack([base + rng.normal(scale=0.5, size=50), base])
    found = first_component(values)
    assert found is not None
    loadings, share = found
    assert loadings**2 == pytest.approx([0.5, 0.5])
    r = np.corrcoef(values, rowvar=False)[0, 1]
    assert share == pytest.approx((1 + r) / 2)


def test_pca_weights_favour_the_common_factor() -> None:
    tree = Tree([TreeNode("R", None), TreeNode("x", "R"), TreeNode("y", "R"), TreeNode("z", "R")])
    rng = np.random.default_rng(2)
    base = rng.normal(size=200)
    leaves = np.column_stack([base, base + rng.normal(scale=0.1, size=200), rng.normal(size=200)])
    weights = Weighter(method="pca").fit(leaves, tree).weights_
    assert weights[["x", "y", "z"]].sum() == pytest.approx(1.0)
    assert weights["x"] > 0.45 and weights["y"] > 0.45 and weights["z"] < 0.05


def test_pca_falls_back_to_equal_weights_with_too_few_cases(small_tree: Tree) -> None:
    leaves = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.1, 0.2, 0.9]])
    weighter = Weighter(method="pca").fit(leaves, small_tree)
    assert weighter.weights_[["a", "b", "c", "d"]].tolist() == [1.0, 1.0, 1.0, 1.0]
    assert weighter.notes_


def test_unknown_method(small_tree: Tree) -> None:
    with pytest.raises(ValueError, match=r"weights must be one of \{framework, equal, pca\}; got 'pcа2'"):
        Weighter(method="pcа2").fit(np.zeros((3, 4)), small_tree)
