"""The bridge to the core's answer checks (``govlens.framework.answers``): typing, constraints, skip logic."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govlens.framework.answers import coerce_answer, validate_answers
from govlens.framework.model import Framework, Question
from govlens.framework.report import Report
from govlens.framework.scoring import relevant_questions


def jsonable(value: Any) -> Any:
    """A typed answer as stored in JSON (the options of a multiple choice become a list)."""
    return list(value) if isinstance(value, tuple) else value


def coerce_value(question: Question, raw: Any) -> Any:
    """The typed, JSON-storable value of a raw answer (JSON or form text); ValueError names what was expected."""
    return jsonable(coerce_answer(question, raw))


def validate(framework: Framework, answers: Mapping[str, Any], *, submitting: bool) -> Report:
    return validate_answers(framework, dict(answers), submitting=submitting)


def relevant(framework: Framework, answers: Mapping[str, Any]) -> set[str]:
    """Names of the questions shown for these answers (skip logic evaluated on the server)."""
    typed = {}
    for question in framework.questions():
        try:
            typed[question.name] = coerce_answer(question, answers.get(question.name))
        except ValueError:
            typed[question.name] = None
    return set(relevant_questions(framework, typed))


def problem_rows(report: Report) -> list[dict[str, Any]]:
    """The errors of a report as rows: question, code, message (in English) and the message's parameters."""
    return [
        {
            "question": problem.column or "",
            "code": problem.code,
            "message": problem.message,
            "params": dict(problem.params),
        }
        for problem in report.errors
    ]
