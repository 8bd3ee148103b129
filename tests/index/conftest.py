"""Small named fixtures for the index engine: a 2-pillar tree and 4 units worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from govlens.index.tree import Tree, TreeNode


@pytest.fixture
def small_tree() -> Tree:
    # IDX <- P1 (a, b[-1]), P2 (c weight 2, d)
    return Tree(
        [
            TreeNode("IDX", None),
            TreeNode("P1", "IDX"),
            TreeNode("P2", "IDX"),
            TreeNode("a", "P1"),
            TreeNode("b", "P1", 1.0, -1),
            TreeNode("c", "P2", 2.0),
            TreeNode("d", "P2"),
        ]
    )


@pytest.fixture
def small_data() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": [1.0, 2.0, 3.0, 4.0],
            "b": [10.0, 20.0, 30.0, 5.0],
            "c": [0.5, np.nan, 0.9, 0.1],
            "d": [3.0, 4.0, 5.0, np.nan],
        },
        index=pd.Index(["ARG", "BRA", "CHL", "MEX"], name="unit"),
    )


def design_tree(pillars: int, per_pillar: int) -> Tree:
    nodes = [TreeNode("IDX", None)]
    for p in range(pillars):
        nodes.append(TreeNode(f"P{p}", "IDX"))
        nodes.extend(TreeNode(f"I{p}_{i}", f"P{p}") for i in range(per_pillar))
    return Tree(nodes)
