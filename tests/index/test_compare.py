from __future__ import annotations

import pandas as pd
import pytest

from govlens.index.compare import compare_builds, leave_one_out
from govlens.index.pipeline import compute
from govlens.index.settings import Settings
from govlens.index.tree import Tree, TreeNode

# two indicators; U1 is best on x, U3 on y
TREE = Tree([TreeNode("IDX", None), TreeNode("x", "IDX"), TreeNode("y", "IDX", 3.0)])
DATA = pd.DataFrame({"x": [3.0, 2.0, 1.0], "y": [0.0, 1.0, 2.0]}, index=["U1", "U2", "U3"])


def test_compare_builds_lists_rank_changes() -> None:
    framework = compute(DATA, TREE)  # IDX = (x' + 3 y') / 4: U1 0.25, U2 0.5, U3 0.75
    equal = compute(DATA, TREE, Settings(weights="equal"))  # every unit 0.5: ranks tie at 1
    table = compare_builds(framework, equal).set_index(["unit", "node"])
    assert table.loc[("U3", "IDX"), "score_a"] == pytest.approx(0.75)
    assert table.loc[("U1", "IDX"), ["rank_a", "rank_b", "rank_change"]].tolist() == [3.0, 1.0, -2.0]
    assert table.loc[("U3", "IDX"), "rank_change"] == 0.0
    assert len(table) == 3 * 3


def test_leave_one_out_measures_each_indicator_on_the_index_ranks() -> None:
    influence = leave_one_out(DATA, TREE).set_index("left_out")
    # without x the index is y alone: ranks 3, 2, 1, as with both (no change); without y it is x: 1, 2, 3
    assert influence.loc["x", "mean_abs_rank_change"] == 0.0
    assert influence.loc["y"].tolist() == [pytest.approx(4 / 3), 2.0, 2]
