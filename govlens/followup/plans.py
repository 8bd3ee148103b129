"""National action plans: the actions a country takes on the recommendations addressed to it, with milestones.

An action answers one recommendation of the register: who is responsible, when it starts and is due, its
milestones, the effect expected on the indicators, its status (planned / in progress / done / dropped, a dropped
action says why) and its evidence (links). :func:`plan_from_data` reads a plan from plain data (a form, the API,
a JSON file) and collects every problem, each naming its field (``actions[0].milestones[1].due``), so a bad plan
is refused whole with all its problems at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from govlens.followup.register import Register

__all__ = [
    "MAX_ACTIONS",
    "MAX_MILESTONES",
    "MAX_TEXT",
    "Action",
    "ActionPlan",
    "ActionStatus",
    "Milestone",
    "PlanProblem",
    "plan_from_data",
]

MAX_ACTIONS = 200
MAX_MILESTONES = 50  # per action
MAX_TEXT = 4000
MAX_URLS = 20


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True)
class PlanProblem:
    field: str  # where: "actions[0].due"
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class Milestone:
    title: str
    due: dt.date
    done_on: dt.date | None = None

    def overdue(self, today: dt.date) -> bool:
        return self.done_on is None and self.due < today

    def due_within(self, today: dt.date, days: int) -> bool:
        """Not done and due between today and ``days`` days from now (inclusive)."""
        return self.done_on is None and today <= self.due <= today + dt.timedelta(days=days)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "due": self.due.isoformat(),
            "done_on": self.done_on.isoformat() if self.done_on else None,
        }


@dataclass(frozen=True)
class Action:
    recommendation: str  # a recommendation id of the register
    title: str
    institution: str = ""
    start: dt.date | None = None
    due: dt.date | None = None
    status: ActionStatus = ActionStatus.PLANNED
    reason: str = ""  # why it was dropped
    expected_effect: str = ""  # the effect expected on the recommendation's indicators
    evidence_urls: tuple[str, ...] = ()
    milestones: tuple[Milestone, ...] = ()

    def overdue_milestones(self, today: dt.date) -> tuple[Milestone, ...]:
        if self.status in (ActionStatus.DONE, ActionStatus.DROPPED):
            return ()
        return tuple(m for m in self.milestones if m.overdue(today))

    def to_dict(self) -> dict[str, Any]:
        return {
            "recommendation": self.recommendation,
            "title": self.title,
            "institution": self.institution,
            "start": self.start.isoformat() if self.start else None,
            "due": self.due.isoformat() if self.due else None,
            "status": self.status.value,
            "reason": self.reason,
            "expected_effect": self.expected_effect,
            "evidence_urls": list(self.evidence_urls),
            "milestones": [m.to_dict() for m in self.milestones],
        }


@dataclass(frozen=True)
class ActionPlan:
    """One country's plan in one cycle (the cycle whose recommendations it answers)."""

    cycle: str
    country: str
    actions: tuple[Action, ...] = ()
    synthetic: bool = False  # made up by the demo, never a country's own plan
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def for_recommendation(self, recommendation_id: str) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.recommendation == recommendation_id)

    def implemented(self, recommendation_id: str) -> bool:
        """Every action taken on the recommendation is done (and at least one was done; dropped ones don't count)."""
        actions = [a for a in self.for_recommendation(recommendation_id) if a.status is not ActionStatus.DROPPED]
        return bool(actions) and all(a.status is ActionStatus.DONE for a in actions)

    def overdue_milestones(self, today: dt.date) -> list[tuple[Action, Milestone]]:
        return [(a, m) for a in self.actions for m in a.overdue_milestones(today)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "country": self.country,
            "synthetic": self.synthetic,
            "actions": [a.to_dict() for a in self.actions],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActionPlan:
        """A plan written by :meth:`to_dict` (trusted data: a stored plan, a demo file); refused if malformed."""
        plan, problems = plan_from_data(data.get("actions", []), cycle=str(data["cycle"]), country=str(data["country"]))
        if plan is None:
            raise ValueError("; ".join(f"{p.field}: {p.message}" for p in problems))
        synthetic = bool(data.get("synthetic", False))
        return ActionPlan(cycle=plan.cycle, country=plan.country, actions=plan.actions, synthetic=synthetic)


# -- reading and checking a plan ----------------------------------------------------------------------------------
class _Problems:
    def __init__(self) -> None:
        self.found: list[PlanProblem] = []

    def add(self, where: str, code: str, message: str) -> None:
        self.found.append(PlanProblem(where, code, message))


def _text(value: object, where: str, problems: _Problems, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.add(where, "plan_not_text", f"must be text; got {type(value).__name__}")
        return ""
    text = value.strip()
    if required and not text:
        problems.add(where, "plan_missing", "is required")
    if len(text) > MAX_TEXT:
        problems.add(where, "plan_too_long", f"may be at most {MAX_TEXT} characters; got {len(text)}")
    bad = next((c for c in text if ord(c) < 32 and c not in "\n\t\r"), None)
    if bad is not None:
        problems.add(where, "plan_control_character", f"contains the control character U+{ord(bad):04X}")
    return text


def _date(value: object, where: str, problems: _Problems, *, required: bool = False) -> dt.date | None:
    if value is None or value == "":
        if required:
            problems.add(where, "plan_missing", "is required (a date, YYYY-MM-DD)")
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.add(where, "plan_bad_date", f"must be a date YYYY-MM-DD; got {value!r}")
    return None


def _urls(value: object, where: str, problems: _Problems) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = value.split() if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        problems.add(where, "plan_bad_links", f"must be a list of links; got {type(value).__name__}")
        return ()
    if len(items) > MAX_URLS:
        problems.add(where, "plan_too_many", f"may list at most {MAX_URLS} links; got {len(items)}")
    urls = []
    for i, item in enumerate(items):
        text = item.strip() if isinstance(item, str) else ""
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
            problems.add(f"{where}[{i}]", "plan_bad_link", f"must be an http(s) link; got {item!r}")
            continue
        urls.append(text)
    return tuple(urls)


def _milestones(value: object, where: str, problems: _Problems) -> tuple[Milestone, ...]:
    if value is None:
        return ()
    if not isinstance(value, (list, tuple)):
        problems.add(where, "plan_bad_list", f"must be a list; got {type(value).__name__}")
        return ()
    if len(value) > MAX_MILESTONES:
        problems.add(where, "plan_too_many", f"may hold at most {MAX_MILESTONES} milestones; got {len(value)}")
    found = []
    for i, raw in enumerate(value):
        here = f"{where}[{i}]"
        if not isinstance(raw, Mapping):
            problems.add(here, "plan_bad_item", f"must be an object; got {type(raw).__name__}")
            continue
        title = _text(raw.get("title"), f"{here}.title", problems, required=True)
        due = _date(raw.get("due"), f"{here}.due", problems, required=True)
        done_on = _date(raw.get("done_on"), f"{here}.done_on", problems)
        if due is not None:
            found.append(Milestone(title=title, due=due, done_on=done_on))
    return tuple(found)


def _status(value: object, where: str, problems: _Problems) -> ActionStatus:
    allowed = [s.value for s in ActionStatus]
    if value is None or value == "":
        return ActionStatus.PLANNED
    if value not in allowed:
        problems.add(where, "plan_bad_status", f"must be one of {{{', '.join(allowed)}}}; got {value!r}")
        return ActionStatus.PLANNED
    return ActionStatus(str(value))


def plan_from_data(
    actions: object,
    *,
    cycle: str,
    country: str,
    register: Register | None = None,
    synthetic: bool = False,
) -> tuple[ActionPlan | None, list[PlanProblem]]:
    """A plan from a list of action objects, or None and every problem found. With a ``register``, each action
    must answer a recommendation of it that is addressed to ``country``."""
    problems = _Problems()
    if not isinstance(actions, (list, tuple)):
        problems.add("actions", "plan_bad_list", f"must be a list of actions; got {type(actions).__name__}")
        return None, problems.found
    if len(actions) > MAX_ACTIONS:
        problems.add("actions", "plan_too_many", f"a plan may hold at most {MAX_ACTIONS} actions; got {len(actions)}")
    found: list[Action] = []
    for i, raw in enumerate(actions):
        where = f"actions[{i}]"
        if not isinstance(raw, Mapping):
            problems.add(where, "plan_bad_item", f"must be an object; got {type(raw).__name__}")
            continue
        recommendation = _text(raw.get("recommendation"), f"{where}.recommendation", problems, required=True)
        if register is not None and recommendation:
            if recommendation not in register:
                problems.add(
                    f"{where}.recommendation",
                    "plan_unknown_recommendation",
                    f"must be a recommendation of release {register.release_id}; got {recommendation!r}",
                )
            elif not register.get(recommendation).addressed_to(country):
                problems.add(
                    f"{where}.recommendation",
                    "plan_not_addressed",
                    f"recommendation {recommendation!r} is not addressed to {country}",
                )
        title = _text(raw.get("title"), f"{where}.title", problems, required=True)
        start = _date(raw.get("start"), f"{where}.start", problems)
        due = _date(raw.get("due"), f"{where}.due", problems)
        if start is not None and due is not None and due < start:
            problems.add(f"{where}.due", "plan_due_before_start", f"is {due}, before the start {start}")
        status = _status(raw.get("status"), f"{where}.status", problems)
        reason = _text(raw.get("reason"), f"{where}.reason", problems)
        if status is ActionStatus.DROPPED and not reason:
            problems.add(f"{where}.reason", "plan_drop_reason", "a dropped action needs the reason it was dropped")
        milestones = _milestones(raw.get("milestones"), f"{where}.milestones", problems)
        if status is ActionStatus.DONE and any(m.done_on is None for m in milestones):
            problems.add(f"{where}.status", "plan_done_open_milestone", "is done, but a milestone has no done date")
        found.append(
            Action(
                recommendation=recommendation,
                title=title,
                institution=_text(raw.get("institution"), f"{where}.institution", problems),
                start=start,
                due=due,
                status=status,
                reason=reason,
                expected_effect=_text(raw.get("expected_effect"), f"{where}.expected_effect", problems),
                evidence_urls=_urls(raw.get("evidence_urls"), f"{where}.evidence_urls", problems),
                milestones=milestones,
            )
        )
    if problems.found:
        return None, problems.found
    return ActionPlan(cycle=cycle, country=country.upper(), actions=tuple(found), synthetic=synthetic), []
