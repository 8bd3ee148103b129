"""The .xlsx reader: values as a spreadsheet shows them, streamed within limits, hostile files refused early."""

from __future__ import annotations

import datetime
import re

import pytest

from govlens.tabular import Limits, TooLarge, Unreadable, read_workbook

from .workbooks import edited_sheet, far_cells, with_dimension, workbook

SMALL = Limits(rows=100, columns=20, cells=1_000)


def _rows(data: bytes, limits: Limits = SMALL) -> list[list[object]]:
    book = read_workbook(data, filename="t.xlsx", limits=limits)
    return book.sheets[book.names[0]].rows


def test_values_are_typed_and_rows_end_at_their_last_value() -> None:
    day = datetime.datetime(2026, 3, 1)
    rows = _rows(workbook([["unit", "a", None, "note"], [], ["ARG", 1.5, True, day], ["BRA", 2, None, None]]))
    assert rows == [["unit", "a", None, "note"], [], ["ARG", 1.5, True, day], ["BRA", 2]]


def test_error_cells_and_formulas_never_computed_are_unusable_not_empty() -> None:
    data = workbook([["unit", "a", "b"], ["ARG", "=1+1", 3]])
    error = '<c r="C2" t="e"><v>#N/A</v></c>'
    data = edited_sheet(data, lambda xml: xml.replace('<c r="C2" t="n"><v>3</v></c>', error))
    book = read_workbook(data, filename="t.xlsx", limits=SMALL)
    sheet = book.sheets["data"]
    assert sheet.rows[1] == ["ARG", None, None]
    assert sheet.formulas == {(1, 1)}
    assert sheet.errors == {(1, 2): "#N/A"}
    assert sheet.unusable(1, 1) == "the cell holds a formula that was never computed"
    assert sheet.unusable(1, 2) == "the cell holds the spreadsheet error #N/A"
    assert sheet.unusable(1, 0) is None


def test_a_formula_with_its_computed_value_reads_the_value() -> None:
    data = workbook([["a"], ["=1+1"]])
    # the computed value a spreadsheet stores (openpyxl writes an empty <v>, spelled per XML writer)
    data = edited_sheet(data, lambda xml: re.sub(r"<f>1\+1</f>(<v\s*/>|<v></v>)?", "<f>1+1</f><v>2</v>", xml))
    assert _rows(data) == [["a"], [2]]


def test_the_memory_bomb_is_refused_at_its_first_far_cell() -> None:
    bomb = far_cells()
    assert len(bomb) < 12_000  # the 10 KB file of issue 11
    with pytest.raises(TooLarge) as caught:
        _rows(bomb, Limits(rows=20_000, columns=200, cells=200_000))
    # refused on row 1, before a second row is read; the message names the column and the limit
    assert str(caught.value) == (
        "t.xlsx, sheet 'Sheet', has a value in column XFD (16,384) on row 1; at most 200 columns can be read"
    )


@pytest.mark.parametrize("ref", [None, "A1", "A1:B2"], ids=["no-dimension", "one-cell", "understated"])
def test_a_bomb_that_hides_its_size_is_refused_all_the_same(ref: str | None) -> None:
    with pytest.raises(TooLarge, match="column XFD"):
        _rows(with_dimension(far_cells(), ref))


def test_wide_rows_within_the_columns_are_bounded_by_the_cells_read() -> None:
    # 1,000 rows each with one cell in column 200: every row is within the columns, not within the cells
    with pytest.raises(TooLarge, match="holds more than 50,000 cells"):
        _rows(far_cells(1_000, 200), Limits(rows=20_000, columns=200, cells=50_000))


def test_a_value_below_the_last_row_allowed_is_refused() -> None:
    with pytest.raises(TooLarge, match="has a value on row 101; at most 100 rows"):
        _rows(workbook([["a"]] * 101))


def test_empty_rows_and_styled_empty_cells_cost_reading_but_are_not_kept() -> None:
    data = workbook([["a", "b"], [1, 2]])
    styled = '<row r="3"><c r="XFD3" s="0"/></row><row r="1048576"><c r="A1048576" s="0"/></row>'
    data = edited_sheet(data, lambda xml: xml.replace("</sheetData>", styled + "</sheetData>"))
    assert _rows(data) == [["a", "b"], [1, 2]]


def test_empty_row_elements_count_against_the_cells() -> None:
    data = edited_sheet(workbook([["a"]]), lambda xml: xml.replace("</sheetData>", "<row/>" * 2_000 + "</sheetData>"))
    with pytest.raises(TooLarge, match="cells"):
        _rows(data)


def test_an_overstated_size_is_not_trusted() -> None:
    # pyxform's own test form extra_columns.xlsx declares 6,587 columns for 3: it is read
    assert _rows(with_dimension(workbook([["a", "b"]]), "A1:ISI513")) == [["a", "b"]]


def test_a_size_no_spreadsheet_can_hold_is_a_damaged_file() -> None:
    with pytest.raises(TooLarge, match="more than a spreadsheet can hold"):
        _rows(with_dimension(workbook([["a"]]), "A1:A2000000"))


def test_rows_out_of_order_are_refused() -> None:
    data = workbook([["a"], ["b"]])
    data = edited_sheet(data, lambda xml: xml.replace('<row r="2">', '<row r="1">').replace('r="A2"', 'r="A1"'))
    with pytest.raises(Unreadable, match="rows out of order"):
        _rows(data)


def test_the_zip_bomb_guard_is_kept() -> None:
    padding = "<row/>" * (40 * 1024 * 1024 // 6)
    data = edited_sheet(workbook([["a"]]), lambda xml: xml.replace("</sheetData>", padding + "</sheetData>"))
    assert len(data) < 1024 * 1024
    with pytest.raises(TooLarge, match=r"t.xlsx unpacks to 40 MB, more than the 32 MB"):
        _rows(data)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "t.xlsx is empty"),
        (b"PK\x03\x04truncated", "t.xlsx is not a valid .xlsx workbook (BadZipFile"),
        (b"<html><body>404</body></html>", "the content is HTML"),
        (b"unit,a\nARG,1\n", "the content is text"),
    ],
    ids=["empty", "truncated-zip", "html", "csv"],
)
def test_a_file_that_is_not_a_workbook_says_what_it_is(data: bytes, says: str) -> None:
    with pytest.raises(Unreadable) as caught:
        _rows(data)
    assert says in str(caught.value)


def test_only_the_sheets_asked_for_are_read() -> None:
    data = workbook([["a"]], title="one")
    book = read_workbook(data, filename="t.xlsx", limits=SMALL, sheets=["two"])
    assert (book.names, book.sheets) == (["one"], {})
