"""Answer problems worded for people, in their language: the core reports a code and its parameters; this
module names the question by its number and label and words the message with Django's gettext catalogues.

Used by the services for every interface that reports answer problems (the form, the API through its
Accept-Language, the workbook and Kobo uploads); a code without a wording here keeps the core's message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from govlens.framework.model import Framework, Question, text_in

# id(framework) -> (framework, numbers); holding the framework keeps its id from being reused (frameworks are
# few and cached by the cycles anyway, and a frozen framework holding dicts cannot be a dict key itself).
_NUMBERS: dict[int, tuple[Framework, dict[str, int]]] = {}


def question_numbers(framework: Framework) -> dict[str, int]:
    """question name -> its number in the questionnaire (1-based, across sections), as the pages show it."""
    found = _NUMBERS.get(id(framework))
    if found is None or found[0] is not framework:
        if len(_NUMBERS) > 64:
            _NUMBERS.clear()
        numbers = {question.name: number for number, question in enumerate(framework.questions(), start=1)}
        found = _NUMBERS[id(framework)] = (framework, numbers)
    return found[1]


def question_ref(framework: Framework, name: str, language: str | None = None) -> str:
    """'question 12 “Year created”' in the active language (the name itself for an unknown question)."""
    number = question_numbers(framework).get(name)
    if number is None:
        return f"'{name}'"
    label = text_in(framework.question(name).label, language or get_language() or "en")
    return _("question %(number)s “%(label)s”") % {"number": number, "label": label}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


Wording = Callable[[str, Mapping[str, Any], Question | None, str], str]


def _constraint(ref: str, params: Mapping[str, Any], question: Question | None, language: str) -> str:
    own = text_in(question.constraint_message, language) if question is not None else ""
    if own:
        return _("%(question)s: %(reason)s") % {"question": ref, "reason": own}
    return _("%(question)s: the answer %(value)s does not meet the condition %(constraint)s") % {
        "question": ref,
        "value": params.get("value", ""),
        "constraint": params.get("constraint", ""),
    }


def _decimal(ref: str, params: Mapping[str, Any], question: Question | None, language: str) -> str:
    if params.get("detail"):
        return _(
            "%(question)s needs a number written with a point for decimals and no thousands separators; got %(value)s"
        ) % {"question": ref, "value": params.get("value", "")}
    return _("%(question)s needs a number; got %(value)s") % {"question": ref, "value": params.get("value", "")}


def forbidden_message(params: Mapping[str, Any]) -> str:
    """``what`` ("the username") holds a character no stored text may hold: the message of a text problem row,
    from the parameters of :class:`govlens.framework.answers.ForbiddenCharacter`."""
    values = {"what": params.get("what", ""), "char": params.get("char", ""), "position": params.get("position", "")}
    if params.get("surrogate"):
        return (
            _(
                "%(what)s holds the lone surrogate %(char)s (half of a UTF-16 pair, not a character) at position"
                " %(position)s; remove it"
            )
            % values
        )
    return _("%(what)s holds the control character %(char)s at position %(position)s; remove it") % values


def _control_character(ref: str, params: Mapping[str, Any], question: Question | None, language: str) -> str:
    values = {"question": ref, "char": params.get("char", ""), "position": params.get("position", "")}
    if params.get("surrogate"):
        return _(
            "%(question)s holds the lone surrogate %(char)s (half of a UTF-16 pair, not a character) at position"
            " %(position)s; remove it"
        ) % values
    if params.get("field") == "comment":
        return (
            _(
                "The comment on %(question)s holds the invisible control character %(char)s at position %(position)s;"
                " remove it"
            )
            % values
        )
    return _("%(question)s holds the invisible control character %(char)s at position %(position)s; remove it") % values


def _simple(template: Callable[[], str]) -> Wording:
    def word(ref: str, params: Mapping[str, Any], question: Question | None, language: str) -> str:
        return template() % {"question": ref, **{key: params.get(key, "") for key in _KEYS}}

    return word


_KEYS = ("value", "low", "high", "char", "position", "allowed", "name")

# Each wording is looked up when a message is made, so it comes out in the language active then.
WORDINGS: dict[str, Wording] = {
    "invalid_integer": _simple(lambda: _("%(question)s needs a whole number; got %(value)s")),
    "invalid_decimal": _decimal,
    "invalid_year": _simple(lambda: _("%(question)s needs a year from %(low)s to %(high)s; got %(value)s")),
    "invalid_url": _simple(
        lambda: _("%(question)s needs a web address starting with http:// or https://; got %(value)s")
    ),
    "invalid_text": _simple(lambda: _("%(question)s needs text; got %(value)s")),
    "control_character": _control_character,
    "too_many_choices": _simple(lambda: _("%(question)s takes only one option; got %(value)s")),
    "unknown_choice": _simple(lambda: _("%(question)s has no option %(value)s; the options are %(allowed)s")),
    "constraint_failed": _constraint,
    "required_missing": _simple(lambda: _("%(question)s is required")),
    "evidence_missing": _simple(lambda: _("%(question)s needs evidence: a link or an uploaded file")),
    "invalid_evidence_url": _simple(
        lambda: _("The evidence links of %(question)s must start with https:// or http://; got %(value)s")
    ),
    "unknown_question": _simple(lambda: _("There is no question called %(name)s in this questionnaire")),
}


def problem_message(framework: Framework, row: Mapping[str, Any], language: str | None = None) -> str:
    """The message of one problem row (question, code, message, params) in the active language."""
    code = str(row.get("code", ""))
    word = WORDINGS.get(code)
    name = str(row.get("question") or "")
    if code == "control_character" and "what" in (row.get("params") or {}):  # a free text (web.text.text_problem)
        return forbidden_message(row["params"])
    if word is None or "params" not in row:  # a row made without its parameters keeps the message it came with
        return str(row.get("message", ""))
    language = language or get_language() or "en"
    numbers = question_numbers(framework)
    question = framework.question(name) if name in numbers else None
    params = {"name": f"'{name}'", "field": row.get("field"), **dict(row.get("params") or {})}
    return _capital(word(question_ref(framework, name, language), params, question, language))


def localise(framework: Framework, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Problem rows with their message in the active language, and the number and label of their question."""
    language = get_language() or "en"
    numbers = question_numbers(framework)
    out = []
    for row in rows:
        name = str(row.get("question") or "")
        localised = {**row, "message": problem_message(framework, row, language)}
        if name in numbers:
            localised["number"] = numbers[name]
            localised["label"] = text_in(framework.question(name).label, language)
            localised["section"] = framework.section_of(name).name
        localised.pop("params", None)
        out.append(localised)
    return out
