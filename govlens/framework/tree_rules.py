"""The rules of an indicator tree, checked in one place for a framework's tree and for the index engine's tree
(a tree CSV, or a framework's nodes): one code per rule, from the framework error catalogue.

- ids are unique (``duplicate_id``);
- exactly one root, a node without a parent (``tree_root``);
- every parent is a node of the tree (``tree_dangling_parent``) and no node is its own ancestor
  (``tree_cycle``);
- a weight is a finite number >= 0 (``invalid_weight``): weights are relative among siblings, and a zero
  weight keeps a node in the tree for information without counting it (the GTMI lists such indicators);
- a direction is 1 or -1 (``invalid_direction``);
- the tree has something below its root (``tree_no_leaves``);
- a weight set (a named alternative to the nodes' weights) has a name of letters, digits, '-', '_', '.' that is
  not one of the engine's weight methods (:func:`weight_set_name_ok`).

Callers locate each problem (a workbook row, a YAML line, a CSV row) from the node's position.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

# the index engine's weight methods (``--weights``): a weight set cannot take one of these names
WEIGHT_METHODS: tuple[str, ...] = ("framework", "equal", "pca")
WEIGHT_SET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
# in a table of nodes (a tree CSV, a workbook's indicators sheet) the column "weight:NAME" holds the set NAME
WEIGHT_SET_PREFIX = "weight:"


def weight_set_name_ok(name: object) -> bool:
    """True for a name a weight set may have (``expert-2026``)."""
    return isinstance(name, str) and name not in WEIGHT_METHODS and WEIGHT_SET_NAME.fullmatch(name) is not None


class TreeRow(Protocol):
    """What the rules need of a node: a framework ``Node`` and an index ``TreeNode`` both have it."""

    @property
    def id(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    @property
    def weight(self) -> float: ...
    @property
    def direction(self) -> int: ...


@dataclass(frozen=True)
class TreeProblem:
    """A broken rule: the catalogue code, the position of the node it is about (None: the whole tree), the
    field to point at, and the parameters of the catalogue's message."""

    code: str
    position: int | None
    field: str | None
    params: dict[str, object] = dataclasses.field(default_factory=dict)


def _cycle_from(start: str, parent_of: dict[str, str | None]) -> list[str]:
    """The ids on the cycle through ``start`` (empty when following parents from it ends at a root, or when
    the cycle is above ``start``: it is reported from one of its own members)."""
    path = [start]
    current = parent_of[start]
    while current is not None and current in parent_of:
        if current == start:
            return path
        if current in path:
            return []
        path.append(current)
        current = parent_of[current]
    return []


def tree_problems(rows: Sequence[TreeRow]) -> list[TreeProblem]:
    """Every broken rule of the tree, in node order (see the module docstring)."""
    problems: list[TreeProblem] = []
    first: dict[str, int] = {}
    for position, row in enumerate(rows):
        if not row.id:
            continue  # a missing id is the reader's problem (missing_field)
        if row.id in first:
            problems.append(TreeProblem("duplicate_id", position, "id", {"id": row.id}))
        else:
            first[row.id] = position
    roots = [position for position, row in enumerate(rows) if row.parent is None]
    if not rows:
        problems.append(TreeProblem("tree_root", None, None, {"reason": "the tree has no nodes"}))
    elif not roots:
        reason = "no node is without a parent: the tree needs one root"
        problems.append(TreeProblem("tree_root", None, "parent", {"reason": reason}))
    for position in roots[1:]:
        names = ", ".join(f"'{rows[i].id}'" for i in roots)
        reason = f"the tree has {len(roots)} roots ({names}); it needs one"
        problems.append(TreeProblem("tree_root", position, "parent", {"reason": reason}))
    parent_of = {row.id: row.parent for row in rows}
    in_cycle: set[str] = set()
    for position, row in enumerate(rows):
        if row.parent is not None and row.parent not in first:
            problems.append(
                TreeProblem("tree_dangling_parent", position, "parent", {"id": row.id, "parent": row.parent})
            )
        if row.id and row.id not in in_cycle and first.get(row.id) == position:
            cycle = _cycle_from(row.id, parent_of)
            if cycle:
                in_cycle.update(cycle)
                problems.append(
                    TreeProblem(
                        "tree_cycle", position, "parent", {"id": row.id, "cycle": " -> ".join([*cycle, row.id])}
                    )
                )
        if not math.isfinite(row.weight) or row.weight < 0:
            problems.append(
                TreeProblem("invalid_weight", position, "weight", {"id": row.id, "value": f"{row.weight:g}"})
            )
        if row.direction not in (1, -1):
            value = int(row.direction) if float(row.direction).is_integer() else row.direction
            problems.append(TreeProblem("invalid_direction", position, "direction", {"id": row.id, "value": value}))
    if len(rows) == 1 and roots:
        problems.append(TreeProblem("tree_no_leaves", None, None, {"id": rows[0].id}))
    return problems
