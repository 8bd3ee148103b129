from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from govlens.data.model import LoadedDataset


def value(ds: LoadedDataset, unit: str, year: int, variable: str) -> tuple[float, str]:
    row = ds.data[(ds.data["unit"] == unit) & (ds.data["year"] == year) & (ds.data["variable"] == variable)]
    assert len(row) == 1, (unit, year, variable)
    return float(row["value"].iloc[0]), str(row["missing_reason"].iloc[0])


def test_indicator_fixture_quirks(fixture_datasets: dict[str, LoadedDataset]) -> None:
    ds = fixture_datasets["gtmi-indicators"]
    # 3 data rows x 48 indicators; junk rows dropped; KSV -> XKX
    assert len(ds.data) == 3 * 48
    assert sorted(ds.data["unit"].unique()) == ["URY", "XKX"]
    assert value(ds, "XKX", 2020, "I-1") == (1.0, "")
    v, why = value(ds, "XKX", 2020, "I-3")
    assert math.isnan(v) and why == "not_in_wave"
    v, why = value(ds, "XKX", 2022, "I-16")
    assert math.isnan(v) and why == "not_published"
    v, why = value(ds, "URY", 2022, "I-26")
    assert math.isnan(v) and why == "empty"
    assert value(ds, "URY", 2022, "I-16") == (0.81, "")  # a number stored as text
    assert value(ds, "XKX", 2020, "I-43") == (0.5, "")  # ITU GCI 0-100 in 2020 -> 0-1
    assert value(ds, "XKX", 2022, "I-43") == (0.5, "")
    assert "GTMI" not in set(ds.data["variable"]) and "Grp" not in set(ds.data["variable"])
    codes = ds.report.codes()
    assert codes.count("junk_rows") == 1 and "3 rows without a Year" in ds.report.problems[0].message
    assert codes.count("ignored_column") == 2
    assert codes.count("legacy_code") == 1
    assert codes.count("rescaled") == 2  # I-43 2020 from 0-100, I-4 2022 from 0-2
    assert codes.count("lineage") == 5  # I-16, I-18, I-27, I-43, I-44


def test_indicator_metadata(fixture_datasets: dict[str, LoadedDataset]) -> None:
    variables = fixture_datasets["gtmi-indicators"].variables
    assert len(variables) == 48
    assert [v.group for v in variables.values()].count("CGSI") == 17
    assert [v.group for v in variables.values()].count("PSDI") == 9
    assert [v.group for v in variables.values()].count("DCEI") == 6
    assert [v.group for v in variables.values()].count("GTEI") == 16
    assert variables["I-35"].scale == (0.0, 3.0)
    assert variables["I-28"].scale == (0.0, 1.0)
    assert "Online Service Index" in variables["I-18"].lineage


def test_scores_fixture_drops_legend_rows_and_maps_legacy_codes(fixture_datasets: dict[str, LoadedDataset]) -> None:
    ds = fixture_datasets["gtmi-scores"]
    assert sorted(ds.data["year"].unique()) == [2020, 2022, 2025]
    assert set(ds.data["unit"]) == {"ROU"}
    assert len(ds.data) == 3 * 5
    assert value(ds, "ROU", 2020, "GTMI") == (0.6, "")
    assert value(ds, "ROU", 2022, "DCEI") == (0.6, "")
    groups = ds.categories.set_index("year")["category"].to_dict()
    assert groups == {2020: "B", 2022: "A", 2025: "A"}
    assert "junk_rows" in ds.report.codes() and "legacy_code" in ds.report.codes()
    assert "optional_file_missing" in ds.report.codes()  # no .rda in the fixture mirror


def test_real_indicators(real: dict[str, LoadedDataset]) -> None:
    ds = real["gtmi-indicators"]
    assert len(ds.data) == 198 * 2 * 48
    assert ds.data["unit"].nunique() == 198
    assert {"XKX", "PSE"} <= set(ds.data["unit"])
    reasons = ds.data["missing_reason"].value_counts().to_dict()
    assert reasons["empty"] == 198  # I-26 is empty in 2022
    assert ds.data[(ds.data["variable"] == "I-43")]["value"].max() <= 1.0
    assert ds.report.codes().count("junk_rows") == 1


