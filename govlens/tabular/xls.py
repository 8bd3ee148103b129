"""Reading Excel 97-2003 workbooks (.xls) with xlrd, read-only, within limits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from govlens.tabular.limit import Budget
from govlens.tabular.model import Book, Limits, Sheet, Unreadable


def read_xls(
    data: bytes, *, filename: str, limits: Limits, sheets: Sequence[str] | None = None, first: bool = False
) -> Book:
    """The sheets of an .xls workbook, values typed as the .xlsx reader types them (whole numbers as int,
    dates as datetime, errors unusable). The format itself bounds a sheet (65,536 rows x 256 columns); rows
    are not padded to the sheet's width (``ragged_rows``), and each sheet is checked against ``limits``."""
    try:
        import xlrd  # local: only .xls files need it
    except ImportError:
        raise Unreadable(f"reading {filename} needs the xlrd package; save it as .xlsx or .csv") from None
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    except Exception as error:  # XLRDError, CompDocError, AssertionError, struct.error ... on a damaged file
        raise Unreadable(f"{filename} is not a valid .xls workbook ({type(error).__name__}: {error})") from None
    try:
        names = list(book.sheet_names())
        wanted = names[:1] if first else [name for name in names if sheets is None or name in sheets]
        budget = Budget(limits, filename)
        read: dict[str, Sheet] = {}
        for name in wanted:
            budget.where = f"{filename}, sheet '{name}',"
            try:
                worksheet = book.sheet_by_name(name)
            except Exception as error:
                raise Unreadable(f"{filename}: sheet '{name}' cannot be read ({type(error).__name__})") from None
            read[name] = _sheet(xlrd, book, worksheet, name, budget)
        return Book(names, read)
    finally:
        book.release_resources()


def _sheet(xlrd: Any, book: Any, worksheet: Any, name: str, budget: Budget) -> Sheet:
    sheet = Sheet(name)
    budget.declared(worksheet.nrows, worksheet.ncols)
    pending = 0
    for index in range(worksheet.nrows):
        cells = worksheet.row(index)
        budget.spend(len(cells))
        row: list[Any] = []
        for column, cell in enumerate(cells):
            value = _value(xlrd, book, cell)
            if cell.ctype == xlrd.XL_CELL_ERROR:
                sheet.errors[(index, column)] = xlrd.error_text_from_code.get(cell.value, "#ERROR")
            row.append(value)
        while row and (row[-1] is None or row[-1] == "") and (index, len(row) - 1) not in sheet.errors:
            row.pop()
        if not row:
            pending += 1
            continue
        sheet.rows.extend([] for _ in range(pending))
        pending = 0
        sheet.rows.append(row)
    return sheet


def _value(xlrd: Any, book: Any, cell: Any) -> Any:
    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except Exception:  # a date number outside the calendar: kept as the number
            return cell.value
    if kind == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer() and abs(cell.value) < 2**53:
        return int(cell.value)
    if kind == xlrd.XL_CELL_TEXT and cell.value == "":
        return None
    return cell.value
