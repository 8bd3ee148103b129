"""Offline filling: a country's questionnaire as an Excel workbook, and reading a filled one back.

The workbook has a ``questionnaire`` sheet (one row per question: labels in the chosen language, the allowed
options, the current answer, comment and evidence links) and a ``govlens`` sheet naming the cycle, the
country and the response version it was made from. Reading never raises for bad content: every problem is
reported with its sheet, row and question, and nothing is kept unless the whole workbook is valid.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from govlens.framework.answers import coerce_answer
from govlens.framework.model import Framework, QuestionType, text_in
from govlens.framework.report import Problem, Report
from govlens.framework.scoring import question_options
from govlens.reports.exports import neutralise

SHEET = "questionnaire"
META_SHEET = "govlens"
COLUMNS = ("section", "question", "label", "type", "required", "options", "answer", "comment", "evidence_urls")
ANSWER_COLUMN = COLUMNS.index("answer") + 1
MULTIPLE_SEPARATOR = " "  # ODK stores multiple choices space-separated; the workbook does the same


@dataclass
class WorkbookContent:
    """What a filled workbook holds, and every problem found reading it."""

    cycle: str = ""
    country: str = ""
    version: int | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    evidence_urls: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # question -> row, to locate later problems
    report: Report = field(default_factory=Report)


def _text_cell(cell: Cell, value: str) -> None:
    """A text cell that a spreadsheet never evaluates, even when it starts like a formula.

    The text is kept as it is (it reads back unchanged); the cell's quote prefix marks it as text wherever the
    shared neutraliser of the exports would have added an apostrophe."""
    cell.value = value
    cell.data_type = "s"
    if neutralise(value) != value:
        cell.quotePrefix = True


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return MULTIPLE_SEPARATOR.join(str(v) for v in value)
    return str(value)


def workbook_build(
    framework: Framework,
    *,
    cycle: str,
    country: str,
    version: int,
    language: str,
    answers: Mapping[str, Any],
    comments: Mapping[str, str],
    evidence_urls: Mapping[str, list[str]],
) -> bytes:
    """The workbook of one response, in ``language``, with its current answers."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    bold = Font(bold=True)
    for column, name in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = bold
    answer_fill = PatternFill("solid", fgColor="FFF7D6")
    with translation.override(language):
        builtin = {"yes": translation.gettext("Yes"), "no": translation.gettext("No")}
    row = 1
    for section in framework.sections:
        for question in section.questions:
            row += 1
            options = question_options(framework, question) or ()
            listed = framework.choice_lists.get(question.choice_list or "")
            labels = {c.name: text_in(c.label, language) for c in listed.choices} if listed else {}
            option_text = "; ".join(f"{name} = {labels.get(name) or builtin.get(name, name)}" for name in options)
            values = (
                text_in(section.label, language),
                question.name,
                text_in(question.label, language),
                question.type.value,
                "yes" if question.required else "",
                option_text,
                _shown(answers.get(question.name)),
                comments.get(question.name, ""),
                "\n".join(evidence_urls.get(question.name, [])),
            )
            for column, value in enumerate(values, start=1):
                target = sheet.cell(row=row, column=column)
                assert isinstance(target, Cell)  # a fresh sheet has no merged cells
                if isinstance(answers.get(question.name), int | float) and column == ANSWER_COLUMN:
                    target.value = answers[question.name]
                else:
                    _text_cell(target, value)
            sheet.cell(row=row, column=ANSWER_COLUMN).fill = answer_fill
            if question.type in (QuestionType.YES_NO, QuestionType.SELECT_ONE) and options:
                # A drop-down of the option names (Excel limits an inline list to 255 characters).
                inline = ",".join(options)
                if len(inline) <= 255:
                    check = DataValidation(type="list", formula1=f'"{inline}"', allow_blank=True)
                    sheet.add_data_validation(check)
                    check.add(sheet.cell(row=row, column=ANSWER_COLUMN).coordinate)
    for letter, width in zip("ABCDEFGHI", (18, 22, 60, 14, 9, 40, 24, 30, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "C2"
    meta = book.create_sheet(META_SHEET)
    for key, meta_value in (
        ("cycle", cycle),
        ("country", country),
        ("version", version),
        ("framework", f"{framework.id} {framework.version}"),
        ("language", language),
    ):
        meta.append([key, meta_value])
    meta.sheet_state = "hidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _problem(
    report: Report, code: str, message: str, *, row: int | None = None, question: str | None = None, sheet: str = SHEET
) -> None:
    report.add(Problem(code=code, message=message, sheet=sheet, row=row, column=question))


def workbook_read(data: bytes, framework: Framework, *, filename: str = "workbook.xlsx") -> WorkbookContent:
    """The answers of a filled workbook, typed; every problem located by sheet, row and question."""
    content = WorkbookContent()
    report = content.report
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        _problem(
            report, "unreadable_file", f"{filename} is not an Excel workbook (.xlsx): {type(error).__name__}", sheet=""
        )
        return content
    if META_SHEET not in book.sheetnames or SHEET not in book.sheetnames:
        _problem(
            report,
            "missing_sheet",
            f"{filename} must have the sheets '{SHEET}' and '{META_SHEET}' of a GovLens workbook; download a fresh one",
            sheet="",
        )
        return content
    meta = {str(row[0]): row[1] for row in book[META_SHEET].iter_rows(values_only=True) if row and row[0]}
    content.cycle = str(meta.get("cycle") or "")
    content.country = str(meta.get("country") or "")
    raw_version = meta.get("version")
    content.version = raw_version if isinstance(raw_version, int) else None
    if content.version is None:
        _problem(
            report, "invalid_value", f"the version must be a whole number; got {raw_version!r}", sheet=META_SHEET, row=3
        )
    rows = book[SHEET].iter_rows(values_only=True)
    header = [str(v or "").strip() for v in next(rows, ())]
    missing = [name for name in ("question", "answer", "comment", "evidence_urls") if name not in header]
    if missing:
        _problem(report, "missing_column", f"the '{SHEET}' sheet has no column {', '.join(missing)}", row=1)
        return content
    at = {name: header.index(name) for name in ("question", "answer", "comment", "evidence_urls")}
    questions = {q.name: q for q in framework.questions()}
    for number, row in enumerate(rows, start=2):
        cells = list(row) + [None] * (len(header) - len(row))
        name = str(cells[at["question"]] or "").strip()
        if not name:
            continue
        if name not in questions:
            _problem(
                report,
                "unknown_question",
                f"'{name}' is not a question of {framework.id} {framework.version}",
                row=number,
                question=name,
            )
            continue
        if name in content.rows:
            _problem(
                report,
                "duplicate_question",
                f"'{name}' appears again (first on row {content.rows[name]})",
                row=number,
                question=name,
            )
            continue
        content.rows[name] = number
        question = questions[name]
        raw: Any = cells[at["answer"]]
        if question.type is QuestionType.SELECT_MULTIPLE and isinstance(raw, str):
            raw = [part for part in raw.replace(",", " ").split() if part]
        try:
            typed = coerce_answer(question, raw)
        except ValueError as error:
            _problem(report, getattr(error, "code", "invalid_value"), str(error), row=number, question=name)
            continue
        content.answers[name] = list(typed) if isinstance(typed, tuple) else typed
        content.comments[name] = str(cells[at["comment"]] or "").strip()
        content.evidence_urls[name] = [
            line.strip() for line in str(cells[at["evidence_urls"]] or "").splitlines() if line.strip()
        ]
    return content
