"""Arbitrary Unicode, lone surrogates included, into every text field of the API and the forms.

Whatever arrives, the platform answers without a 500, and whatever it stored renders afterwards: the
questionnaire page, the audit trail and its CSV, the offline workbook, the API's response and history, and a
backup of the whole platform (a lone surrogate once stored made all of them fail for good). Each example runs in
a savepoint rolled back afterwards, so every one starts from the same platform.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, note, settings
from hypothesis import strategies as st

from govlens.web.backup import backup_write

from ..conftest import PASSWORD, RESPONSE_ARG, Api, World
from . import QUESTIONS, examples, rolled_back

PAGE = "/cycles/lac-2026/responses/ARG/"
SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)
# Any code point (hypothesis leaves surrogates out unless asked), with lone surrogates mixed in often.
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=40),
    st.lists(st.one_of(SURROGATES, st.characters(exclude_categories=())), max_size=12).map("".join),
)
FIELDS = st.sampled_from(
    [
        *(f"answer:{name}" for name in QUESTIONS),
        "comment",
        "evidence_url",
        "question_name",
        "review_comment",
        "request_changes",
        "reopen_reason",
        "token_username",
        "token_password",
        "form_answer",
        "form_comment",
        "form_links",
        "comment_question",
    ]
)


def _json(text: str) -> str:
    """``text`` as a JSON string literal, a lone surrogate written as the escape a client would send."""
    return json.dumps(text, ensure_ascii=True)


def _form(fields: dict[str, str]) -> bytes:
    """A urlencoded body; text that UTF-8 cannot hold goes as the bytes a broken client sends (surrogatepass)."""
    return "&".join(
        f"{key}={urllib.parse.quote(value.encode('utf-8', 'surrogatepass'))}" for key, value in fields.items()
    ).encode("ascii")


def _send(field: str, text: str, api: Api, reviewer: Api, analyst: Api, page: Client) -> Any:
    post = lambda who, url, body: who.client.post(  # noqa: E731
        url, body, content_type="application/json", headers=who.headers
    )
    patch = lambda body: api.client.patch(  # noqa: E731
        RESPONSE_ARG, body, content_type="application/json", headers=api.headers
    )
    if field.startswith("answer:"):
        name = field.split(":", 1)[1]
        value = f"[{_json(text)}]" if name == "channels" else _json(text)
        return patch(f'{{"version": 0, "answers": {{"{name}": {value}}}}}')
    if field == "comment":
        return patch(f'{{"version": 0, "comments": {{"notes": {_json(text)}}}}}')
    if field == "evidence_url":
        return patch(f'{{"version": 0, "evidence_urls": {{"budget": [{_json("https://a.example/" + text)}]}}}}')
    if field == "question_name":
        return patch(f'{{"version": 0, "answers": {{{_json(text)}: "x"}}}}')
    if field == "review_comment":
        return reviewer.client.post(f"{PAGE}comment", _form({"text": text, "question": "notes"}),
                                    content_type="application/x-www-form-urlencoded", headers=reviewer.headers)
    if field == "comment_question":
        return page.post(f"{PAGE}comment", _form({"text": "why?", "question": text}),
                         content_type="application/x-www-form-urlencoded")
    if field == "request_changes":
        return post(reviewer, f"{RESPONSE_ARG}/request-changes", f'{{"message": {_json(text)}}}')
    if field == "reopen_reason":
        return post(analyst, f"{RESPONSE_ARG}/reopen", f'{{"reason": {_json(text)}}}')
    if field == "token_username":
        return post(Api(), "/api/v1/auth/token", f'{{"username": {_json(text)}, "password": "x"}}')
    if field == "token_password":
        return post(Api(), "/api/v1/auth/token", f'{{"username": "focal_arg", "password": {_json(text)}}}')
    name = {"form_answer": "a_notes", "form_comment": "c_notes", "form_links": "e_budget"}[field]
    question = "budget" if field == "form_links" else "notes"
    body = _form({"version": "0", "q": question, name: text})
    return page.post(f"{PAGE}save", body, content_type="application/x-www-form-urlencoded")


def _renders(tmp_path: Path, analyst: Api, manager: Client) -> None:
    for url in (PAGE, f"{PAGE}audit", f"{PAGE}audit.csv", f"{PAGE}workbook.xlsx", "/"):
        reply = manager.get(url)
        assert reply.status_code == 200, url
    for url in (RESPONSE_ARG, f"{RESPONSE_ARG}/history"):
        reply = analyst.get(url)
        assert reply.status_code == 200, url
        json.loads(reply.content.decode("utf-8"))
    backup_write(tmp_path / "backup.zip")


@pytest.mark.django_db
@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=FIELDS, text=ANY_TEXT)
@example(field="answer:notes", text="a\ud800b")
@example(field="evidence_url", text="\udfff")
@example(field="comment", text="\udc80")
@example(field="question_name", text="no\ud800tes")
@example(field="request_changes", text="\ud83d")
@example(field="token_username", text="\udcff")
def test_any_text_in_any_field_never_500s_and_what_is_stored_renders(
    world: World, tmp_path_factory: pytest.TempPathFactory, field: str, text: str
) -> None:
    note(f"{field}: {text!r}")
    api, reviewer, analyst = Api("focal_arg"), Api("reviewer_arg"), Api("analyst")
    page, manager = Client(), Client()
    assert page.login(username="focal_arg", password=PASSWORD)
    assert manager.login(username="analyst", password=PASSWORD)
    with rolled_back():
        if field == "request_changes":
            saved = api.patch(RESPONSE_ARG, {"version": 0, "answers": {"org_exists": "no", "channels": ["web"]}})
            assert saved.status_code == 200
            assert api.post(f"{RESPONSE_ARG}/submit").status_code == 200
        reply = _send(field, text, api, reviewer, analyst, page)
        assert reply.status_code < 500, (reply.status_code, reply.content[:300])
        reply.content.decode("utf-8")  # whatever came back is itself valid UTF-8
        _renders(tmp_path_factory.mktemp("backup"), analyst, manager)
