"""Server-side checks of a set of answers: the web platform and the workbook upload call these.

:func:`coerce_answer` turns what arrives (form text, workbook cells, JSON values) into the typed value of the
question; :func:`validate_answers` checks a whole response against the framework and returns a
:class:`~govlens.framework.report.Report` with one problem per finding, located by ``column=<question name>``.
"""

from __future__ import annotations

import datetime
import math
import numbers
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import NamedTuple
from urllib.parse import urlsplit

from govlens.framework.errors import BY_CODE, ErrorType, register
from govlens.framework.expression import ExpressionError, UnknownFunctionError, is_true, parse, to_string
from govlens.framework.model import Framework, Question, QuestionType, text_in
from govlens.framework.report import Problem, Report, Severity
from govlens.framework.scoring import is_unanswered, question_options, relevant_questions

__all__ = [
    "ANSWER_ERRORS",
    "MAX_TEXT_LENGTH",
    "YEAR_RANGE",
    "Answer",
    "AnswerError",
    "ForbiddenCharacter",
    "coerce_answer",
    "forbidden_character",
    "validate_answers",
]

# The typed value of an answer: None (unanswered), text or option name, number, or the options selected.
Answer = None | str | int | float | tuple[str, ...]

YEAR_RANGE: tuple[int, int] = (1900, 2100)
# The longest text answer: some ten pages; more is a paste or a script, and every page, export and backup carries it.
MAX_TEXT_LENGTH = 20_000

# the answer checks' part of the framework's catalogue (an answer to no question reports the framework's own
# unknown_question)
ANSWER_ERRORS: tuple[ErrorType, ...] = register(
    "framework",
    (
        ErrorType("invalid_integer", "Not a whole number", "'{name}' needs a whole number; got {value}"),
        ErrorType("invalid_decimal", "Not a number", "'{name}' needs a number{detail}; got {value}"),
        ErrorType("invalid_year", "Not a year", "'{name}' needs a year from {low} to {high}; got {value}"),
        ErrorType(
            "invalid_url", "Not a web address", "'{name}' needs a web address starting http:// or https://; {reason}"
        ),
        ErrorType("invalid_text", "Not text", "'{name}' needs text; got {value}"),
        ErrorType("text_too_long", "Text too long", "'{name}' may hold at most {limit} characters; got {length}"),
        ErrorType(
            "control_character",
            "Control character or lone surrogate in text",
            "'{name}' holds {character} at position {position}, which no answer can hold; remove it",
        ),
        ErrorType("too_many_choices", "Several options for a single choice", "'{name}' takes one option; got {value}"),
        ErrorType("unknown_choice", "Unknown option", "'{name}' has no option {value}; allowed: {allowed}"),
        ErrorType("constraint_failed", "Constraint not met", "'{name}': {reason}"),
        ErrorType("expression_error", "Expression cannot be evaluated", "{field} of '{name}': {reason}"),
        ErrorType(
            "expression_not_evaluated",
            "Expression not evaluated",
            "{field} of '{name}' is not checked: GovLens does not implement the function '{function}'",
            Severity.WARNING,
        ),
        ErrorType("required_missing", "Required answer missing", "'{name}' is required"),
        ErrorType(
            "answer_not_relevant",
            "Answer to a skipped question",
            "'{name}' is not asked for these answers ({condition}); its answer is ignored",
            Severity.WARNING,
        ),
    ),
    part="answers",
)


class AnswerError(ValueError):
    """An answer that cannot become the question's type; ``code`` is the problem code it reports as."""

    def __init__(self, code: str, **params: object) -> None:
        error = BY_CODE[code]
        params = {"low": YEAR_RANGE[0], "high": YEAR_RANGE[1], "detail": ""} | params
        super().__init__(error.template.format(**{name: params.get(name, "?") for name in error.params()}))
        self.code = code
        self.params: dict[str, object] = params


def _shown(raw: object, limit: int = 60) -> str:
    """The value as a message shows it: text quoted, anything long cut short."""
    try:
        text = raw if isinstance(raw, str) else str(raw)
    except ValueError:  # an int with more digits than Python converts to text
        return "a number too large to show"
    except RecursionError:
        return "a value nested too deeply to show"
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text) if isinstance(raw, str) else text


