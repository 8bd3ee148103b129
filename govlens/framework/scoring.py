"""From answers to indicator values: question scores in [0, 1], skip logic, and the unit x indicator table.

The rules are the framework's ``Scoring`` records (see ``model.ScoringMethod``): per-option points as the OECD
Digital Government Index scores them, the share of options selected, thresholds and linear scales for numbers,
and "answered". An unanswered question takes the score its rule or the framework's settings give it, which may
be ``None`` (missing) so that the index engine imputes or skips it.

Skip logic follows the form: a question whose section or own ``relevant`` expression is false is not asked, so
its answer (if any arrived) is ignored, both for its score and for the expressions of later questions.
"""

from __future__ import annotations

import datetime
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd

from govlens.framework.expression import ExpressionError, is_true, parse
from govlens.framework.model import (
    YES_NO_LIST,
    Combine,
    Framework,
    Question,
    QuestionType,
    ScoringMethod,
    Settings,
)

__all__ = [
    "ExpressionErrorHandler",
    "indicator_values",
    "is_unanswered",
    "question_options",
    "relevant_questions",
    "score_answer",
    "score_table",
    "selected_options",
]

# The built-in yes/no list, used when a framework does not define its own list named ``yes_no``.
DEFAULT_YES_NO: tuple[str, ...] = ("yes", "no")


_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def is_unanswered(value: object) -> bool:
    """None, blank text, an empty selection or NaN (an empty data-frame cell) mean "not answered"."""
    # a loop over a stack, not recursion: an answer from a JSON body may be a list nested hundreds deep
    pending = [value]
    seen: set[int] = set()  # a list that contains itself is visited once
    while pending:
        item = pending.pop()
        if isinstance(item, list | tuple | set | frozenset):
            if id(item) not in seen:
                seen.add(id(item))
                pending.extend(item)
        elif not _is_blank(item):
            return False
    return True


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return math.isnan(float(value))
    return False


def selected_options(value: object) -> tuple[str, ...]:
    """The option names of a multiple-choice answer: a sequence of names or one space-separated string."""
    if is_unanswered(value):
        return ()
    if isinstance(value, str):
        items: Iterable[object] = value.split()
    elif isinstance(value, list | tuple):
        items = value
    elif isinstance(value, set | frozenset):
        items = sorted(value, key=str)
    else:
        items = [value]
    names: list[str] = []
    for item in items:
        name = str(item).strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


def question_options(framework: Framework, question: Question) -> tuple[str, ...] | None:
    """The option names a select question draws from (None for other types or an undefined list)."""
    list_name = question.choice_list
    if list_name is None:
        return None
    choice_list = framework.choice_lists.get(list_name)
    if choice_list is not None:
        return choice_list.names()
    if question.type is QuestionType.YES_NO and list_name == YES_NO_LIST:
        return DEFAULT_YES_NO
    return None


def _clip(score: float) -> float:
    return min(1.0, max(0.0, score))


def _single_option(question: Question, value: object) -> str:
    options = selected_options(value)
    if len(options) != 1:
        raise ValueError(f"question '{question.name}' takes one option; got {len(options)}: {', '.join(options)}")
    return options[0]


def _number(question: Question, value: object) -> float:
    if isinstance(value, bool):
        raise ValueError(f"question '{question.name}' needs a number; got {value!r}")
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:  # an int beyond the float range
            return math.inf if value > 0 else -math.inf
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        return float(value.strip())
    raise ValueError(f"question '{question.name}' needs a number; got {value!r}")


def _points(question: Question, points: Mapping[str, float], options: Sequence[str]) -> float:
    unknown = [option for option in options if option not in points]
    if unknown:
        allowed = ", ".join(points) or "(none)"
        listed = ", ".join(repr(option) for option in unknown)
        what = f"option {listed} has" if len(unknown) == 1 else f"options {listed} have"
        raise ValueError(f"question '{question.name}': {what} no points; allowed: {allowed}")
    return sum(points[option] for option in options)


def score_answer(
    question: Question,
    value: object,
    settings: Settings,
    *,
    options: Sequence[str] | None = None,
) -> float | None:
    """The score in [0, 1] of one answer, or None when the question has no scoring or the score is missing.

    ``options`` are the option names of the question's choice list; ``share_selected`` needs them (without
    them the options listed in ``points`` are used). Raises ``ValueError`` for an answer the rule cannot score
    (an option with no points, text where a number is expected): validate answers first.
    """
    scoring = question.scoring
    if scoring is None:
        return None
    if is_unanswered(value):
        fallback = scoring.unanswered if scoring.unanswered is not None else settings.unanswered_score
        return None if fallback is None else _clip(fallback)
    method = scoring.method
    if method is ScoringMethod.ANSWERED:
        return 1.0
    if method is ScoringMethod.POINTS:
        if question.type is QuestionType.SELECT_MULTIPLE:
            return _clip(_points(question, scoring.points, selected_options(value)))
        return _clip(_points(question, scoring.points, [_single_option(question, value)]))
    if method is ScoringMethod.SHARE_SELECTED:
        return _share_selected(question, value, options)
    number = _number(question, value)
    if method is ScoringMethod.THRESHOLDS:
        bounds = sorted(scoring.thresholds)
        passed = [score for bound, score in bounds if bound <= number]
        return _clip(passed[-1]) if passed else 0.0
    if method is ScoringMethod.LINEAR:
        low, high = scoring.low, scoring.high
        if low is None or high is None or low == high:
            raise ValueError(f"question '{question.name}': linear scoring needs low != high; got {low}, {high}")
        return _clip((number - low) / (high - low))
    raise ValueError(f"question '{question.name}': unknown scoring method {method!r}")


