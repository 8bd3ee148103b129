"""Text no UTF-8 encoder can write (lone surrogates, from JSON's \\uD800 escapes or undecodable command-line bytes):
refused with 422 and a message on every input path, nothing stored, and the platform renders, exports and backs up
as before. A lone surrogate once committed on SQLite made every page of the response (and the append-only audit
trail, so for good) answer 500, and ``govlens backup`` fail for the whole platform."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from typer.testing import CliRunner

from govlens.cli import user_cmd
from govlens.web.audit.models import AuditEvent
from govlens.web.backup import backup_write
from govlens.web.collection.models import Answer, EvidenceFile, Response
from govlens.web.collection.services import evidence_upload, response_save
from govlens.web.cycles.services import cycle_create
from govlens.web.errors import Invalid
from govlens.web.review.models import ReviewComment

from ..conftest import PASSWORD, RESPONSE_ARG, Api, World

PAGE = "/cycles/lac-2026/responses/ARG/"


def _raw_patch(api: Api, url: str, body: str) -> Any:
    # written by hand: json.dumps would escape the surrogate the same way, but this is what an attacker sends
    return api.client.patch(url, body, content_type="application/json", headers=api.headers)


def _raw_post(api: Api, url: str, body: str) -> Any:
    return api.client.post(url, body, content_type="application/json", headers=api.headers)


def _snapshot() -> tuple[int, int, int, int]:
    return (
        Answer.objects.count(),
        AuditEvent.objects.count(),
        ReviewComment.objects.count(),
        sum(Response.objects.values_list("version", flat=True)),
    )


def _everything_still_renders(tmp_path: Path) -> None:
    """The pages, the API, the history, the trail, the workbook and the backup of the response all work."""
    analyst = Client()
    assert analyst.login(username="analyst", password=PASSWORD)
    for url in (PAGE, f"{PAGE}audit", f"{PAGE}audit.csv", f"{PAGE}workbook.xlsx", "/"):
        assert analyst.get(url).status_code == 200, url
    api = Api("analyst")
    for url in (RESPONSE_ARG, f"{RESPONSE_ARG}/history"):
        reply = api.get(url)
        assert reply.status_code == 200, url
        json.loads(reply.content.decode("utf-8"))
    backup_write(tmp_path / "backup.zip")


@pytest.mark.parametrize(
    ("body", "question", "where"),
    [
        ('{"version": 0, "answers": {"notes": "a\\ud800b"}}', "notes", "U+D800 (half of a UTF-16 pair"),
        ('{"version": 0, "answers": {"channels": ["web", "\\udc80"]}}', "channels", "U+DC80"),
        ('{"version": 0, "comments": {"staff": "ok \\udfff"}}', "staff", "the comment on 'staff'"),
        ('{"version": 0, "evidence_urls": {"budget": ["https://a.example/\\udfff"]}}', "budget", "evidence link"),
        ('{"version": 0, "answers": {"no\\ud800tes": "x"}}', "no\\ud800tes", "no question called 'no\\ud800tes'"),
    ],
)
def test_api_save_refuses_a_lone_surrogate_and_stores_nothing(
    world: World, tmp_path: Path, body: str, question: str, where: str
) -> None:
    api = Api("focal_arg")
    before = _snapshot()
    reply = _raw_patch(api, RESPONSE_ARG, body)
    assert reply.status_code == 422, reply.content
    error = json.loads(reply.content.decode("utf-8"))["error"]
    problem = error["details"]["problems"][0]
    assert problem["question"] == question
    assert where in problem["message"]
    assert _snapshot() == before
    _everything_still_renders(tmp_path)


def test_review_texts_refuse_a_lone_surrogate(world: World, tmp_path: Path) -> None:
    focal, reviewer, analyst = Api("focal_arg"), Api("reviewer_arg"), Api("analyst")
    assert focal.patch(RESPONSE_ARG, {"version": 0, "answers": {"org_exists": "no", "channels": ["web"]}}).status_code
    assert focal.post(f"{RESPONSE_ARG}/submit").status_code == 200
    before = _snapshot()
    reply = _raw_post(reviewer, f"{RESPONSE_ARG}/request-changes", '{"message": "fix \\ud83d"}')
    assert reply.status_code == 422, reply.content
    assert "the lone surrogate U+D83D" in reply.json()["error"]["message"]
    reply = _raw_post(reviewer, f"{RESPONSE_ARG}/approve", '{"note": "\\udbff"}')
    assert reply.status_code == 422, reply.content
    assert _snapshot() == before
    assert analyst.post(f"{RESPONSE_ARG}/approve", {"note": "fine"}).status_code == 200
    reply = _raw_post(analyst, f"{RESPONSE_ARG}/reopen", '{"reason": "\\udc00 again"}')
    assert reply.status_code == 422, reply.content
    assert Response.objects.get(country__iso3="ARG").status == "approved"
    _everything_still_renders(tmp_path)


def test_a_review_comment_with_a_lone_surrogate_is_refused(world: World) -> None:
    from govlens.web.review.services import review_comment_add

    with pytest.raises(Invalid, match=r"lone surrogate U\+D800"):
        review_comment_add(actor=world.users["reviewer_arg"], cycle_slug="lac-2026", iso3="ARG", text="a\ud800")
    assert ReviewComment.objects.count() == 0


def test_an_evidence_file_name_with_a_lone_surrogate_is_refused(world: World, tmp_path: Path) -> None:
    upload = SimpleUploadedFile("decree\udcff.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    with pytest.raises(Invalid) as caught:
        evidence_upload(
            actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", question="budget", upload=upload
        )
    message = caught.value.problems[0]["message"]
    assert message.startswith("the file name holds the lone surrogate U+DCFF (half of a UTF-16 pair, not a character)")
    assert "at position 7; remove it" in message
    assert EvidenceFile.objects.count() == 0
    _everything_still_renders(tmp_path)


def test_an_accepted_workbook_payload_with_a_lone_surrogate_is_refused(world: World, tmp_path: Path) -> None:
    client = Client()
    assert client.login(username="focal_arg", password=PASSWORD)
    before = _snapshot()
    payload = '{"answers": {"notes": "\\ud800"}, "comments": {"staff": "\\udc00"}}'
    reply = client.post(f"{PAGE}workbook/accept", {"version": "0", "payload": payload})
    assert reply.status_code == 422
    assert "lone surrogate" in reply.content.decode("utf-8")
    assert _snapshot() == before
    _everything_still_renders(tmp_path)


def test_the_token_endpoint_answers_a_lone_surrogate_without_a_500(world: World) -> None:
    anonymous = Api()
    for body in ('{"username": "focal\\ud800", "password": "x"}', '{"username": "focal_arg", "password": "\\ud800"}'):
        reply = _raw_post(anonymous, "/api/v1/auth/token", body)
        assert (reply.status_code, reply.json()["error"]["code"]) == (401, "unauthenticated"), reply.content


def test_user_names_and_cycle_titles_with_a_lone_surrogate_are_refused(db: None) -> None:
    from govlens.web.accounts.services import user_create

    with pytest.raises(Invalid, match=r"the username holds the lone surrogate U\+DCFF"):
        user_create(actor=None, username="ana\udcff", password=PASSWORD, role="analyst")
    with pytest.raises(Invalid, match="the cycle title holds the lone surrogate"):
        cycle_create(actor=None, slug="c-2026", framework="tiny", countries=["ARG"], title="LAC \ud800")
    assert not User.objects.exists()


def test_user_add_on_the_command_line_refuses_undecodable_bytes(db: None) -> None:
    # a byte that is not UTF-8 in argv reaches Python as a lone surrogate (surrogateescape)
    app = typer.Typer()
    app.add_typer(user_cmd.app, name="user")
    result = CliRunner().invoke(
        app, ["user", "add", "ana\udcff", "--role", "analyst", "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 1
    assert "the username holds the lone surrogate U+DCFF (half of a UTF-16 pair" in result.output
    assert "at position 4" in result.output
    assert not User.objects.exists()


def test_the_service_itself_refuses_a_lone_surrogate(world: World) -> None:
    # the one check is in the core, so every caller of response_save (form, API, workbook, Kobo) gets it
    with pytest.raises(Invalid) as caught:
        response_save(
            actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=0, answers={"notes": "\udfff"}
        )
    assert caught.value.problems[0]["code"] == "control_character"
    assert not Answer.objects.exists()
