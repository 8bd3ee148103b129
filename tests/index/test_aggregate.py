from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.index.aggregate import aggregate_tree, copeland, weighted_mean
from govlens.index.tree import Tree

VALUES = np.array([[0.2, 0.8], [0.5, np.nan]])
WEIGHTS = np.array([1.0, 3.0])


def test_weighted_means_over_children_present() -> None:
    assert weighted_mean(VALUES, WEIGHTS, method="arithmetic")[:, 0] == pytest.approx([(0.2 + 3 * 0.8) / 4, 0.5])
    # geometric: (0.2 * 0.8^3)^(1/4) = 0.1024^(1/4)
    assert weighted_mean(VALUES, WEIGHTS, method="geometric")[:, 0] == pytest.approx([0.1024**0.25, 0.5])
    # harmonic: 4 / (1/0.2 + 3/0.8) = 4 / 8.75
    assert weighted_mean(VALUES, WEIGHTS, method="harmonic")[:, 0] == pytest.approx([4 / 8.75, 0.5])


def test_coverage_threshold_leaves_the_node_missing() -> None:
    result = weighted_mean(VALUES, WEIGHTS, method="arithmetic", coverage_threshold=0.6)[:, 0]
    assert result[0] == pytest.approx(0.65) and np.isnan(result[1])
    assert weighted_mean(VALUES, WEIGHTS, method="arithmetic", coverage_threshold=0.5)[1, 0] == pytest.approx(0.5)


def test_no_child_present_is_missing() -> None:
    assert np.isnan(weighted_mean(np.array([[np.nan, np.nan]]), WEIGHTS)[0, 0])


def test_geometric_and_harmonic_refuse_non_positive_values() -> None:
    with pytest.raises(ValueError, match="geometric mean needs positive values"):
        weighted_mean(np.array([[0.0, 1.0]]), WEIGHTS, method="geometric")
    with pytest.raises(ValueError, match="harmonic mean needs positive values"):
        weighted_mean(np.array([[-1.0, 1.0]]), WEIGHTS, method="harmonic")


def test_copeland_by_hand() -> None:
    # U1 [3,3], U2 [2,2], U3 [1,3]; O(1,2)=1, O(1,3)=.5+.25, O(2,3)=.5, O(3,1)=.25, O(3,2)=.5
    values = np.array([[3.0, 3.0], [2.0, 2.0], [1.0, 3.0]])
    assert copeland(values, np.array([1.0, 1.0])) == pytest.approx([0.875, 0.25, 0.375])


def test_batched_weights_equal_one_by_one(small_tree: Tree) -> None:
    rng = np.random.default_rng(3)
    leaves = rng.random((6, 4))
    weights = rng.random((5, len(small_tree.node_ids))) + 0.1
    batched = aggregate_tree(leaves, small_tree, weights)
    for r in range(5):
        np.testing.assert_allclose(batched[r], aggregate_tree(leaves, small_tree, weights[r]))
    leaves[2, 1] = np.nan  # with a missing value the denominators differ by unit
    for method in ("arithmetic", "geometric", "harmonic"):
        batched = aggregate_tree(leaves, small_tree, weights, method, 0.5)
        for r in range(5):
            np.testing.assert_allclose(batched[r], aggregate_tree(leaves, small_tree, weights[r], method, 0.5))


def test_two_parents_in_one_call() -> None:
    values = np.array([[1.0, 2.0, 3.0, 5.0]])
    membership = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=bool)
    result = weighted_mean(values, np.array([1.0, 1.0, 1.0, 3.0]), membership)
    assert result[0].tolist() == pytest.approx([1.5, (3 + 15) / 4])


@settings(max_examples=50, deadline=None)
@given(
    st.floats(0.01, 100.0),
    st.lists(st.one_of(st.just(0.0), st.floats(1e-3, 10.0)), min_size=2, max_size=6).filter(lambda w: sum(w) > 0),
    st.sampled_from(["arithmetic", "geometric", "harmonic"]),
)
def test_aggregating_equal_inputs_returns_that_input(value: float, weights: list[float], method: str) -> None:
    values = np.full((1, len(weights)), value)
    result = weighted_mean(values, np.array(weights), method=method)
    assert result[0, 0] == pytest.approx(value, rel=1e-9)
