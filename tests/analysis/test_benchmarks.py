"""Country gaps to group averages and to the regional frontier, on a literal table worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from govlens.analysis.benchmarks import benchmark_table

# LAC: ARG, BRA, CHL; OECD: CHL, FRA, JPN (Chile is in both). "cost" is better when lower.
VALUES = pd.DataFrame(
    {"dgi": [0.4, 0.6, 0.7, 0.8, math.nan], "cost": [30.0, 20.0, 20.0, 10.0, 12.0]},
    index=["ARG", "BRA", "CHL", "FRA", "JPN"],
)
GROUPS = {"lac": ["ARG", "BRA", "CHL", "URY"], "oecd": ["CHL", "FRA", "JPN"]}


def row(table: pd.DataFrame, country: str, variable: str) -> pd.Series:
    return table[(table.country == country) & (table.variable == variable)].iloc[0]


def test_gap_to_the_oecd_mean_and_to_the_frontier() -> None:
    table = benchmark_table(VALUES, GROUPS, frontier_group="lac", average_groups=["oecd"], lower_is_better=["cost"])
    assert list(table.country.unique()) == ["ARG", "BRA", "CHL"]  # URY has no values
    arg = row(table, "ARG", "dgi")
    # OECD mean of dgi over CHL and FRA (JPN missing) = 0.75; frontier = CHL 0.7
    assert arg["oecd_mean"] == pytest.approx(0.75)
    assert (arg["oecd_n"], arg["oecd_countries"]) == (2, "CHL FRA")
    assert arg["gap_oecd"] == pytest.approx(-0.35)
    assert (arg["frontier"], arg["frontier_countries"]) == (0.7, "CHL")
    assert arg["gap_frontier"] == pytest.approx(-0.3)


def test_lower_is_better_flips_the_signs_and_the_frontier() -> None:
    table = benchmark_table(VALUES, GROUPS, frontier_group="lac", average_groups=["oecd"], lower_is_better=["cost"])
    bra = row(table, "BRA", "cost")
    # OECD mean cost = (20 + 10 + 12) / 3 = 14; BRA 20 is 6 worse; frontier = lowest LAC cost 20 (BRA and CHL)
    assert bra["oecd_mean"] == pytest.approx(14.0)
    assert bra["gap_oecd"] == pytest.approx(-6.0)
    assert (bra["frontier"], bra["frontier_countries"], bra["gap_frontier"]) == (20.0, "BRA CHL", 0.0)
    assert row(table, "ARG", "cost")["gap_frontier"] == pytest.approx(-10.0)


def test_bad_parameters() -> None:
    with pytest.raises(ValueError, match=r"groups must be among \{lac, oecd\}; got eu"):
        benchmark_table(VALUES, GROUPS, frontier_group="lac", average_groups=["eu"])
    with pytest.raises(ValueError, match="lower_is_better must name variables among the columns; got price"):
        benchmark_table(VALUES, GROUPS, frontier_group="lac", lower_is_better=["price"])
    with pytest.raises(ValueError, match="countries must have a row in the values; got URY"):
        benchmark_table(VALUES, GROUPS, frontier_group="lac", countries=["URY"])
