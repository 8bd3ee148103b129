"""Small workbooks made for the reader's tests: a normal one, hostile ones, and surgery on their XML."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

SHEET_XML = "xl/worksheets/sheet1.xml"


def workbook(rows: list[list[Any]], title: str = "data") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def far_cells(rows: int = 1_000, column: int = 16_384) -> bytes:
    """The memory bomb of issue 11: ``rows`` rows each holding one cell in ``column`` (XFD), about 10 KB."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in range(1, rows + 1):
        sheet.cell(row=row, column=column, value=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edited_sheet(data: bytes, edit: Callable[[str], str], part: str = SHEET_XML) -> bytes:
    """The workbook with the XML of one part rewritten by ``edit``."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts[part] = edit(parts[part].decode()).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def with_dimension(data: bytes, ref: str | None) -> bytes:
    """The workbook with its first sheet declaring ``ref`` as its size (None: no declaration at all)."""
    element = "" if ref is None else f'<dimension ref="{ref}"/>'
    return edited_sheet(data, lambda xml: re.sub(r"<dimension [^>]*/>", element, xml))
