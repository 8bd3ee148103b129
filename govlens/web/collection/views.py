"""Questionnaire pages: read, fill (with autosave), attach evidence, submit. HTTP only: rules are in services."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govlens.framework.model import Evidence, Framework, Question, QuestionType, text_in
from govlens.framework.scoring import question_options
from govlens.web.accounts.selectors import (
    can_answer_response,
    can_delegate_sections,
    can_reopen_response,
    can_review_response,
    can_submit_response,
    can_view_response,
    contributors_of,
    editable_sections,
)
from govlens.web.accounts.services import contributor_set
from govlens.web.collection.messages import question_numbers
from govlens.web.collection.models import Answer, AnswerSuggestion, EvidenceFile, Response
from govlens.web.collection.selectors import (
    readable_questions,
    response_answer_rows,
    response_get,
    response_get_whole,
    response_open_problems,
    response_suggestions,
    response_workbook,
    responses_visible,
)
from govlens.web.collection.services import (
    evidence_upload,
    response_save,
    response_save_valid,
    response_submit,
    response_workbook_diff,
    workbook_payload_read,
)
from govlens.web.collection.validation import relevant
from govlens.web.cycles.frameworks import cycle_framework
from govlens.web.cycles.models import CycleStatus
from govlens.web.cycles.selectors import cycle_get, cycles_visible
from govlens.web.error_page import error_page
from govlens.web.errors import Conflict, Invalid, NotAllowed, NotFound, ServiceError
from govlens.web.review.selectors import review_comments
from govlens.web.uploads import evidence_response, evidence_store, upload_refused


@dataclass
class QuestionView:
    question: Question
    number: int
    label: str
    hint: str
    options: list[tuple[str, str]]
    value: Any
    answer: Answer | None
    shown: bool
    comments: list[Any] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    suggestion: AnswerSuggestion | None = None
    suggestion_label: str = ""
    editable: bool = True

    @property
    def name(self) -> str:
        return self.question.name

    @property
    def kind(self) -> str:
        return self.question.type.value

    @property
    def evidence_required(self) -> bool:
        return self.question.evidence is Evidence.REQUIRED

    @property
    def selected(self) -> list[str]:
        if isinstance(self.value, list):
            return [str(v) for v in self.value]
        return [] if self.value is None else [str(self.value)]

    @property
    def text_value(self) -> str:
        return "" if self.value is None else str(self.value)

    @property
    def evidence_text(self) -> str:
        return "\n".join(self.answer.evidence_urls) if self.answer and self.answer.evidence_urls else ""


@dataclass
class SectionView:
    name: str
    label: str
    questions: list[QuestionView]


@dataclass
class SectionEntry:
    """One line of the section navigator: true counts over the relevant questions of the stored response."""

    name: str
    label: str
    asked: int
    answered: int
    problems: int
    current: bool
    url: str


def _options(framework: Framework, question: Question, language: str) -> list[tuple[str, str]]:
    names = question_options(framework, question) or ()
    listed = framework.choice_lists.get(question.choice_list or "")
    labels = {c.name: text_in(c.label, language) for c in listed.choices} if listed else {}
    builtin = {"yes": _("Yes"), "no": _("No")}
    return [(name, labels.get(name) or builtin.get(name, name)) for name in names]


def _suggestion_label(
    framework: Framework, question: Question, suggestion: AnswerSuggestion | None, language: str
) -> str:
    if suggestion is None:
        return ""
    labels = dict(_options(framework, question, language))
    values = suggestion.value if isinstance(suggestion.value, list) else [suggestion.value]
    return ", ".join(labels.get(str(v), str(v)) for v in values)


def _sections(
    framework: Framework,
    *,
    names: set[str],
    values: dict[str, Any],
    rows: dict[str, Answer],
    shown: set[str],
    comments: dict[str, list[Any]],
    suggestions: dict[str, AnswerSuggestion],
    problems: dict[str, list[str]],
    writable: frozenset[str] | None,
) -> list[SectionView]:
    """The questions of the sections in ``names``, numbered across the whole questionnaire."""
    language = get_language() or "en"
    numbers = question_numbers(framework)
    return [
        SectionView(
            name=section.name,
            label=text_in(section.label, language),
            questions=[
                QuestionView(
                    question=q,
                    number=numbers[q.name],
                    label=text_in(q.label, language),
                    hint=text_in(q.hint, language),
                    options=_options(framework, q, language),
                    value=values.get(q.name),
                    answer=rows.get(q.name),
                    shown=q.name in shown,
                    comments=comments.get(q.name, []),
                    problems=problems.get(q.name, []),
                    suggestion=suggestions.get(q.name),
                    suggestion_label=_suggestion_label(framework, q, suggestions.get(q.name), language),
                    editable=writable is None or section.name in writable,
                )
                for q in section.questions
            ],
        )
        for section in framework.sections
        if section.name in names
    ]


def _navigator(
    framework: Framework,
    response: Response,
    *,
    stored: dict[str, Any],
    shown: set[str],
    open_problems: dict[str, list[dict[str, Any]]],
    current: str | None,
    visible: set[str],
) -> list[SectionEntry]:
    language = get_language() or "en"
    cycle, iso3 = response.cycle.slug, response.country.iso3
    entries = []
    for section in framework.sections:
        if section.name not in visible:
            continue
        asked = [q.name for q in section.questions if q.name in shown]
        entries.append(
            SectionEntry(
                name=section.name,
                label=text_in(section.label, language),
                asked=len(asked),
                # an answer counts once it is valid: a value with a problem is not done
                answered=sum(1 for n in asked if stored.get(n) not in (None, "", []) and n not in open_problems),
                problems=sum(len(open_problems.get(q.name, [])) for q in section.questions),
                current=section.name == current,
                url=reverse("response-section", args=[cycle, iso3, section.name]),
            )
        )
    return entries


def _page(
    request: HttpRequest,
    response: Response,
    *,
    section: str | None = None,
    values: dict[str, Any] | None = None,
    problems: dict[str, list[str]] | None = None,
    conflict: Conflict | None = None,
    submit_problems: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """A section of the questionnaire (``section``; None for the whole questionnaire) with its navigator."""
    framework = cycle_framework(response.cycle)
    rows = response_answer_rows(response)
    stored = {name: row.value for name, row in rows.items()}
    iso3 = response.country.iso3
    user = request.user
    readable = editable_sections(user, iso3)
    visible = {s.name for s in framework.sections if readable is None or s.name in readable}
    if section is not None and section not in visible:
        known = section in {s.name for s in framework.sections}
        raise (NotAllowed if known else NotFound)(
            _("This section is not delegated to you.") if known else _("No such section in this questionnaire.")
        )
    shown_stored = relevant(framework, stored)
    open_problems = response_open_problems(framework, rows)
    on_page = set(visible) if section is None else {section}
    shown = relevant(framework, values) if values is not None else shown_stored
    comments: dict[str, list[Any]] = {}
    for comment in review_comments(response):
        comments.setdefault(comment.question, []).append(comment)
    editable = can_answer_response(user, iso3) and response.editable and _accepting(response)
    # Beside the questions: the problems of this request, else what is wrong with the stored answers (an empty
    # required question is marked by its asterisk, not by a message, until a submission is refused).
    shown_problems = problems if problems is not None else _messages(open_problems, skip=("required_missing",))
    if submit_problems:
        shown_problems = _messages(response_open_problems(framework, rows))
    context = {
        "response": response,
        "cycle": response.cycle,
        "country": response.country,
        "section": section,
        "sections": _sections(
            framework,
            names=on_page,
            values=values if values is not None else stored,
            rows=rows,
            shown=shown,
            comments=comments,
            suggestions=response_suggestions(response),
            problems=shown_problems,
            writable=readable,
        ),
        "navigator": _navigator(
            framework,
            response,
            stored=stored,
            shown=shown_stored,
            open_problems=open_problems,
            current=section,
            visible=visible,
        ),
        "open_problem_count": sum(len(v) for v in open_problems.values()),
        "can_edit": editable,
        "can_submit": editable and can_submit_response(user, iso3),
        "can_review": can_review_response(user, iso3) and response.status == "submitted",
        "can_resolve": can_review_response(user, iso3),
        "can_reopen": can_reopen_response(user) and response.status in ("approved", "submitted"),
        "can_delegate": can_delegate_sections(user, iso3),
        "can_comment": can_view_response(user, iso3),
        "general_comments": review_comments(response, question=""),
        "conflict": _conflict_rows(framework, conflict) if conflict is not None else None,
        "conflict_error": conflict,
        "submit_problems": _problem_links(framework, response, submit_problems or []),
        "problems": shown_problems,
        "attention": _attention(
            framework, {n: m for n, m in shown_problems.items() if n in _names(on_page, framework)}
        ),
    }
    context.update(_neighbours(context["navigator"], section))
    return render(request, "govlens/response.html", context, status=status)


def _attention(framework: Framework, problems: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The questions of the page's unsaved problems, for the status bar's links."""
    language = get_language() or "en"
    numbers = question_numbers(framework)
    return [
        {"name": name, "number": numbers[name], "label": text_in(framework.question(name).label, language)}
        for name in sorted(problems, key=lambda n: numbers.get(n, 0))
        if name in numbers
    ]


