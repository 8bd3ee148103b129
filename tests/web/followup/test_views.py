from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govlens.web.audit.models import AuditEvent
from govlens.web.followup.models import ActionPlan, PlanEvidenceFile
from govlens.web.followup.services import plan_publish, plan_review_approve, plan_submit

from ..conftest import PASSWORD, World
from .fixtures import (
    ACTION,
    PDF,
    RECOMMENDATION,
    second_release,
    with_approved_plan,
    with_plan,
    with_plan_file,
    with_register,
)

PAGE = "/cycles/lac-2026/follow-up/ARG/"


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


FORM = {
    "version": "0",
    "a0_recommendation": RECOMMENDATION,
    "a0_title": "Create the agency",
    "a0_institution": "Cabinet",
    "a0_start": "2026-07-01",
    "a0_due": "2027-12-31",
    "a0_status": "in_progress",
    "a0_evidence_urls": "https://example.org/a\nhttps://example.org/b",
    "a0_milestones": "2026-10-01 | Decree signed | 2026-09-20\n2027-06-30 | Agency staffed",
    "a1_recommendation": "",
    "a1_title": "",
    "a1_status": "planned",
}


def test_the_focal_point_writes_the_plan_on_the_page(world: World) -> None:
    with_register(world)
    client = _client("focal_arg")
    page = client.get(PAGE)
    assert page.status_code == 200 and b'data-recommendation="agency"' in page.content
    reply = client.post(f"{PAGE}save", FORM)
    assert reply.status_code == 302
    plan = ActionPlan.objects.get()
    assert plan.version == 1 and len(plan.actions) == 1  # the blank row is no action
    action = plan.actions[0]
    assert action["evidence_urls"] == ["https://example.org/a", "https://example.org/b"]
    assert action["milestones"] == [
        {"title": "Decree signed", "due": "2026-10-01", "done_on": "2026-09-20"},
        {"title": "Agency staffed", "due": "2027-06-30", "done_on": None},
    ]
    again = client.get(PAGE).content.decode()
    assert "2026-10-01 | Decree signed | 2026-09-20" in again  # shown as typed


def test_a_refused_plan_shows_every_problem_and_keeps_the_input(world: World) -> None:
    with_register(world)
    client = _client("focal_arg")
    bad = {**FORM, "a0_due": "2026-01-01", "a0_milestones": "someday | Decree"}
    reply = client.post(f"{PAGE}save", bad)
    assert reply.status_code == 422
    text = reply.content.decode()
    assert "Action 1, due: is 2026-01-01, before the start 2026-07-01" in text
    assert "Action 1, milestones[0].due" in text
    assert 'value="Create the agency"' in text and "someday | Decree" in text  # nothing typed is lost
    assert not ActionPlan.objects.exists()


def test_a_stale_page_save_is_409_with_both_versions(world: World) -> None:
    with_plan(world)
    reply = _client("focal_arg").post(f"{PAGE}save", {**FORM, "a0_title": "Mine"})  # based on version 0
    assert reply.status_code == 409
    text = reply.content.decode()
    assert 'value="Mine"' in text and ACTION["title"] in text
    assert ActionPlan.objects.get().actions[0]["title"] == ACTION["title"]


def test_the_reviewer_sees_review_buttons_only_on_a_submitted_plan(world: World) -> None:
    with_plan(world)
    reviewer = _client("reviewer_arg")
    assert b'id="plan-approve"' not in reviewer.get(PAGE).content
    plan_submit(actor=None, cycle_slug="lac-2026", iso3="ARG")
    page = reviewer.get(PAGE).content
    assert b'id="plan-approve"' in page and b'id="plan-save"' not in page  # reviewers do not edit
    assert reviewer.post(f"{PAGE}approve", {"version": "2"}).status_code == 302
    assert ActionPlan.objects.get().status == "approved"


def test_monitoring_pages_show_status_overdue_and_the_indicator_change(world: World) -> None:
    with_approved_plan(world)
    second_release()  # the next cycle measured ARG's new agency
    page = _client("analyst").get("/cycles/lac-2026/follow-up/").content.decode()
    assert "lac-2028-r1" in page
    assert 'data-overdue="Agency staffed"' in page  # due 2026-08-31, not reached
    assert 'data-indicator="I1" data-change="+1.00"' in page  # ARG: 0 -> 1
    assert 'data-indicator="I1" data-change="+0.00"' in page  # BRA unchanged
    mine = _client("focal_bra").get("/cycles/lac-2026/follow-up/").content.decode()
    assert 'data-country="ARG"' not in mine and 'data-country="BRA"' in mine  # only their own country


def test_the_public_page_shows_only_published_approved_plans(world: World) -> None:
    with_approved_plan(world)
    anonymous = Client()
    assert b'id="nothing-published"' in anonymous.get("/results/follow-up/").content
    plan_publish(actor=None, cycle_slug="lac-2026", iso3="ARG", published=True)
    page = anonymous.get("/results/follow-up/").content.decode()
    assert ACTION["title"] in page and "Agency staffed" in page
    assert ACTION["title"] in anonymous.get(f"/results/follow-up/recommendations/{RECOMMENDATION}/").content.decode()
    assert ACTION["title"] not in anonymous.get("/results/follow-up/countries/BRA/").content.decode()
    # a draft edit after approval is not shown until approved again
    client = _client("focal_arg")
    client.post(f"{PAGE}save", {**FORM, "version": "4", "a0_title": "Draft title"})  # approved (3), published (4)
    assert "Draft title" not in anonymous.get("/results/follow-up/").content.decode()
    plan_submit(actor=None, cycle_slug="lac-2026", iso3="ARG")
    plan_review_approve(actor=None, cycle_slug="lac-2026", iso3="ARG")
    assert "Draft title" in anonymous.get("/results/follow-up/").content.decode()


