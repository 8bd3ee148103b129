"""Validation reports: every problem found in a file, located, coded and explained.

Data problems are collected into a report rather than raised, so a user sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    path: str = ""
    sheet: str | None = None
    row: int | None = None  # 1-based spreadsheet row, or 1-based line for YAML
    column: str | None = None
    severity: Severity = Severity.ERROR
    # The values the message was made from (name, value, low, ...), so an interface can word it in its own
    # language; pairs, so that a problem stays hashable.
    params: tuple[tuple[str, object], ...] = ()

    def location(self) -> str:
        """``PATH:SHEET:ROW`` for workbooks, ``PATH:LINE`` for text files, ``PATH`` when unknown."""
        parts = [self.path or "<framework>"]
        if self.sheet is not None:
            parts.append(self.sheet)
            parts.append(str(self.row) if self.row is not None else "")
        elif self.row is not None:
            parts.append(str(self.row))
        return ":".join(parts)

    def __str__(self) -> str:
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return f"{self.location()}: {prefix}{self.code}: {self.message}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def flatten(self) -> list[dict[str, object]]:
        """One row per problem, for tables and exports."""
        return [
            {
                "path": p.path,
                "sheet": p.sheet,
                "row": p.row,
                "column": p.column,
                "severity": str(p.severity),
                "code": p.code,
                "message": p.message,
            }
            for p in self.problems
        ]
