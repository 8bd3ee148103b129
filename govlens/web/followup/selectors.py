"""Reads of the follow-up, permission-checked: the register, the plans, and the progress they show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from govlens import followup as core
from govlens.release import Release, list_releases
from govlens.web.accounts.selectors import AnyUser, can_view_response, is_manager, visible_countries
from govlens.web.audit.models import AuditEvent
from govlens.web.cycles.models import Country, Cycle
from govlens.web.cycles.selectors import cycle_get, cycles_visible
from govlens.web.errors import NotAllowed, NotFound
from govlens.web.followup.models import ActionPlan, CycleRegister, PlanEvidenceFile, PlanStatus
from govlens.web.jobs.services import release_directory
from govlens.web.publish.selectors import ReleaseUnavailable, release_get

PLAN_OBJECT = "action_plan"  # the object type of a plan's audit events


def register_row(cycle: Cycle) -> CycleRegister | None:
    return CycleRegister.objects.filter(cycle=cycle).first()


def register_of_cycle(cycle: Cycle) -> core.Register:
    """The cycle's register; NotFound before an analyst has imported one from a release."""
    row = register_row(cycle)
    if row is None:
        raise NotFound(f"cycle '{cycle.slug}' has no recommendations yet: an analyst imports them from a release")
    return core.Register.from_dict(row.data)


def register_get(*, user: AnyUser | None, cycle_slug: str) -> core.Register:
    """The register of a cycle the user takes part in (every signed-in participant may read it)."""
    cycle = cycle_get(slug=cycle_slug)
    if not cycles_visible(user=user).filter(pk=cycle.pk).exists():
        raise NotFound(f"no cycle called '{cycle_slug}'")
    return register_of_cycle(cycle)


def plan_find(*, cycle_slug: str, iso3: str, for_update: bool = False) -> ActionPlan | None:
    """The stored plan of ``iso3`` (None if it has none yet); no permission is checked here."""
    rows = ActionPlan.objects.select_related("cycle", "country")
    if for_update:
        rows = rows.select_for_update(of=("self",))
    return rows.filter(cycle__slug=cycle_slug, country__iso3=iso3.upper()).first()


def participant(cycle: Cycle, iso3: str) -> Country:
    """The country of a cycle; NotFound if it does not take part."""
    country = cycle.countries.filter(iso3=iso3.upper()).first()
    if country is None:
        raise NotFound(f"country '{iso3}' does not take part in cycle '{cycle.slug}'")
    return country


@dataclass(frozen=True)
class PlanView:
    """A country's plan as its readers see it: a plan not yet started is an empty draft at version 0."""

    cycle: Cycle
    country: Country
    row: ActionPlan | None

    @property
    def status(self) -> str:
        return self.row.status if self.row is not None else PlanStatus.DRAFT.value

    @property
    def version(self) -> int:
        return self.row.version if self.row is not None else 0

    @property
    def actions(self) -> list[dict[str, Any]]:
        return list(self.row.actions) if self.row is not None else []

    @property
    def approved_actions(self) -> list[dict[str, Any]] | None:
        return list(self.row.approved_actions) if self.row is not None and self.row.approved_actions else None

    @property
    def published(self) -> bool:
        return self.row.published if self.row is not None else False

    @property
    def synthetic(self) -> bool:
        return self.row.synthetic if self.row is not None else False

    @property
    def editable(self) -> bool:
        return self.row.editable if self.row is not None else True


def plan_get(*, user: AnyUser | None, cycle_slug: str, iso3: str) -> PlanView:
    """The plan of ``iso3``: NotFound for an unknown cycle or country, NotAllowed for a user who may not read it
    (the rule of responses: the country's focal points and reviewers, analysts and administrators)."""
    cycle = cycle_get(slug=cycle_slug)
    country = participant(cycle, iso3)
    if not can_view_response(user, country.iso3):
        raise NotAllowed(f"you may not read the action plan of {country.iso3}")
    return PlanView(cycle=cycle, country=country, row=plan_find(cycle_slug=cycle.slug, iso3=country.iso3))


def plan_files(plan: PlanView) -> dict[int, list[PlanEvidenceFile]]:
    """The plan's evidence files by action index."""
    files: dict[int, list[PlanEvidenceFile]] = {}
    if plan.row is not None:
        for item in plan.row.files.all():
            files.setdefault(item.action, []).append(item)
    return files


def plan_file_get(*, user: AnyUser | None, cycle_slug: str, iso3: str, file_id: int) -> PlanEvidenceFile:
    """One evidence file of a plan, for those who may read the plan (NotAllowed, NotFound otherwise)."""
    plan = plan_get(user=user, cycle_slug=cycle_slug, iso3=iso3)
    found = PlanEvidenceFile.objects.filter(pk=file_id, plan=plan.row).first() if plan.row is not None else None
    if found is None:
        raise NotFound(f"the action plan of {plan.country.iso3} has no file {file_id}")
    return found


def plan_events(plan: PlanView) -> QuerySet[AuditEvent]:
    """The audit trail of a plan, oldest first."""
    events = AuditEvent.objects.filter(cycle_slug=plan.cycle.slug, country=plan.country.iso3, object_type=PLAN_OBJECT)
    return events.order_by("at", "id")


