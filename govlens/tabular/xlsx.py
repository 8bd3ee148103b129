"""Reading .xlsx/.xlsm workbooks: streamed row by row, within limits, never padded to the sheet's width.

openpyxl's read-only worksheet pads every row to the width of its widest cell, so 1,000 rows each holding
one cell in column XFD become 16 million cells. Here the worksheet parser's rows are read as they come: only
cells with a value are kept, each checked against the limits before anything is stored.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from govlens.tabular.limit import Budget
from govlens.tabular.model import Book, Limits, Sheet, TooLarge, Unreadable

_FORMULA_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}f"


def unpacked_too_large(data: bytes, filename: str, limit: int) -> str | None:
    """Why a zipped workbook is refused before it is opened (it declares it unpacks to more than ``limit``
    bytes), or None. Reading a member stops at its declared size, so the declaration bounds what is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except Exception:  # not a zip at all: opening the workbook says so
        return None
    if size <= limit:
        return None
    return f"{filename} unpacks to {size / (1024 * 1024):.0f} MB, more than the {limit // (1024 * 1024)} MB it may"


def read_xlsx(
    data: bytes, *, filename: str, limits: Limits, sheets: Sequence[str] | None = None, first: bool = False
) -> Book:
    """The sheets of a workbook (all, the named ones that exist, or the first); :class:`Unreadable` otherwise."""
    too_large = unpacked_too_large(data, filename, limits.unpacked_bytes)
    if too_large:
        raise TooLarge(too_large)
    import openpyxl  # local: only workbooks need it

    # openpyxl warns about parts it drops (data validation, extensions ...), also while rows are read
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # BadZipFile, KeyError, InvalidFileException ... on a damaged file
            suffix = ".xlsm" if filename.lower().endswith(".xlsm") else ".xlsx"
            raise Unreadable(f"{filename} is not a valid {suffix} workbook ({_reason(error)})") from None
        try:
            names = list(book.sheetnames)
            wanted = names[:1] if first else [name for name in names if sheets is None or name in sheets]
            budget = Budget(limits, filename)
            read = {}
            for name in wanted:
                budget.where = f"{filename}, sheet '{name}',"
                try:
                    read[name] = _sheet(book, name, budget)
                except Unreadable:
                    raise
                except Exception as error:  # a damaged sheet part fails only while its rows are read
                    raise Unreadable(f"{filename}: sheet '{name}' cannot be read ({_reason(error)})") from None
            return Book(names, read)
        finally:
            book.close()


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    text = text if len(text) <= 120 else text[:117] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _sheet(book: Any, name: str, budget: Budget) -> Sheet:
    worksheet = book[name]
    declared_rows, declared_columns = worksheet.max_row, worksheet.max_column
    budget.declared(declared_rows, declared_columns)
    sheet = Sheet(name)
    for number, cells in _parsed_rows(book, worksheet):
        budget.spend(len(cells) + 1)  # a row element costs a cell: 30 MB of empty <row/> is not free to parse
        kept: dict[int, Any] = {}
        for cell in cells:
            value, kind, column = cell["value"], cell["data_type"], cell["column"]
            if kind == "e":
                sheet.errors[(number - 1, column - 1)] = str(value)
            elif kind == "f":
                sheet.formulas.add((number - 1, column - 1))
            elif value is None or value == "":
                continue
            budget.column(column, number)
            kept[column] = None if kind in ("e", "f") else value
        if not kept:
            continue
        budget.row(number)
        if number <= len(sheet.rows):  # Excel writes rows in order; openpyxl would drop such a row unsaid
            raise Unreadable(f"{budget.where} has row {number:,} after row {len(sheet.rows):,} (rows out of order)")
        width = max(kept)
        budget.spend(width - len(kept))  # the empty positions a row keeps count as cells too
        while len(sheet.rows) < number - 1:
            sheet.rows.append([])
        row: list[Any] = [None] * width
        for column, value in kept.items():
            row[column - 1] = value
        sheet.rows.append(row)
    return sheet


def _parsed_rows(book: Any, worksheet: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """(row number, cells as parsed) of a read-only worksheet: openpyxl's own parser, without the padding.

    The parser is openpyxl's (``worksheet._reader``, used by its read-only worksheet); a cell whose computed
    value is missing but that holds a formula is marked ``f`` so that it is never read as an empty cell."""
    from openpyxl.worksheet._reader import WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["value"] is None and element.find(_FORMULA_TAG) is not None:
                cell["data_type"] = "f"
            return cell

    with worksheet._get_source() as source:
        parser = Parser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        yield from parser.parse()
