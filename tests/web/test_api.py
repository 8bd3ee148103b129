"""The JSON API: token auth, responses with 200/409/422/403/404, workflow actions, history, OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openapi_spec_validator import validate

from govlens.web.api.openapi import openapi_document

from .conftest import RESPONSE_ARG, Api, World


def test_token_login_and_cycles(world: World) -> None:
    reply = Api("focal_arg").get("/api/v1/cycles")
    assert reply.status_code == 200
    assert reply.json()["cycles"] == [
        {
            "slug": "lac-2026",
            "title": "LAC 2026",
            "status": "open",
            "framework": {"id": "tiny", "version": "1", "fingerprint": world.cycle.framework_fingerprint},
            "opens_on": None,
            "closes_on": None,
            "countries": ["ARG"],  # a focal point sees only its own country
        }
    ]
    assert Api("analyst").get("/api/v1/cycles").json()["cycles"][0]["countries"] == ["ARG", "BRA"]


def test_bad_credentials_and_throttling(world: World, settings: Any) -> None:
    settings.GOVLENS_LOGIN_MAX_FAILURES = 2
    api = Api()
    codes = [
        api.post("/api/v1/auth/token", {"username": "focal_arg", "password": "wrong"}).status_code for _ in range(3)
    ]
    assert codes == [401, 401, 429]
    # Even the right password is refused while throttled.
    assert api.post("/api/v1/auth/token", {"username": "focal_arg", "password": "x"}).status_code == 429


def test_a_revoked_token_stops_working_and_only_that_one(world: World) -> None:
    laptop, phone = Api("focal_arg"), Api("focal_arg")
    reply = laptop.client.delete("/api/v1/auth/token", headers=laptop.headers)
    assert (reply.status_code, reply.json()) == (200, {"revoked": True})
    assert laptop.get("/api/v1/cycles").status_code == 401
    assert phone.get("/api/v1/cycles").status_code == 200  # the user's other token still works
    # revoking needs a valid token: the revoked one, none, or a made-up one are refused
    for headers in (laptop.headers, {}, {"Authorization": "Bearer made-up"}):
        reply = laptop.client.delete("/api/v1/auth/token", headers=headers)
        assert (reply.status_code, reply.json()["error"]["code"]) == (401, "unauthenticated")


def test_a_new_password_revokes_every_token_of_its_user(world: World) -> None:
    from django.contrib.auth.models import User

    own, other = Api("focal_arg"), Api("focal_bra")
    user = User.objects.get(username="focal_arg")
    user.set_password("a-brand-new-password-42")
    user.save()
    assert own.get("/api/v1/cycles").status_code == 401
    assert other.get("/api/v1/cycles").status_code == 200
    user.first_name = "Ana"
    user.save()  # a save that keeps the password revokes nothing
    fresh = Api()
    reply = fresh.post("/api/v1/auth/token", {"username": "focal_arg", "password": "a-brand-new-password-42"})
    fresh.headers = {"Authorization": f"Bearer {reply.json()['token']}"}
    user.last_name = "Pérez"
    user.save()
    assert fresh.get("/api/v1/cycles").status_code == 200


def test_get_and_patch_a_response(world: World) -> None:
    api = Api("focal_arg")
    assert api.get(RESPONSE_ARG).json()["version"] == 0
    reply = api.patch(
        RESPONSE_ARG,
        {
            "version": 0,
            "answers": {"org_exists": "yes", "staff": "12"},
            "comments": {"staff": "Full-time staff"},
            "evidence_urls": {"org_exists": ["https://gob.example.ar/decreto"]},
        },
    )
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert (body["status"], body["version"]) == ("draft", 1)
    assert body["answers"] == {"org_exists": "yes", "staff": 12}
    assert body["comments"] == {"staff": "Full-time staff"}
    assert body["evidence_urls"] == {"org_exists": ["https://gob.example.ar/decreto"]}


def test_stale_patch_is_409_with_both_values(world: World) -> None:
    mine, theirs = Api("focal_arg"), Api("analyst")
    assert theirs.patch(RESPONSE_ARG, {"version": 0, "answers": {"staff": 5}}).status_code == 200
    reply = mine.patch(RESPONSE_ARG, {"version": 0, "answers": {"staff": 7}})
    assert reply.status_code == 409
    error = reply.json()["error"]
    assert error["code"] == "version_conflict"
    assert error["details"] == {
        "current_version": 1,
        "based_on_version": 0,
        "current": {"staff": 5},
        "yours": {"staff": 7},
    }
    assert mine.get(RESPONSE_ARG).json()["answers"] == {"staff": 5}


def test_invalid_patch_is_422_listing_every_problem(world: World) -> None:
    reply = Api("focal_arg").patch(RESPONSE_ARG, {"version": 0, "answers": {"staff": -1, "org_year": "soon"}})
    assert reply.status_code == 422
    problems = reply.json()["error"]["details"]["problems"]
    assert sorted((p["question"], p["code"]) for p in problems) == [
        ("org_year", "invalid_year"),
        ("staff", "constraint_failed"),
    ]


def test_workflow_through_the_api(world: World) -> None:
    fp, reviewer = Api("focal_arg"), Api("reviewer_arg")
    fp.patch(RESPONSE_ARG, {"version": 0, "answers": {"org_exists": "no", "channels": ["web"]}})
    assert fp.post(f"{RESPONSE_ARG}/submit", {"version": 1}).json() == {
        "cycle": "lac-2026",
        "country": "ARG",
        "status": "submitted",
        "version": 2,
    }
    reply = reviewer.post(f"{RESPONSE_ARG}/request-changes", {"message": "Please add the staff count"})
    assert reply.json()["status"] == "changes_requested"
    fp.patch(RESPONSE_ARG, {"version": 3, "answers": {"staff": 40}})
    fp.post(f"{RESPONSE_ARG}/submit")
    assert reviewer.post(f"{RESPONSE_ARG}/approve", {}).json()["status"] == "approved"
    # Approved means locked: a PATCH now is refused with 409 invalid_status.
    locked = fp.patch(RESPONSE_ARG, {"version": 6, "answers": {"staff": 41}})
    assert (locked.status_code, locked.json()["error"]["code"]) == (409, "invalid_status")
    history = reviewer.get(f"{RESPONSE_ARG}/history").json()["events"]
    statuses = [(e["actor"], e["new"]) for e in history if e["field"] == "status"]
    assert statuses == [
        ("focal_arg", "submitted"),
        ("reviewer_arg", "changes_requested"),
        ("focal_arg", "submitted"),
        ("reviewer_arg", "approved"),
    ]
    only_staff = reviewer.get(f"{RESPONSE_ARG}/history?question=staff").json()["events"]
    assert [e["new"] for e in only_staff] == [40]


def test_submitting_an_incomplete_response_is_422(world: World) -> None:
    reply = Api("focal_arg").post(f"{RESPONSE_ARG}/submit")
    assert reply.status_code == 422
    missing = {p["question"] for p in reply.json()["error"]["details"]["problems"]}
    assert missing == {"org_exists", "channels"}


# One shape for every error, whatever the status and the endpoint.
ERROR_CASES: list[tuple[str, str, str, dict[str, Any] | None, int]] = [
    ("anonymous", "get", "/api/v1/cycles", None, 401),
    ("focal_arg", "get", "/api/v1/cycles/lac-2026/responses/BRA", None, 403),
    ("focal_arg", "get", "/api/v1/cycles/nope/responses/ARG", None, 404),
    ("focal_arg", "get", "/api/v1/no-such-endpoint", None, 404),
    ("focal_arg", "get", "/api/v1/cycles/lac-2026/responses/ARG/submit", None, 405),
    ("focal_arg", "patch", RESPONSE_ARG, {"answers": {}}, 400),
    ("focal_arg", "patch", RESPONSE_ARG, {"version": 9, "answers": {"staff": 1}}, 409),
    ("focal_arg", "patch", RESPONSE_ARG, {"version": 0, "answers": {"staff": "x"}}, 422),
    ("anonymous", "post", "/api/v1/auth/token", {"username": "focal_arg", "password": "wrong"}, 401),
    ("focal_arg", "patch", RESPONSE_ARG, {"version": 0, "answers": {"notes": "x" * 2000}}, 413),
    ("focal_arg", "get", "/api/v1/cycles", None, 500),  # cycles_visible is broken on purpose below
]


def test_every_error_has_the_same_shape(world: World, monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    clients = {"anonymous": Api(), "focal_arg": Api("focal_arg")}
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("govlens.web.api.api.cycles_visible", broken)
    seen = []
    for who, method, url, body, status in ERROR_CASES:
        api = clients[who]
        reply = api.get(url) if method == "get" else getattr(api, method)(url, body)
        assert reply.status_code == status, (url, reply.content)
        assert reply["Content-Type"] == "application/json"
        payload = reply.json()
        assert set(payload) == {"error"}
        error = payload["error"]
        assert set(error) == {"status", "code", "message", "details"}
        assert error["status"] == status
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
        assert isinstance(error["details"], dict)
        seen.append(status)
    assert sorted(set(seen)) == [400, 401, 403, 404, 405, 409, 413, 422, 500]


def test_malformed_json_is_400(world: World) -> None:
    api = Api("focal_arg")
    reply = api.client.patch(RESPONSE_ARG, "{not json", content_type="application/json", headers=api.headers)
    assert (reply.status_code, reply.json()["error"]["code"]) == (400, "bad_request")


def test_openapi_document_is_valid_and_lists_every_endpoint(world: World) -> None:
    document = Api().get("/api/v1/openapi.json").json()
    assert document == openapi_document()
    validate(document)  # raises when the document is not valid OpenAPI 3.1
    assert sorted(document["paths"]) == [
        "/auth/token",
        "/cycles",
        "/cycles/{cycle}",
        "/cycles/{cycle}/action-plans",
        "/cycles/{cycle}/action-plans/{iso3}",
        "/cycles/{cycle}/action-plans/{iso3}/approve",
        "/cycles/{cycle}/action-plans/{iso3}/evidence",
        "/cycles/{cycle}/action-plans/{iso3}/evidence/{file_id}",
        "/cycles/{cycle}/action-plans/{iso3}/history",
        "/cycles/{cycle}/action-plans/{iso3}/publish",
        "/cycles/{cycle}/action-plans/{iso3}/request-changes",
        "/cycles/{cycle}/action-plans/{iso3}/submit",
        "/cycles/{cycle}/recommendations",
        "/cycles/{cycle}/responses",
        "/cycles/{cycle}/responses/{iso3}",
        "/cycles/{cycle}/responses/{iso3}/approve",
        "/cycles/{cycle}/responses/{iso3}/evidence",
        "/cycles/{cycle}/responses/{iso3}/evidence/{file_id}",
        "/cycles/{cycle}/responses/{iso3}/history",
        "/cycles/{cycle}/responses/{iso3}/reopen",
        "/cycles/{cycle}/responses/{iso3}/request-changes",
        "/cycles/{cycle}/responses/{iso3}/submit",
        "/releases/{release}/publish",
        "/releases/{release}/validation/{iso3}",
    ]


def test_openapi_validator_rejects_a_broken_document() -> None:
    broken = openapi_document()
    del broken["info"]
    with pytest.raises(Exception, match="info"):
        validate(broken)


def test_health(world: World) -> None:
    reply = Api().get("/health")
    assert (reply.status_code, reply.json()) == (200, {"status": "ok"})


def test_response_list_shows_only_readable_countries(world: World) -> None:
    url = "/api/v1/cycles/lac-2026/responses"
    assert [r["country"] for r in Api("focal_arg").get(url).json()["responses"]] == ["ARG"]
    assert [r["country"] for r in Api("reviewer_bra").get(url).json()["responses"]] == ["BRA"]
    rows = Api("analyst").get(url).json()["responses"]
    assert [(r["country"], r["status"], r["version"]) for r in rows] == [("ARG", "draft", 0), ("BRA", "draft", 0)]


def _upload(api: Api, url: str, question: str | None, name: str, content: bytes) -> Any:
    body: dict[str, Any] = {"file": SimpleUploadedFile(name, content)}
    if question is not None:
        body["question"] = question
    return api.client.post(url, body, headers=api.headers)


def test_evidence_upload_and_download_through_the_api(world: World) -> None:
    from govlens.web.audit.models import AuditEvent

    focal = Api("focal_arg")
    content = b"year,staff\n2025,40\n"
    reply = _upload(focal, f"{RESPONSE_ARG}/evidence", "staff", "staff.csv", content)
    assert reply.status_code == 201, reply.content
    stored = reply.json()
    assert (stored["question"], stored["name"], stored["size"]) == ("staff", "staff.csv", 19)
    assert stored["url"] == f"{RESPONSE_ARG}/evidence/{stored['id']}"
    assert focal.get(RESPONSE_ARG).json()["evidence_files"] == {"staff": [stored]}
    assert AuditEvent.objects.filter(object_type="answer", field="evidence_file").exists()
    download = focal.get(stored["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert 'filename="staff.csv"' in download["Content-Disposition"]
    # a reviewer of the country reads it; another country's focal point neither reads nor attaches
    assert Api("reviewer_arg").get(stored["url"]).status_code == 200
    other = Api("focal_bra")
    assert other.get(stored["url"]).status_code == 403
    assert _upload(other, f"{RESPONSE_ARG}/evidence", "staff", "x.csv", b"a,b\n").status_code == 403
    # a file of another response is not reachable through this one
    assert focal.get(f"{RESPONSE_ARG}/evidence/{stored['id'] + 1}").json()["error"]["code"] == "not_found"


def test_evidence_upload_refusals_name_the_problem(world: World) -> None:
    focal = Api("focal_arg")
    url = f"{RESPONSE_ARG}/evidence"
    no_question = _upload(focal, url, None, "staff.csv", b"a,b\n")
    assert (no_question.status_code, no_question.json()["error"]["code"]) == (400, "bad_request")
    wrong_type = _upload(focal, url, "staff", "run.exe", b"MZ")
    assert wrong_type.status_code == 422
    assert wrong_type.json()["error"]["details"]["problems"][0]["code"] == "file_type"
    mislabelled = _upload(focal, url, "staff", "decree.pdf", b"not a pdf")
    assert mislabelled.json()["error"]["details"]["problems"][0]["code"] == "file_content"
    assert focal.get(RESPONSE_ARG).json()["evidence_files"] == {}


def test_a_multipart_body_without_boundary_is_a_400_not_a_500(world: World) -> None:
    # found by schemathesis: Django cannot split such a body and raises while the endpoint reads the form
    focal = Api("focal_arg")
    reply = focal.client.post(
        f"{RESPONSE_ARG}/evidence", b"--x\r\n", content_type="multipart/form-data", headers=focal.headers
    )
    assert (reply.status_code, reply.json()["error"]["code"]) == (400, "bad_request")
    assert "not valid multipart/form-data" in reply.json()["error"]["message"]


def test_control_characters_in_text_are_refused_not_stored(world: World) -> None:
    # a NUL reached PostgreSQL, which cannot store it in text, and came back as a 500
    api = Api("focal_arg")
    body = {"version": 0, "answers": {"strategy_url": "https://a.example/\u0000x"}, "comments": {"staff": "ok\u0007"}}
    reply = api.patch(RESPONSE_ARG, body)
    assert reply.status_code == 422
    problems = reply.json()["error"]["details"]["problems"]
    assert sorted((p["question"], p["code"]) for p in problems) == [
        ("staff", "control_character"),
        ("strategy_url", "control_character"),
    ]
    assert "U+0000 at position 19" in next(p["message"] for p in problems if p["question"] == "strategy_url")
    assert api.get(RESPONSE_ARG).json()["version"] == 0
    assert api.patch(RESPONSE_ARG, {"version": 0, "comments": {"staff": "tab\tand\nline"}}).status_code == 200


def test_evidence_links_are_stored_trimmed(world: World) -> None:
    api = Api("focal_arg")
    reply = api.patch(RESPONSE_ARG, {"version": 0, "evidence_urls": {"staff": [" https://a.example/decree \n"]}})
    assert reply.status_code == 200, reply.content
    assert reply.json()["evidence_urls"] == {"staff": ["https://a.example/decree"]}
