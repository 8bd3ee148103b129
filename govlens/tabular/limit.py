"""Counting a read against its limits, with the message that refuses it."""

from __future__ import annotations

from govlens.tabular.model import Limits, TooLarge

# The largest sheet Excel (and the OOXML format) can hold.
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384


def column_letters(number: int) -> str:
    """1 -> 'A', 16384 -> 'XFD' (a spreadsheet's column name, for messages)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class Budget:
    """The cells, rows and columns one read has used so far; raises :class:`Unreadable` past a limit."""

    def __init__(self, limits: Limits, where: str):
        self.limits = limits
        self.where = where
        self.cells = 0

    def refuse(self, what: str, limit: int, unit: str) -> TooLarge:
        return TooLarge(f"{self.where} {what}; at most {limit:,} {unit} can be read")

    def row(self, number: int) -> None:
        if number > self.limits.rows:
            raise self.refuse(f"has a value on row {number:,}", self.limits.rows, "rows")

    def column(self, number: int, row: int) -> None:
        if number > self.limits.columns:
            raise self.refuse(
                f"has a value in column {column_letters(number)} ({number:,}) on row {row:,}",
                self.limits.columns,
                "columns",
            )

    def spend(self, count: int) -> None:
        self.cells += count
        if self.cells > self.limits.cells:
            raise self.refuse(f"holds more than {self.limits.cells:,} cells", self.limits.cells, "cells")

    def declared(self, rows: int | None, columns: int | None) -> None:
        """The size a sheet declares in its header, checked before a cell is read: beyond what a spreadsheet
        can hold, the file is damaged or forged. Within that it is not trusted either way: the reader never pads
        to it (openpyxl's read-only reader does), and writers overstate it (pyxform's own test form
        extra_columns.xlsx declares 6,587 columns for 3), so the real extent is what the limits bound."""
        if (rows or 0) > MAX_SHEET_ROWS or (columns or 0) > MAX_SHEET_COLUMNS:
            raise TooLarge(
                f"{self.where} declares {rows or 0:,} rows x {columns or 0:,} columns, more than a spreadsheet "
                f"can hold ({MAX_SHEET_ROWS:,} x {MAX_SHEET_COLUMNS:,}): the file is damaged"
            )
