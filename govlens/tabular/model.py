"""What the tabular reader returns and the limits it reads within."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Why a cell has no usable value although the file shows one (kept beside the value, which is None).
SPREADSHEET_ERROR = "the cell holds the spreadsheet error {value}"
UNCOMPUTED_FORMULA = "the cell holds a formula that was never computed"


class Unreadable(Exception):
    """A file that cannot be turned into rows, or that exceeds the reader's limits.

    The message is for a person: it names the file (and the sheet, row or column when known) and says why."""


class TooLarge(Unreadable):
    """A file refused for its size before it is held: a limit of :class:`Limits` would be exceeded."""


@dataclass(frozen=True)
class Limits:
    """How much one read may hold. Every limit is checked while the file streams, so a file that would exceed
    one is refused before it is held in memory.

    ``rows`` and ``columns`` bound the sheet's extent (declared in its header and found in its cells; cells
    without a value beyond them are ignored); ``cells`` bounds the cells read (in a workbook, every XML element
    parsed counts: a plain cell is two, ``<c><v>1</v></c>``) and the positions kept;
    ``unpacked_bytes`` bounds what a zipped workbook declares it unpacks to (a zip bomb)."""

    rows: int
    columns: int
    cells: int
    unpacked_bytes: int = 32 * 1024 * 1024

    def __post_init__(self) -> None:
        for name in ("rows", "columns", "cells", "unpacked_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number of at least 1; got {value!r}")


@dataclass
class Sheet:
    """One sheet (or a CSV file) as rows of values.

    ``rows[i]`` is row ``i + 1`` of the file; each row ends at its last value (no trailing empty cells), so rows
    differ in length. Values are None (empty), str, int (whole numbers), float, bool or datetime. A cell whose
    value cannot be used is None in ``rows`` and listed under its 0-based (row, column): in ``errors`` with the
    spreadsheet error it shows (#N/A), or in ``formulas`` when it holds a formula that was never computed (a
    file written by a program that is not a spreadsheet)."""

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: set[tuple[int, int]] = field(default_factory=set)
    lines: list[int] | None = None  # CSV: the line each record starts on (a quoted value may span lines)

    def value_row(self, row: int) -> list[Any]:
        """The values of 0-based ``row`` (empty beyond the last row)."""
        return self.rows[row] if row < len(self.rows) else []

    def unusable(self, row: int, column: int) -> str | None:
        """Why the cell at 0-based (row, column) has no usable value although the file shows one, or None."""
        if (row, column) in self.formulas:
            return UNCOMPUTED_FORMULA
        error = self.errors.get((row, column))
        return None if error is None else SPREADSHEET_ERROR.format(value=error)

    def value(self, row: int, column: int) -> Any:
        """The value at 0-based (row, column), None beyond the row's end."""
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[column] if column < len(cells) else None


@dataclass
class Book:
    """The sheets read from a workbook, by name in workbook order, and the names of all its sheets."""

    names: list[str]
    sheets: dict[str, Sheet]
