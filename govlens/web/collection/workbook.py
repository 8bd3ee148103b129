"""Offline filling: a country's questionnaire as an Excel workbook, and reading a filled one back.

The workbook has a ``questionnaire`` sheet (one row per question: labels in the chosen language, the allowed
options, the current answer, comment and evidence links) and a ``govlens`` sheet naming the cycle, the
country and the response version it was made from. Reading never raises for bad content: every problem is
reported with its sheet, row and question, and nothing is kept unless the whole workbook is valid.

What is downloaded reads back unchanged: a carriage return is written as the ``_x000D_`` escape (XML would
read it back as a line feed), and so is any other character XML cannot hold; a number with more digits than a
spreadsheet keeps is written as text. A formula that was never computed or a spreadsheet
error value (#N/A) is reported, never read as an empty cell.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from govlens import tabular
from govlens.framework.answers import coerce_answer
from govlens.framework.model import Framework, Question, QuestionType, text_in
from govlens.framework.report import Problem, Report
from govlens.framework.scoring import question_options
from govlens.reports.exports import neutralise
from govlens.tabular import Limits

SHEET = "questionnaire"
META_SHEET = "govlens"
COLUMNS = ("section", "question", "label", "type", "required", "options", "answer", "comment", "evidence_urls")
ANSWER_COLUMN = COLUMNS.index("answer") + 1
MULTIPLE_SEPARATOR = " "  # ODK stores multiple choices space-separated; the workbook does the same
# Spreadsheets keep 15 significant digits: a number that needs more is written as text, which reads back exactly.
EXACT_DIGITS = 15
REPLACEMENT = "\ufffd"  # in place of a character that no text can hold


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


# Characters XML 1.0 cannot hold: control characters but tab, line feed and carriage return, surrogates, U+FFFE
# and U+FFFF (openpyxl refuses the first kind and writes the others into a file no reader can open); and the
# carriage return, which XML reads back as a line feed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ud800-\udfff\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code == 0 or 0xD800 <= code <= 0xDFFF:
        return REPLACEMENT  # text can never hold them (a database refuses NUL, UTF-8 a lone surrogate)
    return f"_x{code:04X}_"


def _escaped(text: str) -> str:
    """Text as an OOXML string holds it, as spreadsheet programs write it: a character XML cannot hold becomes
    ``_xHHHH_`` (a carriage return ``_x000D_``), and a literal ``_xHHHH_`` gets its underscore escaped."""
    return _NOT_XML.sub(_escape, _LITERAL_ESCAPE.sub(r"_x005F_\1", text))


def _unescape(match: re.Match[str]) -> str:
    code = int(match[1], 16)
    return match[0] if code == 0 or 0xD800 <= code <= 0xDFFF else chr(code)


def _unescaped(text: str) -> str:
    """The text of a string cell with its ``_xHHHH_`` escapes undone (never into NUL or a lone surrogate)."""
    return _ESCAPE.sub(_unescape, text)


def _text_cell(cell: Cell, value: str) -> None:
    """A text cell that a spreadsheet never evaluates, even when it starts like a formula.

    The text reads back unchanged (see :func:`_escaped`); the cell's quote prefix marks it as text wherever
    the shared neutraliser of the exports would have added an apostrophe."""
    cell.value = _escaped(value)
    cell.data_type = "s"
    if neutralise(value) != value:
        cell.quotePrefix = True


def _is_exact_number(value: Any) -> bool:
    """A stored number that a spreadsheet keeps exactly as a number cell."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, int):
        return abs(value) < 10**EXACT_DIGITS
    return math.isfinite(value) and float(f"{value:.{EXACT_DIGITS}g}") == value


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
                if column == ANSWER_COLUMN and _is_exact_number(answers.get(question.name)):
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
    report: Report,
    code: str,
    message: str,
    *,
    row: int | None = None,
    question: str | None = None,
    sheet: str = SHEET,
    params: Any = None,
) -> None:
    pairs = tuple(dict(params or {}).items())
    report.add(Problem(code=code, message=message, sheet=sheet, row=row, column=question, params=pairs))


def short(text: str, limit: int = 60) -> str:
    """Text as a message quotes it: anything long cut short (a cell can hold 32,767 characters)."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def clipped(message: str, limit: int = 400) -> str:
    """A message of the framework's answer checks with an overlong quoted value cut out of its middle (the
    URL check quotes the whole text; its end still says what is wrong)."""
    if len(message) <= limit:
        return message
    return message[: limit * 2 // 3] + " ... " + message[-(limit // 3) :]


def unknown_options(framework: Framework, question: Question, typed: Any) -> str | None:
    """Why a typed answer of a select question names options the question does not have, or None.

    The framework's own check says the same, but quotes the whole value: a cell of 30,000 characters would
    become a message as long."""
    options = question_options(framework, question)
    if options is None or typed is None or not question.type.is_select:
        return None
    chosen = typed if isinstance(typed, tuple) else (str(typed),)
    unknown = [option for option in chosen if option not in options]
    if not unknown:
        return None
    shown = ", ".join(repr(short(option)) for option in unknown[:5]) + (" ..." if len(unknown) > 5 else "")
    return f"'{question.name}' has no option {shown}; allowed: {short(', '.join(options), 300)}"


# A questionnaire has a few hundred rows of nine columns: these bounds leave room for notes a person adds, and
# refuse a file that would take a worker's memory (1,000 rows each with one cell in column XFD) before it is held.
LIMITS = Limits(rows=20_000, columns=200, cells=200_000)


def _text(value: Any) -> str:
    """A comment or evidence cell as text: whatever it holds, as a person reads it (0 is "0", empty is "")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _unescaped(value)
    return str(value)


