from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlens.index.audit import audit, cronbach_alpha, pearson
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
    assert any("negatively" in line for line in report.summary())
