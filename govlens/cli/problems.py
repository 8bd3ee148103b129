"""The one way the CLI prints a problem: ``PATH:SHEET:ROW: [warning: ]code: message`` on stderr.

Every command prints located problems through :func:`echo_problems`, so a user (or a script reading stderr)
sees one format whichever layer found the problem; a known column is named after the message.
"""

from __future__ import annotations

from collections.abc import Iterable

import typer

from govlens.framework.report import Problem


def problem_line(problem: Problem) -> str:
    """``PATH:SHEET:ROW: [warning: ]code: message`` plus ``(column 'C')`` when the column is known."""
    line = str(problem)
    if problem.column and f"'{problem.column}'" not in problem.message:
        line += f" (column {problem.column!r})"
    return line


def echo_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        typer.echo(problem_line(problem), err=True)
