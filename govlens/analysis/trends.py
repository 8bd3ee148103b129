"""Trends across cycles: each country's scores cycle after cycle, with breaks where the framework changed.

A change between two consecutive cycles is only computed when both used the same framework (same id, version and,
when known, fingerprint) and the node exists in both; otherwise the row is marked ``break`` and its change is
missing, so a chart can draw the series in separate pieces rather than compare scores that measure different
things.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

__all__ = ["CycleScores", "trend_table"]


@dataclass(frozen=True)
class CycleScores:
    """The scores (units x nodes) of one cycle (or release) and the framework they were computed with."""

    cycle: str
    framework_id: str
    framework_version: str
    scores: pd.DataFrame
    fingerprint: str = ""

    def comparable_with(self, other: CycleScores) -> bool:
        same = (self.framework_id, self.framework_version) == (other.framework_id, other.framework_version)
        if self.fingerprint and other.fingerprint:
            same = same and self.fingerprint == other.fingerprint
        return same


def trend_table(cycles: Sequence[CycleScores]) -> pd.DataFrame:
    """One row per (unit, node, cycle), cycles in the order given: the value, the previous cycle's value, the
    change, and ``break`` (True when the previous cycle used another framework or lacks the node; False for the
    first cycle, which has nothing to compare). A unit absent from the previous cycle has no change but no
    break either."""
    names = [cycle.cycle for cycle in cycles]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"cycles must be unique; repeated: {', '.join(repeated)}")
    rows: list[dict[str, object]] = []
    for index, cycle in enumerate(cycles):
        previous = cycles[index - 1] if index > 0 else None
        table = cycle.scores.astype(float)
        for unit in table.index:
            for node in table.columns:
                value = float(table.loc[unit, node])
                before = math.nan
                broken = False
                if previous is not None:
                    has_node = node in previous.scores.columns
                    broken = not (previous.comparable_with(cycle) and has_node)
                    if has_node and unit in previous.scores.index:
                        before = float(previous.scores.loc[unit, node])
                change = math.nan if broken or previous is None else value - before
                rows.append(
                    {
                        "unit": unit,
                        "node": node,
                        "cycle": cycle.cycle,
                        "framework_version": cycle.framework_version,
                        "value": value,
                        "previous": before,
                        "change": change,
                        "break": broken,
                    }
                )
    columns = ["unit", "node", "cycle", "framework_version", "value", "previous", "change", "break"]
    return pd.DataFrame(rows, columns=columns)
