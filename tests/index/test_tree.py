from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from govlens.framework.model import Framework, Node, NodeKind
from govlens.index.errors import IndexInputError
from govlens.index.tree import Tree, TreeNode


def test_small_tree_structure(small_tree: Tree) -> None:
    assert small_tree.root == "IDX"
    assert small_tree.leaves == ("a", "b", "c", "d")
    assert small_tree.aggregates == ("P1", "P2", "IDX")
    assert small_tree.children("P2") == ("c", "d")
    assert small_tree.direction("b") == -1
    assert [level.parents for level in small_tree.levels] == [("P1", "P2"), ("IDX",)]
    assert small_tree.depth("c") == 2


def test_unbalanced_tree_levels() -> None:
    frame = pd.DataFrame({"id": ["R", "x", "P", "y"], "parent": ["", "R", "R", "P"], "weight": ["", "1", "1", "1"]})
    tree = Tree.from_frame(frame)
    # R has a leaf child (x) and an aggregate child (P): P is computed first
    assert tree.aggregates == ("P", "R")
    assert tree.levels[1].children == ("x", "P")


def csv_problems(tmp_path: Path, text: str) -> set[tuple[str, int | None, str | None]]:
    """(code, row, column) of every problem of a tree CSV that must be refused."""
    path = tmp_path / "tree.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IndexInputError) as caught:
        Tree.from_csv(path)
    return {(p.code, p.row, p.column) for p in caught.value.report.problems}


def test_from_csv_reports_located_problems(tmp_path: Path) -> None:
    problems = csv_problems(tmp_path, "id,parent,weight,direction\nIDX,,1,1\nP,IDX,abc,1\nq,P,1,2\nr,Z,1,1\n")
    assert ("invalid_weight", 3, "weight") in problems
    assert ("invalid_direction", 4, "direction") in problems
    assert ("tree_dangling_parent", 5, "parent") in problems


def test_unknown_parent_and_cycle_are_reported() -> None:
    frame = pd.DataFrame({"id": ["R", "a", "b", "c"], "parent": ["", "R", "c", "b"]})
    with pytest.raises(IndexInputError) as caught:
        Tree.from_frame(frame)
    assert "tree_cycle" in caught.value.report.codes()
    frame = pd.DataFrame({"id": ["R", "a"], "parent": ["", "nope"]})
    with pytest.raises(IndexInputError) as caught:
        Tree.from_frame(frame)
    assert caught.value.report.codes() == ["tree_dangling_parent"]
    assert caught.value.report.problems[0].row == 3


def test_missing_columns_and_several_roots() -> None:
    with pytest.raises(IndexInputError) as caught:
        Tree.from_frame(pd.DataFrame({"id": ["a"]}))
    assert caught.value.report.problems[0].column == "parent"
    with pytest.raises(IndexInputError) as caught:
        Tree.from_frame(pd.DataFrame({"id": ["a", "b"], "parent": ["", ""]}))
    assert caught.value.report.codes() == ["tree_root"]


def test_from_framework_uses_node_ids_weights_and_directions() -> None:
    framework = Framework(
        id="demo",
        version="1",
        title={"en": "Demo"},
        nodes=(
            Node("IX", NodeKind.INDEX, {"en": "Index"}),
            Node("P1", NodeKind.PILLAR, {"en": "Pillar"}, parent="IX", weight=2.0),
            Node("I1", NodeKind.INDICATOR, {"en": "One"}, parent="P1", direction=-1),
            Node("I2", NodeKind.INDICATOR, {"en": "Two"}, parent="P1", weight=3.0),
        ),
    )
    tree = Tree.from_framework(framework)
    assert tree.leaves == ("I1", "I2")
    assert tree.weight("P1") == 2.0 and tree.weight("I2") == 3.0
    assert tree.direction("I1") == -1
    assert tree.nodes["I2"].label == "Two"


def test_with_weights_and_without(small_tree: Tree) -> None:
    heavier = small_tree.with_weights({"a": 5.0})
    assert heavier.weight("a") == 5.0 and small_tree.weight("a") == 1.0
    assert small_tree.without("d").children("P2") == ("c",)
    with pytest.raises(ValueError, match="unknown"):
        small_tree.with_weights({"zz": 1.0})


def test_goalposts_columns(tmp_path: Path) -> None:
    path = tmp_path / "tree.csv"
    path.write_text("id,parent,low,high\nR,,,\nx,R,0,10\ny,R,,\n", encoding="utf-8")
    assert Tree.from_csv(path).goalposts == {"x": (0.0, 10.0)}
    assert Tree.from_frame(Tree.from_csv(path).to_frame().astype(str)).goalposts == {"x": (0.0, 10.0)}
    path.write_text("id,parent,low,high\nR,,,\nx,R,5,1\n", encoding="utf-8")
    with pytest.raises(IndexInputError) as caught:
        Tree.from_csv(path)
    assert [(p.code, p.row) for p in caught.value.report.problems] == [("tree_bad_goalposts", 3)]