def workbook_read(data: bytes, framework: Framework, *, filename: str = "workbook.xlsx") -> WorkbookContent:
    """The answers of a filled workbook, typed; every problem located by sheet, row and question.

    Never raises for the bytes it is given: a file that is not a workbook (or that a reader cannot finish) is
    one problem naming the file."""
    content = WorkbookContent()
    report = content.report
    try:
        book = tabular.read_workbook(data, filename=filename, limits=LIMITS, sheets=(SHEET, META_SHEET))
    except tabular.TooLarge as error:
        _problem(report, "too_large", f"{error}; download a fresh one", sheet="")
        return content
    except tabular.Unreadable as error:
        _problem(report, "unreadable_file", str(error), sheet="")
        return content
    except Exception as error:  # a reader library failing in a way it does not document: still one problem
        detail = short(str(error), 120)
        _problem(
            report,
            "unreadable_file",
            f"{filename} cannot be read as an Excel workbook (.xlsx): {type(error).__name__}"
            + (f" ({detail})" if detail else ""),
            sheet="",
        )
        return content
    if META_SHEET not in book.sheets or SHEET not in book.sheets:
        _problem(
            report,
            "missing_sheet",
            f"{filename} must have the sheets '{SHEET}' and '{META_SHEET}' of a GovLens workbook; download a fresh one",
            sheet="",
        )
        return content
    _read_meta(content, book.sheets[META_SHEET])
    _read_questions(content, framework, book.sheets[SHEET])
    return content


def _read_meta(content: WorkbookContent, sheet: tabular.Sheet) -> None:
    meta: dict[str, tuple[Any, int]] = {}
    for index in range(len(sheet.rows)):
        first = sheet.value(index, 0)
        key = str(first).strip() if first is not None else ""
        if key and key not in meta:
            meta[key] = (sheet.value(index, 1), index + 1)
    content.cycle = short(str(meta.get("cycle", ("", 0))[0] or ""), 100)
    content.country = short(str(meta.get("country", ("", 0))[0] or ""), 100)
    raw_version, row = meta.get("version", (None, 0))
    if isinstance(raw_version, float) and raw_version.is_integer():
        raw_version = int(raw_version)  # a spreadsheet program may store any number as a decimal
    if type(raw_version) is int and raw_version >= 0:  # not True, which Python counts as 1
        content.version = raw_version
    else:
        shown = short(repr(raw_version)) if row else "no 'version' row"
        _problem(
            content.report,
            "invalid_value",
            f"the version must be a whole number of 0 or more; got {shown}",
            sheet=META_SHEET,
            row=row or None,
        )


def _read_questions(content: WorkbookContent, framework: Framework, sheet: tabular.Sheet) -> None:
    report = content.report
    header = [str(value if value is not None else "").strip() for value in (sheet.rows[0] if sheet.rows else [])]
    wanted = ("question", "answer", "comment", "evidence_urls")
    missing = [name for name in wanted if name not in header]
    if missing:
        _problem(report, "missing_column", f"the '{SHEET}' sheet has no column {', '.join(missing)}", row=1)
        return
    twice = [name for name in wanted if header.count(name) > 1]
    if twice:
        _problem(
            report,
            "duplicate_column",
            f"the '{SHEET}' sheet has more than one column {', '.join(twice)}; keep one of each",
            row=1,
        )
        return
    at = {name: header.index(name) for name in wanted}
    questions = {q.name: q for q in framework.questions()}
    for index in range(1, len(sheet.rows)):
        number = index + 1
        name = _text(sheet.value(index, at["question"])).strip()
        if not name:
            continue
        if name not in questions:
            _problem(
                report,
                "unknown_question",
                f"'{short(name)}' is not a question of {framework.id} {framework.version}",
                row=number,
                question=short(name),
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
        unusable = False
        for column in ("answer", "comment", "evidence_urls"):
            if (index, at[column]) in sheet.formulas:
                _problem(
                    report,
                    "formula_without_value",
                    f"the {column} of '{name}' is a formula that was never computed; type the value itself, or "
                    "open and save the workbook in a spreadsheet program",
                    row=number,
                    question=name,
                )
                unusable = True
            elif (index, at[column]) in sheet.errors:
                error = sheet.errors[(index, at[column])]
                _problem(
                    report,
                    "spreadsheet_error",
                    f"the {column} of '{name}' is the spreadsheet error {short(error)}; type the value itself",
                    row=number,
                    question=name,
                )
                unusable = True
        if unusable:
            continue
        question = questions[name]
        raw: Any = sheet.value(index, at["answer"])
        if isinstance(raw, str):
            raw = _unescaped(raw)
        if question.type is QuestionType.SELECT_MULTIPLE and isinstance(raw, str):
            raw = [part for part in raw.replace(",", " ").split() if part]
        try:
            typed = coerce_answer(question, raw)
        except ValueError as error:
            code = getattr(error, "code", "invalid_value")
            params = getattr(error, "params", None)
            _problem(report, code, clipped(str(error)), row=number, question=name, params=params)
            continue
        unknown = unknown_options(framework, question, typed)
        if unknown:
            _problem(report, "unknown_choice", unknown, row=number, question=name)
            continue
        urls = [line.strip() for line in _text(sheet.value(index, at["evidence_urls"])).splitlines() if line.strip()]
        bad = [url for url in urls if not url.startswith(("https://", "http://"))]
        if bad:
            _problem(
                report,
                "invalid_evidence_url",
                f"evidence URLs must start with https:// or http://; got '{short(bad[0])}'"
                + (f" and {len(bad) - 1} more" if len(bad) > 1 else ""),
                row=number,
                question=name,
            )
            continue
        content.answers[name] = list(typed) if isinstance(typed, tuple) else typed
        content.comments[name] = _text(sheet.value(index, at["comment"]))
        content.evidence_urls[name] = urls
