"""Trends across cycles: changes between comparable cycles, breaks where the framework changed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from govlens.analysis.trends import CycleScores, trend_table


def cycle(name: str, version: str, scores: dict[str, list[float]], units: list[str]) -> CycleScores:
    return CycleScores(name, "lac-dgr", version, pd.DataFrame(scores, index=units))


CYCLES = [
    cycle("2024", "2024.1", {"P1": [0.5, 0.25]}, ["ARG", "BRA"]),
    cycle("2025", "2024.1", {"P1": [0.75, 0.25], "P2": [0.5, 0.5]}, ["ARG", "BRA"]),
    cycle("2026", "2026.1", {"P1": [1.0, 0.5], "P2": [0.5, 0.75]}, ["ARG", "CHL"]),
]


def test_changes_and_breaks() -> None:
    table = trend_table(CYCLES).set_index(["unit", "node", "cycle"])
    assert not table.loc[("ARG", "P1", "2024"), "break"]
    assert math.isnan(table.loc[("ARG", "P1", "2024"), "change"])  # nothing before the first cycle
    assert table.loc[("ARG", "P1", "2025"), "change"] == pytest.approx(0.25)
    assert not table.loc[("ARG", "P1", "2025"), "break"]
    # P2 did not exist in 2024: a break, no change
    assert table.loc[("ARG", "P2", "2025"), "break"]
    assert math.isnan(table.loc[("ARG", "P2", "2025"), "change"])
    # 2026 used framework version 2026.1: every row breaks, the previous value is still shown
    row = table.loc[("ARG", "P1", "2026")]
    assert (bool(row["break"]), row["previous"], row["framework_version"]) == (True, 0.75, "2026.1")
    assert math.isnan(row["change"])
    assert math.isnan(table.loc[("CHL", "P1", "2026"), "previous"])  # CHL joined in 2026


def test_same_framework_different_fingerprint_breaks() -> None:
    a = CycleScores("a", "x", "1", pd.DataFrame({"N": [0.5]}, index=["ARG"]), fingerprint="f1")
    b = CycleScores("b", "x", "1", pd.DataFrame({"N": [0.6]}, index=["ARG"]), fingerprint="f2")
    assert bool(trend_table([a, b]).iloc[1]["break"])
    assert not a.comparable_with(b)


def test_cycles_must_be_unique() -> None:
    with pytest.raises(ValueError, match="repeated: 2024"):
        trend_table([CYCLES[0], CYCLES[0]])