def test_real_un_copies_match_the_un_files(real: dict[str, LoadedDataset]) -> None:
    # PROVENANCE: I-44 (2022) equals the UN HCI of the EGDI 2022 file exactly; the same holds for the TII, OSI
    # and E-Participation copies, and the 2020 copies are the UN 2020 values rounded to 2 decimals.
    from govlens.data.gtmi import lineage_differences

    table = lineage_differences(real["gtmi-indicators"], real["egdi"]).set_index(["indicator", "year"])
    assert set(table["un_index"]) == {"TII", "OSI", "EPI", "HCI"}
    assert (table["n"] == 193).all()
    assert table.xs(2022, level="year")["max_abs_diff"].max() < 1e-9
    assert table.xs(2020, level="year")["max_abs_diff"].max() <= 0.005 + 1e-9


def test_real_scores(real: dict[str, LoadedDataset]) -> None:
    ds = real["gtmi-scores"]
    per_year = ds.data[ds.data["variable"] == "GTMI"].groupby("year")["unit"].nunique().to_dict()
    assert per_year == {2020: 198, 2022: 198, 2025: 197}
    assert set(ds.categories["category"]) == {"A", "B", "C", "D"}
    assert "sources_disagree" not in ds.report.codes()  # the .rda copy matches the workbook
    assert len(ds.files) == 2
    gtmi = ds.data.pivot_table(index=["unit", "year"], columns="variable", values="value")
    mean = gtmi[["CGSI", "PSDI", "DCEI", "GTEI"]].mean(axis=1)
    assert (gtmi["GTMI"] - mean).abs().max() == pytest.approx(0, abs=1e-9)


def test_r_data_copy_is_read_with_pyreadr_and_cross_checked(fixture_mirror: Path) -> None:
    import pyreadr

    from govlens.data import registry
    from tests.data.conftest import SCORE_HEADER, SCORE_ROWS

    frame = pd.DataFrame([row for row in SCORE_ROWS if row[3] in ("A", "B")], columns=SCORE_HEADER)
    frame["country_code"] = frame["country_code"].astype(str)
    path = fixture_mirror / "gtmi" / "gtmiR_gtmi2025.rda"
    pyreadr.write_rdata(str(path), frame, df_name="gtmi2025")
    same = registry.load("gtmi-scores", fixture_mirror)
    assert "sources_disagree" not in same.report.codes() and len(same.files) == 2
    frame.loc[0, "gtmi"] = 0.1
    pyreadr.write_rdata(str(path), frame, df_name="gtmi2025")
    differs = registry.load("gtmi-scores", fixture_mirror)
    assert [p.message for p in differs.report if p.code == "sources_disagree"] == [
        "values that differ between the workbook and the R data copy: 1"]


def test_i4_is_on_one_scale_in_both_waves(real: dict[str, LoadedDataset]) -> None:
    # issue 18: I-4 is scored out of 3 in 2020 while the 2022 data top out at 2 ("yes"); 2022 is brought to 0-3
    data = real["gtmi-indicators"].data
    i4 = data[(data["variable"] == "I-4") & data["value"].notna()]
    assert i4.groupby("year")["value"].max().to_dict() == {2020: 3.0, 2022: 3.0}
    assert sorted(i4.loc[i4["year"] == 2022, "value"].unique()) == [0.0, 1.5, 3.0]
    notes = [p.message for p in real["gtmi-indicators"].report.problems if p.code == "rescaled"]
    assert "I-4 2022 is scored 0-2 (0-3 in the other wave): multiplied by 1.5 to the variable's 0-3 scale" in notes


def test_the_note_on_cells_coded_dash_names_every_economy(real: dict[str, LoadedDataset]) -> None:
    from govlens.data import gtmi_recompute

    text = gtmi_recompute.not_published_text(real["gtmi-indicators"], 2022)
    assert text == "no value for HKG, MAC, PLW, TWN, XKX in I-43; HKG, MAC, PSE, TWN, XKX in I-16, I-18, I-27, I-44"
