from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govlens.data import compare, registry
from govlens.data.model import LoadedDataset, Variable, tidy_frame

VALUES = {"URY": 0.6, "BRA": 0.4, "JAM": 0.2, "MEX": 0.8, "COL": 0.5, "FRA": 0.9, "DEU": 0.7}


def literal_dataset(name: str = "dgi") -> LoadedDataset:
    rows = [(unit, year, "composite", value, "") for year in (2019, 2023) for unit, value in VALUES.items()]
    rows += [(unit, 2023, "composite_rank", 1.0, "") for unit in VALUES]
    variables = {"composite": Variable("composite", "Composite", (0.0, 1.0)),
                 "composite_rank": Variable("composite_rank", "Rank", None, "rank", higher_is_better=False)}
    return LoadedDataset(spec=registry.get_spec(name), data=tidy_frame(rows), variables=variables, unit_names={})


def test_lac_against_oecd_members_of_the_year() -> None:
    result = compare.compare_dataset(literal_dataset(), 2019)
    row = result.table.set_index("variable").loc["composite"]
    # LAC: URY .6, BRA .4, JAM .2, MEX .8, COL .5; OECD 2019: MEX .8, FRA .9, DEU .7 (Colombia joins in 2020)
    assert row["lac_n"] == 5
    assert row["lac_mean"] == pytest.approx(0.5)
    assert row["lac_median"] == pytest.approx(0.5)
    assert (row["lac_min"], row["lac_max"]) == (0.2, 0.8)
    assert row["oecd_n"] == 3
    assert row["oecd_mean"] == pytest.approx(0.8)
    assert row["gap"] == pytest.approx(-0.3)
    assert (row["frontier_unit"], row["frontier_value"]) == ("MEX", 0.8)
    assert (row["south-america_n"], row["south-america_mean"]) == (3, pytest.approx(0.5))
    assert (row["central-america_n"], row["central-america_mean"]) == (1, pytest.approx(0.8))
    assert (row["caribbean_n"], row["caribbean_mean"]) == (1, pytest.approx(0.2))
    assert list(result.table["variable"]) == ["composite"]  # ranks are left out


def test_lac_members_of_the_oecd_count_in_both_groups_and_the_table_says_so() -> None:
    # OECD members from LAC: Mexico (1994) and Chile (2010) in 2019; Colombia (2020) and Costa Rica (2021) later.
    # The literal dataset has values for MEX in 2019 and for COL and MEX in 2023 (no CHL, no CRI).
    result_2019 = compare.compare_dataset(literal_dataset(), 2019)
    assert result_2019.in_both == ("CHL", "MEX")
    assert result_2019.table.loc[0, "in_both"] == "MEX"
    result_2023 = compare.compare_dataset(literal_dataset(), 2023)
    assert result_2023.in_both == ("CHL", "COL", "CRI", "MEX")
    assert result_2023.table.loc[0, "in_both"] == "COL MEX"
    # COL 0.5 is the minimum of both groups in 2023: LAC {.2,.4,.5,.6,.8} has min JAM .2, OECD {.5,.7,.8,.9} .5
    assert result_2023.table.loc[0, "oecd_min"] == 0.5


def test_peer_groups_add_columns() -> None:
    table = compare.compare_dataset(literal_dataset(), 2019, peer_groups={"pair": ("URY", "FRA")}).table
    assert (table.loc[0, "pair_n"], table.loc[0, "pair_mean"]) == (2, pytest.approx(0.75))


def test_oecd_average_of_2023_counts_colombia() -> None:
    row = compare.compare_dataset(literal_dataset(), 2023).table.iloc[0]
    assert row["oecd_n"] == 4
    assert row["oecd_mean"] == pytest.approx((0.8 + 0.9 + 0.7 + 0.5) / 4)


