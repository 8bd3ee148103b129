from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from govlens.web.audit.models import AuditEvent
from govlens.web.errors import Conflict, Invalid, InvalidTransition, NotAllowed, NotFound
from govlens.web.followup.models import ActionPlan, PlanStatus
from govlens.web.followup.selectors import plan_get, register_get
from govlens.web.followup.services import (
    milestone_complete,
    plan_publish,
    plan_review_approve,
    plan_review_request_changes,
    plan_submit,
    plan_update,
    register_import,
)

from ..conftest import World
from .fixtures import ACTION, RECOMMENDATION, RULES, first_release, with_approved_plan, with_plan, with_register


def test_register_is_imported_from_the_cycles_release(world: World) -> None:
    first_release()
    row = register_import(actor=world.users["analyst"], cycle_slug="lac-2026", rules=RULES)
    assert row.release_id == "lac-2026-r1"
    register = register_get(user=world.users["focal_bra"], cycle_slug="lac-2026")
    assert register.ids == (RECOMMENDATION,)
    assert register.get(RECOMMENDATION).countries == ("ARG", "BRA")
    assert register.get(RECOMMENDATION).indicators == ("I1",)
    event = AuditEvent.objects.get(object_type="register")
    assert (event.new, event.actor_username) == ("lac-2026-r1", "analyst")


def test_register_import_is_for_managers_and_needs_a_release(world: World) -> None:
    with pytest.raises(NotAllowed):
        register_import(actor=world.users["reviewer_arg"], cycle_slug="lac-2026", rules=RULES)
    with pytest.raises(NotFound, match="no published release"):
        register_import(actor=None, cycle_slug="lac-2026", rules=RULES)
    with pytest.raises(NotFound, match="no recommendations yet"):
        register_get(user=world.users["analyst"], cycle_slug="lac-2026")


def test_a_focal_point_writes_their_plan_and_every_change_is_audited(world: World) -> None:
    with_register(world)
    focal = world.users["focal_arg"]
    plan = plan_update(actor=focal, cycle_slug="lac-2026", iso3="ARG", version=0, actions=[ACTION])
    assert (plan.version, plan.status) == (1, PlanStatus.DRAFT)  # created empty (0), then written
    changed = [dict(ACTION, status="done", milestones=[{**ACTION["milestones"][0]}])]
    plan = plan_update(actor=focal, cycle_slug="lac-2026", iso3="ARG", version=1, actions=changed)
    fields = list(AuditEvent.objects.filter(object_type="action_plan").values_list("field", "old", "new"))
    assert fields[0] == ("plan", None, "created")
    assert fields[1][0] == "actions[0]" and fields[1][2]["title"] == ACTION["title"]
    assert ("actions[0].status", "in_progress", "done") in fields
    assert any(field == "actions[0].milestones" for field, _, _ in fields)
    assert plan_get(user=world.users["reviewer_arg"], cycle_slug="lac-2026", iso3="ARG").actions[0]["status"] == "done"


def test_a_focal_point_never_writes_or_reads_another_countrys_plan(world: World) -> None:
    with_plan(world)
    with pytest.raises(NotAllowed):
        plan_update(actor=world.users["focal_bra"], cycle_slug="lac-2026", iso3="ARG", version=1, actions=[ACTION])
    with pytest.raises(NotAllowed):
        plan_get(user=world.users["focal_bra"], cycle_slug="lac-2026", iso3="ARG")
    with pytest.raises(NotAllowed):  # reviewers review; they do not write plans
        plan_update(actor=world.users["reviewer_arg"], cycle_slug="lac-2026", iso3="ARG", version=1, actions=[])
    assert ActionPlan.objects.get().version == 1


def test_a_stale_save_is_a_conflict_with_both_documents(world: World) -> None:
    with_plan(world)
    other = [dict(ACTION, title="Another title")]
    with pytest.raises(Conflict) as caught:
        plan_update(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=0, actions=other)
    details = caught.value.details
    assert details["current_version"] == 1 and details["based_on_version"] == 0
    assert details["current"]["actions"][0]["title"] == ACTION["title"]
    assert details["yours"]["actions"][0]["title"] == "Another title"
    with pytest.raises(Conflict):  # a first save must be based on version 0
        plan_update(actor=None, cycle_slug="lac-2026", iso3="BRA", version=3, actions=[ACTION])
    assert ActionPlan.objects.get().actions[0]["title"] == ACTION["title"]


def test_a_bad_plan_is_refused_whole_with_every_problem(world: World) -> None:
    with_plan(world)
    bad = [ACTION, {**ACTION, "recommendation": "nope", "due": "someday"}]
    events = AuditEvent.objects.count()
    with pytest.raises(Invalid) as caught:
        plan_update(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=1, actions=bad)
    fields = {(p["field"], p["code"]) for p in caught.value.problems}
    assert fields == {("actions[1].recommendation", "plan_unknown_recommendation"), ("actions[1].due", "plan_bad_date")}
    assert AuditEvent.objects.count() == events and ActionPlan.objects.get().version == 1