def _share_selected(question: Question, value: object, options: Sequence[str] | None) -> float:
    scoring = question.scoring
    assert scoring is not None
    universe = tuple(options) if options is not None else tuple(scoring.points)
    if not universe:
        raise ValueError(f"question '{question.name}': share_selected needs the options of its choice list")
    chosen = selected_options(value)
    unknown = [option for option in chosen if option not in universe]
    if unknown:
        listed = ", ".join(repr(option) for option in unknown)
        raise ValueError(f"question '{question.name}': {listed} not among the options {', '.join(universe)}")
    counted = [option for option in universe if option not in scoring.exclude]
    if not counted:
        raise ValueError(f"question '{question.name}': share_selected excludes every option")
    # an excluded option such as "none" selected alone counts nothing: the share is 0
    return len([option for option in chosen if option in counted]) / len(counted)


# -- skip logic -----------------------------------------------------------------------------------------------
ExpressionErrorHandler = Callable[[str, str, ExpressionError], None]


def relevant_questions(
    framework: Framework,
    answers: Mapping[str, object],
    *,
    today: datetime.date | None = None,
    on_error: ExpressionErrorHandler | None = None,
) -> frozenset[str]:
    """The names of the questions the form asks for these answers.

    Sections and questions are evaluated in questionnaire order; once a question is found not relevant, later
    expressions read it as unanswered (so skip logic cascades). An expression that reads a question further
    down the form reads that question's answer as given.

    A ``relevant`` that cannot be evaluated (a function GovLens does not implement, which the framework
    validator reports as a warning, or an invalid regular expression read from an answer) shows the question
    rather than failing; ``on_error(name, "relevant", error)`` is told about it.
    """

    def shown(source: str | None, name: str, visible: Mapping[str, object]) -> bool:
        if source is None:
            return True
        try:
            return is_true(parse(source), visible, today=today)
        except ExpressionError as error:
            if on_error is not None:
                on_error(name, "relevant", error)
            return True

    visible: dict[str, object] = dict(answers)
    relevant: set[str] = set()
    for section in framework.sections:
        section_shown = shown(section.relevant, section.name, visible)
        for question in section.questions:
            if section_shown and shown(question.relevant, question.name, visible):
                relevant.add(question.name)
            else:
                visible[question.name] = None
    return frozenset(relevant)


# -- indicators -----------------------------------------------------------------------------------------------
def _combine(how: Combine, scores: Sequence[float]) -> float:
    if how is Combine.MAX:
        return max(scores)
    if how is Combine.MIN:
        return min(scores)
    return sum(scores) / len(scores)


def indicator_values(
    framework: Framework,
    answers: Mapping[str, object],
    *,
    today: datetime.date | None = None,
) -> dict[str, float | None]:
    """The value of every leaf indicator fed by questions, for one unit's answers.

    Questions that are not relevant count as unanswered. The question scores combine by the node's
    ``combine`` (mean, max or min) over the questions that have a score; an indicator none of whose
    questions has a score is None (missing). Leaves fed by a dataset ``source`` are not computed here.
    """
    relevant = relevant_questions(framework, answers, today=today)
    questions = {question.name: question for question in framework.questions()}
    values: dict[str, float | None] = {}
    for node in framework.leaves():
        if not node.questions:
            continue
        scores: list[float] = []
        for name in node.questions:
            question = questions.get(name)
            if question is None:
                raise ValueError(f"indicator '{node.id}' names question '{name}', which is not in the questionnaire")
            value = answers.get(name) if name in relevant else None
            score = score_answer(question, value, framework.settings, options=question_options(framework, question))
            if score is not None:
                scores.append(score)
        values[node.id] = _combine(node.combine, scores) if scores else None
    return values


def score_table(
    framework: Framework,
    responses: Mapping[str, Mapping[str, object]],
    *,
    today: datetime.date | None = None,
) -> pd.DataFrame:
    """Units (e.g. ISO3 codes, in the order given) x question-fed leaf indicators, NaN where missing.

    Raises ``ValueError`` naming the unit and question for an answer its rule cannot score.
    """
    columns = [node.id for node in framework.leaves() if node.questions]
    rows: dict[str, dict[str, float | None]] = {}
    for unit, answers in responses.items():
        try:
            rows[unit] = indicator_values(framework, answers, today=today)
        except ValueError as error:
            raise ValueError(f"unit '{unit}': {error}") from error
    table = pd.DataFrame(
        [[math.nan if rows[unit][column] is None else rows[unit][column] for column in columns] for unit in rows],
        index=pd.Index(list(rows), name="unit", dtype=object),
        columns=pd.Index(columns, name="indicator", dtype=object),
        dtype=float,
    )
    return table
