from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.index.aggregate import aggregate_tree, borda, copeland, copeland_net, weighted_mean
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


# Four units on three equally weighted indicators. Pairwise shares of weight won (COINr's outrankMatrix), by hand:
#   A-B 2/3 (x1, x2)   A-C 2/3 (x1, x2)   A-D 2/3 (x1, x2)
#   B-C 1   (all)      B-D 1   (all)      C-D 2/3 (x2, x3)
# Copeland (COINr's a_copeland: +1 when the share > 1/2, -1 below, 0 at 1/2, summed over the row):
#   A +3, B -1 +1 +1 = +1, C -1 -1 +1 = -1, D -3.
# Borda (mean share won): A 2/3, B (1/3 + 1 + 1) / 3 = 7/9, C (1/3 + 0 + 2/3) / 3 = 1/3, D (1/3 + 0 + 1/3) / 3 = 2/9.
# Copeland ranks A first (it wins every pairwise majority); Borda ranks B first (it wins its pairs by more).
OUTRANK = np.array([[4.0, 4.0, 1.0], [3.0, 3.0, 4.0], [1.0, 2.0, 3.0], [2.0, 1.0, 2.0]])


def test_copeland_counts_pairwise_majorities_as_coinr_does() -> None:
    equal = np.ones(3)
    assert copeland_net(OUTRANK, equal).tolist() == [3.0, 1.0, -1.0, -3.0]
    # shown on [0, 1] as (wins + ties / 2) / comparisons = (net / 3 + 1) / 2
    assert copeland(OUTRANK, equal) == pytest.approx([1.0, 2 / 3, 1 / 3, 0.0])
    assert borda(OUTRANK, equal) == pytest.approx([2 / 3, 7 / 9, 1 / 3, 2 / 9])


def test_copeland_ties_when_the_weight_won_is_half() -> None:
    # weights (2, 1, 1): A beats B on x1 (weight 2 of 4) and loses x2, x3 (2 of 4): a tie, counted 0 (1/2 on [0, 1])
    values = np.array([[2.0, 1.0, 1.0], [1.0, 2.0, 2.0]])
    weights = np.array([2.0, 1.0, 1.0])
    assert copeland_net(values, weights).tolist() == [0.0, 0.0]
    assert copeland(values, weights).tolist() == [0.5, 0.5]
    # 0.1 + 0.2 against 0.3 in floating point: still a tie
    values = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert copeland_net(values, np.array([0.1, 0.2, 0.3])).tolist() == [0.0, 0.0]


def test_copeland_compares_pairs_on_the_indicators_both_have() -> None:
    # U3 has only x1: against U1 it loses x1 (1 < 3); against U2 it wins x1 (1 > 0); U1 beats U2 on both.
    # U4 has nothing: missing, and left out of the others' comparisons
    values = np.array([[3.0, 3.0], [0.0, 2.0], [1.0, np.nan], [np.nan, np.nan]])
    net = copeland_net(values, np.ones(2))
    assert net[:3].tolist() == [2.0, -2.0, 0.0] and np.isnan(net[3])
    scores = copeland(values, np.ones(2))
    assert scores[:3] == pytest.approx([1.0, 0.0, 0.5]) and np.isnan(scores[3])


def test_borda_by_hand() -> None:
    # U1 [3,3], U2 [2,2], U3 [1,3]; O(1,2)=1, O(1,3)=.5+.25, O(2,3)=.5, O(3,1)=.25, O(3,2)=.5
    values = np.array([[3.0, 3.0], [2.0, 2.0], [1.0, 3.0]])
    assert borda(values, np.array([1.0, 1.0])) == pytest.approx([0.875, 0.25, 0.375])
    # Copeland: U1 wins both pairs; U2 and U3 tie with each other
    assert copeland(values, np.array([1.0, 1.0])) == pytest.approx([1.0, 0.25, 0.25])


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