def test_review_request_changes_then_approve(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with_plan(world)
    plan_submit(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=1)
    with pytest.raises(InvalidTransition):  # a submitted plan waits for its reviewer
        plan_update(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=2, actions=[])
    with pytest.raises(NotAllowed):
        plan_review_approve(actor=world.users["reviewer_bra"], cycle_slug="lac-2026", iso3="ARG")
    with pytest.raises(NotAllowed):  # a focal point does not approve their own plan
        plan_review_approve(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG")
    with django_capture_on_commit_callbacks(execute=True):
        plan_review_request_changes(
            actor=world.users["reviewer_arg"], cycle_slug="lac-2026", iso3="ARG", message="Dates?"
        )
    assert mail.outbox[-1].to == ["focal_arg@example.org"] and "Dates?" in mail.outbox[-1].body
    plan = plan_submit(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG")
    plan = plan_review_approve(actor=world.users["reviewer_arg"], cycle_slug="lac-2026", iso3="ARG", version=4)
    assert plan.status == PlanStatus.APPROVED and plan.approved_actions == plan.actions
    statuses = list(AuditEvent.objects.filter(object_type="action_plan", field="status").values_list("new", flat=True))
    assert statuses == ["submitted", "changes_requested", "submitted", "approved"]


def test_editing_an_approved_plan_keeps_the_approved_version(world: World) -> None:
    with_approved_plan(world)
    approved = ActionPlan.objects.get().approved_actions
    changed = [dict(ACTION, status="dropped", reason="Merged with the data agency")]
    plan = plan_update(actor=world.users["focal_arg"], cycle_slug="lac-2026", iso3="ARG", version=3, actions=changed)
    assert plan.status == PlanStatus.DRAFT and plan.approved_actions == approved
    assert plan.actions[0]["status"] == "dropped"


def test_publish_is_for_managers_and_needs_an_approved_version(world: World) -> None:
    with_plan(world)
    with pytest.raises(InvalidTransition, match="no approved version"):
        plan_publish(actor=world.users["analyst"], cycle_slug="lac-2026", iso3="ARG", published=True)
    plan_submit(actor=None, cycle_slug="lac-2026", iso3="ARG")
    plan_review_approve(actor=None, cycle_slug="lac-2026", iso3="ARG")
    with pytest.raises(NotAllowed):
        plan_publish(actor=world.users["reviewer_arg"], cycle_slug="lac-2026", iso3="ARG", published=True)
    assert plan_publish(actor=world.users["analyst"], cycle_slug="lac-2026", iso3="ARG", published=True).published


def test_milestone_complete(world: World) -> None:
    with_plan(world)
    plan = milestone_complete(
        actor=world.users["focal_arg"],
        cycle_slug="lac-2026",
        iso3="ARG",
        version=1,
        action=0,
        milestone=1,
        done_on=dt.date(2027, 5, 1),
    )
    assert plan.actions[0]["milestones"][1]["done_on"] == "2027-05-01"
    with pytest.raises(NotFound):
        milestone_complete(
            actor=None, cycle_slug="lac-2026", iso3="ARG", version=2, action=0, milestone=5, done_on=dt.date.today()
        )
    with pytest.raises(NotAllowed):
        milestone_complete(
            actor=world.users["focal_bra"],
            cycle_slug="lac-2026",
            iso3="ARG",
            version=2,
            action=0,
            milestone=0,
            done_on=dt.date.today(),
        )


def _attach(action: int, name: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govlens.web.followup.services import plan_evidence_upload

    from .fixtures import PDF

    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    plan_evidence_upload(actor=None, cycle_slug="lac-2026", iso3="ARG", action=action, upload=upload)


def test_evidence_files_stay_with_their_action_and_go_with_a_removed_one(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from pathlib import Path

    from govlens.web.followup.models import PlanEvidenceFile

    with_register(world)
    second = dict(ACTION, title="Publish the agency's budget")
    plan_update(actor=None, cycle_slug="lac-2026", iso3="ARG", version=0, actions=[ACTION, second])
    _attach(0, "decree.pdf")
    _attach(1, "budget.pdf")
    kept = Path(PlanEvidenceFile.objects.get(original_name="decree.pdf").file.path)
    removed = Path(PlanEvidenceFile.objects.get(original_name="budget.pdf").file.path)
    # the API's whole document, reordered: each file follows its action (same recommendation and title)
    plan_update(actor=None, cycle_slug="lac-2026", iso3="ARG", version=3, actions=[second, ACTION])
    assert dict(PlanEvidenceFile.objects.values_list("original_name", "action")) == {"decree.pdf": 1, "budget.pdf": 0}
    # the editor's rows: the first one (budget) deleted, the other renamed: its origin says which it was
    renamed = dict(ACTION, title="Create the agency by decree")
    with django_capture_on_commit_callbacks(execute=True):
        plan_update(actor=None, cycle_slug="lac-2026", iso3="ARG", version=4, actions=[renamed], origin=[1])
    assert dict(PlanEvidenceFile.objects.values_list("original_name", "action")) == {"decree.pdf": 0}
    assert kept.is_file() and not removed.exists()
    event = AuditEvent.objects.filter(field="actions[0].evidence_file").order_by("pk").last()
    assert event is not None and event.new is None
    assert event.old == "budget.pdf" and event.note == "action removed"