def test_weight_set_columns(tmp_path: Path) -> None:
    path = tmp_path / "tree.csv"
    # the set "expert-2026" weighs x 3 and leaves y blank (its own weight, 2); "flat" gives both 1
    path.write_text("id,parent,weight,weight:expert-2026,weight:flat\nR,,,,\nx,R,1,3,1\ny,R,2,,1\n", encoding="utf-8")
    tree = Tree.from_csv(path)
    assert tree.weight_sets == {"expert-2026": {"x": 3.0}, "flat": {"x": 1.0, "y": 1.0}}
    assert tree.weights_of("expert-2026").tolist() == [3.0, 2.0, 1.0]  # x, y, then the root
    assert tree.weights_of("framework").tolist() == [1.0, 2.0, 1.0]
    with pytest.raises(ValueError, match=r"weights must be one of \{framework, equal, pca, expert-2026, flat\}"):
        tree.weights_of("expert")
    # the table written back reads as the same tree, sets included; copies keep the sets
    again = Tree.from_frame(tree.to_frame().astype(str).replace("nan", ""))
    assert again.weight_sets == tree.weight_sets
    assert tree.without("y").weight_sets == {"expert-2026": {"x": 3.0}, "flat": {"x": 1.0}}
    assert tree.with_weights({"x": 5.0}).weight_sets == tree.weight_sets
    added = tree.with_weight_set("opt", {"x": 0.25, "y": 0.75})
    assert added.weights_of("opt").tolist() == [0.25, 0.75, 1.0] and "opt" not in tree.weight_sets


def test_bad_weight_sets_are_located(tmp_path: Path) -> None:
    problems = csv_problems(tmp_path, "id,parent,weight:equal,weight:ok\nR,,,\nx,R,1,-2\ny,R,,abc\n")
    # "equal" is a weight method, not a set's name; weights must be numbers >= 0
    assert problems == {
        ("tree_bad_weight_set", 1, "weight:equal"),
        ("invalid_weight", 3, "weight:ok"),
        ("invalid_weight", 4, "weight:ok"),
    }
    nodes = [TreeNode("R", None), TreeNode("x", "R")]
    with pytest.raises(ValueError, match="must name nodes of the tree"):
        Tree(nodes, weight_sets={"s": {"zz": 1.0}})
    with pytest.raises(ValueError, match="weights >= 0"):
        Tree(nodes, weight_sets={"s": {"x": float("nan")}})


def test_a_very_deep_tree_needs_no_recursion() -> None:
    # a chain n0 <- n1 <- ... <- n2999 (far deeper than Python's recursion limit) with a side leaf under n0
    nodes = [TreeNode("n0", None), TreeNode("side", "n0")]
    nodes += [TreeNode(f"n{i}", f"n{i - 1}") for i in range(1, 3000)]
    tree = Tree(nodes)
    assert tree.leaves == ("side", "n2999")
    assert tree.height["n2999"] == 0 and tree.height["n2998"] == 1 and tree.height["n0"] == 2999
    assert tree.aggregates[0] == "n2998" and tree.aggregates[-1] == "n0"
    assert len(tree.levels) == 2999
    assert tree.levels[-1].children == ("side", "n1")


def test_the_framework_validator_and_the_engine_apply_the_same_tree_rules() -> None:
    # one broken tree, as a framework and as a tree table: the same codes, from one implementation
    from dataclasses import replace

    from govlens.framework.validate import validate_framework

    label = {"en": "x", "es": "x", "pt": "x", "fr": "x"}
    rows = [
        ("R", None, 1.0, 1),
        ("P", "R", 1.0, 1),
        ("P", "R", 1.0, 1),
        ("a", "P", -2.0, 1),
        ("b", "P", 1.0, 3),
        ("c", "Q", 1.0, 1),
    ]
    framework = Framework(
        id="t",
        version="1",
        title=label,
        nodes=tuple(
            Node(
                i, NodeKind.INDEX if p is None else NodeKind.INDICATOR, label, parent=p, weight=w, direction=d, source=i
            )
            for i, p, w, d in rows
        ),
    )
    tree_codes = {"duplicate_id", "invalid_weight", "tree_dangling_parent", "invalid_direction"}
    framework_codes = set(validate_framework(framework).codes()) & (tree_codes | {"tree_root", "tree_cycle"})
    frame = pd.DataFrame(rows, columns=["id", "parent", "weight", "direction"]).fillna("")
    with pytest.raises(IndexInputError) as caught:
        Tree.from_frame(frame.astype(str))
    # the table reader refuses -2 and 3 while reading; the structure rules give the rest
    engine_codes = set(caught.value.report.codes())
    assert framework_codes == tree_codes
    assert engine_codes == tree_codes
    # a zero weight is allowed by both (a node kept for information, counted nowhere)
    zero = replace(framework, nodes=tuple(replace(n, weight=0.0) if n.id == "a" else n for n in framework.nodes))
    assert "invalid_weight" not in validate_framework(zero).codes()
    zero_tree = Tree([TreeNode("R", None), TreeNode("a", "R", 0.0), TreeNode("b", "R")])
    assert dict(zip(zero_tree.node_ids, zero_tree.weight_vector(), strict=True))["a"] == 0.0


def test_a_tree_with_only_a_root_is_refused() -> None:
    with pytest.raises(IndexInputError) as caught:
        Tree([TreeNode("R", None)])
    assert caught.value.report.codes() == ["tree_no_leaves"]
    assert "only its root 'R'" in str(caught.value)