def plans_visible(*, user: AnyUser | None, cycle_slug: str) -> QuerySet[ActionPlan]:
    plans = ActionPlan.objects.select_related("cycle", "country").filter(cycle__slug=cycle_slug)
    if not is_manager(user):
        plans = plans.filter(country__in=visible_countries(user))
    return plans.order_by("country__iso3")


def core_plan(row: ActionPlan, *, approved: bool = True) -> core.ActionPlan | None:
    """The row as a core plan: its last approved actions (``approved``) or its current ones; None if the plan was
    never approved and ``approved`` is asked."""
    actions = row.approved_actions if approved else row.actions
    if approved and actions is None:
        return None
    plan, problems = core.plan_from_data(actions or [], cycle=row.cycle.slug, country=row.country.iso3)
    if plan is None:  # stored plans were checked on the way in; a failure here is a bug worth seeing
        raise ValueError(f"stored plan {row} is invalid: {problems}")
    return core.ActionPlan(cycle=plan.cycle, country=plan.country, actions=plan.actions, synthetic=row.synthetic)


# -- progress -----------------------------------------------------------------------------------------------------
def _release(release_id: str) -> Release | None:
    try:
        return release_get(release_id)
    except ReleaseUnavailable:
        return None


def later_release(register: core.Register) -> Release | None:
    """The newest release of a later cycle of the same framework (what the progress is measured in), if any."""
    listed = list_releases(release_directory())
    created = dict(listed)
    since = created.get(register.release_id)
    if since is None:
        return None
    for release_id, when in reversed(listed):
        if when <= since or release_id == register.release_id:
            continue
        found = _release(release_id)
        if found is not None and found.cycle != register.cycle and found.inputs.framework_id == register.framework_id:
            return found
    return None


def progress_of(
    cycle: Cycle,
    plans: list[ActionPlan],
    *,
    countries: list[str] | None = None,
    today: dt.date | None = None,
    approved: bool = True,
) -> core.Progress:
    """Progress on the cycle's recommendations: plan status and overdue milestones and, once a later cycle has a
    release, the change in the linked indicators."""
    register = register_of_cycle(cycle)
    day = today or timezone.localdate()
    found = [plan for row in plans if (plan := core_plan(row, approved=approved)) is not None]
    previous = _release(register.release_id)
    current = later_release(register) if previous is not None else None
    if previous is not None and current is not None:
        return core.progress_between(previous, register, found, current, today=day, countries=countries)
    return core.progress_of_plans(register, found, today=day, countries=countries)


def monitoring_get(*, user: AnyUser | None, cycle_slug: str, iso3: str | None = None) -> core.Progress:
    """The progress page of a cycle (every country the user may see) or of one country (its readers only). Pages
    show the plans as they stand; the report and the public page show the approved ones."""
    cycle = cycle_get(slug=cycle_slug)
    if not cycles_visible(user=user).filter(pk=cycle.pk).exists():
        raise NotFound(f"no cycle called '{cycle_slug}'")
    if iso3 is not None:
        country = participant(cycle, iso3)
        if not can_view_response(user, country.iso3):
            raise NotAllowed(f"you may not read the action plan of {country.iso3}")
        codes = [country.iso3]
    else:
        codes = sorted(cycle.countries.values_list("iso3", flat=True))
        if not is_manager(user):
            mine = set(visible_countries(user).values_list("iso3", flat=True))
            codes = [code for code in codes if code in mine]
    rows = list(plans_visible(user=user, cycle_slug=cycle.slug).filter(country__iso3__in=codes))
    return progress_of(cycle, rows, countries=codes, approved=False)


# -- the public page ----------------------------------------------------------------------------------------------
def published_plans(*, iso3: str | None = None, cycle_slug: str | None = None) -> list[ActionPlan]:
    """Plans analysts published that have an approved version, newest cycle first."""
    rows = ActionPlan.objects.select_related("cycle", "country").filter(published=True, approved_actions__isnull=False)
    if iso3 is not None:
        rows = rows.filter(country__iso3=iso3.upper())
    if cycle_slug is not None:
        rows = rows.filter(cycle__slug=cycle_slug)
    return list(rows.order_by("-cycle__created_at", "cycle__slug", "country__iso3"))


def published_core_plans(*, cycle_slug: str | None = None) -> list[core.ActionPlan]:
    """The approved versions of the published plans (of one cycle), as core plans for the exports."""
    return [plan for row in published_plans(cycle_slug=cycle_slug) if (plan := core_plan(row)) is not None]


def follow_up_of(release: Release, *, today: dt.date | None = None) -> core.Progress | None:
    """The progress a new release measures: on the register of the latest earlier cycle of the same framework
    (its release older than this one), with that cycle's approved plans; None when there is no such cycle."""
    candidates = []
    for row in CycleRegister.objects.select_related("cycle").exclude(cycle__slug=release.cycle):
        previous = _release(row.release_id)
        if (
            previous is not None
            and previous.inputs.framework_id == release.inputs.framework_id
            and previous.created < release.created
        ):
            candidates.append((previous.created, row, previous))
    if not candidates:
        return None
    _, row, previous = max(candidates, key=lambda item: item[0])
    register = core.Register.from_dict(row.data)
    plans = [plan for plan_row in row.cycle.action_plans.all() if (plan := core_plan(plan_row)) is not None]
    return core.progress_between(previous, register, plans, release, today=today or timezone.localdate())
