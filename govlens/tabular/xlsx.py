"""Reading .xlsx/.xlsm workbooks: streamed row by row, within limits, never padded to the sheet's width.

openpyxl's read-only worksheet pads every row to the width of its widest cell (1,000 rows each holding one
cell in column XFD become 16 million cells) and, for a sheet that declares no size, parses the whole sheet
once just to size it. Here openpyxl reads the workbook's parts (sheet names, styles for dates) and its
worksheet parser types each cell, but the loops are ours: only cells with a value are kept, each row is
checked against the limits before it is stored, and parsed rows are freed as they go. The shared strings are
read here too (openpyxl builds an object per string, a minute for a table the zip-bomb guard lets through),
and counted against the cells.

Every XML element parsed (a row, a cell, its value, a run of text, a shared string) counts as a cell read,
before anything is typed or kept, so the time and memory of a read are bounded by ``Limits.cells`` whatever
the file holds; a cell kept costs its position in the row too.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple
from xml.etree.ElementTree import Element, iterparse

from govlens.tabular.limit import Budget
from govlens.tabular.model import Book, Limits, Sheet, TooLarge, Unreadable

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_FORMULA, _ROW, _DATA, _DIMENSION = f"{_NS}f", f"{_NS}row", f"{_NS}sheetData", f"{_NS}dimension"
_SI, _T, _R, _IS = f"{_NS}si", f"{_NS}t", f"{_NS}r", f"{_NS}is"
_REF = re.compile(r"^\$?([A-Za-z]{1,3})?\$?(\d+)?(?::\$?([A-Za-z]{1,3})\$?(\d+))?$")


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


class _Part(NamedTuple):
    name: str
    path: str


def read_xlsx(
    data: bytes, *, filename: str, limits: Limits, sheets: Sequence[str] | None = None, first: bool = False
) -> Book:
    """The sheets of a workbook (all, the named ones that exist, or the first); :class:`Unreadable` otherwise."""
    too_large = unpacked_too_large(data, filename, limits.unpacked_bytes)
    if too_large:
        raise TooLarge(too_large)
    budget = Budget(limits, filename)
    # openpyxl warns about parts it drops (data validation, extensions ...)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader, parts = _workbook(data)
        except Exception as error:  # BadZipFile, KeyError, InvalidFileException ... on a damaged file
            suffix = ".xlsm" if filename.lower().endswith(".xlsm") else ".xlsx"
            raise Unreadable(f"{filename} is not a valid {suffix} workbook ({_reason(error)})") from None
        try:
            names = [part.name for part in parts]
            wanted = parts[:1] if first else [part for part in parts if sheets is None or part.name in sheets]
            strings = _shared_strings(reader, budget) if wanted else []
            read = {}
            for part in wanted:
                budget.where = f"{filename}, sheet '{part.name}',"
                try:
                    read[part.name] = _sheet(reader, part, strings, budget)
                except Unreadable:
                    raise
                except Exception as error:  # a damaged sheet part fails only while its rows are read
                    raise Unreadable(f"{filename}: sheet '{part.name}' cannot be read ({_reason(error)})") from None
            return Book(names, read)
        finally:
            reader.archive.close()


def _reason(error: Exception) -> str:
    text = " ".join(str(error).split())
    text = text if len(text) <= 120 else text[:117] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _workbook(data: bytes) -> tuple[Any, list[_Part]]:
    """openpyxl's reader with the workbook part and the styles read (not the sheets), and the worksheets."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read_manifest()
    reader.read_workbook()
    apply_stylesheet(reader.archive, reader.wb)  # which number formats are dates
    parts = [
        _Part(sheet.name, rel.target)
        for sheet, rel in reader.parser.find_sheets()
        if rel.target in reader.valid_files and "chartsheet" not in rel.Type
    ]
    return reader, parts


def _shared_strings(reader: Any, budget: Budget) -> list[str]:
    """The workbook's shared strings as openpyxl reads them (plain text of the runs, phonetic runs left out),
    at most as many as the cells that may be read."""
    from openpyxl.xml.constants import SHARED_STRINGS

    found = reader.package.find(SHARED_STRINGS)
    if found is None:
        return []
    strings: list[str] = []
    with reader.archive.open(found.PartName[1:]) as source:
        for _event, element in iterparse(source):
            budget.spend(1)  # every element parsed is a cell read: a table of a million runs is not free
            if element.tag != _SI:
                continue
            text = element.findtext(_T) or ""
            text += "".join(run.findtext(_T) or "" for run in element.iterfind(_R))
            strings.append(text.replace("x005F_", ""))  # as openpyxl does
            element.clear()
    return strings


def _sheet(reader: Any, part: _Part, strings: list[str], budget: Budget) -> Sheet:
    sheet = Sheet(part.name)
    for number, cells in _parsed_rows(reader, part, strings, budget):
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


def _declared(element: Element, budget: Budget) -> None:
    """The size the sheet declares (``<dimension ref="A1:XFD1000">``), checked against what a sheet can hold."""
    from openpyxl.utils import column_index_from_string

    match = _REF.match(element.get("ref", "").strip())
    if match is None:
        return
    column, row = match.group(3) or match.group(1), match.group(4) or match.group(2)
    try:
        columns = column_index_from_string(column.upper()) if column else None
    except ValueError:  # beyond ZZZ
        columns = 10**6
    budget.declared(int(row) if row else None, columns)


def _parsed_rows(reader: Any, part: _Part, strings: list[str], budget: Budget) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells typed by openpyxl's worksheet parser) of a worksheet part, each row freed once read.

    A cell whose computed value is missing but that holds a formula is marked ``f``, so that it is never read
    as an empty cell; inline strings are read without openpyxl's per-string objects."""
    from openpyxl.worksheet._reader import WorkSheetParser

    class Parser(WorkSheetParser):
        def parse_cell(self, element: Any) -> dict[str, Any]:
            inline = element.get("t") == "inlineStr"
            if inline:
                box = element.find(_IS)
                text = "" if box is None else (box.findtext(_T) or "")
                if box is not None:
                    text += "".join(run.findtext(_T) or "" for run in box.iterfind(_R))
                element.set("t", "str")  # typed as a string without a value: the text is set below
            cell: dict[str, Any] = super().parse_cell(element)
            if inline:
                cell["value"], cell["data_type"] = text or None, "s"
            elif cell["value"] is None and element.find(_FORMULA) is not None:
                cell["data_type"] = "f"
            return cell

    workbook = reader.wb
    parser = Parser(io.BytesIO(), strings, data_only=True, epoch=workbook.epoch, date_formats=workbook._date_formats,
                    timedelta_formats=workbook._timedelta_formats)
    data: Element | None = None
    with reader.archive.open(part.path) as source:
        for event, element in iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == _DATA:
                    data = element
                continue
            budget.spend(1)  # every element parsed is a cell read, counted before a row is typed and kept
            if element.tag == _DIMENSION:
                _declared(element, budget)
            elif element.tag == _ROW:
                yield parser.parse_row(element)
                if data is not None:
                    data.clear()  # the rows read so far: kept by their parent otherwise
            elif element.tag == _DATA:
                break
