"""Reading CSV text: the encoding from its byte order mark, the delimiter from its header, rows within limits."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Sequence

from govlens.tabular.limit import Budget
from govlens.tabular.model import Limits, Sheet, Unreadable

DELIMITERS = (",", ";", "\t")  # ';' where the decimal mark is a comma (es, pt, fr); tab from "text" exports
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decoded(data: bytes, filename: str) -> str:
    """The text of a file: UTF-8 (with or without a byte order mark), or UTF-16/32 when a byte order mark says
    so (Excel's "Unicode text"); :class:`Unreadable` naming the line and byte otherwise."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise Unreadable(f"{filename} starts like {encoding.upper()} text but is not") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise Unreadable(
            f"{filename} is not UTF-8 text: line {line} has the byte 0x{data[error.start]:02X}; "
            "save it as UTF-8 (Excel: 'CSV UTF-8')"
        ) from None


def _header(text: str, delimiter: str) -> list[str]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [cell.strip() for cell in next(reader, [])]
    except csv.Error:
        return []


def delimiter(
    text: str, delimiters: Sequence[str] = DELIMITERS, prefer: Callable[[list[str]], bool] | None = None
) -> str:
    """The delimiter that splits the header into the most named columns, preferring one whose header
    ``prefer`` accepts (say, one that has the unit column); ties go to the first of ``delimiters``.

    Read from the header alone: a guess from the data (csv.Sniffer) is misled by values holding ';' or ','."""

    def score(candidate: str) -> tuple[bool, int]:
        names = _header(text, candidate)
        return (prefer(names) if prefer is not None else False, sum(1 for name in names if name))

    return max(delimiters, key=score)


def read_csv(
    data: bytes,
    *,
    filename: str,
    limits: Limits,
    delimiters: Sequence[str] = DELIMITERS,
    prefer: Callable[[list[str]], bool] | None = None,
) -> Sheet:
    """The records of a CSV file as text cells (each ending at its last non-empty field), within ``limits``.

    ``rows[i]`` is record ``i + 1``, which starts on line ``lines[i]`` (a quoted value may span lines)."""
    text = decoded(data, filename)
    chosen = delimiter(text, delimiters, prefer)
    # strict: a quote left open or text after a closing quote is refused, not read as a guess
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen, strict=True)
    budget = Budget(limits, filename)
    lines: list[int] = []
    sheet = Sheet(filename, lines=lines)
    blank = 0  # blank records not yet kept: kept only when a record with a value follows
    blank_lines: list[int] = []
    try:
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            while row and row[-1] == "":
                row.pop()
            if not row:
                blank += 1
                blank_lines.append(start)
                continue
            number = len(sheet.rows) + blank + 1
            budget.row(number)
            budget.column(len(row), number)
            budget.spend(len(row) + blank)
            sheet.rows.extend([] for _ in range(blank))
            lines.extend(blank_lines)
            blank, blank_lines = 0, []
            sheet.rows.append(row)
            lines.append(start)
    except csv.Error as error:
        if str(error) == "unexpected end of data":
            raise Unreadable(f"{filename}, line {start}: a quoted value starts here and is never closed") from None
        raise Unreadable(f"{filename}, line {reader.line_num}: {error}") from None
    return sheet
