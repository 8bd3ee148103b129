"""Writes for responses: save answers (optimistic concurrency), submit, reopen, evidence, offline workbooks,
Kobo/ODK imports and public-data suggestions. Every write runs in a transaction on the locked response row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from govlens.data.prefill import Suggestion as PrefillSuggestion
from govlens.framework.model import Framework
from govlens.framework.report import Problem
from govlens.web.accounts.selectors import (
    Actor,
    can_answer_response,
    can_reopen_response,
    can_submit_response,
    editable_sections,
    is_manager,
    person,
    user_institution,
)
from govlens.web.audit.services import audit_record_of
from govlens.web.collection.messages import localise
from govlens.web.collection.models import (
    Answer,
    AnswerSuggestion,
    EvidenceFile,
    Response,
    ResponseStatus,
    StoredFile,
    SuggestionDecision,
)
from govlens.web.collection.selectors import response_find, submission_problems
from govlens.web.collection.validation import coerce_value, problem_rows, validate
from govlens.web.collection.workbook import META_SHEET, SHEET, workbook_read
from govlens.web.cycles.frameworks import cycle_framework
from govlens.web.cycles.models import Country, Cycle, CycleStatus
from govlens.web.errors import Conflict, Invalid, InvalidTransition, NotAllowed, NotFound, problem_row
from govlens.web.notifications import notify_focal_points, notify_reviewers
from govlens.web.text import json_read, quoted, require_storable, text_problem


def response_ensure(*, cycle: Cycle, country: Country) -> Response:
    """The response of a country in a cycle, created as an empty draft when missing."""
    response, _ = Response.objects.get_or_create(cycle=cycle, country=country)
    return response


def response_lock(*, cycle_slug: str, iso3: str, actor: Actor = None) -> Response:
    """The response row, locked for the rest of the transaction (SELECT ... FOR UPDATE on PostgreSQL); an actor
    who may not read the country's responses is refused first (see response_find)."""
    return response_find(cycle_slug=cycle_slug, iso3=iso3, for_update=True, reader=actor)


def _check_editable(
    actor: Actor,
    response: Response,
    *,
    verb: str = "edit",
    require_open: bool = True,
    locked: str = "the response of {iso3} is {status} and locked",
) -> None:
    """Refuse a change to ``response`` by ``actor``: not theirs to ``verb``, the cycle not open (when
    ``require_open``), or the response locked (``locked`` is the message, with {iso3} and {status})."""
    iso3 = response.country.iso3
    if actor is not None and not can_answer_response(actor, iso3):
        raise NotAllowed(f"you may not {verb} the response of {iso3}")
    if require_open:
        _require_open(response)
    if not response.editable:
        raise InvalidTransition(locked.format(iso3=iso3, status=response.status))


def _stored_answers(response: Response) -> dict[str, Answer]:
    return {answer.question: answer for answer in response.answers.prefetch_related("files")}


def _require_open(response: Response) -> None:
    """Answers change only while the cycle is open and, when it has dates, between them (inclusive)."""
    cycle = response.cycle
    if cycle.status != CycleStatus.OPEN:
        raise InvalidTransition(f"cycle '{cycle.slug}' is {cycle.status}: answers can only change while it is open")
    today = timezone.localdate()
    if cycle.opens_on and today < cycle.opens_on:
        raise InvalidTransition(f"cycle '{cycle.slug}' opens on {cycle.opens_on:%Y-%m-%d}; answers cannot change yet")
    if cycle.closes_on and today > cycle.closes_on:
        raise InvalidTransition(
            f"cycle '{cycle.slug}' closed on {cycle.closes_on:%Y-%m-%d}; ask an analyst to extend the closing date"
        )


def _bump(response: Response, fields: Sequence[str] = ()) -> None:
    response.version += 1
    response.save(update_fields=["version", "updated_at", *fields])


@dataclass
class SaveOutcome:
    """What a save kept: the response after it, the questions written, and the problems of those it could not."""

    response: Response
    saved: list[str]
    problems: list[dict[str, Any]]


