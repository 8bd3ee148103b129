"""The one way the CLI prints a problem: ``PATH:SHEET:ROW: [warning: ]code: message`` on stderr.

Every command prints located problems through :func:`echo_problems`, so a user (or a script reading stderr)
sees one format whichever layer found the problem; a known column is named after the message. The problem rows
a platform service refuses input with (dicts: question or field, code, message, sheet, row) are printed the same
way by :func:`echo_rows`: the file they came from is the path, or the field when there is no file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import typer

from govlens.framework.report import Problem, Severity


def problem_line(problem: Problem) -> str:
    """``PATH:SHEET:ROW: [warning: ]code: message`` plus ``(column 'C')`` when the column is known."""
    line = str(problem)
    if problem.column and f"'{problem.column}'" not in problem.message:
        line += f" (column {problem.column!r})"
    return line


def echo_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        typer.echo(problem_line(problem), err=True)


def row_problem(row: Mapping[str, Any], path: str = "") -> Problem:
    """A service's problem row as a located problem of ``path`` (the file it came from), or of its field when no
    file is known ("username: invalid_username: ...")."""
    field = str(row.get("column") or row.get("field") or row.get("question") or row.get("country") or "")
    return Problem(
        code=str(row.get("code") or "invalid"),
        message=str(row.get("message") or ""),
        path=path or field or "input",
        sheet=str(row["sheet"]) if row.get("sheet") else None,
        row=int(row["row"]) if isinstance(row.get("row"), int) else None,
        column=field if path and field else None,
        severity=Severity.WARNING if row.get("severity") == "warning" else Severity.ERROR,
    )


def echo_rows(rows: Iterable[Mapping[str, Any]], path: str = "") -> None:
    echo_problems(row_problem(row, path) for row in rows)