def test_power_mean_by_hand_and_its_limits() -> None:
    # order 2 (quadratic mean), weights 1 and 3: sqrt((0.2^2 + 3 * 0.8^2) / 4) = sqrt(1.96 / 4) = 0.7
    assert weighted_mean(VALUES, WEIGHTS, method="power", power=2.0)[:, 0] == pytest.approx([0.7, 0.5], abs=1e-15)
    # COINr's a_genmean: p = 1 is the arithmetic mean, p = -1 the harmonic mean (the formula itself, not a shortcut)
    for p, plain in ((1.0, "arithmetic"), (-1.0, "harmonic")):
        assert weighted_mean(VALUES, WEIGHTS, method="power", power=p) == pytest.approx(
            weighted_mean(VALUES, WEIGHTS, method=plain), rel=1e-14
        )
    geometric = weighted_mean(VALUES, WEIGHTS, method="geometric")
    # p -> 0 tends to the geometric mean (the error is O(p)); p = 0 is that limit (COINr refuses p = 0)
    assert weighted_mean(VALUES, WEIGHTS, method="power", power=1e-7) == pytest.approx(geometric, rel=1e-6)
    assert weighted_mean(VALUES, WEIGHTS, method="power", power=-1e-7) == pytest.approx(geometric, rel=1e-6)
    assert np.array_equal(weighted_mean(VALUES, WEIGHTS, method="power", power=0.0), geometric)
    # the means are ordered by p (power mean inequality) on the unit with two values
    orders = [weighted_mean(VALUES, WEIGHTS, method="power", power=p)[0, 0] for p in (-3.0, -1.0, 0.5, 1.0, 4.0)]
    assert orders == sorted(orders) and len(set(orders)) == 5


def test_power_mean_refuses_non_positive_values_and_a_bad_order() -> None:
    with pytest.raises(ValueError, match="power mean needs positive values"):
        weighted_mean(np.array([[0.0, 1.0]]), WEIGHTS, method="power", power=-2.0)
    with pytest.raises(ValueError, match="power must be a number"):
        weighted_mean(VALUES, WEIGHTS, method="power", power=float("nan"))


def test_aggregation_method_and_coverage_threshold_per_level() -> None:
    tree = Tree.from_frame(
        pd.DataFrame(
            {"id": ["IDX", "P1", "P2", "a", "b", "c", "d"], "parent": [None, "IDX", "IDX", "P1", "P1", "P2", "P2"]}
        )
    )
    leaves = np.array([[1.0, 4.0, 2.0, np.nan], [9.0, 1.0, 4.0, 1.0]])
    weights = np.ones(len(tree.node_ids))
    # level 1 geometric: P1 = sqrt(1 * 4) = 2, P2 = 2 (only c present); level 2 arithmetic: (2 + 2) / 2 = 2
    # second unit: P1 = 3, P2 = 2, IDX = 2.5
    result = aggregate_tree(leaves, tree, weights, ("geometric", "arithmetic"))
    at = {node: i for i, node in enumerate(tree.node_ids)}
    assert result[:, at["P1"]] == pytest.approx([2.0, 3.0])
    assert result[:, at["IDX"]] == pytest.approx([2.0, 2.5])
    # a threshold of 1 at the first level only: P2 of the first unit is missing, so IDX is P1 alone
    covered = aggregate_tree(leaves, tree, weights, ("geometric", "arithmetic"), (1.0, 0.0))
    assert np.isnan(covered[0, at["P2"]]) and covered[0, at["IDX"]] == pytest.approx(2.0)
    # power per level: order 2 at the top: sqrt((3^2 + 2^2) / 2) for the second unit
    powered = aggregate_tree(leaves, tree, weights, ("geometric", "power"), 0.0, (1.0, 2.0))
    assert powered[1, at["IDX"]] == pytest.approx(np.sqrt(6.5))
    with pytest.raises(ValueError, match=r"one value per level of aggregates \(2 in this tree.*got 3"):
        aggregate_tree(leaves, tree, weights, ("geometric", "arithmetic", "harmonic"))
    with pytest.raises(ValueError, match="cannot be mixed with means"):
        aggregate_tree(leaves, tree, weights, ("copeland", "arithmetic"))