def _neighbours(navigator: list[SectionEntry], section: str | None) -> dict[str, SectionEntry | None]:
    names = [entry.name for entry in navigator]
    if section not in names:
        return {"previous_section": None, "next_section": None}
    at = names.index(section)
    return {
        "previous_section": navigator[at - 1] if at > 0 else None,
        "next_section": navigator[at + 1] if at + 1 < len(navigator) else None,
    }


def _messages(problems: dict[str, list[dict[str, Any]]], skip: tuple[str, ...] = ()) -> dict[str, list[str]]:
    out = {
        name: [str(row["message"]) for row in rows if row.get("code") not in skip] for name, rows in problems.items()
    }
    return {name: texts for name, texts in out.items() if texts}


def _names(sections: set[str], framework: Framework) -> set[str]:
    return {q.name for s in framework.sections if s.name in sections for q in s.questions}


def _problem_links(framework: Framework, response: Response, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The problems of a refused submission, each with the address of its question."""
    names = {q.name for q in framework.questions()}
    numbers = question_numbers(framework)
    language = get_language() or "en"
    out = []
    for row in rows:
        name = str(row.get("question") or "")
        link = ""
        label = ""
        if name in names:
            link = _question_url(response, framework.section_of(name).name, name)
            label = text_in(framework.question(name).label, language)
        out.append({**row, "url": link, "label": label, "number": numbers.get(name)})
    return out


def _question_url(response: Response, section: str, question: str) -> str:
    url = reverse("response-section", args=[response.cycle.slug, response.country.iso3, section])
    return f"{url}#question-{question}"


def _conflict_rows(framework: Framework, conflict: Conflict) -> list[dict[str, Any]]:
    """Both values of every question in a conflict, as the page shows them (option labels, not names)."""
    language = get_language() or "en"
    numbers = question_numbers(framework)
    out = []
    for name, theirs in conflict.theirs.items():
        question = framework.question(name) if name in numbers else None
        yours = conflict.yours.get(name)
        out.append(
            {
                "name": name,
                "number": numbers.get(name),
                "label": text_in(question.label, language) if question else name,
                "theirs": _shown_value(framework, question, theirs, language),
                "yours": _shown_value(framework, question, yours, language),
                "yours_json": json.dumps(yours, ensure_ascii=False),
                "same": theirs == yours,
            }
        )
    return out


def _shown_value(framework: Framework, question: Question | None, value: Any, language: str) -> str:
    if value in (None, "", []):
        return ""
    if question is None or not question.type.is_select:
        return str(value)
    labels = dict(_options(framework, question, language))
    values = value if isinstance(value, list) else [value]
    return ", ".join(labels.get(str(v), str(v)) for v in values)


def _accepting(response: Response) -> bool:
    """Whether the cycle takes answers today (status open, within its dates)."""
    cycle, today = response.cycle, timezone.localdate()
    return (
        cycle.status == CycleStatus.OPEN
        and not (cycle.opens_on and today < cycle.opens_on)
        and not (cycle.closes_on and today > cycle.closes_on)
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _form_answers(
    request: HttpRequest, framework: Framework
) -> tuple[dict[str, Any], dict[str, str], dict[str, list[str]]]:
    """Answers, comments and evidence URLs of the questions present in the posted form."""
    on_form = set(request.POST.getlist("q"))
    answers: dict[str, Any] = {}
    comments: dict[str, str] = {}
    urls: dict[str, list[str]] = {}
    for question in framework.questions():
        name = question.name
        if name not in on_form:
            continue
        if question.type is QuestionType.SELECT_MULTIPLE:
            answers[name] = request.POST.getlist(f"a_{name}")
        else:
            answers[name] = request.POST.get(f"a_{name}", "").strip()
        if f"c_{name}" in request.POST:
            comments[name] = request.POST.get(f"c_{name}", "").strip()
        if f"e_{name}" in request.POST:
            urls[name] = [line.strip() for line in request.POST.get(f"e_{name}", "").splitlines() if line.strip()]
    return answers, comments, urls


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _first_section(request: HttpRequest, response: Response) -> str:
    framework = cycle_framework(response.cycle)
    readable = editable_sections(request.user, response.country.iso3)
    names = [s.name for s in framework.sections if readable is None or s.name in readable]
    if not names:
        raise NotAllowed(_("No section of this questionnaire is delegated to you."))
    return names[0]


def _section_of_post(request: HttpRequest, response: Response) -> str | None:
    """The section the posting page showed (a hidden field); None for the whole questionnaire."""
    name = request.POST.get("section", "")
    framework = cycle_framework(response.cycle)
    return name if name in {s.name for s in framework.sections} else None


def _stored_values(response: Response) -> dict[str, Any]:
    return {name: row.value for name, row in response_answer_rows(response).items()}


def _by_question(problems: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The messages of a save's problems, by the question each is about."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.get("question", ""), []).append(str(problem["message"]))
    return found


def _conflict_page(
    request: HttpRequest, response: Response, error: Conflict, section: str | None = None
) -> HttpResponse:
    """The 409 page of a stale save: the saved values, with the user's beside them to choose from."""
    return _page(request, response, section=section, values=_stored_values(response), conflict=error, status=409)


def _back(response: Response, section: str | None, anchor: str = "") -> HttpResponse:
    cycle, iso3 = response.cycle.slug, response.country.iso3
    url = (
        reverse("response-section", args=[cycle, iso3, section])
        if section
        else reverse("response-all", args=[cycle, iso3])
    )
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _shown(request: HttpRequest, cycle: str, iso3: str, show: Callable[[Response], HttpResponse]) -> HttpResponse:
    """``show`` the response the user may read; a refusal (none, not theirs, an unknown section) as its error page."""
    try:
        return show(response_get(user=request.user, cycle_slug=cycle, iso3=iso3))
    except ServiceError as error:
        return error_page(request, error)


@login_required
@require_GET
def response_page(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    """The first section the user may see (the questionnaire is worked through by section)."""
    return _shown(
        request, cycle, iso3, lambda response: _page(request, response, section=_first_section(request, response))
    )


@login_required
@require_GET
def response_section_page(request: HttpRequest, cycle: str, iso3: str, section: str) -> HttpResponse:
    return _shown(request, cycle, iso3, lambda response: _page(request, response, section=section))


@login_required
@require_GET
def response_all_page(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    """Every section on one page (to read or print the whole response)."""
    return _shown(request, cycle, iso3, lambda response: _page(request, response))


@login_required
@require_GET
def response_question(request: HttpRequest, cycle: str, iso3: str, question: str) -> HttpResponse:
    """A stable link to a question: its section page, scrolled to it."""

    def show(response: Response) -> HttpResponse:
        framework = cycle_framework(response.cycle)
        if question not in question_numbers(framework):
            raise NotFound(_("No such question in this questionnaire."))
        return redirect(_question_url(response, framework.section_of(question).name, question))

    return _shown(request, cycle, iso3, show)


@login_required
@require_POST
def response_save_view(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    """The form post and the per-question autosave (``Accept: application/json``) of a draft: every valid answer
    is saved and every invalid one reported, so one invalid answer never blocks the others."""
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        section = _section_of_post(request, response)
        framework = cycle_framework(response.cycle)
        answers, comments, urls = _form_answers(request, framework)
        outcome = response_save_valid(
            actor=request.user,
            cycle_slug=cycle,
            iso3=iso3,
            version=_version(request),
            answers=answers,
            comments=comments,
            evidence_urls=urls,
        )
    except Conflict as error:
        if _wants_json(request):
            return _json_error(error)
        return _conflict_page(request, response, error, section)
    except ServiceError as error:
        return _json_error(error) if _wants_json(request) else error_page(request, error)
    saved = outcome.response
    if _wants_json(request):
        return JsonResponse(
            {"status": saved.status, "version": saved.version, "saved": outcome.saved, "problems": outcome.problems},
            json_dumps_params={"ensure_ascii": False},
        )
    if outcome.problems:
        by_question = _by_question(outcome.problems)
        # the invalid answers stay on screen as typed, beside their messages; the valid ones are saved
        values = _stored_values(saved) | {
            name: answers[name] for name in by_question if name in answers
        }
        messages.warning(
            request,
            _("Saved (version %(version)s); %(count)s answer(s) need attention.")
            % {"version": saved.version, "count": len(by_question)},
        )
        return _page(request, saved, section=section, values=values, problems=by_question, status=422)
    messages.success(request, _("Saved (version %(version)s).") % {"version": saved.version})
    return _back(saved, section)


@login_required
@require_POST
def response_conflict_resolve(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    """The choice made on the 409 page: for each question, keep the saved value or save yours over it."""
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        section = _section_of_post(request, response)
        framework = cycle_framework(response.cycle)
        names = set(question_numbers(framework))
        answers: dict[str, Any] = {}
        for name in request.POST.getlist("q"):
            if name in names and request.POST.get(f"keep_{name}") == "yours":
                try:
                    answers[name] = json.loads(request.POST.get(f"yours_{name}", "null"))
                except ValueError:
                    answers[name] = None
        if answers:
            outcome = response_save_valid(
                actor=request.user, cycle_slug=cycle, iso3=iso3, version=_version(request), answers=answers
            )
            if outcome.problems:
                problems = _by_question(outcome.problems)
                return _page(request, outcome.response, section=section, problems=problems, status=422)
    except Conflict as error:
        return _conflict_page(request, response, error, section)
    except ServiceError as error:
        return error_page(request, error)
    kept = len(answers)
    messages.success(
        request,
        _("Your value was saved for %(count)s question(s); the saved value was kept for the others.") % {"count": kept}
        if kept
        else _("The saved values were kept."),
    )
    return _back(response, section)


@login_required
@require_POST
def response_relevance(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    """Skip logic for the page: which questions the posted (unsaved) answers show, evaluated on the server."""
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        framework = cycle_framework(response.cycle)
    except ServiceError as error:
        return _json_error(error)
    answers, _comments, _urls = _form_answers(request, framework)
    return JsonResponse({"relevant": sorted(relevant(framework, _stored_values(response) | answers))})


@login_required
@require_POST
def response_submit_page(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        section = _section_of_post(request, response)
        response_submit(actor=request.user, cycle_slug=cycle, iso3=iso3, version=_version(request))
    except Invalid as error:
        messages.error(
            request, _("The response cannot be submitted yet: %(count)s problem(s).") % {"count": len(error.problems)}
        )
        return _page(request, response, section=section, submit_problems=error.problems, status=422)
    except ServiceError as error:
        return error_page(request, error)
    messages.success(request, _("Submitted for review."))
    return _back(response, section)


@login_required
@require_POST
def evidence_upload_view(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    upload = request.FILES.get("file")
    question = request.POST.get("question", "")
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        back = _back_to_question(response, question)

        def store() -> None:
            refused = upload_refused(request, question=question)  # stopped at the size limit while streaming
            if refused is not None:
                raise refused
            if upload is None:
                raise Invalid(
                    _("Choose a file to upload."),
                    problems=[{"question": question, "code": "missing_file", "message": _("no file")}],
                )
            evidence_upload(actor=request.user, cycle_slug=cycle, iso3=iso3, question=question, upload=upload)

        evidence_store(request, store, where=f"{cycle}/{iso3} {question}")
    except ServiceError as error:
        return error_page(request, error)
    return back


def _back_to_question(response: Response, question: str) -> HttpResponse:
    """Back to the question's section page, scrolled to it (the first section for an unknown question)."""
    framework = cycle_framework(response.cycle)
    if question in question_numbers(framework):
        return _back(response, framework.section_of(question).name, f"question-{question}")
    return redirect(reverse("response", args=[response.cycle.slug, response.country.iso3]))


@login_required
@require_GET
def evidence_download(request: HttpRequest, cycle: str, iso3: str, file_id: int) -> HttpResponseBase:
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        evidence = EvidenceFile.objects.filter(pk=file_id, answer__response=response).first()
        if evidence is None:
            raise NotFound(_("No such file in this response."))
        readable = readable_questions(request.user, response)
        if readable is not None and evidence.answer.question not in readable:
            raise NotAllowed(_("This file belongs to a section not delegated to you."))
    except ServiceError as error:
        return error_page(request, error)
    return evidence_response(evidence)


def _json_error(error: ServiceError) -> JsonResponse:
    from govlens.web.api.api import error_response

    return error_response(error.status, error.code, error.message, error.details)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def workbook_download(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    language = request.GET.get("lang") or get_language() or "en"
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = "en"
    try:
        response = response_get_whole(user=request.user, cycle_slug=cycle, iso3=iso3)
        data = response_workbook(response, language=language)
    except ServiceError as error:
        return error_page(request, error)
    reply = HttpResponse(data, content_type=XLSX)
    name = f"govlens-{response.cycle.slug}-{response.country.iso3}-v{response.version}-{language}.xlsx"
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    return reply


@login_required
@require_POST
def workbook_upload(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    upload = request.FILES.get("workbook")
    try:
        response = response_get_whole(user=request.user, cycle_slug=cycle, iso3=iso3)
        refused = upload_refused(request)  # stopped at the size limit while streaming
        if refused is not None:
            raise refused
        if upload is None:
            raise Invalid(_("Choose a workbook to upload."), problems=[])
        if (upload.size or 0) > settings.GOVLENS_UPLOAD_MAX_BYTES:
            raise Invalid(_("The workbook is too large."), problems=[])
        diff = response_workbook_diff(
            actor=request.user, cycle_slug=cycle, iso3=iso3, data=upload.read(), filename=upload.name or "workbook.xlsx"
        )
    except Invalid as error:
        context = {"response": response, "problems": error.problems, "message": error.message}
        return render(request, "govlens/workbook_diff.html", context, status=422)
    except ServiceError as error:
        return error_page(request, error)
    context = {"response": response, "diff": diff, "payload": json.dumps(diff.payload(), ensure_ascii=False)}
    return render(request, "govlens/workbook_diff.html", context)


@login_required
@require_POST
def workbook_accept(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    try:
        response = response_get_whole(user=request.user, cycle_slug=cycle, iso3=iso3)
        payload = workbook_payload_read(request.POST.get("payload", ""))
        saved = response_save(
            actor=request.user,
            cycle_slug=cycle,
            iso3=iso3,
            version=_version(request),
            answers=payload["answers"],
            comments=payload["comments"],
            evidence_urls=payload["evidence_urls"],
        )
    except Conflict as error:
        return _conflict_page(request, response, error)
    except ServiceError as error:
        return error_page(request, error)
    messages.success(request, _("Workbook changes saved (version %(version)s).") % {"version": saved.version})
    return redirect(reverse("response", args=[cycle, iso3]))


@login_required
@require_POST
def suggestion_accept(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    """Use a public-data suggestion as the answer (a button of the questionnaire form)."""
    question = request.POST.get("suggestion", "")
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        suggestion = response_suggestions(response).get(question)
        if suggestion is None:
            raise NotFound(_("No suggestion for this question."))
        response_save(
            actor=request.user,
            cycle_slug=cycle,
            iso3=iso3,
            version=_version(request),
            answers={question: suggestion.value},
        )
    except Conflict as error:
        return _conflict_page(request, response, error, _section_of_post(request, response))
    except ServiceError as error:
        return error_page(request, error)
    messages.success(request, _("Suggested answer used."))
    return _back_to_question(response, question)


@login_required
@require_GET
def cycle_page(request: HttpRequest, cycle: str) -> HttpResponse:
    """The responses of a cycle the user may read, with their status and progress."""
    try:
        found = cycle_get(slug=cycle)
        if not cycles_visible(user=request.user).filter(pk=found.pk).exists():
            raise NotFound(_("No such cycle."))
        framework = cycle_framework(found)
    except ServiceError as error:
        return error_page(request, error)
    rows = []
    for response in responses_visible(user=request.user, cycle_slug=cycle).prefetch_related("answers"):
        values = {a.question: a.value for a in response.answers.all() if a.value not in (None, "", [])}
        shown = relevant(framework, values)
        rows.append({"response": response, "answered": len(shown & set(values)), "asked": len(shown)})
    return render(request, "govlens/cycle.html", {"cycle": found, "rows": rows})


@login_required
def contributors_page(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    """The coordinator's page: the country's contributors, and delegating sections to a new or existing one."""
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        if not can_delegate_sections(request.user, response.country.iso3):
            raise NotAllowed(_("Only the country's coordinator delegates sections."))
    except ServiceError as error:
        return error_page(request, error)
    framework = cycle_framework(response.cycle)
    language = get_language() or "en"
    problems: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        try:
            contributor_set(
                actor=request.user,
                cycle_slug=cycle,
                iso3=response.country.iso3,
                username=request.POST.get("username", "").strip(),
                institution=request.POST.get("institution", ""),
                sections=request.POST.getlist("sections"),
                email=request.POST.get("email", "").strip(),
                password=request.POST.get("password") or None,
            )
        except Invalid as error:
            problems, status = error.problems, error.status
        except ServiceError as error:
            return error_page(request, error)
        else:
            messages.success(request, _("Sections delegated."))
            return redirect(reverse("contributors", args=[cycle, response.country.iso3]))
    labels = {s.name: text_in(s.label, language) for s in framework.sections}
    context = {
        "response": response,
        "cycle": response.cycle,
        "country": response.country,
        "sections": list(labels.items()),
        "contributors": [
            {"membership": m, "sections": [labels.get(name, name) for name in m.sections or []]}
            for m in contributors_of(iso3=response.country.iso3)
        ],
        "problems": problems,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "govlens/contributors.html", context, status=status)
