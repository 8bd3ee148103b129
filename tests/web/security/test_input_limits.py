"""What the attack found at the Low level on input: 500s on odd JSON and tampered payloads, silent coercions (NaN
cleared an answer, 1e-400 became 0.0, a null comment became the text "None"), no limits (a 4.5 MB answer, 10,000
links on one answer), comments on made-up questions stored but never shown. Run on SQLite and PostgreSQL (a
comment ``question`` over 200 characters was a 500 there)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from govlens.framework.answers import MAX_TEXT_LENGTH
from govlens.web.collection.models import Answer, Response
from govlens.web.collection.services import MAX_EVIDENCE_LINKS
from govlens.web.review.models import ReviewComment

from ..conftest import PASSWORD, RESPONSE_ARG, Api, World

PAGE = "/cycles/lac-2026/responses/ARG/"


def _raw_patch(api: Api, body: str) -> Any:
    return api.client.patch(RESPONSE_ARG, body, content_type="application/json", headers=api.headers)


def _version() -> int:
    return Response.objects.get(country__iso3="ARG").version


def test_deeply_nested_json_is_a_400(world: World) -> None:
    api = Api("focal_arg")
    reply = _raw_patch(api, '{"version": 0, "answers": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert (reply.status_code, reply.json()["error"]["code"]) == (400, "bad_request")
    assert "nested too deeply" in reply.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"version": 0, "answers": {"budget": NaN}}', "NaN is not JSON"),
        ('{"version": 0, "answers": {"budget": -Infinity}}', "-Infinity is not JSON"),
    ],
)
def test_nan_and_infinity_are_refused_not_read_as_unanswered(world: World, body: str, message: str) -> None:
    api = Api("focal_arg")
    assert api.patch(RESPONSE_ARG, {"version": 0, "answers": {"budget": 2.5}}).status_code == 200
    reply = _raw_patch(api, body.replace('"version": 0', '"version": 1'))
    assert reply.status_code == 400
    assert message in reply.json()["error"]["message"]
    assert Answer.objects.get(question="budget").value == 2.5


@pytest.mark.parametrize("number", ["1e-400", '"1e-400"', "-2.5E-999"])
def test_a_number_too_small_for_a_float_is_refused_not_stored_as_zero(world: World, number: str) -> None:
    api = Api("focal_arg")
    reply = _raw_patch(api, '{"version": 0, "answers": {"budget": ' + number + "}}")
    assert reply.status_code == 422, reply.content
    problem = reply.json()["error"]["details"]["problems"][0]
    assert (problem["question"], problem["code"]) == ("budget", "invalid_decimal")
    assert "too close to zero to store" in problem["message"]
    assert not Answer.objects.exists()


def test_a_null_comment_clears_it_and_other_shapes_are_refused(world: World) -> None:
    api = Api("focal_arg")
    assert api.patch(RESPONSE_ARG, {"version": 0, "comments": {"staff": "from the decree"}}).status_code == 200
    reply = api.patch(RESPONSE_ARG, {"version": 1, "comments": {"staff": None}})
    assert reply.status_code == 200, reply.content
    assert Answer.objects.get(question="staff").comment == ""  # was stored as the text "None"
    for shape in (3, ["a"], {"a": 1}, True):
        reply = api.patch(RESPONSE_ARG, {"version": 2, "comments": {"staff": shape}})
        assert reply.status_code == 422, shape
        assert reply.json()["error"]["details"]["problems"][0]["code"] == "invalid_comment"
    for shape in (3, [1], {"a": "https://a.example"}):
        reply = api.patch(RESPONSE_ARG, {"version": 2, "evidence_urls": {"staff": shape}})
        assert reply.status_code == 422, shape
    assert _version() == 2


def test_a_text_answer_and_its_comment_are_bounded(world: World) -> None:
    api = Api("focal_arg")
    reply = api.patch(RESPONSE_ARG, {"version": 0, "answers": {"notes": "x" * (MAX_TEXT_LENGTH + 1)}})
    assert reply.status_code == 422
    problem = reply.json()["error"]["details"]["problems"][0]
    assert problem["code"] == "text_too_long"
    assert f"at most {MAX_TEXT_LENGTH} characters; got {MAX_TEXT_LENGTH + 1}" in problem["message"]
    reply = api.patch(RESPONSE_ARG, {"version": 0, "comments": {"notes": "x" * 4_500_000}})
    assert reply.status_code == 422
    assert reply.json()["error"]["details"]["problems"][0]["code"] == "comment_too_long"  # a comment, not the answer
    assert api.patch(RESPONSE_ARG, {"version": 0, "answers": {"notes": "x" * MAX_TEXT_LENGTH}}).status_code == 200


def test_evidence_links_are_bounded(world: World) -> None:
    api = Api("focal_arg")
    many = [f"https://a.example/{n}" for n in range(10_000)]
    reply = api.patch(RESPONSE_ARG, {"version": 0, "evidence_urls": {"budget": many}})
    assert reply.status_code == 422
    problem = reply.json()["error"]["details"]["problems"][0]
    assert problem["code"] == "too_many_links"
    assert f"at most {MAX_EVIDENCE_LINKS} evidence links; got 10000" in problem["message"]
    reply = api.patch(RESPONSE_ARG, {"version": 0, "evidence_urls": {"budget": ["https://a.example/" + "x" * 3000]}})
    assert reply.status_code == 422
    allowed = many[:MAX_EVIDENCE_LINKS]
    assert api.patch(RESPONSE_ARG, {"version": 0, "evidence_urls": {"budget": allowed}}).status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        "[]",
        "3",
        "null",
        '"answers"',
        '{"answers": []}',
        '{"answers": {}, "comments": "x"}',
        '{"comments": {"staff": 5}}',
        '{"comments": {"staff": {"a": 1}}}',
        '{"evidence_urls": {"staff": 7}}',
        '{"evidence_urls": {"staff": [null]}}',
        '{"evidence_urls": "https://a.example"}',
        '{"answers": {"staff": [[[[1]]]]}}',
        '{"answers": {"staff": {"a": 1}}}',
        '{"extra": {}}',
        "{" * 50_000,
        "[" * 100_000 + "]" * 100_000,
        '{"answers": {"budget": NaN}}',
    ],
)
def test_tampered_workbook_accept_payloads_are_refused_without_a_500(world: World, payload: str) -> None:
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    reply = client.post(f"{PAGE}workbook/accept", {"version": "0", "payload": payload})
    assert reply.status_code in (400, 422), (reply.status_code, payload[:40])
    assert not Answer.objects.exists()
    assert _version() == 0


def test_comments_on_unknown_questions_are_refused(world: World) -> None:
    reviewer = Client()
    assert reviewer.login(username="reviewer_arg", password=PASSWORD)
    for question in ("no_such_question", "q" * 201):  # over 200 characters: a 500 on PostgreSQL
        reply = reviewer.post(f"{PAGE}comment", {"question": question, "text": "where is this?"})
        assert reply.status_code in (302, 422), reply.status_code
        assert not ReviewComment.objects.exists()
    reply = reviewer.post(f"{PAGE}comment", {"question": "staff", "text": "source?"})
    assert ReviewComment.objects.filter(question="staff").count() == 1
    reply = reviewer.post(f"{PAGE}comment", {"question": "", "text": "on the whole response"})
    assert ReviewComment.objects.count() == 2
    assert json.dumps(list(ReviewComment.objects.values_list("question", flat=True))) == '["staff", ""]'
