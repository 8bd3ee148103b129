"""The CSV reader: encodings by byte order mark, the delimiter from the header, strict quoting, limits."""

from __future__ import annotations

import pytest

from govlens.tabular import Limits, TooLarge, Unreadable, delimiter, read_csv, read_table

SMALL = Limits(rows=100, columns=20, cells=1_000)


def _rows(data: bytes, **options: object) -> list[list[str]]:
    return read_csv(data, filename="t.csv", limits=SMALL, **options).rows  # type: ignore[arg-type]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
def test_utf8_and_unicode_text_with_a_byte_order_mark_read_alike(encoding: str) -> None:
    assert _rows("país;valor\r\nPerú;1\r\n".encode(encoding)) == [["país", "valor"], ["Perú", "1"]]


def test_text_that_is_not_utf8_names_the_line_and_the_byte() -> None:
    with pytest.raises(Unreadable) as caught:
        _rows("unit,name\nPER,Perú\n".encode("cp1252"))
    assert str(caught.value).startswith("t.csv is not UTF-8 text: line 2 has the byte 0xFA")


def test_a_false_byte_order_mark_is_named() -> None:
    with pytest.raises(Unreadable, match="starts like UTF-32 text but is not"):
        _rows(b"\xff\xfe\x00\x00\x00\xd8\x00\x00")


@pytest.mark.parametrize(
    ("header", "expected"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("a,b;c", ","), ("name", ",")],
    ids=["comma", "semicolon", "tab", "tie-goes-first", "one-column"],
)
def test_the_delimiter_splits_the_header_into_the_most_columns(header: str, expected: str) -> None:
    assert delimiter(header + "\n1;2,3\n") == expected


def test_a_preferred_header_wins_over_a_wider_one() -> None:
    text = "country;notes,with,commas\nARG;a,b,c\n"
    assert delimiter(text) == ","
    assert delimiter(text, prefer=lambda names: "country" in names) == ";"


def test_values_holding_the_other_delimiter_do_not_mislead_it() -> None:
    assert _rows(b'country,notes\nARG,"a; b; c; d"\n') == [["country", "notes"], ["ARG", "a; b; c; d"]]


@pytest.mark.parametrize(
    ("data", "line"),
    [(b'a,b\n"open,1\n', 2), (b'a,b\n"x"y,1\n', 2)],
    ids=["quote-left-open", "text-after-closing-quote"],
)
def test_broken_quoting_is_refused_with_the_line_not_guessed(data: bytes, line: int) -> None:
    with pytest.raises(Unreadable, match=f"t.csv, line {line}: "):
        _rows(data)


def test_trailing_empty_fields_and_blank_lines_at_the_end_are_not_rows() -> None:
    sheet = read_csv(b"a,b,\n\n1,2,,\n\n\n", filename="t.csv", limits=SMALL)
    assert sheet.rows == [["a", "b"], [], ["1", "2"]]
    assert sheet.lines == [1, 2, 3]


def test_a_record_spanning_lines_keeps_the_line_it_starts_on() -> None:
    sheet = read_csv(b'a,b\n"two\nlines",1\nx,2\n', filename="t.csv", limits=SMALL)
    assert sheet.rows == [["a", "b"], ["two\nlines", "1"], ["x", "2"]]
    assert sheet.lines == [1, 2, 4]


def test_limits_bound_rows_columns_and_cells() -> None:
    with pytest.raises(TooLarge, match="has a value on row 101; at most 100 rows"):
        _rows(b"a\n" * 101)
    with pytest.raises(TooLarge, match=r"has a value in column U \(21\) on row 1; at most 20 columns"):
        _rows(b",".join([b"x"] * 21))
    with pytest.raises(TooLarge, match="holds more than 1,000 cells"):
        _rows(b"a,b,c,d,e,f,g,h,i,j,k\n" * 95)


def test_a_long_run_of_delimiters_is_not_a_wide_row() -> None:
    assert _rows(b"a" + b"," * 100_000 + b"\n") == [["a"]]


def test_read_table_reads_csv_by_name_and_an_empty_csv_has_no_rows() -> None:
    assert read_table(b"", filename="t.csv", limits=SMALL)[0].rows == []
    sheet, names = read_table(b"a;b\n1;2\n", filename="t.txt", limits=SMALL)
    assert (sheet.rows, names) == ([["a", "b"], ["1", "2"]], [])
