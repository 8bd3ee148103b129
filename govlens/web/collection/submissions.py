"""Reading submissions exported from KoboToolbox or ODK Central (CSV or XLSX, one row per submission).

Exports name their columns after the form's fields, prefixed by their groups (``governance/org_exists``),
and add metadata columns (``start``, ``_id``, ``_submission_time``, ``meta/instanceID`` ...) and, for a
multiple choice, one 0/1 column per option (``channels/web``) beside the space-separated answer. Reading
keeps the columns that are questions of the framework, types every value and reports every problem with its
row and column; nothing is decided about saving here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from openpyxl import load_workbook

from govlens.framework.answers import coerce_answer
from govlens.framework.model import Framework
from govlens.framework.report import Problem, Report, Severity

COUNTRY_COLUMN = "country"


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


def _table(data: bytes, filename: str) -> list[list[Any]]:
    """Rows of the first sheet of an .xlsx, or of a CSV (delimiter sniffed: Kobo uses ';' or ',')."""
    if PurePath(filename).suffix.lower() in (".xlsx", ".xlsm"):
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    text = data.decode("utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(row) for row in csv.reader(io.StringIO(text), dialect)]


def submissions_read(
    data: bytes, framework: Framework, *, filename: str, country_column: str = COUNTRY_COLUMN
) -> Submissions:
    result = Submissions()
    report = result.report

    def problem(code: str, message: str, row: int | None = None, column: str | None = None) -> None:
        report.add(Problem(code=code, message=message, path=filename, row=row, column=column))

    try:
        table = _table(data, filename)
    except Exception as error:  # a file that is not CSV text or not a workbook
        problem("unreadable_file", f"cannot read {filename} as CSV or XLSX: {type(error).__name__}: {error}")
        return result
    if not table:
        problem("empty_file", f"{filename} has no header row")
        return result
    header = [str(cell or "").strip() for cell in table[0]]
    questions = {q.name: q for q in framework.questions()}
    at: dict[str, int] = {}
    country_at: int | None = None
    for index, name in enumerate(header):
        last = name.rsplit("/", 1)[-1]
        if name == country_column or last == country_column:
            country_at = index
        elif last in questions and last not in at:
            at[last] = index
            result.columns[last] = name
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
    seen: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        cells = cells + [None] * (len(header) - len(cells))
        if all(cell in (None, "") for cell in cells):
            continue
        country = str(cells[country_at] or "").strip().upper()
        if not country:
            problem("missing_country", "the row names no country", number, header[country_at])
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
        for name, index in at.items():
            raw = cells[index]
            try:
                typed = coerce_answer(questions[name], raw)
            except ValueError as error:
                problem(getattr(error, "code", "invalid_value"), str(error), number, header[index])
                continue
            if typed is not None:
                answers[name] = list(typed) if isinstance(typed, tuple) else typed
        result.submissions.append(Submission(row=number, country=country, answers=answers))
    if result.ignored:
        report.add(
            Problem(
                code="ignored_columns",
                message=f"{len(result.ignored)} column(s) are not questions and were ignored: "
                + ", ".join(result.ignored[:8])
                + (" ..." if len(result.ignored) > 8 else ""),
                path=filename,
                row=1,
                severity=Severity.WARNING,
            )
        )
    return result