_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")
# Characters no stored text may hold. C0 control characters other than tab, line feed and carriage return:
# invisible, refused by PostgreSQL text (NUL) and by spreadsheet files, and never meant in an answer. Lone
# surrogates (U+D800-U+DFFF, half of a UTF-16 pair, which JSON's \uD800 escapes and undecodable command-line
# bytes produce): no UTF-8 encoder writes them, so once stored every page, export and backup holding them fails.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


class ForbiddenCharacter(NamedTuple):
    """A character no stored text may hold: ``description`` for an English message ("the control character
    U+0007", "the lone surrogate U+D800 ..."), its 1-based ``position``, and the parts an interface words in its
    own language: ``char`` ("U+0007") and whether it is a lone ``surrogate``."""

    description: str
    position: int
    char: str
    surrogate: bool

    def params(self) -> dict[str, object]:
        """The message parameters of a ``control_character`` problem."""
        return {
            "character": self.description,
            "char": self.char,
            "position": self.position,
            "surrogate": self.surrogate,
        }


def forbidden_character(text: str) -> ForbiddenCharacter | None:
    """The first character of ``text`` that no stored text may hold; None when there is none.

    The one check of the platform: answers, comments, evidence names and links, user names all ask it."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    char = f"U+{ord(found[0]):04X}"
    if 0xD800 <= ord(found[0]) <= 0xDFFF:
        description = f"the lone surrogate {char} (half of a UTF-16 pair, not a character)"
        return ForbiddenCharacter(description, found.start() + 1, char, True)
    return ForbiddenCharacter(f"the control character {char}", found.start() + 1, char, False)


_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_SEPARATORS = re.compile(r"[\s,;]+")
_MAX_DIGITS = 400  # longer numbers are typing accidents (and Python refuses int() of > 4300 digits)


def _to_number(question: Question, raw: object, code: str) -> float | int:
    if isinstance(raw, Decimal):  # from a database column
        raw = str(raw)
    if isinstance(raw, bool) or not isinstance(raw, numbers.Real | str):
        raise AnswerError(code, name=question.name, value=_shown(raw))
    if isinstance(raw, numbers.Real):
        if isinstance(raw, numbers.Integral):
            return int(raw)
        value = float(raw)
        if not math.isfinite(value):
            raise AnswerError(code, name=question.name, value=_shown(raw))
        return value
    text = raw.strip()
    if not _DECIMAL.fullmatch(text):
        detail = " written with a point for decimals and no thousands separators" if "," in text else ""
        raise AnswerError(code, name=question.name, value=_shown(raw), detail=detail)
    if len(text) > _MAX_DIGITS:
        raise AnswerError(code, name=question.name, value=f"a number of {len(text)} characters")
    if code != "invalid_decimal" and _INTEGER.fullmatch(text):
        return int(text.split(".")[0])
    value = float(text)
    if not math.isfinite(value):
        raise AnswerError(code, name=question.name, value=_shown(raw))
    if value == 0 and re.search(r"[1-9]", re.split(r"[eE]", text)[0]):
        # 1e-400 is not zero, but no float is nearer: storing 0.0 would change the answer silently
        raise AnswerError(code, name=question.name, value=f"{_shown(raw)}, which is too close to zero to store")
    return value


def _to_whole(question: Question, raw: object, code: str) -> int:
    number = _to_number(question, raw, code)
    if isinstance(number, float):
        if not number.is_integer():
            raise AnswerError(code, name=question.name, value=_shown(raw))
        return int(number)
    return number


def _to_text(question: Question, raw: object) -> str:
    if isinstance(raw, str):
        found = forbidden_character(raw)
        if found is not None:
            raise AnswerError("control_character", name=question.name, **found.params())
        text = raw.strip()
        if len(text) > MAX_TEXT_LENGTH:
            raise AnswerError("text_too_long", name=question.name, limit=MAX_TEXT_LENGTH, length=len(text))
        return text
    if isinstance(raw, bool | list | tuple | set | frozenset | dict):
        raise AnswerError("invalid_text", name=question.name, value=_shown(raw))
    if isinstance(raw, datetime.date):
        return raw.isoformat()
    if isinstance(raw, numbers.Integral):
        try:
            return str(int(raw))
        except ValueError:  # more digits than Python converts to text
            raise AnswerError("invalid_text", name=question.name, value=_shown(raw)) from None
    if isinstance(raw, numbers.Real):
        return to_string(float(raw))  # 12.0 from a workbook cell reads "12", as a form would show it
    raise AnswerError("invalid_text", name=question.name, value=_shown(raw))


def _to_option(question: Question, raw: object) -> str:
    if isinstance(raw, bool) and question.type is QuestionType.YES_NO:
        return "yes" if raw else "no"
    if isinstance(raw, list | tuple):
        options = [_to_text(question, item) for item in raw if not is_unanswered(item)]
        if len(options) > 1:
            raise AnswerError("too_many_choices", name=question.name, value=", ".join(options))
        return options[0]
    return _to_text(question, raw)


def _to_options(question: Question, raw: object) -> tuple[str, ...]:
    if isinstance(raw, str):
        items: list[str] = _SEPARATORS.split(raw.strip())
    elif isinstance(raw, list | tuple | set | frozenset):
        ordered = sorted(raw, key=str) if isinstance(raw, set | frozenset) else list(raw)
        items = [_to_text(question, item) for item in ordered if not is_unanswered(item)]
    else:
        items = [_to_text(question, raw)]
    names: list[str] = []
    for item in items:
        if item and item not in names:
            names.append(item)
    return tuple(names)


def _check_url(question: Question, text: str) -> str:
    def fail(reason: str) -> AnswerError:
        return AnswerError("invalid_url", name=question.name, reason=reason, value=_shown(text))

    if any(char.isspace() for char in text):
        raise fail(f"{text!r} contains spaces")
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError as error:
        raise fail(f"{text!r} is malformed ({error})") from None
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"'{parts.scheme}'" if parts.scheme else "none"
        raise fail(f"{text!r} has scheme {scheme}")
    if not host:
        raise fail(f"{text!r} has no host name")
    if "." not in host and ":" not in host and host != "localhost":
        raise fail(f"{text!r} has host '{host}', which has no domain")
    return text


def coerce_answer(question: Question, raw: object) -> Answer:
    """The typed value of ``raw`` for ``question``; None when unanswered.

    Accepts form text, workbook cells (numbers, booleans, dates) and JSON values. Raises :class:`AnswerError`
    (a ``ValueError``) naming the question, what it needs and what arrived. Option names are not checked
    against the choice list here (:func:`validate_answers` does that).
    """
    if is_unanswered(raw):
        return None
    if isinstance(raw, str) and (found := forbidden_character(raw)) is not None:
        raise AnswerError("control_character", name=question.name, **found.params())
    if _is_numpy_bool(raw):  # from a data-frame column of booleans
        raw = bool(raw)
    kind = question.type
    if kind is QuestionType.INTEGER:
        return _to_whole(question, raw, "invalid_integer")
    if kind is QuestionType.DECIMAL:
        try:
            return float(_to_number(question, raw, "invalid_decimal"))
        except OverflowError:  # an integer beyond the range of a float
            raise AnswerError("invalid_decimal", name=question.name, value=_shown(raw)) from None
    if kind is QuestionType.YEAR:
        year = _to_whole(question, raw, "invalid_year")
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise AnswerError(
                "invalid_year", name=question.name, value=_shown(raw), low=YEAR_RANGE[0], high=YEAR_RANGE[1]
            )
        return year
    if kind is QuestionType.SELECT_MULTIPLE:
        return _to_options(question, raw) or None
    if kind.is_select:
        return _to_option(question, raw) or None
    text = _to_text(question, raw)
    if kind is QuestionType.URL and text:
        return _check_url(question, text)
    return text or None


def _is_numpy_bool(value: object) -> bool:
    # by name, so that answer checks do not import numpy
    kind = type(value)
    return kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")


def _problem(code: str, name: str, path: str, **params: object) -> Problem:
    error = BY_CODE[code]
    message = error.template.format(**{key: params.get(key, "?") for key in error.params()} | {"name": name})
    return Problem(
        code=code,
        message=message,
        path=path,
        column=name or None,
        severity=error.severity,
        params=tuple(({"name": name} | params).items()),
    )


def _check_choices(framework: Framework, question: Question, value: Answer) -> str | None:
    """The message parameters of an unknown option, or None when every option exists (or no list is known)."""
    options = question_options(framework, question)
    if options is None or value is None:
        return None
    chosen = value if isinstance(value, tuple) else (str(value),)
    unknown = [option for option in chosen if option not in options]
    return ", ".join(repr(option) for option in unknown) if unknown else None


def validate_answers(
    framework: Framework,
    answers: Mapping[str, object],
    *,
    submitting: bool,
    path: str = "",
    today: datetime.date | None = None,
) -> Report:
    """Every problem of one response: types, options, constraints, skip logic and (when submitting) required.

    Saving a draft checks what was answered; submitting also requires every relevant required question.
    Constraints run on relevant, answered questions with ``.`` bound to the typed answer.
    """
    report = Report()
    questions = {question.name: question for question in framework.questions()}
    for name in answers:
        if name not in questions:
            what = f"the response to {framework.id} {framework.version}"
            report.add(_problem("unknown_question", name, path, what=what))

    typed: dict[str, Answer] = {}
    for name, question in questions.items():
        try:
            value = coerce_answer(question, answers.get(name))
        except AnswerError as error:
            report.add(
                Problem(code=error.code, message=str(error), path=path, column=name, params=tuple(error.params.items()))
            )
            value = None
        if question.type.is_select:
            unknown = _check_choices(framework, question, value)
            if unknown is not None:
                allowed = ", ".join(question_options(framework, question) or ())
                report.add(_problem("unknown_choice", name, path, value=unknown, allowed=allowed))
                value = None
        typed[name] = value

    def expression_problem(name: str, field: str, error: ExpressionError) -> None:
        report.add(_expression_problem(name, field, error, path))

    relevant = relevant_questions(framework, typed, today=today, on_error=expression_problem)
    visible = {name: (value if name in relevant else None) for name, value in typed.items()}

    for name, question in questions.items():
        value = typed[name]
        if name not in relevant:
            if value is not None:
                report.add(_problem("answer_not_relevant", name, path, condition=_condition(framework, question)))
            continue
        if value is None:
            if submitting and question.required:
                report.add(_problem("required_missing", name, path))
            continue
        if question.constraint:
            _check_constraint(question, value, visible, path, report, today)
    return report


def _expression_problem(name: str, field: str, error: ExpressionError, path: str) -> Problem:
    if isinstance(error, UnknownFunctionError):
        # the framework validator already warned that GovLens cannot evaluate this expression
        return _problem("expression_not_evaluated", name, path, field=field, function=error.name)
    return _problem("expression_error", name, path, field=field, reason=str(error))


def _condition(framework: Framework, question: Question) -> str:
    section = framework.section_of(question.name)
    conditions = [f"section '{section.name}' needs {section.relevant}"] if section.relevant else []
    if question.relevant:
        conditions.append(f"it needs {question.relevant}")
    return "; ".join(conditions) or "skipped"


def _check_constraint(
    question: Question,
    value: Answer,
    visible: Mapping[str, object],
    path: str,
    report: Report,
    today: datetime.date | None,
) -> None:
    assert question.constraint is not None
    try:
        satisfied = is_true(parse(question.constraint), visible, value, today=today)
    except ExpressionError as error:
        report.add(_expression_problem(question.name, "constraint", error, path))
        return
    if not satisfied:
        shown = " ".join(value) if isinstance(value, tuple) else _shown(value)
        reason = text_in(question.constraint_message, "en") or (
            f"the answer {shown} does not meet the constraint {question.constraint}"
        )
        report.add(
            _problem(
                "constraint_failed", question.name, path, reason=reason, value=shown, constraint=question.constraint
            )
        )
