"""Writes of the follow-up: the register imported from a release, action plans (create, update, submit),
their review (request changes, approve), milestones, publication. Every change is in the audit trail.

Permissions are those of responses: a focal point writes only their own country's plan (analysts and
administrators on a country's behalf), the country's reviewers (and managers) review it, managers import the
register and publish. Writes name the version they were based on; a stale one is refused with 409 and both
documents. Unlike answers, plans change after the cycle has closed: following up is what comes after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from govlens import followup as core
from govlens.analysis.narrative import RuleSet, RulesInvalid
from govlens.release import ReleaseError, ReleaseNotFound, list_releases, load_release
from govlens.reports.progress import release_register
from govlens.reports.render import AUTO
from govlens.web.accounts.selectors import Actor, can_edit_response, can_review_response, is_manager
from govlens.web.audit.services import audit_record, audit_record_of
from govlens.web.collection.services import evidence_accepted, evidence_keep
from govlens.web.cycles.selectors import cycle_get
from govlens.web.errors import Conflict, Invalid, InvalidTransition, NotAllowed, NotFound
from govlens.web.followup.models import ActionPlan, CycleRegister, PlanEvidenceFile, PlanStatus
from govlens.web.followup.notifications import notify_plan_focal_points, notify_plan_reviewers
from govlens.web.followup.selectors import PLAN_OBJECT, participant, plan_find, register_of_cycle, register_row
from govlens.web.jobs.services import release_directory


def _audit(actor: Actor, plan: ActionPlan, field: str, old: Any, new: Any, note: str = "") -> None:
    audit_record_of(
        actor, plan, object_type=PLAN_OBJECT, object_id=plan.country.iso3, field=field, old=old, new=new, note=note
    )


def _audit_actions(actor: Actor, plan: ActionPlan, old: Sequence[Any], new: Sequence[Any]) -> int:
    """One event per changed field of an action (a whole action when added or removed); the number written."""
    written = 0
    for index in range(max(len(old), len(new))):
        before = old[index] if index < len(old) else None
        after = new[index] if index < len(new) else None
        if before == after:
            continue
        if before is None or after is None:
            _audit(actor, plan, f"actions[{index}]", before, after)
            written += 1
            continue
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                _audit(actor, plan, f"actions[{index}].{key}", before.get(key), after.get(key))
                written += 1
    return written


def _bump(plan: ActionPlan, fields: Sequence[str] = ()) -> None:
    plan.version += 1
    plan.save(update_fields=["version", "updated_at", *fields])


def _version_check(plan: ActionPlan, version: int | None, yours: Sequence[Any] | None = None) -> None:
    if version is not None and version != plan.version:
        raise Conflict(
            f"the action plan changed since version {version} (it is now version {plan.version})",
            current_version=plan.version,
            based_on=version,
            theirs={"status": plan.status, "actions": plan.actions},
            yours={"actions": list(yours)} if yours is not None else {},
        )


def _lock(*, cycle_slug: str, iso3: str) -> ActionPlan:
    plan = plan_find(cycle_slug=cycle_slug, iso3=iso3, for_update=True)
    if plan is None:
        raise NotFound(f"country '{iso3}' has no action plan in cycle '{cycle_slug}' yet")
    return plan


def _status_set(actor: Actor, plan: ActionPlan, status: PlanStatus, note: str = "") -> None:
    old = plan.status
    plan.status = status.value
    fields = ["status"]
    now = timezone.now()
    if status is PlanStatus.SUBMITTED:
        plan.submitted_at = now
        fields.append("submitted_at")
    if status is PlanStatus.APPROVED:
        plan.approved_at = now
        plan.approved_actions = plan.actions
        fields += ["approved_at", "approved_actions"]
    _bump(plan, fields)
    _audit(actor, plan, "status", old, status.value, note)


# -- the register -------------------------------------------------------------------------------------------------
def register_import(
    *, actor: Actor, cycle_slug: str, release_id: str | None = None, rules: RuleSet | str | None = AUTO
) -> CycleRegister:
    """Take the cycle's recommendations from one of its releases (its newest by default), written by the bundled
    rules of its framework (or ``rules``); managers only. A correction of the release may be imported again: the
    recommendations keep their ids."""
    if actor is not None and not is_manager(actor):
        raise NotAllowed("only analysts and administrators import the recommendations of a release")
    cycle = cycle_get(slug=cycle_slug)
    directory = release_directory()
    if release_id is None:
        ids = [found for found, _ in list_releases(directory) if found.startswith(f"{cycle.slug}-r")]
        if not ids:
            raise NotFound(f"cycle '{cycle.slug}' has no published release to take recommendations from")
        release_id = ids[-1]
    try:
        release = load_release(release_id, directory)
    except ReleaseNotFound as error:
        raise NotFound(str(error)) from None
    except ReleaseError as error:
        raise Invalid(
            f"release {release_id} cannot be read",
            problems=[{"field": "release", "code": p.code, "message": p.message} for p in error.report.errors],
        ) from None
    if release.cycle != cycle.slug:
        raise Invalid(
            f"release {release.id} is of cycle {release.cycle}, not {cycle.slug}",
            problems=[{"field": "release", "code": "release_other_cycle", "message": f"of cycle {release.cycle}"}],
        )
    try:
        register = release_register(release, rules=rules)
    except FileNotFoundError as error:
        raise NotFound(f"no rules file {error.filename or rules!r}") from None
    except RulesInvalid as error:
        raise Invalid(
            "the rules file has problems",
            problems=[{"field": "rules", "code": p.code, "message": str(p)} for p in error.report.errors],
        ) from None
    with transaction.atomic():
        row = register_row(cycle)
        old = row.release_id if row is not None else None
        row, _ = CycleRegister.objects.update_or_create(
            cycle=cycle,
            defaults={"release_id": release.id, "release_hash": release.hash, "data": register.to_dict()},
        )
        audit_record(
            actor=actor,
            object_type="register",
            object_id=cycle.slug,
            field="release",
            old=old,
            new=release.id,
            cycle_slug=cycle.slug,
            note=f"{len(register.recommendations)} recommendation(s)",
        )
    return row


# -- plans --------------------------------------------------------------------------------------------------------
def plan_create(*, actor: Actor, cycle_slug: str, iso3: str, synthetic: bool = False) -> ActionPlan:
    """An empty draft plan for a participating country (its editors only); the existing plan if there is one."""
    cycle = cycle_get(slug=cycle_slug)
    country = participant(cycle, iso3)
    if actor is not None and not can_edit_response(actor, country.iso3):
        raise NotAllowed(f"you may not write the action plan of {country.iso3}")
    register_of_cycle(cycle)  # a plan answers recommendations: none before the register
    with transaction.atomic():
        existing = plan_find(cycle_slug=cycle.slug, iso3=country.iso3, for_update=True)
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                plan = ActionPlan.objects.create(cycle=cycle, country=country, synthetic=synthetic)
        except IntegrityError:  # created by a concurrent request between the look-up and the insert
            return _lock(cycle_slug=cycle.slug, iso3=country.iso3)
        _audit(actor, plan, "plan", None, "created", "synthetic" if synthetic else "")
    return plan


def _files_follow(
    actor: Actor, plan: ActionPlan, old: Sequence[Any], new: Sequence[Any], origin: Sequence[int] | None
) -> None:
    """Keep each evidence file with its action when actions are removed or reordered. ``origin`` (the editor's)
    gives, for each new action, the index it had; without it an action is the one with the same recommendation
    and title, else the one still in its place. The files of a removed action go with it (audited)."""
    files = list(plan.files.all())
    if not files:
        return
    target: dict[int, int] = {}
    if origin is not None:
        target = {before: after for after, before in enumerate(origin) if 0 <= before < len(old)}
    else:
        free = list(range(len(new)))
        for before, item in enumerate(old):
            key = (item.get("recommendation"), item.get("title"))
            found = next((j for j in free if (new[j].get("recommendation"), new[j].get("title")) == key), None)
            if found is not None:
                target[before] = found
                free.remove(found)
        for before in range(len(old)):
            if before not in target and before in free:
                target[before] = before
                free.remove(before)
    for item in files:
        after = target.get(item.action)
        if after is None:
            _audit(actor, plan, f"actions[{item.action}].evidence_file", item.original_name, None, "action removed")
            stored = item.file.name
            storage = item.file.storage
            item.delete()
            transaction.on_commit(lambda name=stored, where=storage: where.delete(name))  # not before it is final
        elif after != item.action:
            item.action = after
            item.save(update_fields=["action"])


def plan_update(
    *,
    actor: Actor,
    cycle_slug: str,
    iso3: str,
    version: int,
    actions: object,
    origin: Sequence[int] | None = None,
) -> ActionPlan:
    """Replace the plan's actions (with their milestones) by ``actions``, based on ``version`` (0 for a plan not
    yet started). Every problem is refused at once (422) and nothing is written; a stale version is a 409. Editing
    an approved plan makes it a draft again; its approved version stays what the public and the report show.
    ``origin``: for each action, its index in the plan as it was (the page's editor knows; see _files_follow)."""
    cycle = cycle_get(slug=cycle_slug)
    country = participant(cycle, iso3)
    if actor is not None and not can_edit_response(actor, country.iso3):
        raise NotAllowed(f"you may not write the action plan of {country.iso3}")
    register = register_of_cycle(cycle)
    checked, problems = core.plan_from_data(actions, cycle=cycle.slug, country=country.iso3, register=register)
    if checked is None:
        raise Invalid(
            f"{len(problems)} problem(s) in the action plan; nothing was saved",
            problems=[p.to_dict() for p in problems],
        )
    document = checked.to_dict()["actions"]
    with transaction.atomic():
        plan = plan_find(cycle_slug=cycle.slug, iso3=country.iso3, for_update=True)
        if plan is None:
            if version != 0:
                raise Conflict(
                    f"the action plan of {country.iso3} has not been started; a first save is based on version 0",
                    current_version=0,
                    based_on=version,
                    theirs={"status": PlanStatus.DRAFT.value, "actions": []},
                    yours={"actions": document},
                )
            plan = plan_create(actor=actor, cycle_slug=cycle.slug, iso3=country.iso3)
        _version_check(plan, version, document)
        if not plan.editable:
            raise InvalidTransition(f"the action plan of {country.iso3} is {plan.status}: it waits for its reviewer")
        old = list(plan.actions)
        if old == document:
            return plan
        plan.actions = document
        fields = ["actions"]
        if plan.status == PlanStatus.APPROVED:
            plan.status = PlanStatus.DRAFT.value
            fields.append("status")
            _audit(actor, plan, "status", PlanStatus.APPROVED.value, PlanStatus.DRAFT.value, "edited after approval")
        _bump(plan, fields)
        _audit_actions(actor, plan, old, document)
        _files_follow(actor, plan, old, document, origin)
    return plan


def plan_submit(*, actor: Actor, cycle_slug: str, iso3: str, version: int | None = None) -> ActionPlan:
    """Send the plan (and the status changes in it) to the country's reviewers."""
    with transaction.atomic():
        plan = _lock(cycle_slug=cycle_slug, iso3=iso3)
        if actor is not None and not can_edit_response(actor, plan.country.iso3):
            raise NotAllowed(f"you may not submit the action plan of {plan.country.iso3}")
        if plan.status not in (PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED):
            raise InvalidTransition(
                f"only a draft plan or one with changes requested can be submitted; this one is {plan.status}"
            )
        _version_check(plan, version)
        if not plan.actions:
            raise Invalid(
                "an empty plan cannot be submitted",
                problems=[{"field": "actions", "code": "plan_empty", "message": "add at least one action"}],
            )
        _status_set(actor, plan, PlanStatus.SUBMITTED)
        notice = gettext("An action plan was submitted for review.")
        transaction.on_commit(lambda: notify_plan_reviewers(plan, notice))
    return plan


def _reviewable(actor: Actor, plan: ActionPlan, version: int | None, verb: str) -> None:
    if actor is not None and not can_review_response(actor, plan.country.iso3):
        raise NotAllowed(f"you may not review the action plan of {plan.country.iso3}")
    if plan.status != PlanStatus.SUBMITTED:
        raise InvalidTransition(f"only a submitted plan can be {verb}; this one is {plan.status}")
    _version_check(plan, version)


def plan_review_request_changes(
    *, actor: Actor, cycle_slug: str, iso3: str, message: str, version: int | None = None
) -> ActionPlan:
    """Send a submitted plan back to the country with what to change; its focal points are told."""
    body = message.strip()
    if not body:
        raise Invalid(
            "a change request needs a text",
            problems=[{"field": "message", "code": "missing_text", "message": "say what should change"}],
        )
    with transaction.atomic():
        plan = _lock(cycle_slug=cycle_slug, iso3=iso3)
        _reviewable(actor, plan, version, "sent back")
        _status_set(actor, plan, PlanStatus.CHANGES_REQUESTED, note=body)
        notice = gettext("Changes requested on the action plan: %(request)s") % {"request": body}
        transaction.on_commit(lambda: notify_plan_focal_points(plan, notice))
    return plan


def plan_review_approve(
    *, actor: Actor, cycle_slug: str, iso3: str, version: int | None = None, note: str = ""
) -> ActionPlan:
    """Approve a submitted plan: its actions and their statuses become the plan's approved version."""
    with transaction.atomic():
        plan = _lock(cycle_slug=cycle_slug, iso3=iso3)
        _reviewable(actor, plan, version, "approved")
        _status_set(actor, plan, PlanStatus.APPROVED, note=note.strip())
        notice = gettext("Your action plan was approved.")
        transaction.on_commit(lambda: notify_plan_focal_points(plan, notice))
    return plan


def plan_publish(*, actor: Actor, cycle_slug: str, iso3: str, published: bool) -> ActionPlan:
    """Show (or stop showing) the plan's approved version on the public follow-up page; managers only."""
    with transaction.atomic():
        plan = _lock(cycle_slug=cycle_slug, iso3=iso3)
        if actor is not None and not is_manager(actor):
            raise NotAllowed("only analysts and administrators choose what the public follow-up page shows")
        if published and plan.approved_actions is None:
            raise InvalidTransition(f"the action plan of {plan.country.iso3} has no approved version to publish")
        if plan.published != published:
            plan.published = published
            _bump(plan, ["published"])
            _audit(actor, plan, "published", not published, published)
    return plan


def plan_evidence_upload(
    *, actor: Actor, cycle_slug: str, iso3: str, action: int, upload: UploadedFile
) -> PlanEvidenceFile:
    """Attach a file to action ``action`` of the plan, with the checks of an answer's evidence file (type, size,
    content), by those who may write the plan; audited, and the plan's version moves on."""
    accepted = evidence_accepted(upload, question=f"actions[{action}]")
    if actor is not None and not can_edit_response(actor, iso3.upper()):
        raise NotAllowed(f"you may not write the action plan of {iso3.upper()}")
    with transaction.atomic():
        plan = _lock(cycle_slug=cycle_slug, iso3=iso3)
        if not plan.editable:
            raise InvalidTransition(
                f"the action plan of {plan.country.iso3} is {plan.status}: it waits for its reviewer"
            )
        if not 0 <= action < len(plan.actions):
            raise NotFound(f"the action plan of {plan.country.iso3} has no action {action}")
        evidence = evidence_keep(PlanEvidenceFile(plan=plan, action=action), upload, accepted, actor=actor)
        _audit(actor, plan, f"actions[{action}].evidence_file", None, evidence.original_name)
        _bump(plan)
    return evidence


def milestone_complete(
    *, actor: Actor, cycle_slug: str, iso3: str, version: int, action: int, milestone: int, done_on: dt.date
) -> ActionPlan:
    """Record the day a milestone was reached (a plan update of one field, with the same checks)."""
    if actor is not None and not can_edit_response(actor, iso3.upper()):
        raise NotAllowed(f"you may not write the action plan of {iso3.upper()}")
    plan = plan_find(cycle_slug=cycle_slug, iso3=iso3)
    if plan is None:
        raise NotFound(f"country '{iso3}' has no action plan in cycle '{cycle_slug}' yet")
    actions = [dict(item, milestones=[dict(m) for m in item.get("milestones", [])]) for item in plan.actions]
    try:
        target = actions[action]["milestones"][milestone]
    except IndexError:
        raise NotFound(
            f"the action plan of {plan.country.iso3} has no milestone {milestone} in action {action}"
        ) from None
    target["done_on"] = done_on.isoformat()
    return plan_update(actor=actor, cycle_slug=cycle_slug, iso3=iso3, version=version, actions=actions)


def plan_import(
    *, actor: Actor, cycle_slug: str, plan: core.ActionPlan, approve: bool = False, publish: bool = False
) -> ActionPlan:
    """Write a whole plan (a file, the demo's synthetic plans) over the country's plan through the same checks as
    an edit; with ``approve`` it is submitted and approved at once (reviewers' rights needed), with ``publish``
    shown on the public page. A synthetic plan stays marked synthetic."""
    actions = plan.to_dict()["actions"]
    with transaction.atomic():
        row = plan_create(actor=actor, cycle_slug=cycle_slug, iso3=plan.country, synthetic=plan.synthetic)
        if row.synthetic != plan.synthetic:
            row.synthetic = plan.synthetic
            _bump(row, ["synthetic"])
            _audit(actor, row, "synthetic", not plan.synthetic, plan.synthetic)
        if row.status == PlanStatus.SUBMITTED:
            row = plan_review_request_changes(
                actor=actor, cycle_slug=cycle_slug, iso3=plan.country, message="Replaced by an imported plan"
            )
        row = plan_update(actor=actor, cycle_slug=cycle_slug, iso3=plan.country, version=row.version, actions=actions)
        if approve and row.status != PlanStatus.APPROVED:
            plan_submit(actor=actor, cycle_slug=cycle_slug, iso3=plan.country)
            row = plan_review_approve(actor=actor, cycle_slug=cycle_slug, iso3=plan.country, note="imported")
        if publish:
            row = plan_publish(actor=actor, cycle_slug=cycle_slug, iso3=plan.country, published=True)
    return row