def test_exports_carry_the_published_plans(world: World) -> None:
    import io

    import openpyxl

    with_approved_plan(world)
    anonymous = Client()
    empty = anonymous.get("/results/follow-up/export/actions.csv")
    assert empty.status_code == 200 and empty.content.decode().count("\n") == 1  # header only: nothing published
    plan_publish(actor=None, cycle_slug="lac-2026", iso3="ARG", published=True)
    actions = anonymous.get("/results/follow-up/export/actions.csv").content.decode()
    assert ACTION["title"] in actions and "lac-2026,ARG,1,agency" in actions
    milestones = anonymous.get("/results/follow-up/export/milestones.csv").content.decode().splitlines()
    assert milestones[1:] == [
        "lac-2026,ARG,1,1,Decree signed,2026-10-01,2026-09-20,false",
        "lac-2026,ARG,1,2,Agency staffed,2026-08-31,,false",
    ]
    assert anonymous.get("/results/follow-up/export/secrets.csv").status_code == 404
    workbook = anonymous.get("/results/export/xlsx/?release=lac-2026-r1").content
    sheets = openpyxl.load_workbook(io.BytesIO(workbook))
    assert sheets["action plans"]["E2"].value == ACTION["title"]


def test_a_file_attached_to_an_action_is_stored_private_audited_and_served_to_readers(
    world: World, settings: Any
) -> None:
    with_plan(world)
    client = _client("focal_arg")
    upload = SimpleUploadedFile("Decreto 2026.pdf", PDF, content_type="application/pdf")
    reply = client.post(f"{PAGE}upload", {"action": "0", "file": upload})
    assert reply.status_code == 302
    stored = PlanEvidenceFile.objects.get()
    assert stored.action == 0 and stored.original_name == "Decreto 2026.pdf" and stored.size == len(PDF)
    path = Path(stored.file.path)
    assert "Decreto" not in path.name and path.suffix == ".pdf"  # a generated name, never the uploader's
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert ActionPlan.objects.get().version == 2
    event = AuditEvent.objects.get(field="actions[0].evidence_file")
    assert event.new == "Decreto 2026.pdf" and event.actor_username == "focal_arg"
    page = client.get(PAGE).content.decode()
    link = f"{PAGE}files/{stored.pk}"
    assert link in page and "Decreto 2026.pdf" in page
    download = _client("reviewer_arg").get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "Decreto 2026.pdf" in download["Content-Disposition"]
    assert _client("focal_bra").get(link).status_code == 403  # another country's focal point


def test_an_oversize_or_wrong_type_plan_file_is_refused_and_nothing_is_kept(world: World, settings: Any) -> None:
    with_plan(world)
    client = _client("focal_arg")
    events = AuditEvent.objects.count()
    wrong = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    reply = client.post(f"{PAGE}upload", {"action": "0", "file": wrong}, follow=True)
    assert ".exe" in reply.content.decode() and "actions[0]" in reply.content.decode()
    fake = SimpleUploadedFile("decree.pdf", b"not a pdf at all", content_type="application/pdf")
    reply = client.post(f"{PAGE}upload", {"action": "0", "file": fake}, follow=True)
    assert "PDF" in reply.content.decode()
    settings.GOVLENS_UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4 " + b"x" * 5000, content_type="application/pdf")
    reply = client.post(f"{PAGE}upload", {"action": "0", "file": big}, follow=True)
    assert "1000 bytes" in reply.content.decode()
    missing = SimpleUploadedFile("decree.pdf", PDF, content_type="application/pdf")
    assert client.post(f"{PAGE}upload", {"action": "7", "file": missing}).status_code == 404
    assert not PlanEvidenceFile.objects.exists()
    assert AuditEvent.objects.count() == events and ActionPlan.objects.get().version == 1
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_the_plan_page_lists_files_and_offers_upload_only_to_editors(world: World) -> None:
    with_plan_file(world)
    assert 'name="file"' in _client("focal_arg").get(PAGE).content.decode()
    page = _client("reviewer_arg").get(PAGE).content.decode()
    assert "decree.pdf" in page and 'name="file"' not in page


def test_removing_an_action_on_the_page_keeps_the_others_files_with_them(world: World) -> None:
    from govlens.web.followup.services import plan_evidence_upload, plan_update

    with_register(world)
    first = dict(ACTION, title="Draft the decree")
    plan_update(actor=None, cycle_slug="lac-2026", iso3="ARG", version=0, actions=[first, ACTION])
    upload = SimpleUploadedFile("decree.pdf", PDF, content_type="application/pdf")
    plan_evidence_upload(actor=None, cycle_slug="lac-2026", iso3="ARG", action=1, upload=upload)
    row = {"recommendation": RECOMMENDATION, "status": "in_progress", "due": "2027-12-31"}
    form = {"version": "2", **{f"a0_{k}": v for k, v in row.items()}, "a0_title": "Draft the decree", "a0_delete": "1"}
    form |= {**{f"a1_{k}": v for k, v in row.items()}, "a1_title": "Create the agency, renamed"}
    assert _client("focal_arg").post(f"{PAGE}save", form).status_code == 302
    assert [a["title"] for a in ActionPlan.objects.get().actions] == ["Create the agency, renamed"]
    assert PlanEvidenceFile.objects.get().action == 0