def response_save(
    *,
    actor: Actor,
    cycle_slug: str,
    iso3: str,
    version: int,
    answers: Mapping[str, Any] | None = None,
    comments: Mapping[str, Any] | None = None,
    evidence_urls: Mapping[str, Any] | None = None,
) -> Response:
    """Save some answers of a draft, based on ``version``, all or nothing: any invalid answer raises Invalid
    (every problem at once) and a stale question raises Conflict; either way nothing is written.

    Values are coerced to their question's type and checked (types, choices, constraints; not ``required``,
    which is checked at submission); comments must be text (None clears one) and evidence links a list of
    web addresses (None clears them).
    """
    outcome = _save(actor, cycle_slug, iso3, version, answers, comments, evidence_urls, keep_valid=False)
    return outcome.response


def response_save_valid(
    *,
    actor: Actor,
    cycle_slug: str,
    iso3: str,
    version: int,
    answers: Mapping[str, Any] | None = None,
    comments: Mapping[str, Any] | None = None,
    evidence_urls: Mapping[str, Any] | None = None,
) -> SaveOutcome:
    """Save every valid question of the change and report the others: an invalid answer never blocks the rest
    (the questionnaire page saves this way). A stale question still raises Conflict and writes nothing."""
    return _save(actor, cycle_slug, iso3, version, answers, comments, evidence_urls, keep_valid=True)


def _save(
    actor: Actor,
    cycle_slug: str,
    iso3: str,
    version: int,
    answers: Mapping[str, Any] | None,
    comments: Mapping[str, Any] | None,
    evidence_urls: Mapping[str, Any] | None,
    *,
    keep_valid: bool,
) -> SaveOutcome:
    answers = dict(answers or {})
    comments, urls, shape_problems = _comments_and_links(comments or {}, evidence_urls or {})
    with transaction.atomic():
        response = response_lock(actor=actor, cycle_slug=cycle_slug, iso3=iso3)
        _check_editable(
            actor,
            response,
            locked="the response of {iso3} is {status} and locked; "
            "answers can change while it is a draft or changes are requested",
        )
        framework = cycle_framework(response.cycle)
        touched = sorted({*answers, *comments, *urls})
        _check_sections(actor, response, framework, touched)
        stored = _stored_answers(response)
        _check_stale(response, stored, version, touched, answers)
        typed, problems = _coerce_all(framework, answers, comments, urls)
        problems = shape_problems + problems
        current = {name: answer.value for name, answer in stored.items()}
        while True:
            if keep_valid:  # what failed is left out, and the rest checked again without it
                _drop({p["question"] for p in problems}, typed, comments, urls)
            report = validate(framework, {**current, **typed}, submitting=False)
            found = [row for row in problem_rows(report) if row["question"] in typed]
            problems += found
            if not (keep_valid and found):
                break
        problems = localise(framework, problems)
        if problems and not keep_valid:
            raise Invalid(
                ngettext(
                    "%(count)s answer is not valid; nothing was saved",
                    "%(count)s answers are not valid; nothing was saved",
                    len(problems),
                )
                % {"count": len(problems)},
                problems=problems,
            )
        changed = _write_answers(actor, response, stored, typed, comments, urls)
        if changed:
            _bump(response)
    return SaveOutcome(response=response, saved=sorted(changed), problems=problems)


def _drop(names: set[str], *fields: dict[str, Any]) -> None:
    for values in fields:
        for name in names & set(values):
            del values[name]


def _check_stale(
    response: Response, stored: Mapping[str, Answer], version: int, touched: Sequence[str], answers: Mapping[str, Any]
) -> None:
    """Conflict when a question of this save was written after ``version`` (or the version is unknown)."""
    if version > response.version or version < 0:
        stale = list(touched)
    else:
        stale = [name for name in touched if name in stored and stored[name].changed_in > version]
    if not stale:
        return
    raise Conflict(
        f"the response changed since version {version} (it is now version {response.version}); "
        "reload it, compare both values and save again",
        current_version=response.version,
        based_on=version,
        theirs={name: stored[name].value if name in stored else None for name in stale},
        yours={name: answers.get(name, stored[name].value if name in stored else None) for name in stale},
    )


