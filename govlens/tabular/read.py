"""One entry to the tabular reader: a file's bytes to sheets, chosen by what the bytes are, not by their name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePath

from govlens.tabular.model import Book, Limits, Sheet, Unreadable
from govlens.tabular.text import DELIMITERS, read_csv
from govlens.tabular.xls import read_xls
from govlens.tabular.xlsx import read_xlsx

ZIP_MAGIC = b"PK"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (and other old Office files)
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})


def content_kind(data: bytes) -> str:
    """What a file seems to hold, for a message saying it is not what its name promises."""
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        return "HTML or XML (a web page, e.g. an error page instead of the download?)"
    if data.startswith(ZIP_MAGIC):
        return "a zip archive that is not an .xlsx workbook (damaged or truncated?)"
    if data.startswith(OLE_MAGIC):
        return "an old-style Office file that is not an .xls workbook (damaged or truncated?)"
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "not a spreadsheet"
    return "text (for example CSV: give the file a .csv name)"


def read_workbook(
    data: bytes, *, filename: str, limits: Limits, sheets: Sequence[str] | None = None, first: bool = False
) -> Book:
    """The sheets of an .xlsx/.xlsm or .xls workbook (told apart by their first bytes), within ``limits``."""
    suffix = PurePath(filename).suffix.lower() or "workbook"
    if not data:
        raise Unreadable(f"{filename} is empty")
    if data.startswith(ZIP_MAGIC):
        return read_xlsx(data, filename=filename, limits=limits, sheets=sheets, first=first)
    if data.startswith(OLE_MAGIC):
        return read_xls(data, filename=filename, limits=limits, sheets=sheets, first=first)
    raise Unreadable(f"{filename} is not an Excel workbook ({suffix}): the content is {content_kind(data)}")


def read_table(
    data: bytes,
    *,
    filename: str,
    limits: Limits,
    sheet: str | None = None,
    delimiters: Sequence[str] = DELIMITERS,
    prefer: Callable[[list[str]], bool] | None = None,
) -> tuple[Sheet, list[str]]:
    """One table: a sheet of a workbook (``sheet``, else the first) when the name says workbook, else CSV text.

    Returns the sheet and the workbook's sheet names (empty for CSV). A named ``sheet`` the workbook lacks comes
    back as an empty sheet of that name, not in the names: the caller says which sheets there are."""
    if PurePath(filename).suffix.lower() in WORKBOOK_SUFFIXES:
        book = read_workbook(
            data, filename=filename, limits=limits, sheets=[sheet] if sheet is not None else None, first=sheet is None
        )
        if not book.sheets:
            if sheet is None:
                raise Unreadable(f"{filename} has no worksheet")
            return Sheet(sheet), book.names
        return next(iter(book.sheets.values())), book.names
    return read_csv(data, filename=filename, limits=limits, delimiters=delimiters, prefer=prefer), []
