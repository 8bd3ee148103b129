from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from govlens.index.errors import IndexInputError
from govlens.index.io import load_tree, looks_like_file, read_data, read_dataset


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_csv_with_missing_tokens(tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "unit,a,b,region\nARG,1,NA,SA\nBRA,,2.5,SA\n\nCHL,..,3,SA\n")
    data = read_data(path, indicators=["a", "b"], group_column="region")
    assert list(data.values.index) == ["ARG", "BRA", "CHL"]
    assert data.values.loc["BRA", "b"] == 2.5
    assert np.isnan(data.values.loc["ARG", "b"]) and np.isnan(data.values.loc["CHL", "a"])
    assert data.rows == {"ARG": 2, "BRA": 3, "CHL": 5}  # the blank line 4 keeps its number
    assert data.groups is not None and data.groups["CHL"] == "SA"


def test_every_problem_is_located(tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "unit,a,b\nARG,1,x\n,2,3\nARG,4,5\nBRA,,\n")
    with pytest.raises(IndexInputError) as caught:
        read_data(path, indicators=["a", "b"])
    found = {(p.code, p.row, p.column) for p in caught.value.report.errors}
    assert found == {
        ("non_numeric_value", 2, "b"),
        ("missing_unit", 3, "unit"),
        ("duplicate_unit", 4, "unit"),
        ("unit_without_data", 5, "unit"),
    }
    assert all(p.path == str(path) for p in caught.value.report.errors)


def test_unknown_unit_column_and_tree_mismatch(tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "iso,a\nARG,1\n")
    with pytest.raises(IndexInputError) as caught:
        read_data(path, indicators=["a", "zz"])
    codes = {(p.code, p.row, p.column) for p in caught.value.report.errors}
    assert ("unknown_unit_column", 1, "unit") in codes
    assert ("tree_data_mismatch", 1, "zz") in codes


def test_extra_columns_are_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "d.csv", "unit,a,extra\nARG,1,hello\n")
    data = read_data(path, indicators=["a"])
    assert data.report.valid
    assert [p.code for p in data.report.warnings] == ["column_not_in_tree"]


def test_reads_xlsx_with_sheet_and_rows(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "values"
    sheet.append(["unit", "a"])
    sheet.append(["ARG", 1.5])
    sheet.append(["BRA", "oops"])
    path = tmp_path / "d.xlsx"
    workbook.save(path)
    with pytest.raises(IndexInputError) as caught:
        read_data(path, indicators=["a"])
    problem = caught.value.report.errors[0]
    assert (problem.sheet, problem.row, problem.column) == ("values", 3, "a")


def test_missing_file_and_missing_tree(tmp_path: Path) -> None:
    with pytest.raises(IndexInputError) as caught:
        read_data(tmp_path / "none.csv")
    assert caught.value.report.codes() == ["data_not_found"]
    with pytest.raises(IndexInputError) as caught:
        load_tree(tmp_path / "none.csv")
    assert caught.value.report.codes() == ["tree_not_found"]


@pytest.mark.skipif(
    not (Path(os.environ.get("GOVLENS_DATA_MIRROR", "/nonexistent")) / "gtmi").is_dir(),
    reason="needs the public data mirror (GOVLENS_DATA_MIRROR)",
)
def test_reads_a_public_dataset_for_a_framework() -> None:
    tree = load_tree("gtmi-2022")
    data = read_dataset("gtmi-indicators-2022", tree)
    assert list(data.values.columns) == list(tree.leaves)
    assert len(data.values) > 150 and "KOR" in data.values.index
    assert data.values.notna().any(axis=1).all()  # units without any value are left out
    assert not looks_like_file("gtmi-indicators-2022") and looks_like_file("scores.xlsx")
    with pytest.raises(IndexInputError) as caught:
        read_dataset("no-such-dataset", tree)
    assert caught.value.report.codes() == ["dataset_not_found"]


def test_semicolon_csv_with_bom_and_windows_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes("\ufeffunit;a\r\nARG;1.5\r\nBRA;2\r\n".encode())
    data = read_data(path, indicators=["a"])
    assert data.values["a"].tolist() == [1.5, 2.0]


def test_unknown_sheet(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    path = tmp_path / "d.xlsx"
    workbook.save(path)
    with pytest.raises(IndexInputError) as caught:
        read_data(path, sheet="values")
    assert caught.value.report.codes() == ["data_unknown_sheet"]
    assert "got 'values'" in caught.value.report.problems[0].message