def _check_sections(actor: Actor, response: Response, framework: Framework, names: Sequence[str]) -> None:
    """A contributor writes only the questions of the sections delegated to them."""
    allowed = editable_sections(actor, response.country.iso3)
    if allowed is None:
        return
    names_known = {q.name for q in framework.questions()}
    outside = [name for name in names if name in names_known and framework.section_of(name).name not in allowed]
    if outside:
        others = sorted({framework.section_of(name).name for name in outside})
        raise NotAllowed(
            f"you may only answer the sections delegated to you ({', '.join(sorted(allowed))}); "
            f"not section {', '.join(others)}"
        )


# Bounds on what one answer carries: no review needs more, and each is a typing or scripting accident.
MAX_COMMENT_LENGTH = 20_000
MAX_EVIDENCE_LINKS = 50
MAX_LINK_LENGTH = 2_000


def _comments_and_links(
    comments: Mapping[str, Any], evidence_urls: Mapping[str, Any]
) -> tuple[dict[str, str], dict[str, list[str]], list[dict[str, Any]]]:
    """Comments as text and links as lists of text (as they arrive from JSON, anything may), with a problem for
    each value of another shape; None clears. Links are trimmed, as the workbook reads them back: a pasted
    " https://..." is not a later change."""
    problems: list[dict[str, Any]] = []
    texts: dict[str, str] = {}
    for name, comment in comments.items():
        if comment is None or isinstance(comment, str):
            texts[str(name)] = comment or ""
        else:
            problems.append(
                problem_row("invalid_comment", question=name, name=quoted(name), type=type(comment).__name__)
            )
    links: dict[str, list[str]] = {}
    for name, urls in evidence_urls.items():
        items = [] if urls is None else [urls] if isinstance(urls, str) else urls
        if not isinstance(items, list) or not all(isinstance(url, str) for url in items):
            problems.append(problem_row("invalid_evidence_links", question=name, name=quoted(name)))
            continue
        links[str(name)] = [url.strip() for url in items]
    return texts, links, problems


