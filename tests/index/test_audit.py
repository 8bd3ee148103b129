from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from govlens.index.audit import CORRELATION_COLUMNS, audit, correlations, cronbach_alpha, pearson
from govlens.index.pipeline import compute
from govlens.index.tree import Tree, TreeNode


def test_cronbach_alpha_by_hand() -> None:
    # items [1,2,3,4] and [1,3,2,4]: variances 5/3 each; sums [2,5,5,8] variance 6
    # alpha = 2 * (1 - (10/3) / 6) = 8/9
    values = np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0], [4.0, 4.0], [np.nan, 1.0]])
    assert cronbach_alpha(values) == pytest.approx(8 / 9)
    assert cronbach_alpha(np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]])) == pytest.approx(1.0)


def test_pearson_pairwise_complete() -> None:
    x = np.array([1.0, 2.0, 3.0, np.nan, 5.0])
    y = np.array([2.0, 4.0, 6.0, 1.0, 10.0])
    assert pearson(x, y) == pytest.approx(1.0)
    assert np.isnan(pearson(np.array([1.0, 1.0, 1.0]), np.array([1.0, 2.0, 3.0])))


def test_correlations_and_p_values_by_hand() -> None:
    # x 1..5, y (2, 1, 4, 3, 5), one more unit missing in y: deviations (-2, -1, 0, 1, 2) and (-1, -2, 1, 0, 2),
    # products sum to 8, squares to 10 each: r = 0.8; the values are their own ranks, so rho = 0.8 too.
    # Kendall: 8 concordant and 2 discordant pairs of 10, tau = 0.6; exactly (no ties, n = 5), P(|S| >= 6) is
    # the permutations of 5 with at most 2 inversions (1 + 4 + 9) or at least 8, twice 14 of 120.
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    y = np.array([2.0, 1.0, 4.0, 3.0, 5.0, np.nan])
    found = correlations(x, y)
    assert found["n"] == 5
    assert found["r"] == pytest.approx(0.8) and found["spearman"] == pytest.approx(0.8)
    assert found["kendall"] == pytest.approx(0.6)
    assert found["kendall_p"] == pytest.approx(28 / 120)
    # the t test of r with n - 2 = 3 degrees of freedom: t = 0.8 sqrt(3) / 0.6 (the same for rho here)
    t = 0.8 * np.sqrt(3) / 0.6
    assert found["r_p"] == pytest.approx(2 * stats.t.sf(t, 3)) and found["spearman_p"] == pytest.approx(found["r_p"])


def test_correlations_equal_scipy_with_ties_and_missing_values() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(0, 4, size=40).astype(float)  # ties: the normal approximation of Kendall's test
    y = x + rng.normal(size=40)
    x[[2, 9]] = np.nan
    found = correlations(x, y)
    kept = ~np.isnan(x)
    for name, test in (("r", stats.pearsonr), ("spearman", stats.spearmanr), ("kendall", stats.kendalltau)):
        outcome = test(x[kept], y[kept])
        assert found[name] == pytest.approx(outcome.statistic, abs=1e-15)
        assert found[f"{name}_p"] == pytest.approx(outcome.pvalue, rel=1e-12)
    assert found["n"] == 38


def test_correlations_undefined_without_variance_or_pairs() -> None:
    found = correlations(np.array([1.0, 1.0, 1.0, 1.0]), np.array([1.0, 2.0, 3.0, 4.0]))
    assert found["n"] == 4 and all(np.isnan(found[name]) for name in CORRELATION_COLUMNS[4:])
    assert correlations(np.array([1.0, 2.0, np.nan]), np.array([1.0, 2.0, 3.0]))["n"] == 2


def test_audit_flags_a_negative_indicator() -> None:
    tree = Tree([TreeNode("R", None), TreeNode("x", "R"), TreeNode("y", "R"), TreeNode("z", "R")])
    rng = np.random.default_rng(5)
    base = rng.normal(size=60)
    data = pd.DataFrame(
        {
            "x": base,
            "y": base + rng.normal(scale=0.3, size=60),
            "z": -base + rng.normal(scale=0.1, size=60) * 0 - 0.5 * base,
        },
        index=[f"u{i}" for i in range(60)],
    )
    report = audit(compute(data, tree))
    flagged = report.flags.set_index("node")
    assert flagged.loc["z", "flag"] == "negative"
    assert "x" not in flagged.index
    assert report.reliability.loc[0, "node"] == "R"
    assert set(report.correlations["relation"]) == {"parent", "sibling"}
    assert list(report.correlations.columns) == list(CORRELATION_COLUMNS)
    z = report.correlations.set_index(["node", "other"]).loc[("z", "R")]
    assert z["r"] == flagged.loc["z", "r"] and z["r_p"] == flagged.loc["z", "p"] and z["n"] == 60
    assert z["kendall"] < 0 and z["spearman"] < 0
    assert any("negatively" in line for line in report.summary())


def test_effective_weights_by_hand(small_tree: Tree) -> None:
    from govlens.index.weight import effective_weights

    # IDX = (P1 + P2) / 2; P1 = (a + b) / 2; P2 = (2 c + d) / 3
    shares = dict(zip(small_tree.node_ids, effective_weights(small_tree, small_tree.weight_vector()), strict=True))
    assert shares == pytest.approx({"a": 0.25, "b": 0.25, "c": 1 / 3, "d": 1 / 6, "P1": 0.5, "P2": 0.5, "IDX": 1.0})


def test_audit_reports_effective_weights_and_indicator_statistics(small_data: pd.DataFrame, small_tree: Tree) -> None:
    report = audit(compute(small_data, small_tree))
    weights = report.weights.set_index("node")["effective_weight"]
    assert weights["c"] == pytest.approx(1 / 3) and weights["P1"] == pytest.approx(0.5)
    stats = report.statistics.set_index("indicator")
    assert list(report.statistics.columns)[:4] == ["indicator", "n", "missing_share", "min"]
    # c: 0.5, (missing), 0.9, 0.1 -> n 3, mean 0.5, sd 0.4, three distinct values, no zero
    assert stats.loc["c", "n"] == 3 and stats.loc["c", "missing_share"] == pytest.approx(0.25)
    assert stats.loc["c", "mean"] == pytest.approx(0.5) and stats.loc["c", "sd"] == pytest.approx(0.4)
    assert stats.loc["c", "unique"] == 3 and stats.loc["c", "zero_share"] == 0.0


def test_indicator_statistics_flag_outliers_zeros_and_collinearity() -> None:
    from govlens.index.audit import indicator_statistics

    x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 100.0]
    frame = pd.DataFrame({"x": x, "twice": [2 * v for v in x], "other": [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]})
    stats = indicator_statistics(frame).set_index("indicator")
    # quartiles of x 2.25 and 6.75 (numpy's linear rule): 100 > 6.75 + 1.5 * 4.5 is the one outlier
    assert stats.loc["x", "outliers"] == 1 and stats.loc["x", "zero_share"] == pytest.approx(0.1)
    assert stats.loc["x", "collinear_with"] == "twice" and stats.loc["other", "collinear_with"] == ""
    assert stats.loc["x", "skewness"] > 2
