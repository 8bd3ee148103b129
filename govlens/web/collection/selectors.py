"""Reads of responses and answers, permission-checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from govlens.framework.model import Evidence, Framework
from govlens.web.accounts.selectors import (
    Actor,
    AnyUser,
    can_read_sections,
    editable_sections,
    is_manager,
    visible_countries,
)
from govlens.web.collection.messages import localise
from govlens.web.collection.models import Answer, AnswerSuggestion, Response
from govlens.web.collection.validation import problem_rows, relevant, validate
from govlens.web.errors import NotAllowed, NotFound


def response_find(*, cycle_slug: str, iso3: str, for_update: bool = False, reader: Actor = None) -> Response:
    """The response of ``iso3`` in a cycle, NotFound if there is none; with ``for_update`` its row is locked for the
    rest of the transaction (SELECT ... FOR UPDATE on PostgreSQL).

    With ``reader``, a person who may not read that country's responses is refused (NotAllowed) before the lookup,
    whether the response exists or not: 403 and 404 then tell nobody which cycles and countries exist. Nothing
    else is checked here."""
    if reader is not None and not can_read_sections(reader, iso3.upper()):
        raise NotAllowed(f"you may not read the response of {iso3.upper()}")
    rows = Response.objects.select_related("cycle", "country")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    response = rows.filter(cycle__slug=cycle_slug, country__iso3=iso3.upper()).first()
    if response is None:
        raise NotFound(f"no response of country '{iso3}' in cycle '{cycle_slug}'")
    return response


def response_get(*, user: AnyUser | None, cycle_slug: str, iso3: str) -> Response:
    """The response of ``iso3`` in a cycle; NotFound if there is none, NotAllowed if the user may not read it."""
    response = response_find(cycle_slug=cycle_slug, iso3=iso3, reader=user)
    if not can_read_sections(user, response.country.iso3):
        raise NotAllowed(f"you may not read the response of {response.country.iso3}")
    return response


def response_get_whole(*, user: AnyUser | None, cycle_slug: str, iso3: str) -> Response:
    """Like response_get, for reads of the whole response (workbook, audit trail): a contributor, who reads only
    the sections delegated to them, gets NotAllowed."""
    response = response_get(user=user, cycle_slug=cycle_slug, iso3=iso3)
    if editable_sections(user, response.country.iso3) is not None:
        raise NotAllowed("a contributor reads only the sections delegated to them, not the whole response")
    return response


def readable_questions(user: AnyUser | None, response: Response) -> set[str] | None:
    """The questions a contributor may read in ``response`` (those of their sections); None: every question."""
    from govlens.web.cycles.frameworks import cycle_framework

    sections = editable_sections(user, response.country.iso3)
    if sections is None:
        return None
    framework = cycle_framework(response.cycle)
    return {q.name for section in framework.sections if section.name in sections for q in section.questions}


def response_answers(response: Response) -> dict[str, Any]:
    """question name -> stored value (unanswered questions are absent)."""
    return {a.question: a.value for a in response.answers.all() if a.value is not None}


def response_answer_rows(response: Response) -> dict[str, Answer]:
    return {a.question: a for a in response.answers.prefetch_related("files").all()}


def response_suggestions(response: Response) -> dict[str, AnswerSuggestion]:
    """question name -> public-data suggestion (pending or decided)."""
    return {s.question: s for s in response.suggestions.all()}


def responses_visible(*, user: AnyUser | None, cycle_slug: str) -> QuerySet[Response]:
    responses = Response.objects.select_related("cycle", "country").filter(cycle__slug=cycle_slug)
    if is_manager(user):
        return responses.order_by("country__iso3")
    return responses.filter(country__in=visible_countries(user)).order_by("country__iso3")


def response_workbook(response: Response, *, language: str) -> bytes:
    """The response as an offline workbook in ``language``, with its current answers and version."""
    from govlens.web.collection.workbook import workbook_build
    from govlens.web.cycles.frameworks import cycle_framework

    rows = response_answer_rows(response)
    return workbook_build(
        cycle_framework(response.cycle),
        cycle=response.cycle.slug,
        country=response.country.iso3,
        version=response.version,
        language=language,
        answers={name: row.value for name, row in rows.items()},
        comments={name: row.comment for name, row in rows.items() if row.comment},
        evidence_urls={name: list(row.evidence_urls) for name, row in rows.items() if row.evidence_urls},
    )


def submission_problems(framework: Framework, stored: Mapping[str, Answer]) -> list[dict[str, Any]]:
    """Everything that stops the response being submitted, worded in the active language: invalid or missing
    required answers, and required evidence missing (neither a link nor a file) on relevant answered questions.
    ``stored`` should have its files prefetched."""
    values = {name: answer.value for name, answer in stored.items()}
    rows = problem_rows(validate(framework, values, submitting=True))
    shown = relevant(framework, values)
    for question in framework.questions():
        answer = stored.get(question.name)
        if question.evidence is not Evidence.REQUIRED or question.name not in shown:
            continue
        if answer is None or answer.value in (None, "", []):
            continue
        if not answer.evidence_urls and not answer.files.all():
            rows.append(
                {
                    "question": question.name,
                    "code": "evidence_missing",
                    "message": f"'{question.name}' needs evidence: a link or an uploaded file",
                    "params": {},
                }
            )
    return localise(framework, rows)


def response_open_problems(framework: Framework, stored: Mapping[str, Answer]) -> dict[str, list[dict[str, Any]]]:
    """question name -> the problems that would refuse a submission now (what the section navigator counts)."""
    by_question: dict[str, list[dict[str, Any]]] = {}
    for row in submission_problems(framework, stored):
        by_question.setdefault(str(row.get("question") or ""), []).append(row)
    return by_question
