"""Comparing builds of an index: two results side by side (rank changes), and the influence of each indicator
measured by leaving it out (COINr's ``compare_coins`` and ``remove_elements``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from govlens.index.io import Dataset
from govlens.index.pipeline import compute
from govlens.index.settings import Settings
from govlens.index.tree import Tree

COMPARISON_COLUMNS = ("unit", "node", "score_a", "score_b", "rank_a", "rank_b", "rank_change")
INFLUENCE_COLUMNS = ("left_out", "mean_abs_rank_change", "max_abs_rank_change", "units_moved")


class Build(Protocol):
    """What a comparison needs of a build: scores and ranks, units x nodes (an IndexResult, or a results file)."""

    @property
    def scores(self) -> pd.DataFrame: ...
    @property
    def ranks(self) -> pd.DataFrame: ...


def compare_builds(a: Build, b: Build) -> pd.DataFrame:
    """One row per unit and node the two builds share: both scores and ranks, and rank_change = rank_b - rank_a
    (negative: the unit moved up in build b). Units or nodes in only one build are left out. A build is an
    :class:`IndexResult` or the :class:`govlens.index.io.Results` of a results file."""
    units = [u for u in a.scores.index if u in b.scores.index]
    nodes = [n for n in a.scores.columns if n in b.scores.columns]
    rows = {
        "unit": np.repeat(np.array(units, dtype=object), len(nodes)),
        "node": np.tile(np.array(nodes, dtype=object), len(units)),
        "score_a": a.scores.loc[units, nodes].to_numpy(dtype=float).reshape(-1),
        "score_b": b.scores.loc[units, nodes].to_numpy(dtype=float).reshape(-1),
        "rank_a": a.ranks.loc[units, nodes].to_numpy(dtype=float).reshape(-1),
        "rank_b": b.ranks.loc[units, nodes].to_numpy(dtype=float).reshape(-1),
    }
    table = pd.DataFrame(rows)
    table["rank_change"] = table["rank_b"] - table["rank_a"]
    return table.loc[:, list(COMPARISON_COLUMNS)]


def leave_one_out(
    data: Dataset | pd.DataFrame, tree: Tree, settings: Settings | None = None, previous: pd.DataFrame | None = None
) -> pd.DataFrame:
    """For each indicator (that is not the only child of its parent): the index rebuilt without it, and how far the
    units' index ranks move from the full build (mean and largest absolute change, units that moved)."""
    full = compute(data, tree, settings, previous)
    base = full.ranks[tree.root]
    rows = []
    for leaf in tree.leaves:
        parent = tree.parent(leaf)
        if parent is None or len(tree.children(parent)) < 2:
            continue
        reduced = compute(data, tree.without(leaf), settings, previous)
        change = (reduced.ranks[tree.root].reindex(base.index) - base).abs()
        rows.append(
            {
                "left_out": leaf,
                "mean_abs_rank_change": float(change.mean()),
                "max_abs_rank_change": float(change.max()),
                "units_moved": int((change > 0).sum()),
            }
        )
    return pd.DataFrame(rows, columns=list(INFLUENCE_COLUMNS))


@dataclass(frozen=True)
class Moves:
    """How the units' ranks at one node moved from build a to build b (units ranked in both)."""

    node: str
    units: int  # ranked in both builds
    moved: int
    mean_abs_change: float
    up: tuple[str, float, float] | None  # the unit that rose most: (unit, rank a, rank b)
    down: tuple[str, float, float] | None  # the unit that fell most


def rank_moves(table: pd.DataFrame, node: str) -> Moves:
    """The moves at ``node`` of a :func:`compare_builds` table."""
    rows = table[(table["node"] == node) & table["rank_change"].notna()]
    change = rows["rank_change"].to_numpy(dtype=float)

    def extreme(position: int) -> tuple[str, float, float] | None:
        row = rows.iloc[position]
        return (str(row["unit"]), float(row["rank_a"]), float(row["rank_b"]))

    if not len(rows):
        return Moves(node, 0, 0, float("nan"), None, None)
    lowest, highest = int(np.argmin(change)), int(np.argmax(change))
    return Moves(
        node,
        len(rows),
        int(np.count_nonzero(change)),
        float(np.mean(np.abs(change))),
        extreme(lowest) if change[lowest] < 0 else None,
        extreme(highest) if change[highest] > 0 else None,
    )
