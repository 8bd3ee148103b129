"""The aggregation tree of a composite index: the index at the root, pillars, sub-pillars, indicators as leaves.

Built from a plain table (``id,parent,weight,direction,label``, e.g. a CSV, with optional ``low,high``
goalposts of leaves for the goalposts normalisation, optional ``weight:NAME`` columns, each a named weight set,
and ``denominator,denominator_scale``: the data column a leaf is divided by, and the scale of that column) or from
a GovLens framework (its ``weight_sets``).
Leaves are indicators, i.e. columns of the data; every other node is an aggregate of its children.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from govlens.framework.errors import Location, problem
from govlens.framework.report import Report
from govlens.framework.tree_rules import WEIGHT_METHODS, WEIGHT_SET_PREFIX, tree_problems, weight_set_name_ok
from govlens.index.errors import IndexInputError

if TYPE_CHECKING:
    from govlens.framework.model import Framework

TREE_COLUMNS: tuple[str, ...] = ("id", "parent", "weight", "direction", "label")
REQUIRED_TREE_COLUMNS: tuple[str, ...] = ("id", "parent")


@dataclass(frozen=True)
class TreeNode:
    id: str
    parent: str | None
    weight: float = 1.0
    direction: int = 1
    label: str = ""
    row: int | None = None  # 1-based row of the source file, for located messages


@dataclass(frozen=True)
class Level:
    """Aggregates that can be computed together (all their children are computed before them)."""

    parents: tuple[str, ...]
    children: tuple[str, ...]
    # membership[c, p] is True when children[c] is a child of parents[p]
    membership: np.ndarray


class Tree:
    """A validated aggregation tree. Build it with ``Tree(nodes)``, ``from_frame``, ``from_csv`` or
    ``from_framework``; invalid trees raise :class:`IndexInputError` with every problem located."""

    def __init__(
        self,
        nodes: Sequence[TreeNode],
        path: str = "",
        sources: Mapping[str, str] | None = None,
        weight_sets: Mapping[str, Mapping[str, float]] | None = None,
    ) -> None:
        report = _validate(nodes, path)
        if not report.valid:
            raise IndexInputError(report)
        self.path = path
        # leaf -> variable name in a public dataset, when the framework names one (default: the leaf id)
        self.sources: dict[str, str] = dict(sources or {})
        # leaf -> (low, high) goalposts from the optional low/high columns of a tree table
        self.goalposts: dict[str, tuple[float, float]] = {}
        # leaf -> (data column, scale) from the optional denominator/denominator_scale columns of a tree table
        self.denominators: dict[str, tuple[str, float]] = {}
        self.nodes: dict[str, TreeNode] = {node.id: node for node in nodes}
        self._children: dict[str, list[str]] = {node.id: [] for node in nodes}
        for node in nodes:
            if node.parent is not None:
                self._children[node.parent].append(node.id)
        self.root: str = next(node.id for node in nodes if node.parent is None)
        self.leaves: tuple[str, ...] = tuple(node.id for node in nodes if not self._children[node.id])
        # heights without recursion (a tree may be thousands of levels deep): every node after its
        # parent in breadth-first order, so the reverse order meets every child before its parent
        order = [self.root]
        for node_id in order:
            order.extend(self._children[node_id])
        height: dict[str, int] = {}
        for node_id in reversed(order):
            kids = self._children[node_id]
            height[node_id] = 1 + max(height[kid] for kid in kids) if kids else 0
        self.height = height
        # aggregates from the bottom up (children always before parents), stable in input order
        self.aggregates: tuple[str, ...] = tuple(
            sorted((node.id for node in nodes if self._children[node.id]), key=lambda nid: height[nid])
        )
        levels: list[Level] = []
        for h in sorted({height[a] for a in self.aggregates}):
            parents = tuple(a for a in self.aggregates if height[a] == h)
            children = tuple(c for p in parents for c in self._children[p])
            membership = np.zeros((len(children), len(parents)), dtype=bool)
            position = {c: i for i, c in enumerate(children)}
            for j, p in enumerate(parents):
                for c in self._children[p]:
                    membership[position[c], j] = True
            levels.append(Level(parents, children, membership))
        self.levels: tuple[Level, ...] = tuple(levels)
        # name -> node -> weight: the alternatives to the nodes' own weights; a node a set leaves out keeps its own
        self.weight_sets: dict[str, dict[str, float]] = {}
        for name, weights in (weight_sets or {}).items():
            self._add_weight_set(name, weights)

    def _add_weight_set(self, name: str, weights: Mapping[str, float]) -> None:
        if not weight_set_name_ok(name):
            raise ValueError(
                f"a weight set's name must be letters, digits, '-', '_', '.' and not one of "
                f"{{{', '.join(WEIGHT_METHODS)}}}; got {name!r}"
            )
        unknown = sorted(set(weights) - set(self.nodes))
        if unknown:
            raise ValueError(f"weight set {name!r} must name nodes of the tree; got unknown {unknown}")
        bad = {node: w for node, w in weights.items() if not (math.isfinite(float(w)) and float(w) >= 0)}
        if bad:
            raise ValueError(f"weight set {name!r} must give weights >= 0; got {bad}")
        self.weight_sets[name] = {node: float(w) for node, w in weights.items()}

    # -- construction ---------------------------------------------------------------------------------
    @classmethod
    def from_frame(cls, frame: pd.DataFrame, path: str = "", first_row: int = 2) -> Tree:
        """From a table with columns id, parent (required), weight, direction, label (optional).
        ``first_row`` is the file row of the first data row (2 for a CSV with one header line)."""
        report = Report()
        columns = [str(c).strip() for c in frame.columns]
        for required in REQUIRED_TREE_COLUMNS:
            if required not in columns:
                found = ", ".join(map(repr, columns)) or "none"
                at = Location(row=1, column=required)
                report.add(problem("tree_missing_column", path, at, name=required, found=found))
        if not report.valid:
            raise IndexInputError(report)
        frame = frame.copy()
        frame.columns = pd.Index(columns)
        nodes: list[TreeNode] = []
        goalposts: dict[str, tuple[float, float]] = {}
        set_columns = [c for c in columns if c.startswith(WEIGHT_SET_PREFIX)]
        weight_sets: dict[str, dict[str, float]] = {}
        for column in set_columns:
            name = column[len(WEIGHT_SET_PREFIX) :].strip()
            if not weight_set_name_ok(name) or name in weight_sets:
                report.add(problem("tree_bad_weight_set", path, Location(row=1, column=column), name=name))
            weight_sets[name] = {}
        denominators: dict[str, tuple[str, float]] = {}
        for offset, record in enumerate(frame.to_dict("records")):
            row = first_row + offset
            node_id = _text(record.get("id"))
            if not node_id:
                if all(not _text(value) for value in record.values()):
                    continue  # blank line
                report.add(problem("tree_missing_id", path, Location(row=row, column="id")))
                continue
            parent = _text(record.get("parent")) or None
            weight = _number(record.get("weight"), default=1.0)
            if weight is None:
                value = repr(record.get("weight"))
                report.add(problem("invalid_weight", path, Location(row=row, column="weight"), id=node_id, value=value))
                weight = 1.0  # kept in the tree, so that the structure is checked too (every problem at once)
            direction_text = _text(record.get("direction")) or "1"
            direction = {"1": 1.0, "+1": 1.0, "1.0": 1.0, "-1": -1.0, "-1.0": -1.0}.get(direction_text)
            if direction is None:
                value = repr(record.get("direction"))
                at = Location(row=row, column="direction")
                report.add(problem("invalid_direction", path, at, id=node_id, value=value))
                direction = 1.0
            nodes.append(TreeNode(node_id, parent, weight, int(direction), _text(record.get("label")), row))
            for column in set_columns:
                if not _text(record.get(column)):
                    continue  # the node keeps its own weight in this set
                number = _number(record.get(column), default=1.0)
                if number is None:
                    value = repr(record.get(column))
                    report.add(
                        problem("invalid_weight", path, Location(row=row, column=column), id=node_id, value=value)
                    )
                    continue
                weight_sets[column[len(WEIGHT_SET_PREFIX) :].strip()][node_id] = number
            column, scale_text = _text(record.get("denominator")), _text(record.get("denominator_scale"))
            if column or scale_text:
                scale = _number(scale_text, default=1.0)
                if not column or not scale:
                    at = Location(row=row, column="denominator" if not column else "denominator_scale")
                    report.add(problem("tree_bad_denominator", path, at, id=node_id, column=column, scale=scale_text))
                else:
                    denominators[node_id] = (column, scale)
            low, high = _text(record.get("low")), _text(record.get("high"))
            if low or high:
                try:
                    bounds = (float(low), float(high))
                except ValueError:
                    bounds = (math.nan, math.nan)
                if not bounds[0] < bounds[1]:
                    at = Location(row=row, column="low")
                    report.add(problem("tree_bad_goalposts", path, at, id=node_id, low=low, high=high))
                    continue
                goalposts[node_id] = bounds
        parents = {node.parent for node in nodes}
        for node in nodes:
            if node.id in denominators and node.id in parents:  # only indicators are divided
                column, scale = denominators.pop(node.id)
                at = Location(row=node.row, column="denominator")
                report.add(problem("tree_bad_denominator", path, at, id=node.id, column=column, scale=f"{scale:g}"))
        if not report.valid:
            report.extend(_validate(nodes, path).problems)
            raise IndexInputError(report)
        tree = cls(nodes, path=path, weight_sets=weight_sets)
        tree.goalposts = goalposts
        tree.denominators = denominators
        return tree

    @classmethod
    def from_csv(cls, path: str | Path) -> Tree:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
        except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            raise IndexInputError.single(problem("tree_unreadable", str(path), None, reason=str(error))) from error
        return cls.from_frame(frame, path=str(path))

    @classmethod
    def from_framework(cls, framework: Framework) -> Tree:
        """From a GovLens framework's indicator tree: leaves are data columns named by node id."""
        nodes = [
            TreeNode(
                node.id,
                node.parent,
                float(node.weight),
                int(node.direction),
                node.label.get("en", "") or next(iter(node.label.values()), ""),
            )
            for node in framework.nodes
        ]
        sources = {node.id: node.source for node in framework.nodes if node.source}
        where = f"framework {framework.id} {framework.version}"
        return cls(nodes, path=where, sources=sources, weight_sets=framework.weight_sets)

    def to_frame(self) -> pd.DataFrame:
        """The tree table (``TREE_COLUMNS``, the goalposts ``low,high`` if any, then a ``weight:NAME`` column per
        weight set, blank where a set keeps the node's own weight): ``from_frame`` reads it back."""
        frame = pd.DataFrame(
            [(n.id, n.parent or "", n.weight, n.direction, n.label) for n in self.nodes.values()],
            columns=list(TREE_COLUMNS),
        )
        if self.goalposts:
            frame["low"] = [self.goalposts[n][0] if n in self.goalposts else "" for n in self.nodes]
            frame["high"] = [self.goalposts[n][1] if n in self.goalposts else "" for n in self.nodes]
        for name, weights in self.weight_sets.items():
            frame[WEIGHT_SET_PREFIX + name] = [weights.get(node, "") for node in self.nodes]
        return frame

    # -- queries --------------------------------------------------------------------------------------
    def children(self, node_id: str) -> tuple[str, ...]:
        return tuple(self._children[node_id])

    def parent(self, node_id: str) -> str | None:
        return self.nodes[node_id].parent

    def weight(self, node_id: str) -> float:
        return self.nodes[node_id].weight

    def direction(self, node_id: str) -> int:
        return self.nodes[node_id].direction

    def is_leaf(self, node_id: str) -> bool:
        return not self._children[node_id]

    @property
    def node_ids(self) -> tuple[str, ...]:
        """Leaves first (in input order), then aggregates bottom-up: the column order of score tables."""
        return self.leaves + self.aggregates

    def depth(self, node_id: str) -> int:
        depth = 0
        current = self.nodes[node_id]
        while current.parent is not None:
            depth += 1
            current = self.nodes[current.parent]
        return depth

    def with_weights(self, weights: Mapping[str, float]) -> Tree:
        """A copy with some weights replaced (ids not in the tree are refused)."""
        unknown = sorted(set(weights) - set(self.nodes))
        if unknown:
            raise ValueError(f"weights must name nodes of the tree; got unknown {unknown}")
        nodes = [replace(n, weight=float(weights.get(n.id, n.weight))) for n in self.nodes.values()]
        tree = Tree(nodes, path=self.path, sources=self.sources, weight_sets=self.weight_sets)
        tree.goalposts = dict(self.goalposts)
        tree.denominators = dict(self.denominators)
        return tree

    def with_weight_set(self, name: str, weights: Mapping[str, float]) -> Tree:
        """A copy with one more weight set (or ``name`` replaced): ``weights`` maps nodes to weights."""
        tree = Tree(list(self.nodes.values()), path=self.path, sources=self.sources, weight_sets=self.weight_sets)
        tree.goalposts = dict(self.goalposts)
        tree.denominators = dict(self.denominators)
        tree._add_weight_set(name, weights)
        return tree

    def weights_of(self, name: str) -> np.ndarray:
        """The weights (``node_ids`` order) of the nodes' own weights ("framework") or of a weight set."""
        if name != "framework" and name not in self.weight_sets:
            allowed = ", ".join((*WEIGHT_METHODS, *self.weight_sets))
            raise ValueError(f"weights must be one of {{{allowed}}}; got {name!r}")
        given = self.weight_sets.get(name, {})
        return np.array([given.get(n, self.nodes[n].weight) for n in self.node_ids], dtype=float)

    def without(self, leaf: str) -> Tree:
        """A copy without one leaf (its parent must keep at least one child)."""
        if not self.is_leaf(leaf):
            raise ValueError(f"without() takes a leaf indicator; got {leaf!r}")
        nodes = [n for n in self.nodes.values() if n.id != leaf]
        sets = {name: {k: v for k, v in weights.items() if k != leaf} for name, weights in self.weight_sets.items()}
        tree = Tree(
            nodes, path=self.path, sources={k: v for k, v in self.sources.items() if k != leaf}, weight_sets=sets
        )
        tree.goalposts = {k: v for k, v in self.goalposts.items() if k != leaf}
        tree.denominators = {k: v for k, v in self.denominators.items() if k != leaf}
        return tree

    def weight_vector(self) -> np.ndarray:
        """Weights of every non-root node in ``node_ids`` order (the root's weight is unused)."""
        return np.array([self.nodes[n].weight for n in self.node_ids], dtype=float)

    def __repr__(self) -> str:
        return f"Tree(root={self.root!r}, leaves={len(self.leaves)}, aggregates={len(self.aggregates)})"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(value: object, default: float) -> float | None:
    text = _text(value)
    if not text:
        return default
    try:
        number = float(text)
    except ValueError:
        return None
    if math.isnan(number) or math.isinf(number) or number < 0:
        return None
    return number


def _validate(nodes: Sequence[TreeNode], path: str) -> Report:
    """The framework's tree rules (``govlens.framework.tree_rules``), located by the rows of the source file."""
    report = Report()
    for found in tree_problems(nodes):
        node = nodes[found.position] if found.position is not None else None
        row = node.row if node is not None else None
        report.add(problem(found.code, path, Location(row=row, column=found.field), **found.params))
    return report
