from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from govlens.index.errors import IndexInputError
from govlens.index.io import LIMITS, load_tree, read_data


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


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"unit,a\nARG,1\n", "text (for example CSV"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "HTML"),
        (b"PK\x03\x04truncated", "not a valid .xlsx workbook"),
        (b"", "empty"),
    ],
    ids=["csv-named-xlsx", "html-page", "truncated-zip", "empty"],
)
def test_xlsx_that_is_not_a_workbook_is_named(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "d.xlsx"
    path.write_bytes(content)
    with pytest.raises(IndexInputError) as caught:
        read_data(path, indicators=["a"])
    [problem] = caught.value.report.problems
    assert (problem.code, problem.path) == ("data_unreadable", str(path))
    assert says in problem.message


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"unit,a\nARG,1\n", "text (for example CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "not a valid .xls workbook"),
        (b"", "empty"),
    ],
    ids=["csv-named-xls", "ole-junk", "empty"],
)
def test_xls_that_is_not_a_workbook_is_named(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "d.xls"
    path.write_bytes(content)
    with pytest.raises(IndexInputError) as caught:
        read_data(path, indicators=["a"])
    [problem] = caught.value.report.problems
    assert (problem.code, problem.path) == ("data_unreadable", str(path))
    assert says in problem.message


CORPUS_XLS = Path(os.environ.get("GOVLENS_XLSFORM_CORPUS", "/nonexistent-corpus")) / "table-list.xls"
needs_corpus_xls = pytest.mark.skipif(
    not CORPUS_XLS.is_file(), reason="GOVLENS_XLSFORM_CORPUS is not set or lacks table-list.xls"
)


@needs_corpus_xls
def test_reads_a_real_xls_with_xlrd() -> None:
    # sheet 'choices' of pyxform's table-list.xls: header 'list name,name,label,image' on row 1, blank rows
    # 2, 7, 16, 19, 22; 'name' holds letters a-d (rows 3-6), the numbers 1..8 (rows 8-15), yes/no (17-18),
    # a/b (20-21) and happy/sad (23-24); rows 20-24 have no label. A row whose only indicator is text
    # has no value either.
    with pytest.raises(IndexInputError) as caught:
        read_data(CORPUS_XLS, sheet="choices", unit_column="label", indicators=["name"])
    found = sorted((p.code, p.row) for p in caught.value.report.errors)
    assert found == sorted(
        [("non_numeric_value", row) for row in (3, 4, 5, 6, 17, 18)]
        + [("unit_without_data", row) for row in (3, 4, 5, 6, 17, 18)]
        + [("missing_unit", row) for row in (20, 21, 23, 24)]
    )
    assert {p.sheet for p in caught.value.report.errors} == {"choices"}
    assert "'option a'" in str(caught.value)


@needs_corpus_xls
def test_xls_numbers_are_read_as_numbers() -> None:
    from govlens import tabular

    book = tabular.read_workbook(CORPUS_XLS.read_bytes(), filename=CORPUS_XLS.name, limits=LIMITS, sheets=["choices"])
    rows = book.sheets["choices"].rows
    assert rows[0] == ["list name", "name", "label", "image"]
    assert rows[7] == ["list2", 1, "option 1"]  # file row 8; whole numbers as int, like openpyxl
    assert [row[1] for row in rows[7:15]] == [1, 2, 3, 4, 5, 6, 7, 8]


@needs_corpus_xls
def test_unknown_xls_sheet_lists_the_sheets() -> None:
    with pytest.raises(IndexInputError) as caught:
        read_data(CORPUS_XLS, sheet="data")
    assert caught.value.report.codes() == ["data_unknown_sheet"]
    assert "['survey', 'choices'" in caught.value.report.problems[0].message
    assert "got 'data'" in caught.value.report.problems[0].message
