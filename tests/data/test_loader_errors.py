"""Changed or damaged files inside a mirror: a SourceError naming the file (and row or column), or a located
problem in the dataset's report when the file is still usable."""

from __future__ import annotations

from pathlib import Path

import pytest

from govlens.data import registry
from govlens.data.errors import SourceError


def test_year_that_is_not_a_year(fixture_mirror: Path) -> None:
    path = fixture_mirror / "itu_internet" / "share-of-individuals-using-the-internet.csv"
    path.write_text("Entity,Code,Year,Individuals using the Internet (% of population)\nChile,CHL,2022,90\n"
                    "Chile,CHL,twenty,91\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        registry.load("internet", fixture_mirror)
    assert str(info.value) == f"{path}:3: expected a year in column 'Year'; found 'twenty'"


def test_malformed_csv(fixture_mirror: Path) -> None:
    path = fixture_mirror / "oecd_ourdata" / "oecd_ourdata_2023.csv"
    path.write_text('cc_iso3c,ref_year,variable,value\n"BRA,2022,reuse_score,0.3\n', encoding="utf-8")
    with pytest.raises(SourceError, match="expected a well-formed UTF-8 CSV file"):
        registry.load("ourdata", fixture_mirror)


def test_renamed_variable_in_a_long_file(fixture_mirror: Path) -> None:
    path = fixture_mirror / "oecd_dgi" / "oecd_dgi_2023.csv"
    path.write_text('cc_iso3c,ref_year,variable,value\nCOL,2023,digital_by_design_index,0.8\n', encoding="utf-8")
    with pytest.raises(SourceError) as info:
        registry.load("dgi", fixture_mirror)
    assert str(path) in str(info.value) and "the unknown variables digital_by_design_index" in str(info.value)


def test_text_in_a_number_cell_and_a_wrong_year_are_reported(fixture_mirror: Path) -> None:
    path = fixture_mirror / "egdi" / "EGOV_DATA_2022.csv"
    path.write_text("Survey Year,Country Name,E-Government Rank,E-Government Index,E-Participation Index,"
                    "Online Service Index,Human Capital Index,Telecommunication Infrastructure Index\n"
                    '2020,"Chile ",31,0.8,n/a,0.8,0.8,0.8\n', encoding="utf-8")
    loaded = registry.load("egdi", fixture_mirror)
    problems = {p.code: p for p in loaded.report}
    assert problems["not_a_number"].row == 2 and problems["not_a_number"].column == "E-Participation Index"
    assert "Survey Year says 2020; the file name says 2022" in problems["year_mismatch"].message
    chile = loaded.data[(loaded.data["unit"] == "CHL") & (loaded.data["variable"] == "EPI")]
    assert list(chile["year"]) == [2022] and list(chile["missing_reason"]) == ["not_a_number"]


def test_unknown_code_in_gtmi_scores_is_reported_and_dropped(fixture_mirror: Path) -> None:
    import openpyxl

    path = fixture_mirror / "gtmi" / "gtmiR_groups_data.xlsx"
    book = openpyxl.load_workbook(path)
    book["Sheet1"].append([2022, "QQQ", "Nowhere", "C", 0.3, 0.3, 0.3, 0.3, 0.3])
    book.save(path)
    loaded = registry.load("gtmi-scores", fixture_mirror)
    unknown = [p for p in loaded.report if p.code == "unknown_unit"]
    assert len(unknown) == 1 and "'QQQ'" in unknown[0].message and unknown[0].row == 7
    assert "QQQ" not in set(loaded.data["unit"])
