from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlens.index.compare import compare_builds, leave_one_out, rank_moves
from govlens.index.errors import IndexInputError
from govlens.index.io import read_results
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


def test_rank_moves_by_hand() -> None:
    # framework weights: U1 rank 3, U2 2, U3 1; equal weights: all tie at 1. U1 rises 2, U2 1, U3 stays
    table = compare_builds(compute(DATA, TREE), compute(DATA, TREE, Settings(weights="equal")))
    moves = rank_moves(table, "IDX")
    assert (moves.units, moves.moved, moves.mean_abs_change) == (3, 2, pytest.approx(1.0))
    assert moves.up == ("U1", 3.0, 1.0) and moves.down is None
    back = rank_moves(compare_builds(compute(DATA, TREE, Settings(weights="equal")), compute(DATA, TREE)), "IDX")
    assert back.down == ("U1", 1.0, 3.0) and back.up is None


def test_a_results_file_is_a_build(tmp_path: Path) -> None:
    from govlens import tabular

    framework = compute(DATA, TREE)
    path = tmp_path / "results.csv"
    tabular.write_frame(framework.table(), path)
    read = read_results(path)
    assert read.scores.equals(framework.scores.rename_axis(index="unit", columns="node"))
    table = compare_builds(read, compute(DATA, TREE, Settings(weights="equal")))
    assert table.set_index(["unit", "node"]).loc[("U1", "IDX"), "rank_change"] == -2.0


def test_a_file_that_is_not_results_is_refused_with_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("unit,node,score\nU1,IDX,0.5\n", encoding="utf-8")
    with pytest.raises(IndexInputError) as caught:
        read_results(path)
    assert [(p.code, p.column) for p in caught.value.report.problems] == [("results_missing_column", "rank")]
    path.write_text("unit,node,score,rank\nU1,IDX,high,1\nU1,IDX,0.5,1\n", encoding="utf-8")
    with pytest.raises(IndexInputError) as caught:
        read_results(path)
    assert [(p.code, p.row) for p in caught.value.report.problems] == [("non_numeric_value", 2), ("duplicate_unit", 3)]