def _coerce_all(
    framework: Framework,
    answers: Mapping[str, Any],
    comments: Mapping[str, str],
    evidence_urls: Mapping[str, Sequence[str]],
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The typed values that could be typed, and a problem for every name or value that could not."""
    names = {q.name for q in framework.questions()}
    problems: list[dict[str, Any]] = []
    typed: dict[str, Any] = {}
    for name in sorted({*answers, *comments, *evidence_urls}, key=str):
        if name not in names:
            problems.append(
                {
                    "question": name,
                    "code": "unknown_question",
                    "message": f"no question called {quoted(name)}",
                    "params": {"name": quoted(name)},
                }
            )
    for name, raw in answers.items():
        if name not in names:
            continue
        try:
            typed[name] = coerce_value(framework.question(name), raw)
        except ValueError as error:
            problems.append(
                {
                    "question": name,
                    "code": getattr(error, "code", "invalid_value"),
                    "message": str(error),
                    "params": dict(getattr(error, "params", {})),
                }
            )
    for name, comment in comments.items():
        if name not in names:
            continue
        found = text_problem(comment, what=f"the comment on '{name}'", question=name)
        if found is not None:
            problems.append(found)
        elif len(comment) > MAX_COMMENT_LENGTH:
            problems.append(
                problem_row(
                    "comment_too_long", question=name, name=quoted(name), limit=MAX_COMMENT_LENGTH, length=len(comment)
                )
            )
    for name, urls in evidence_urls.items():
        if name not in names:
            continue
        if len(urls) > MAX_EVIDENCE_LINKS:
            problems.append(
                problem_row(
                    "too_many_links", question=name, name=quoted(name), limit=MAX_EVIDENCE_LINKS, count=len(urls)
                )
            )
            continue
        for url in urls:
            found = text_problem(url, what=f"an evidence link of '{name}'", question=name)
            if found is not None:
                problems.append(found)
            elif len(url) > MAX_LINK_LENGTH:
                problems.append(
                    problem_row("evidence_link_too_long", question=name, limit=MAX_LINK_LENGTH, length=len(url))
                )
            elif not url.startswith(("https://", "http://")):
                problems.append(
                    {
                        "question": name,
                        "code": "invalid_evidence_url",
                        "message": f"evidence URLs must start with https:// or http://; got {quoted(url)}",
                        "params": {"value": quoted(url)},
                    }
                )
    return typed, problems


def _write_answers(
    actor: Actor,
    response: Response,
    stored: dict[str, Answer],
    typed: Mapping[str, Any],
    comments: Mapping[str, str],
    evidence_urls: Mapping[str, Sequence[str]],
) -> list[str]:
    changed: list[str] = []
    new_values: dict[str, Any] = {}
    user = person(actor)
    institution = user_institution(actor)
    for name in sorted({*typed, *comments, *evidence_urls}):
        answer = stored.get(name) or Answer(response=response, question=name)
        updates: list[tuple[str, Any, Any]] = []
        if name in typed and answer.value != typed[name]:
            updates.append(("value", answer.value, typed[name]))
            answer.value = new_values[name] = typed[name]
        if name in comments and answer.comment != comments[name]:
            updates.append(("comment", answer.comment, comments[name]))
            answer.comment = comments[name]
        if name in evidence_urls and list(answer.evidence_urls or []) != list(evidence_urls[name]):
            updates.append(("evidence_urls", list(answer.evidence_urls or []), list(evidence_urls[name])))
            answer.evidence_urls = list(evidence_urls[name])
        if not updates:
            continue
        answer.updated_by = user
        answer.institution = institution
        answer.changed_in = response.version + 1  # the version the bump after this write makes
        answer.save()
        changed.append(name)
        for field, old, new in updates:
            audit_record_of(actor, response, object_type="answer", object_id=name, field=field, old=old, new=new)
    _decide_suggestions(actor, response, new_values)
    return changed


def _decide_suggestions(actor: Actor, response: Response, values: Mapping[str, Any]) -> None:
    """A pending public-data suggestion is decided by the first change of its question's answer."""
    pending = AnswerSuggestion.objects.filter(
        response=response, question__in=list(values), decision=SuggestionDecision.PENDING.value
    )
    for suggestion in pending:
        value = values[suggestion.question]
        if value is None:
            continue
        decision = SuggestionDecision.ACCEPTED if value == suggestion.value else SuggestionDecision.OVERRIDDEN
        suggestion.decision = decision.value
        suggestion.decided_at = timezone.now()
        suggestion.save(update_fields=["decision", "decided_at"])
        audit_record_of(
            actor,
            response,
            object_type="suggestion",
            object_id=suggestion.question,
            field="decision",
            old=SuggestionDecision.PENDING.value,
            new=decision.value,
            note=f"suggested {suggestion.value!r} from {suggestion.source}",
        )


def response_status_set(actor: Actor, response: Response, status: ResponseStatus, note: str = "") -> None:
    old = response.status
    response.status = status
    now = timezone.now()
    extra = []
    if status is ResponseStatus.SUBMITTED:
        response.submitted_at = now
        extra.append("submitted_at")
    if status is ResponseStatus.APPROVED:
        response.approved_at = now
        extra.append("approved_at")
    _bump(response, ["status", *extra])
    audit_record_of(
        actor,
        response,
        object_type="response",
        object_id=response.country.iso3,
        field="status",
        old=old,
        new=status.value,
        note=note,
    )


def response_version_check(response: Response, version: int | None) -> None:
    if version is not None and version != response.version:
        raise Conflict(
            f"the response changed since version {version} (it is now version {response.version})",
            current_version=response.version,
            based_on=version,
            theirs={"status": response.status},
            yours={},
        )


def response_submit(*, actor: Actor, cycle_slug: str, iso3: str, version: int | None = None) -> Response:
    """Submit a draft (or a response with changes requested) for review once every required answer is valid."""
    with transaction.atomic():
        response = response_lock(actor=actor, cycle_slug=cycle_slug, iso3=iso3)
        if actor is not None and not can_submit_response(actor, response.country.iso3):
            raise NotAllowed(f"only the coordinator of {response.country.iso3} may submit its response")
        _check_editable(
            actor,
            response,
            verb="submit",
            locked="only a draft or a response with changes requested can be submitted; this one is {status}",
        )
        response_version_check(response, version)
        framework = cycle_framework(response.cycle)
        rows = submission_problems(framework, _stored_answers(response))
        if rows:
            raise Invalid(
                ngettext(
                    "%(count)s problem must be fixed before submission",
                    "%(count)s problems must be fixed before submission",
                    len(rows),
                )
                % {"count": len(rows)},
                problems=rows,
            )
        response_status_set(actor, response, ResponseStatus.SUBMITTED)
        notice = gettext("The response of %(country)s was submitted for review.") % {
            "country": response.country.local_name
        }
        transaction.on_commit(lambda: notify_reviewers(response, notice))
    return response


def response_reopen(*, actor: Actor, cycle_slug: str, iso3: str, reason: str) -> Response:
    """Unlock an approved (or submitted) response so the country can change it; analysts only, with a reason."""
    require_storable([("the reason for reopening", reason)])
    if not reason.strip():
        raise Invalid(
            "reopening a response needs a reason",
            problems=[problem_row("missing_reason", question="")],
        )
    with transaction.atomic():
        response = response_lock(actor=actor, cycle_slug=cycle_slug, iso3=iso3)
        if actor is not None and not can_reopen_response(actor):
            raise NotAllowed("only analysts and administrators may reopen a response")
        if response.status not in (ResponseStatus.APPROVED, ResponseStatus.SUBMITTED):
            raise InvalidTransition(
                f"only approved or submitted responses can be reopened; this one is {response.status}"
            )
        response_status_set(actor, response, ResponseStatus.CHANGES_REQUESTED, note=reason.strip())
        notice = gettext("Your response was reopened: %(reason)s") % {"reason": reason.strip()}
        transaction.on_commit(lambda: notify_focal_points(response, notice))
        from govlens.web.review.models import CommentKind, ReviewComment

        ReviewComment.objects.create(
            response=response,
            author=person(actor),
            kind=CommentKind.REOPENED,
            text=reason.strip(),
        )
    return response


# The first bytes of the binary types a name cannot be trusted for (office files are zip archives).
MAGIC: Mapping[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".xlsx": (b"PK\x03\x04",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
}


def _starts_with(upload: UploadedFile, prefixes: tuple[bytes, ...]) -> bool:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return any(head.startswith(prefix) for prefix in prefixes)


@dataclass(frozen=True)
class AcceptedUpload:
    """An evidence file that passed the checks: its name as uploaded, its content type and size."""

    name: str
    content_type: str
    size: int


def evidence_accepted(upload: UploadedFile, *, question: str) -> AcceptedUpload:
    """The checks of every evidence file (an answer's or a plan action's): a clean name, an allowed type whose
    first bytes match it, at most ``GOVLENS_UPLOAD_MAX_BYTES``; Invalid naming each problem otherwise.
    ``question`` is what the problems are about (a question name, or ``actions[i]`` for a plan)."""
    name = upload.name or "upload"
    suffix = PurePath(name).suffix.lower()
    allowed: Mapping[str, str] = settings.GOVLENS_UPLOAD_TYPES
    problems = [
        p
        for p in (
            text_problem(question, what="the question name", question=question),
            text_problem(name, what="the file name", question=question),
        )
        if p is not None
    ]
    if problems:
        raise Invalid("the file was not accepted", problems=problems)
    if suffix not in allowed:
        problems.append(
            problem_row(
                "file_type", question=question, allowed=f"{{{', '.join(sorted(allowed))}}}", value=f"'{suffix or name}'"
            )
        )
    size = upload.size or 0
    if size > settings.GOVLENS_UPLOAD_MAX_BYTES:
        problems.append(
            problem_row("file_too_large", question=question, limit=settings.GOVLENS_UPLOAD_MAX_BYTES, size=size)
        )
    if not problems and suffix in MAGIC and not _starts_with(upload, MAGIC[suffix]):
        problems.append(problem_row("file_content", question=question, suffix=suffix, kind=suffix[1:].upper()))
    if problems:
        raise Invalid("the file was not accepted", problems=problems)
    return AcceptedUpload(name=PurePath(name).name[:255], content_type=allowed[suffix], size=size)


Kept = TypeVar("Kept", bound=StoredFile)


def evidence_keep(evidence: Kept, upload: UploadedFile, accepted: AcceptedUpload, *, actor: Actor) -> Kept:
    """Store an accepted upload as ``evidence`` (a new row for an answer or a plan action): the name, type and size
    the checks found and who uploaded it, then the file under its generated name, then the row."""
    evidence.original_name = accepted.name
    evidence.content_type = accepted.content_type
    evidence.size = accepted.size
    evidence.uploaded_by = person(actor)
    evidence.file.save(accepted.name, upload, save=False)
    evidence.save()
    return evidence


def evidence_upload(*, actor: Actor, cycle_slug: str, iso3: str, question: str, upload: UploadedFile) -> EvidenceFile:
    """Attach a file to an answer: size and type limited, stored under a generated name."""
    accepted = evidence_accepted(upload, question=question)
    with transaction.atomic():
        response = response_lock(actor=actor, cycle_slug=cycle_slug, iso3=iso3)
        _check_editable(actor, response)
        framework = cycle_framework(response.cycle)
        if question not in {q.name for q in framework.questions()}:
            raise Invalid(
                "unknown question",
                problems=[
                    {
                        "question": question,
                        "code": "unknown_question",
                        "message": f"no question called {quoted(question)}",
                    }
                ],
            )
        _check_sections(actor, response, framework, [question])
        answer, _ = Answer.objects.get_or_create(response=response, question=question)
        evidence = evidence_keep(EvidenceFile(answer=answer), upload, accepted, actor=actor)
        audit_record_of(
            actor,
            response,
            object_type="answer",
            object_id=question,
            field="evidence_file",
            old=None,
            new=evidence.original_name,
        )
        _bump(response)
    return evidence


@dataclass
class WorkbookChange:
    question: str
    field: str  # value, comment or evidence_urls
    old: Any
    new: Any


@dataclass
class WorkbookDiff:
    """What accepting an uploaded workbook would change; nothing is written until response_save."""

    version: int
    changes: list[WorkbookChange]

    def payload(self) -> dict[str, dict[str, Any]]:
        """The changes as response_save keyword arguments (answers, comments, evidence_urls)."""
        out: dict[str, dict[str, Any]] = {"answers": {}, "comments": {}, "evidence_urls": {}}
        key = {"value": "answers", "comment": "comments", "evidence_urls": "evidence_urls"}
        for change in self.changes:
            out[key[change.field]][change.question] = change.new
        return out


def workbook_payload_read(text: str) -> dict[str, dict[str, Any]]:
    """The changes of an accepted workbook diff as posted back by the page (the JSON of
    :meth:`WorkbookDiff.payload`), checked for shape: anything else is Invalid, never a crash. The values are
    checked again by response_save, as every save is."""

    def refuse(reason: str) -> Invalid:
        row = problem_row("invalid_payload", question="", reason=reason)
        return Invalid(row["message"], problems=[row])

    try:
        payload = json_read(text or "{}")
    except ValueError as error:
        raise refuse(f"not JSON: {error}") from None
    if not isinstance(payload, dict):
        raise refuse(f"a JSON {type(payload).__name__}, not an object")
    unknown = sorted(set(payload) - {"answers", "comments", "evidence_urls"})
    if unknown:
        raise refuse(f"unknown part {quoted(unknown[0])}")
    parts: dict[str, dict[str, Any]] = {}
    for key in ("answers", "comments", "evidence_urls"):
        part = payload.get(key)
        part = {} if part is None else part
        if not isinstance(part, dict):
            raise refuse(f"'{key}' is a {type(part).__name__}, not an object")
        parts[key] = part
    return parts


def response_workbook_diff(
    *, actor: Actor, cycle_slug: str, iso3: str, data: bytes, filename: str = "workbook.xlsx"
) -> WorkbookDiff:
    """Check an uploaded workbook like the form (every problem by sheet, row and question) and return the diff
    against the stored response; Invalid when anything is wrong, and nothing is saved either way."""
    response = response_find(cycle_slug=cycle_slug, iso3=iso3, reader=actor)
    _check_editable(actor, response, require_open=False)  # accepting saves through response_save, which checks it
    framework = cycle_framework(response.cycle)
    content = workbook_read(data, framework, filename=filename)
    rows = [_workbook_row(p) for p in content.report.errors]
    readable = content.version is not None and not any(
        p.code in ("unreadable_file", "missing_sheet", "missing_column") for p in content.report.errors
    )
    if readable and (content.cycle, content.country) != (response.cycle.slug, response.country.iso3):
        rows.append(
            {
                "sheet": META_SHEET,
                "row": None,
                "question": "",
                "code": "wrong_workbook",
                "message": f"this workbook is for {content.cycle}/{content.country}, not "
                f"{response.cycle.slug}/{response.country.iso3}",
            }
        )
    stored = _stored_answers(response)
    if readable:
        # The values that typed are checked like the form (options, constraints, skip logic).
        current = {name: answer.value for name, answer in stored.items()}
        report = validate(framework, {**current, **content.answers}, submitting=False)
        for problem in report.errors:
            name = problem.column or ""
            if name in content.answers:
                rows.append({**_workbook_row(problem), "sheet": SHEET, "row": content.rows.get(name)})
        # Comments and links are checked as the form checks them (characters, lengths, addresses).
        _typed, text_rows = _coerce_all(framework, {}, content.comments, content.evidence_urls)
        rows += [{**row, "sheet": SHEET, "row": content.rows.get(row["question"])} for row in text_rows]
    if rows:
        raise Invalid(
            ngettext(
                "%(count)s problem in %(file)s; nothing was saved",
                "%(count)s problems in %(file)s; nothing was saved",
                len(rows),
            )
            % {"count": len(rows), "file": filename},
            problems=localise(framework, rows),
        )
    changes: list[WorkbookChange] = []
    for name in sorted(content.answers, key=lambda n: content.rows.get(n, 0)):
        answer = stored.get(name)
        old_value = answer.value if answer else None
        old_comment = answer.comment if answer else ""
        old_urls = list(answer.evidence_urls or []) if answer else []
        if old_value != content.answers[name]:
            changes.append(WorkbookChange(name, "value", old_value, content.answers[name]))
        if old_comment != content.comments.get(name, ""):
            changes.append(WorkbookChange(name, "comment", old_comment, content.comments.get(name, "")))
        if old_urls != content.evidence_urls.get(name, []):
            changes.append(WorkbookChange(name, "evidence_urls", old_urls, content.evidence_urls.get(name, [])))
    assert content.version is not None
    return WorkbookDiff(version=content.version, changes=changes)


def _workbook_row(problem: Problem) -> dict[str, Any]:
    return {
        "sheet": problem.sheet,
        "row": problem.row,
        "question": problem.column or "",
        "code": problem.code,
        "message": problem.message,
        "params": dict(problem.params),
    }


@dataclass
class ImportOutcome:
    """What an import did (or, for a dry run, would do): per country, the version after and the answers changed."""

    changed: dict[str, list[str]]
    versions: dict[str, int]
    warnings: list[Problem]  # of the file read (columns ignored ...), located like its errors


def submissions_import(
    *,
    actor: Actor,
    cycle_slug: str,
    data: bytes,
    filename: str,
    country_column: str = "country",
    dry_run: bool = False,
) -> ImportOutcome:
    """Import KoboToolbox/ODK submissions into the cycle's responses: every row checked like the form, every
    problem reported (row and column), and nothing saved unless the whole file is valid."""
    from govlens.web.collection.submissions import submissions_read
    from govlens.web.cycles.models import Cycle

    cycle = Cycle.objects.filter(slug=cycle_slug).first()
    if cycle is None:
        raise NotFound(f"no cycle called '{cycle_slug}'")
    framework = cycle_framework(cycle)
    read = submissions_read(data, framework, filename=filename, country_column=country_column)
    rows = [_import_row(p) for p in read.report.errors]
    responses = {r.country.iso3: r for r in Response.objects.select_related("cycle", "country").filter(cycle=cycle)}
    for submission in read.submissions:
        response = responses.get(submission.country)
        if response is None:
            rows.append(
                _import_problem(
                    submission.row,
                    country_column,
                    "unknown_country",
                    f"{submission.country} does not take part in cycle '{cycle_slug}'",
                )
            )
            continue
        if actor is not None and not can_answer_response(actor, submission.country):
            raise NotAllowed(f"you may not edit the response of {submission.country}")
        if not response.editable:
            rows.append(
                _import_problem(
                    submission.row,
                    country_column,
                    "locked_response",
                    f"the response of {submission.country} is {response.status} and locked",
                )
            )
            continue
        current = {name: answer.value for name, answer in _stored_answers(response).items()}
        for problem in validate(framework, {**current, **submission.answers}, submitting=False).errors:
            if problem.column in submission.answers:
                rows.append(
                    _import_problem(
                        submission.row,
                        read.columns.get(problem.column, problem.column),
                        problem.code,
                        problem.message,
                        dict(problem.params),
                    )
                )
    if rows:
        raise Invalid(
            ngettext(
                "%(count)s problem in %(file)s; nothing was imported",
                "%(count)s problems in %(file)s; nothing was imported",
                len(rows),
            )
            % {"count": len(rows), "file": filename},
            problems=localise(framework, rows),
        )
    if read.submissions:  # a closed cycle refuses the dry run too, as the import would be refused
        _require_open(responses[read.submissions[0].country])
    changed: dict[str, list[str]] = {}
    versions: dict[str, int] = {}
    with transaction.atomic():
        for submission in read.submissions:
            response = responses[submission.country]
            stored = _stored_answers(response)
            changed[submission.country] = [
                name
                for name, value in submission.answers.items()
                if (stored[name].value if name in stored else None) != value
            ]
            if dry_run:
                versions[submission.country] = response.version
                continue
            saved = response_save(
                actor=actor,
                cycle_slug=cycle_slug,
                iso3=submission.country,
                version=response.version,
                answers=submission.answers,
            )
            versions[submission.country] = saved.version
    return ImportOutcome(changed=changed, versions=versions, warnings=read.report.warnings)


def _import_row(problem: Problem) -> dict[str, Any]:
    return _import_problem(problem.row, problem.column or "", problem.code, problem.message, dict(problem.params))


def _import_problem(
    row: int | None, column: str, code: str, message: str, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "row": row,
        "column": column,
        "question": column.rsplit("/", 1)[-1],
        "code": code,
        "message": message,
        "params": dict(params or {}),
    }


def response_suggestions_store(
    *, actor: Actor, cycle_slug: str, iso3: str, suggestions: Sequence[PrefillSuggestion]
) -> list[AnswerSuggestion]:
    """Keep public-data suggestions for a response (pre-fill). A suggestion already decided is kept as it was;
    one for a question the framework does not ask, or with a value the question cannot take, is skipped."""
    if actor is not None and not is_manager(actor):
        raise NotAllowed("only administrators and analysts may add suggestions")
    stored: list[AnswerSuggestion] = []
    with transaction.atomic():
        response = response_lock(actor=actor, cycle_slug=cycle_slug, iso3=iso3)
        framework = cycle_framework(response.cycle)
        names = {q.name for q in framework.questions()}
        for item in suggestions:
            if item.question not in names:
                continue
            try:
                value = coerce_value(framework.question(item.question), item.answer)
            except ValueError:
                continue
            source = f"{item.dataset} {item.variable} {item.year}: {item.source}"
            existing = AnswerSuggestion.objects.filter(response=response, question=item.question).first()
            if existing is not None and existing.decision != SuggestionDecision.PENDING.value:
                stored.append(existing)
                continue
            suggestion, created = AnswerSuggestion.objects.update_or_create(
                response=response,
                question=item.question,
                defaults={"value": value, "source": source, "note": item.note},
            )
            if created:
                audit_record_of(
                    actor,
                    response,
                    object_type="suggestion",
                    object_id=item.question,
                    field="value",
                    old=None,
                    new=value,
                    note=source,
                )
            stored.append(suggestion)
    return stored
