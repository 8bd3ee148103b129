"""Questionnaire pages: read, fill (with autosave), attach evidence, submit. HTTP only: rules are in services."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govlens.framework.model import Framework, Question, QuestionType, text_in
from govlens.framework.scoring import question_options
from govlens.web.accounts.selectors import can_edit_response, can_reopen_response, can_review_response
from govlens.web.collection.models import Answer, AnswerSuggestion, EvidenceFile, Response
from govlens.web.collection.selectors import (
    response_answer_rows,
    response_get,
    response_suggestions,
    response_workbook,
    responses_visible,
)
from govlens.web.collection.services import (
    evidence_upload,
    response_save,
    response_submit,
    response_workbook_diff,
    workbook_payload_read,
)
from govlens.web.collection.validation import relevant
from govlens.web.cycles.frameworks import cycle_framework
from govlens.web.cycles.models import CycleStatus
from govlens.web.cycles.selectors import cycle_get, cycles_visible
from govlens.web.errors import Conflict, Invalid, NotFound, ServiceError
from govlens.web.review.selectors import review_comments

logger = logging.getLogger(__name__)


@dataclass
class QuestionView:
    question: Question
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

    @property
    def name(self) -> str:
        return self.question.name

    @property
    def kind(self) -> str:
        return self.question.type.value

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

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.shown and q.value not in (None, "", []))

    @property
    def asked(self) -> int:
        return sum(1 for q in self.questions if q.shown)


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
    response: Response,
    framework: Framework,
    values: dict[str, Any],
    problems: dict[str, list[str]] | None = None,
) -> list[SectionView]:
    language = get_language() or "en"
    rows = response_answer_rows(response)
    suggestions = response_suggestions(response)
    shown = relevant(framework, values)
    comments: dict[str, list[Any]] = {}
    for comment in review_comments(response):
        comments.setdefault(comment.question, []).append(comment)
    return [
        SectionView(
            name=section.name,
            label=text_in(section.label, language),
            questions=[
                QuestionView(
                    question=q,
                    label=text_in(q.label, language),
                    hint=text_in(q.hint, language),
                    options=_options(framework, q, language),
                    value=values.get(q.name),
                    answer=rows.get(q.name),
                    shown=q.name in shown,
                    comments=comments.get(q.name, []),
                    problems=(problems or {}).get(q.name, []),
                    suggestion=suggestions.get(q.name),
                    suggestion_label=_suggestion_label(framework, q, suggestions.get(q.name), language),
                )
                for q in section.questions
            ],
        )
        for section in framework.sections
    ]


def _page(
    request: HttpRequest,
    response: Response,
    *,
    values: dict[str, Any] | None = None,
    problems: dict[str, list[str]] | None = None,
    conflict: Conflict | None = None,
    status: int = 200,
) -> HttpResponse:
    framework = cycle_framework(response.cycle)
    stored = {name: row.value for name, row in response_answer_rows(response).items()}
    iso3 = response.country.iso3
    context = {
        "response": response,
        "cycle": response.cycle,
        "country": response.country,
        "sections": _sections(response, framework, values if values is not None else stored, problems),
        "can_edit": can_edit_response(request.user, iso3) and response.editable and _accepting(response),
        "can_review": can_review_response(request.user, iso3) and response.status == "submitted",
        "can_resolve": can_review_response(request.user, iso3),
        "can_reopen": can_reopen_response(request.user) and response.status in ("approved", "submitted"),
        "general_comments": review_comments(response, question=""),
        "conflict": conflict,
        "problems": problems or {},
    }
    return render(request, "govlens/response.html", context, status=status)


def _accepting(response: Response) -> bool:
    """Whether the cycle takes answers today (status open, within its dates)."""
    cycle, today = response.cycle, timezone.localdate()
    return (
        cycle.status == CycleStatus.OPEN
        and not (cycle.opens_on and today < cycle.opens_on)
        and not (cycle.closes_on and today > cycle.closes_on)
    )


def _error_page(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return render(request, "govlens/error.html", {"error": error}, status=error.status)


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


@login_required
@require_GET
def response_page(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        return _page(request, response)
    except ServiceError as error:
        return _error_page(request, error)


@login_required
@require_POST
def response_save_view(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    """The form post and the autosave (``Accept: application/json``) of a draft."""
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        framework = cycle_framework(response.cycle)
        answers, comments, urls = _form_answers(request, framework)
        saved = response_save(
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
        stored = {name: row.value for name, row in response_answer_rows(response).items()}
        return _page(request, response, values=stored, conflict=error, status=409)
    except Invalid as error:
        if _wants_json(request):
            return _json_error(error)
        by_question: dict[str, list[str]] = {}
        for problem in error.problems:
            by_question.setdefault(problem.get("question", ""), []).append(str(problem["message"]))
        values = {name: row.value for name, row in response_answer_rows(response).items()} | answers
        return _page(request, response, values=values, problems=by_question, status=422)
    except ServiceError as error:
        return _json_error(error) if _wants_json(request) else _error_page(request, error)
    if _wants_json(request):
        return JsonResponse({"status": saved.status, "version": saved.version})
    messages.success(request, _("Saved (version %(version)s).") % {"version": saved.version})
    return redirect(reverse("response", args=[cycle, iso3]))


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
    stored = {name: row.value for name, row in response_answer_rows(response).items()}
    return JsonResponse({"relevant": sorted(relevant(framework, stored | answers))})


@login_required
@require_POST
def response_submit_page(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        response_submit(actor=request.user, cycle_slug=cycle, iso3=iso3, version=_version(request))
    except Invalid as error:
        by_question: dict[str, list[str]] = {}
        for problem in error.problems:
            by_question.setdefault(problem.get("question", ""), []).append(str(problem["message"]))
        messages.error(
            request, _("The response cannot be submitted yet: %(count)s problem(s).") % {"count": len(error.problems)}
        )
        return _page(request, response, problems=by_question, status=422)
    except ServiceError as error:
        return _error_page(request, error)
    messages.success(request, _("Submitted for review."))
    return redirect(reverse("response", args=[cycle, iso3]))


@login_required
@require_POST
def evidence_upload_view(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    upload = request.FILES.get("file")
    question = request.POST.get("question", "")
    try:
        response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        if upload is None:
            raise Invalid(
                _("Choose a file to upload."),
                problems=[{"question": question, "code": "missing_file", "message": _("no file")}],
            )
        evidence_upload(actor=request.user, cycle_slug=cycle, iso3=iso3, question=question, upload=upload)
    except Invalid as error:
        messages.error(request, "; ".join(str(p["message"]) for p in error.problems))
        return redirect(reverse("response", args=[cycle, iso3]))
    except ServiceError as error:
        return _error_page(request, error)
    except OSError as error:  # a full disk, a lost mount: the service rolled back, nothing was recorded
        logger.error("evidence for %s/%s %s could not be stored: %s", cycle, iso3, question, error)
        messages.error(
            request,
            _("The file could not be stored on the server (%(reason)s); nothing was saved. Please try again later.")
            % {"reason": error.strerror or type(error).__name__},
        )
        return redirect(reverse("response", args=[cycle, iso3]))
    messages.success(request, _("File attached."))
    return redirect(reverse("response", args=[cycle, iso3]))


@login_required
@require_GET
def evidence_download(request: HttpRequest, cycle: str, iso3: str, file_id: int) -> HttpResponseBase:
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        evidence = EvidenceFile.objects.filter(pk=file_id, answer__response=response).first()
        if evidence is None:
            raise NotFound(_("No such file in this response."))
    except ServiceError as error:
        return _error_page(request, error)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


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
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
        data = response_workbook(response, language=language)
    except ServiceError as error:
        return _error_page(request, error)
    reply = HttpResponse(data, content_type=XLSX)
    name = f"govlens-{response.cycle.slug}-{response.country.iso3}-v{response.version}-{language}.xlsx"
    reply["Content-Disposition"] = f'attachment; filename="{name}"'
    return reply


@login_required
@require_POST
def workbook_upload(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    upload = request.FILES.get("workbook")
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
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
        return _error_page(request, error)
    context = {"response": response, "diff": diff, "payload": json.dumps(diff.payload(), ensure_ascii=False)}
    return render(request, "govlens/workbook_diff.html", context)


@login_required
@require_POST
def workbook_accept(request: HttpRequest, cycle: str, iso3: str) -> HttpResponse:
    try:
        response = response_get(user=request.user, cycle_slug=cycle, iso3=iso3)
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
        stored = {name: row.value for name, row in response_answer_rows(response).items()}
        return _page(request, response, values=stored, conflict=error, status=409)
    except ServiceError as error:
        return _error_page(request, error)
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
        stored = {name: row.value for name, row in response_answer_rows(response).items()}
        return _page(request, response, values=stored, conflict=error, status=409)
    except ServiceError as error:
        return _error_page(request, error)
    messages.success(request, _("Suggested answer used."))
    return redirect(reverse("response", args=[cycle, iso3]) + f"#question-{question}")


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
        return _error_page(request, error)
    rows = []
    for response in responses_visible(user=request.user, cycle_slug=cycle).prefetch_related("answers"):
        values = {a.question: a.value for a in response.answers.all() if a.value not in (None, "", [])}
        shown = relevant(framework, values)
        rows.append({"response": response, "answered": len(shown & set(values)), "asked": len(shown)})
    return render(request, "govlens/cycle.html", {"cycle": found, "rows": rows})
