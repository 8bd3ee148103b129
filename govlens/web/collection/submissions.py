"""Reading submissions exported from KoboToolbox or ODK Central (CSV or XLSX, one row per submission).

Exports name their columns after the form's fields, prefixed by their groups (``governance/org_exists``),
and add metadata columns (``start``, ``_id``, ``_submission_time``, ``meta/instanceID`` ...) and, for a
multiple choice, one 0/1 column per option (``channels/web``) beside the space-separated answer. Reading
keeps the columns that are questions of the framework, types every value and reports every problem with its
row and column; nothing is decided about saving here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from govlens import tabular
from govlens.framework import errors as catalogue
from govlens.framework.answers import coerce_answer
from govlens.framework.errors import Location
from govlens.framework.model import Framework, qualified_name
from govlens.framework.report import Problem, Report
from govlens.web.collection.workbook import clipped, short, unknown_options

COUNTRY_COLUMN = "country"
ISO3 = re.compile(r"[A-Z]{3}")
# An export has one row per submission (a cycle has a few dozen countries) and a column per question, per
# option of a multiple choice and per metadata field: wide, but not a million cells.
LIMITS = tabular.Limits(rows=100_000, columns=5_000, cells=1_000_000)


@dataclass
class Submission:
    row: int
    country: str
    answers: dict[str, Any]


@dataclass
class Submissions:
    submissions: list[Submission] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # question -> column header it was read from
    ignored: list[str] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def _table(data: bytes, filename: str, country_column: str) -> tabular.Sheet:
    """The first sheet of an .xlsx, or a CSV (its delimiter read from the header, preferring the one that finds
    the country column)."""

    def has_country(names: list[str]) -> bool:
        return any(name == country_column or name.rsplit("/", 1)[-1] == country_column for name in names)

    sheet, _names = tabular.read_table(data, filename=filename, limits=LIMITS, prefer=has_country)
    return sheet


def _question_of(header: str, questions: Mapping[str, object]) -> str:
    """The question a column answers: an export prefixes a field with its groups ('governance/sub/org_exists'); a
    question whose name a question of another section shares is named by its section ('governance/org_exists')."""
    parts = header.split("/")
    qualified = qualified_name(parts[0], parts[-1])
    return qualified if len(parts) > 1 and qualified in questions else parts[-1]


def _cell_text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def submissions_read(
    data: bytes, framework: Framework, *, filename: str, country_column: str = COUNTRY_COLUMN
) -> Submissions:
    """The submissions of an export, typed; every problem located by row and column (never raises for bad bytes).

    A file that cannot be read is one problem naming it; a column read twice (two country columns, one question
    under two groups) or a row with more values than the header names is refused rather than guessed at."""
    result = Submissions()
    report = result.report

    def problem(code: str, message: str, row: int | None = None, column: str | None = None, params: Any = None) -> None:
        pairs = tuple(dict(params or {}).items())
        report.add(Problem(code=code, message=message, path=filename, row=row, column=column, params=pairs))

    try:
        table = _table(data, filename, country_column)
    except tabular.Unreadable as error:
        problem("unreadable_file", str(error))
        return result
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook, even lazily
        detail = short(str(error), 120)
        problem(
            "unreadable_file",
            f"cannot read {filename} as CSV or XLSX: {type(error).__name__}" + (f" ({detail})" if detail else ""),
        )
        return result
    rows = table.rows
    if not rows or not any(_cell_text(cell) for cell in rows[0]):
        problem("empty_file", f"{filename} has no header row")
        return result
    header = [short(_cell_text(cell), 200) for cell in rows[0]]
    questions = {q.name: q for q in framework.questions()}
    at: dict[str, int] = {}
    country_at: int | None = None
    for index, name in enumerate(header):
        question = _question_of(name, questions)
        if name == country_column or name.rsplit("/", 1)[-1] == country_column:
            if country_at is not None:
                problem(
                    "duplicate_column",
                    f"both '{header[country_at]}' and '{name}' name the country; keep one",
                    1,
                    name,
                )
            country_at = index
        elif question in questions:
            if question in at:
                problem(
                    "duplicate_column",
                    f"both '{header[at[question]]}' and '{name}' answer the question '{question}'; keep one",
                    1,
                    name,
                )
                continue
            at[question] = index
            result.columns[question] = name
        elif name:
            result.ignored.append(name)
    if country_at is None:
        problem(
            "missing_column", f"{filename} has no '{country_column}' column naming each row's country (ISO3)", row=1
        )
        return result
    if not at:
        problem("missing_column", f"{filename} has no column named after a question of {framework.id}", row=1)
        return result
    if report.errors:
        return result
    seen: dict[str, int] = {}
    for index, cells in enumerate(rows[1:], start=1):
        number = index + 1
        if all(cell is None or cell == "" for cell in cells):
            continue
        extra = [cell for cell in cells[len(header) :] if _cell_text(cell)]
        if extra:
            problem(
                "extra_values",
                f"the row has values beyond the {len(header)} columns the header names "
                "(in a CSV, a value holding the delimiter needs quotes)",
                number,
            )
            continue
        cells = cells + [None] * (len(header) - len(cells))
        country = _cell_text(cells[country_at]).upper()
        if not country:
            problem("missing_country", "the row names no country", number, header[country_at])
            continue
        if not ISO3.fullmatch(country):
            problem(
                "invalid_country",
                f"'{short(country)}' is not an ISO 3166 alpha-3 country code (such as ARG)",
                number,
                header[country_at],
            )
            continue
        if country in seen:
            problem(
                "duplicate_country",
                f"{country} already has a submission on row {seen[country]}",
                number,
                header[country_at],
            )
            continue
        seen[country] = number
        answers: dict[str, Any] = {}
        for name, column in at.items():
            raw = cells[column]
            why = table.unusable(index, column)
            if why is not None:
                problem("invalid_value", f"'{name}': {why}", number, header[column])
                continue
            try:
                typed = coerce_answer(questions[name], raw)
            except ValueError as error:
                code = getattr(error, "code", "invalid_value")
                problem(code, clipped(str(error)), number, header[column], getattr(error, "params", None))
                continue
            unknown = unknown_options(framework, questions[name], typed)
            if unknown:
                problem("unknown_choice", unknown, number, header[column])
                continue
            if typed is not None:
                answers[name] = list(typed) if isinstance(typed, tuple) else typed
        result.submissions.append(Submission(row=number, country=country, answers=answers))
    if result.ignored:
        columns = ", ".join(short(name) for name in result.ignored[:8]) + (" ..." if len(result.ignored) > 8 else "")
        first = Location(row=1)
        report.add(catalogue.problem("ignored_columns", filename, first, count=len(result.ignored), columns=columns))
    return result
