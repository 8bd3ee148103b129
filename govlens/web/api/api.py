"""The JSON API (``/api/v1/``): HTTP only; every rule is in the services, every error has one shape.

Error shape, for every status: ``{"error": {"status": 409, "code": "version_conflict", "message": "...",
"details": {...}}}``. Authentication is ``Authorization: Bearer TOKEN`` from ``POST /api/v1/auth/token``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.http import FileResponse, HttpRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from govlens.web.accounts.selectors import is_manager, visible_countries
from govlens.web.accounts.services import request_address, token_issue, token_revoke, token_user
from govlens.web.audit.selectors import audit_events_for_response
from govlens.web.collection.models import EvidenceFile, Response, StoredFile
from govlens.web.collection.selectors import (
    readable_questions,
    response_answer_rows,
    response_answers,
    response_get,
    response_get_whole,
    response_suggestions,
    responses_visible,
)
from govlens.web.collection.services import evidence_upload, response_reopen, response_save, response_submit
from govlens.web.cycles.models import Cycle
from govlens.web.cycles.selectors import cycle_get, cycles_visible
from govlens.web.errors import NotAllowed, NotFound, ServiceError, Unauthenticated
from govlens.web.outage import DATABASE_ERRORS, database_unavailable_json
from govlens.web.review.services import review_approve, review_request_changes
from govlens.web.review.workflow import Approve, RequestChanges, Submit
from govlens.web.text import json_read
from govlens.web.uploads import evidence_response, upload_refused

Handler = Callable[..., HttpResponseBase]
logger = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


class BadRequest(ServiceError):
    status = 400
    code = "bad_request"


class StorageUnavailable(ServiceError):
    status = 503
    code = "storage_unavailable"


class MethodNotAllowed(ServiceError):
    status = 405
    code = "method_not_allowed"


def error_response(status: int, code: str, message: str, details: Mapping[str, Any] | None = None) -> JsonResponse:
    """The one error shape of the API."""
    body = {"error": {"status": status, "code": code, "message": message, "details": dict(details or {})}}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _bearer_user(request: HttpRequest) -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    return token_user(raw=raw.strip())


def endpoint(*methods: str, authenticated: bool = True) -> Callable[[Handler], Callable[..., HttpResponseBase]]:
    """Method check, bearer authentication and the mapping of service errors to the error shape."""

    def decorate(handler: Handler) -> Callable[..., HttpResponseBase]:
        @csrf_exempt
        @wraps(handler)
        def view(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
            try:
                if request.method not in methods:
                    raise MethodNotAllowed(
                        f"method must be one of {{{', '.join(methods)}}}; got {request.method}",
                        details={"allowed": list(methods)},
                    )
                user = _bearer_user(request)
                if authenticated and user is None:
                    raise Unauthenticated("send a valid token: Authorization: Bearer TOKEN (POST /api/v1/auth/token)")
                return handler(request, user, **kwargs)
            except MethodNotAllowed as error:
                reply = error_response(error.status, error.code, error.message, error.details)
                reply["Allow"] = ", ".join(methods)
                return reply
            except ServiceError as error:
                return error_response(error.status, error.code, error.message, error.details)
            except DATABASE_ERRORS as error:
                # The database went away mid-request (not a bug): 503 with Retry-After, as on every page.
                return database_unavailable_json(request, error)
            except MultiPartParserError as error:  # a multipart body Django cannot split (no boundary, cut short)
                return error_response(400, "bad_request", f"the request body is not valid multipart/form-data: {error}")
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                return error_response(413, "too_large", f"the request body may be at most {limit} bytes")
            except Exception:  # a bug: logged with its traceback, answered in the one error shape
                logger.exception("unexpected error in %s %s", request.method, request.path)
                return error_response(500, "internal_error", "an unexpected error occurred; it has been logged")

        return view

    return decorate


def _json_body(request: HttpRequest) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        body = json_read(request.body)
    except ValueError as error:  # UnicodeDecodeError included
        raise BadRequest(f"the request body must be JSON: {error}") from None
    if not isinstance(body, dict):
        raise BadRequest(f"the request body must be a JSON object; got {type(body).__name__}")
    return body


def _optional_int(body: Mapping[str, Any], key: str, *, required: bool = False) -> int | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRequest(f"'{key}' must be an integer (the version your change is based on); got {value!r}")
    return value


def _text(body: Mapping[str, Any], key: str, usage: str) -> str:
    """The required text ``key`` of a body; BadRequest with ``usage`` (what to send) otherwise."""
    value = body.get(key)
    if not isinstance(value, str):
        raise BadRequest(usage)
    return value


def _object(body: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = body.get(key, {})
    if not isinstance(value, dict):
        raise BadRequest(f"'{key}' must be an object of question name -> value; got {type(value).__name__}")
    return value


def _cycle_json(cycle: Cycle, user: User) -> dict[str, Any]:
    codes = sorted(cycle.countries.values_list("iso3", flat=True))
    if not is_manager(user):
        mine = set(visible_countries(user).values_list("iso3", flat=True))
        codes = [c for c in codes if c in mine]
    return {
        "slug": cycle.slug,
        "title": cycle.title,
        "status": cycle.status,
        "framework": {
            "id": cycle.framework_id,
            "version": cycle.framework_version,
            "fingerprint": cycle.framework_fingerprint,
        },
        "opens_on": cycle.opens_on.isoformat() if cycle.opens_on else None,
        "closes_on": cycle.closes_on.isoformat() if cycle.closes_on else None,
        "countries": codes,
    }


def _response_json(response: Response, user: User | None = None) -> dict[str, Any]:
    """The response as JSON; a contributor gets the questions of their sections only."""
    rows = response_answer_rows(response)
    readable = readable_questions(user, response)
    body = {
        "cycle": response.cycle.slug,
        "country": response.country.iso3,
        "status": response.status,
        "version": response.version,
        "answers": response_answers(response),
        "comments": {name: row.comment for name, row in rows.items() if row.comment},
        "evidence_urls": {name: list(row.evidence_urls) for name, row in rows.items() if row.evidence_urls},
        "suggestions": {
            s.question: {"value": s.value, "source": s.source, "decision": s.decision}
            for s in response_suggestions(response).values()
        },
        "evidence_files": {
            name: [_file_json(f) for f in row.files.all()] for name, row in rows.items() if row.files.all()
        },
    }
    if readable is not None:
        for key in ("answers", "comments", "evidence_urls", "suggestions", "evidence_files"):
            body[key] = {name: value for name, value in body[key].items() if name in readable}
    return body


def evidence_json(evidence: StoredFile, about: Mapping[str, Any], record: str) -> dict[str, Any]:
    """An evidence file as JSON: its id, what it is attached to (``about``: the question, the action), its name, size
    and type, and its download address under ``record`` (the path of its response or action plan)."""
    return {
        "id": evidence.pk,
        **about,
        "name": evidence.original_name,
        "size": evidence.size,
        "content_type": evidence.content_type,
        "url": f"{record}/evidence/{evidence.pk}",
    }


def _file_json(evidence: EvidenceFile) -> dict[str, Any]:
    response = evidence.answer.response
    record = f"/api/v1/cycles/{response.cycle.slug}/responses/{response.country.iso3}"
    return evidence_json(evidence, {"question": evidence.answer.question}, record)


def _status_json(response: Response) -> dict[str, Any]:
    return {
        "cycle": response.cycle.slug,
        "country": response.country.iso3,
        "status": response.status,
        "version": response.version,
    }


# -- endpoints -----------------------------------------------------------------------------------------


@endpoint("POST", "DELETE", authenticated=False)
def auth_token(request: HttpRequest, user: User | None) -> JsonResponse:
    if request.method == "DELETE":  # log out: the token sent with the request stops working
        if user is None:
            raise Unauthenticated("send the token to revoke: Authorization: Bearer TOKEN")
        raw = request.headers["Authorization"].partition(" ")[2].strip()
        return JsonResponse({"revoked": token_revoke(raw=raw)})
    body = _json_body(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise BadRequest('send {"username": "...", "password": "..."}')
    token = token_issue(username=username, password=password, address=request_address(request))
    return JsonResponse({"token": token}, status=201)


@endpoint("GET")
def cycles(request: HttpRequest, user: User) -> JsonResponse:
    return JsonResponse({"cycles": [_cycle_json(c, user) for c in cycles_visible(user=user)]})


@endpoint("GET")
def cycle_detail(request: HttpRequest, user: User, cycle: str) -> JsonResponse:
    found = cycle_get(slug=cycle)
    if not cycles_visible(user=user).filter(pk=found.pk).exists():
        raise NotFound(f"no cycle called '{cycle}'")
    return JsonResponse(_cycle_json(found, user))


@endpoint("GET")
def response_list(request: HttpRequest, user: User, cycle: str) -> JsonResponse:
    found = cycle_get(slug=cycle)
    if not cycles_visible(user=user).filter(pk=found.pk).exists():
        raise NotFound(f"no cycle called '{cycle}'")
    rows = [
        {
            "country": r.country.iso3,
            "status": r.status,
            "version": r.version,
            "updated_at": r.updated_at.isoformat(),
            "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
        }
        for r in responses_visible(user=user, cycle_slug=cycle)
    ]
    return JsonResponse({"cycle": found.slug, "responses": rows})


@endpoint("GET", "PATCH")
def response_detail(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
    if request.method == "PATCH":
        body = _json_body(request)
        version = _optional_int(body, "version", required=True)
        assert version is not None
        comments = _object(body, "comments")
        urls = _object(body, "evidence_urls")
        response_save(
            actor=user,
            cycle_slug=cycle,
            iso3=iso3,
            version=version,
            answers=_object(body, "answers"),
            comments=comments,
            evidence_urls=urls,
        )
    return JsonResponse(
        _response_json(response_get(user=user, cycle_slug=cycle, iso3=iso3), user),
        json_dumps_params={"ensure_ascii": False},
    )


@endpoint("POST")
def response_evidence(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
    """Attach a file to an answer: multipart/form-data with ``question`` and ``file`` (the platform's limits)."""
    question = request.POST.get("question", "")
    evidence = evidence_received(
        request,
        about=question,
        fields='a "question" field and a "file"',
        store=lambda upload: evidence_upload(
            actor=user, cycle_slug=cycle, iso3=iso3, question=question, upload=upload
        ),
    )
    return JsonResponse(_file_json(evidence), status=201, json_dumps_params={"ensure_ascii": False})


def evidence_received(request: HttpRequest, *, about: str, fields: str, store: Callable[[UploadedFile], T]) -> T:
    """The uploaded ``file`` given to ``store`` (a service attaching it): refused past the size limit while it
    streamed, BadRequest naming ``fields`` without a file or ``about``, 503 when the server cannot store it (the
    service rolled back, nothing was recorded). For answers' and plan actions' files alike."""
    upload = request.FILES.get("file")
    refused = upload_refused(request, question=about)
    if refused is not None:
        raise refused
    if upload is None or not about:
        raise BadRequest(f"send multipart/form-data with {fields}")
    try:
        return store(upload)
    except OSError as error:  # a full disk, a lost mount
        logger.error("evidence for %s (%s) could not be stored: %s", request.path, about, error)
        raise StorageUnavailable(
            f"the file could not be stored on the server ({error.strerror or type(error).__name__}); nothing was "
            "saved, try again later"
        ) from None


@endpoint("GET")
def response_evidence_file(request: HttpRequest, user: User, cycle: str, iso3: str, file_id: int) -> FileResponse:
    response = response_get(user=user, cycle_slug=cycle, iso3=iso3)
    evidence = EvidenceFile.objects.filter(pk=file_id, answer__response=response).first()
    if evidence is None:
        raise NotFound(f"no file {file_id} in the response of {response.country.iso3}")
    readable = readable_questions(user, response)
    if readable is not None and evidence.answer.question not in readable:
        raise NotAllowed(f"file {file_id} belongs to a section not delegated to you")
    return evidence_response(evidence)


class WorkflowEndpoints(NamedTuple):
    submit: Callable[..., HttpResponseBase]
    request_changes: Callable[..., HttpResponseBase]
    approve: Callable[..., HttpResponseBase]


def workflow_endpoints(
    *,
    submit: Submit[R],
    request_changes: RequestChanges[R],
    approve: Approve[R],
    status: Callable[[R], dict[str, Any]],
) -> WorkflowEndpoints:
    """The review workflow's endpoints of a country's record (a response, an action plan), made from its services:
    each takes a JSON body with the optional ``version`` it is based on and answers ``status`` of the record."""

    @endpoint("POST")
    def submit_view(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
        version = _optional_int(_json_body(request), "version")
        return JsonResponse(status(submit(actor=user, cycle_slug=cycle, iso3=iso3, version=version)))

    @endpoint("POST")
    def request_changes_view(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
        body = _json_body(request)
        message = _text(body, "message", 'send {"message": "what the country should change"}')
        record = request_changes(
            actor=user, cycle_slug=cycle, iso3=iso3, message=message, version=_optional_int(body, "version")
        )
        return JsonResponse(status(record))

    @endpoint("POST")
    def approve_view(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
        body = _json_body(request)
        note = body.get("note") or ""
        if not isinstance(note, str):
            raise BadRequest(f"'note' must be text (or left out); got {type(note).__name__}")
        version = _optional_int(body, "version")
        return JsonResponse(status(approve(actor=user, cycle_slug=cycle, iso3=iso3, version=version, note=note)))

    return WorkflowEndpoints(submit_view, request_changes_view, approve_view)


response_submit_view, response_request_changes, response_approve = workflow_endpoints(
    submit=response_submit, request_changes=review_request_changes, approve=review_approve, status=_status_json
)


@endpoint("POST")
def response_reopen_view(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
    reason = _text(_json_body(request), "reason", 'send {"reason": "why the response is reopened"}')
    response = response_reopen(actor=user, cycle_slug=cycle, iso3=iso3, reason=reason)
    return JsonResponse(_status_json(response))


@endpoint("GET")
def response_history(request: HttpRequest, user: User, cycle: str, iso3: str) -> JsonResponse:
    response = response_get_whole(user=user, cycle_slug=cycle, iso3=iso3)
    question = request.GET.get("question") or None
    events = audit_events_for_response(cycle_slug=response.cycle.slug, iso3=response.country.iso3, question=question)
    return JsonResponse(
        {
            "events": [
                {
                    "at": e.at.isoformat(),
                    "actor": e.actor_username,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "field": e.field,
                    "old": e.old,
                    "new": e.new,
                    "note": e.note,
                }
                for e in events
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


@endpoint("GET", authenticated=False)
def openapi(request: HttpRequest, user: User | None) -> JsonResponse:
    from govlens.web.api.openapi import openapi_document

    return JsonResponse(openapi_document())


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE", authenticated=False)
def not_found(request: HttpRequest, user: User | None, rest: str = "") -> JsonResponse:
    raise NotFound(f"no API endpoint at /api/v1/{rest}")


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "not healthy"
        return error_response(503, "unhealthy", f"database unavailable: {type(error).__name__}")
    return JsonResponse({"status": "ok"})
