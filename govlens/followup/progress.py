"""Progress across cycles: per recommendation of the last review, what each country did (from its approved plan)
and how the linked indicators changed between the two releases.

Changes come from :func:`govlens.analysis.trends.trend_table`, so a framework change between the cycles is a
series break: the change is then left out (``break`` is set), never computed across two different measures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from govlens.analysis.trends import CycleScores, trend_table
from govlens.followup.plans import ActionPlan, ActionStatus, Milestone
from govlens.followup.register import Recommendation, Register
from govlens.release import Release

__all__ = [
    "CountryProgress",
    "IndicatorChange",
    "Progress",
    "RecommendationProgress",
    "indicator_changes",
    "progress_between",
    "progress_of_plans",
]


@dataclass(frozen=True)
class IndicatorChange:
    indicator: str
    before: float | None
    after: float | None
    change: float | None  # None across a series break or where a value is missing
    series_break: bool = False


@dataclass(frozen=True)
class CountryProgress:
    country: str
    has_plan: bool
    statuses: Mapping[str, int]  # action status -> number of actions
    implemented: bool
    overdue: tuple[tuple[str, Milestone], ...]  # (action title, milestone)
    changes: tuple[IndicatorChange, ...] = ()

    @property
    def actions(self) -> int:
        return sum(self.statuses.values())


@dataclass(frozen=True)
class RecommendationProgress:
    recommendation: Recommendation
    countries: tuple[CountryProgress, ...]
    recommended_again: bool | None = None  # None when there is no newer register to compare with

    @property
    def implemented_by(self) -> tuple[str, ...]:
        return tuple(c.country for c in self.countries if c.implemented)

    @property
    def overdue(self) -> int:
        return sum(len(c.overdue) for c in self.countries)


@dataclass(frozen=True)
class Progress:
    previous: Register
    current_release: str | None  # the release the changes are measured to (None: no second cycle yet)
    items: tuple[RecommendationProgress, ...]
    today: dt.date
    synthetic_plans: tuple[str, ...] = ()  # countries whose plans are synthetic (the demo's)
    series_break: bool = False
    by_finding: Mapping[str, tuple[RecommendationProgress, ...]] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        grouped: dict[str, list[RecommendationProgress]] = {}
        for item in self.items:
            grouped.setdefault(item.recommendation.finding, []).append(item)
        object.__setattr__(self, "by_finding", {key: tuple(value) for key, value in grouped.items()})

    def item(self, recommendation_id: str) -> RecommendationProgress:
        for item in self.items:
            if item.recommendation.id == recommendation_id:
                return item
        raise KeyError(recommendation_id)


def _scores(release: Release) -> CycleScores:
    return CycleScores(
        cycle=release.cycle,
        framework_id=release.inputs.framework_id,
        framework_version=release.inputs.framework_version,
        scores=release.results.scores,
        fingerprint=release.inputs.framework_fingerprint,
    )


def _number(value: object) -> float | None:
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def indicator_changes(previous: Release, current: Release) -> dict[tuple[str, str], IndicatorChange]:
    """(country, node) -> the change from ``previous`` to ``current`` for every unit and node of ``current``."""
    if previous.cycle == current.cycle:
        raise ValueError(f"progress needs releases of two cycles; both are of {current.cycle!r}")
    table = trend_table([_scores(previous), _scores(current)])
    rows = table[table["cycle"] == current.cycle]
    found: dict[tuple[str, str], IndicatorChange] = {}
    for unit, node, value, before, change, broken in zip(
        rows["unit"], rows["node"], rows["value"], rows["previous"], rows["change"], rows["break"], strict=True
    ):
        found[(str(unit), str(node))] = IndicatorChange(
            indicator=str(node),
            before=_number(before),
            after=_number(value),
            change=None if broken else _number(change),
            series_break=bool(broken),
        )
    return found


def _country(
    recommendation: Recommendation,
    country: str,
    plan: ActionPlan | None,
    today: dt.date,
    changes: Mapping[tuple[str, str], IndicatorChange] | None,
) -> CountryProgress:
    actions = plan.for_recommendation(recommendation.id) if plan is not None else ()
    statuses = {status.value: sum(1 for a in actions if a.status is status) for status in ActionStatus}
    overdue = tuple((a.title, m) for a in actions for m in a.overdue_milestones(today))
    found: tuple[IndicatorChange, ...] = ()
    if changes is not None:
        found = tuple(
            changes.get((country, node), IndicatorChange(node, None, None, None)) for node in recommendation.indicators
        )
    return CountryProgress(
        country=country,
        has_plan=plan is not None,
        statuses={key: value for key, value in statuses.items() if value},
        implemented=plan.implemented(recommendation.id) if plan is not None else False,
        overdue=overdue,
        changes=found,
    )


def progress_of_plans(
    register: Register, plans: Sequence[ActionPlan], *, today: dt.date, countries: Sequence[str] | None = None
) -> Progress:
    """Plan status and overdue milestones per recommendation, before a second cycle measures anything."""
    return _progress(register, plans, today=today, changes=None, current=None, countries=countries)


def progress_between(
    previous: Release,
    register: Register,
    plans: Sequence[ActionPlan],
    current: Release,
    *,
    today: dt.date,
    current_register: Register | None = None,
    countries: Sequence[str] | None = None,
) -> Progress:
    """Progress on the recommendations of ``previous`` (its ``register``), measured in ``current``; with the
    ``current_register`` each item says whether the recommendation was made again."""
    if register.release_id != previous.id:
        raise ValueError(f"the register is of release {register.release_id}; got release {previous.id}")
    changes = indicator_changes(previous, current)
    return _progress(
        register,
        plans,
        today=today,
        changes=changes,
        current=current,
        countries=countries,
        current_register=current_register,
        series_break=not _scores(previous).comparable_with(_scores(current)),
    )


def _progress(
    register: Register,
    plans: Sequence[ActionPlan],
    *,
    today: dt.date,
    changes: Mapping[tuple[str, str], IndicatorChange] | None,
    current: Release | None,
    countries: Sequence[str] | None,
    current_register: Register | None = None,
    series_break: bool = False,
) -> Progress:
    by_country = {plan.country: plan for plan in plans if plan.cycle == register.cycle}
    wanted = set(countries) if countries is not None else None
    items = []
    for recommendation in register.recommendations:
        addressed = [c for c in recommendation.countries if wanted is None or c in wanted]
        if wanted is not None and not addressed:
            continue
        items.append(
            RecommendationProgress(
                recommendation=recommendation,
                countries=tuple(_country(recommendation, c, by_country.get(c), today, changes) for c in addressed),
                recommended_again=(recommendation.id in current_register) if current_register is not None else None,
            )
        )
    return Progress(
        previous=register,
        current_release=current.id if current is not None else None,
        items=tuple(items),
        today=today,
        synthetic_plans=tuple(sorted(plan.country for plan in by_country.values() if plan.synthetic)),
        series_break=series_break,
    )