def test_latest_value_within_the_window_for_yearly_series() -> None:
    rows = [("CHL", 2021, "internet_users", 88.0, ""), ("CHL", 2022, "internet_users", 90.0, ""),
            ("HTI", 2019, "internet_users", 30.0, ""), ("FRA", 2023, "internet_users", 95.0, "")]
    dataset = LoadedDataset(spec=registry.get_spec("internet"), data=tidy_frame(rows),
                            variables={"internet_users": Variable("internet_users", "Internet", (0, 100))},
                            unit_names={})
    result = compare.compare_dataset(dataset)
    row = result.table.iloc[0]
    assert result.year == 2023 and result.years_used == "2022-2023"
    assert (row["lac_n"], row["lac_mean"]) == (1, 90.0)  # Haiti's 2019 value is outside 2021-2023
    # Chile is in both groups: OECD = CHL 90 and FRA 95
    assert (row["oecd_n"], row["oecd_mean"], row["gap"]) == (2, 92.5, -2.5)


def test_unknown_year_is_a_parameter_error() -> None:
    with pytest.raises(ValueError, match=r"year must be one of \{2019, 2023\} for dgi; got 2021"):
        compare.compare_dataset(literal_dataset(), 2021)


def test_selectors() -> None:
    assert registry.parse_selector("dgi-2023")[1] == 2023
    assert registry.parse_selector("gtmi-scores")[0].name == "gtmi-scores"
    assert registry.parse_selector("gtmi-scores-2022")[1] == 2022
    with pytest.raises(ValueError, match="got 'dgi2023'"):
        registry.parse_selector("dgi2023")


def test_written_tables_are_reproducible(tmp_path: Path) -> None:
    dataset = literal_dataset()
    results = compare.compare(["dgi-2019", "dgi-2023"], loader=lambda name, mirror: dataset)
    first = [p.read_bytes() for p in compare.write(results, tmp_path / "a")]
    again = compare.compare(["dgi-2019", "dgi-2023"], loader=lambda name, mirror: dataset)
    second = [p.read_bytes() for p in compare.write(again, tmp_path / "b")]
    assert first == second
    combined = pd.read_csv(tmp_path / "a" / "compare.csv")
    assert list(combined["dataset"]) == ["dgi-2019", "dgi-2023"]


def test_real_comparison(real: dict[str, LoadedDataset], real_mirror: Path) -> None:
    results = {r.selector: r for r in compare.compare(list(compare.DEFAULT_SELECTORS), real_mirror,
                                                       loader=lambda name, mirror: real[name])}
    egdi = results["egdi-2024"].table.set_index("variable")
    assert egdi.loc["EGDI", "lac_n"] == 33 and egdi.loc["EGDI", "oecd_n"] == 38
    assert bool(egdi["gap"].lt(0)["EGDI"])
    internet = results["internet"].table.iloc[0]
    assert internet["oecd_n"] == 38
    oecd_mean, lac_mean = float(internet["oecd_mean"]), float(internet["lac_mean"])
    assert 80 < oecd_mean < 95 and lac_mean < oecd_mean
    dgi = results["dgi-2023"].table.set_index("variable")
    assert dgi.loc["composite", "oecd_n"] == 33  # OECD members present in the 2023 file


UNITS = ["ARG", "BRA", "JAM", "MEX", "CHL", "FRA", "DEU", "JPN"]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=len(UNITS), max_size=len(UNITS)))
def test_summary_statistics_are_consistent(values: list[float]) -> None:
    rows = [(unit, 2023, "composite", value, "") for unit, value in zip(UNITS, values, strict=True)]
    dataset = LoadedDataset(spec=registry.get_spec("dgi"), data=tidy_frame(rows),
                            variables={"composite": Variable("composite", "Composite", (0.0, 1.0))}, unit_names={})
    row = compare.compare_dataset(dataset, 2023).table.iloc[0]
    lac = values[:5]  # ARG, BRA, JAM, MEX, CHL
    oecd = values[3:]  # MEX, CHL, FRA, DEU, JPN
    assert row["lac_n"] == 5 and row["oecd_n"] == 5
    assert row["lac_min"] <= row["lac_median"] <= row["lac_max"]
    assert row["lac_mean"] == pytest.approx(sum(lac) / 5)
    assert row["gap"] == pytest.approx(sum(lac) / 5 - sum(oecd) / 5)
    assert row["frontier_value"] == max(lac)
    assert row["frontier_unit"] == sorted(u for u, v in zip(UNITS[:5], lac, strict=True) if v == max(lac))[0]
