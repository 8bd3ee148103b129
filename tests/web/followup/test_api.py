from __future__ import annotations

from govlens.web.api.openapi import openapi_document
from govlens.web.followup.models import ActionPlan

from ..conftest import RESPONSE_ARG, Api, World
from .fixtures import ACTION, RECOMMENDATION, with_plan, with_register, with_submitted_plan

PLAN = "/api/v1/cycles/lac-2026/action-plans"


def test_recommendations_and_a_plan_round_trip(world: World) -> None:
    with_register(world)
    api = Api("focal_arg")
    register = api.get("/api/v1/cycles/lac-2026/recommendations").json()
    assert register["release"]["id"] == "lac-2026-r1"
    assert [(r["id"], r["countries"]) for r in register["recommendations"]] == [(RECOMMENDATION, ["ARG", "BRA"])]
    empty = api.get(f"{PLAN}/ARG").json()
    assert (empty["version"], empty["status"], empty["actions"]) == (0, "draft", [])
    saved = api.put(f"{PLAN}/ARG", {"version": 0, "actions": [ACTION]})
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 1 and saved.json()["actions"][0]["milestones"][1]["title"] == "Agency staffed"
    submitted = api.post(f"{PLAN}/ARG/submit", {"version": 1}).json()
    assert submitted["status"] == "submitted"
    approved = Api("reviewer_arg").post(f"{PLAN}/ARG/approve", {"version": 2}).json()
    assert (approved["status"], approved["version"]) == ("approved", 3)
    history = api.get(f"{PLAN}/ARG/history").json()["events"]
    assert [e["new"] for e in history if e["field"] == "status"] == ["submitted", "approved"]


def test_stale_version_is_409_and_bad_plan_is_422_in_the_error_shape(world: World) -> None:
    with_plan(world)
    api = Api("focal_arg")
    stale = api.put(f"{PLAN}/ARG", {"version": 0, "actions": [dict(ACTION, title="Mine")]})
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "version_conflict" and error["details"]["current"]["actions"][0]["title"] == ACTION["title"]
    assert error["details"]["yours"]["actions"][0]["title"] == "Mine"
    bad = api.put(f"{PLAN}/ARG", {"version": 1, "actions": [dict(ACTION, status="finished")]})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["problems"][0]["field"] == "actions[0].status"
    assert api.put(f"{PLAN}/ARG", {"version": 1}).status_code == 400  # no actions: not an empty plan by mistake
    assert api.put(f"{PLAN}/ARG", {"actions": []}).status_code == 400  # no version
    assert api.get(f"{PLAN}/PER").status_code == 404  # not a participant
    assert ActionPlan.objects.get().version == 1


def test_a_plan_and_a_response_are_reviewed_by_the_same_body_rules(world: World) -> None:
    """One set of review endpoints serves both records: a missing message and a note that is not text are refused
    alike (400, the same words), and the plan stays submitted."""
    with_submitted_plan(world)
    reviewer = Api("reviewer_arg")
    for record in (f"{PLAN}/ARG", RESPONSE_ARG):
        no_message = reviewer.post(f"{record}/request-changes", {"version": 2})
        assert no_message.status_code == 400, (record, no_message.content)
        assert no_message.json()["error"]["message"] == 'send {"message": "what the country should change"}'
        bad_note = reviewer.post(f"{record}/approve", {"version": 2, "note": 3})
        assert bad_note.status_code == 400, (record, bad_note.content)
        assert bad_note.json()["error"]["message"] == "'note' must be text (or left out); got int"
    assert ActionPlan.objects.get().status == "submitted"


def test_no_register_yet_is_a_404(world: World) -> None:
    reply = Api("analyst").get("/api/v1/cycles/lac-2026/recommendations")
    assert reply.status_code == 404 and "no recommendations yet" in reply.json()["error"]["message"]


def test_openapi_documents_the_follow_up() -> None:
    document = openapi_document()
    paths = document["paths"]
    assert set(paths["/cycles/{cycle}/action-plans/{iso3}"]) == {"get", "put"}
    for suffix in ("submit", "request-changes", "approve", "publish"):
        assert "409" in paths[f"/cycles/{{cycle}}/action-plans/{{iso3}}/{suffix}"]["post"]["responses"]
    assert "/cycles/{cycle}/recommendations" in paths
    assert "PlanAction" in document["components"]["schemas"]
    assert paths["/cycles/{cycle}/recommendations"]["get"]["responses"]["503"]  # added to every operation


def test_a_plan_file_is_attached_listed_and_downloaded_through_the_api(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .fixtures import PDF

    with_plan(world)
    api = Api("focal_arg")
    upload = {"action": "0", "file": SimpleUploadedFile("decree.pdf", PDF, content_type="application/pdf")}
    reply = api.client.post(f"{PLAN}/ARG/evidence", upload, headers=api.headers)
    assert reply.status_code == 201, reply.content
    stored = reply.json()
    assert (stored["action"], stored["name"], stored["size"]) == (0, "decree.pdf", len(PDF))
    plan = Api("reviewer_arg").get(f"{PLAN}/ARG").json()
    assert [f["url"] for f in plan["evidence_files"]] == [stored["url"]] and plan["version"] == 2
    download = Api("reviewer_arg").get(stored["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert Api("focal_bra").get(stored["url"]).status_code == 403
    wrong = {"action": "0", "file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")}
    refused = api.client.post(f"{PLAN}/ARG/evidence", wrong, headers=api.headers)
    assert refused.status_code == 422
    assert [p["code"] for p in refused.json()["error"]["details"]["problems"]] == ["file_type"]
    no_action = {"file": SimpleUploadedFile("decree.pdf", PDF)}
    assert api.client.post(f"{PLAN}/ARG/evidence", no_action, headers=api.headers).status_code == 400
    paths = openapi_document()["paths"]
    assert "post" in paths["/cycles/{cycle}/action-plans/{iso3}/evidence"]
    assert "get" in paths["/cycles/{cycle}/action-plans/{iso3}/evidence/{file_id}"]
