"""Synthetic follow-up for the demo: action plans made up from a seed, and the next cycle's answers they lead to.

Every plan made here is marked ``synthetic``: it is nobody's plan. The next cycle's answers are the last ones
with one change: where a plan reports a recommendation implemented, the country now gives the answer the
recommendation's rule counts as having the practice, so the progress section and the trend have a real change to
show, and the recommendations no country still needs drop out of the next review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np

from govlens.analysis.narrative import RuleSet
from govlens.followup.plans import Action, ActionPlan, ActionStatus, Milestone
from govlens.followup.register import Register
from govlens.framework.model import Framework, QuestionType

__all__ = ["improved_answers", "synthetic_plans"]

# statuses of the synthetic actions and how often each is drawn
_STATUSES = (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.PLANNED, ActionStatus.DROPPED)
_WEIGHTS = (0.45, 0.3, 0.15, 0.1)
_INSTITUTIONS = (
    "Digital government agency",
    "Ministry of Finance",
    "Office of the President",
    "Ministry of Public Administration",
)


def synthetic_plans(
    register: Register, countries: Sequence[str], *, seed: int, start: dt.date, most: int = 6
) -> list[ActionPlan]:
    """One synthetic plan per country (of those the register addresses), with an action on each of the (at most
    ``most``) recommendations addressed to it: a status drawn from the seed, two milestones, dates from ``start``."""
    rng = np.random.default_rng(seed)
    plans = []
    for country in countries:
        actions = []
        for recommendation in register.for_country(country)[:most]:
            status = _STATUSES[int(rng.choice(len(_STATUSES), p=_WEIGHTS))]
            begin = start + dt.timedelta(days=int(rng.integers(0, 60)))
            first = Milestone(
                "Plan adopted (synthetic)",
                begin + dt.timedelta(days=90),
                begin + dt.timedelta(days=80) if status in (ActionStatus.DONE, ActionStatus.IN_PROGRESS) else None,
            )
            second = Milestone(
                "Measure in force (synthetic)",
                begin + dt.timedelta(days=int(rng.integers(240, 420))),
                begin + dt.timedelta(days=300) if status is ActionStatus.DONE else None,
            )
            text = recommendation.in_language("en")
            actions.append(
                Action(
                    recommendation=recommendation.id,
                    title=f"Synthetic action: {text[:140]}",
                    institution=_INSTITUTIONS[int(rng.integers(len(_INSTITUTIONS)))],
                    start=begin,
                    due=begin + dt.timedelta(days=540),
                    status=status,
                    reason="Merged into another action (synthetic)" if status is ActionStatus.DROPPED else "",
                    expected_effect=f"Progress on {', '.join(recommendation.indicators) or 'the finding'}",
                    milestones=(first, second),
                )
            )
        if actions:
            plans.append(ActionPlan(cycle=register.cycle, country=country, actions=tuple(actions), synthetic=True))
    return plans


def improved_answers(
    answers: Mapping[str, Mapping[str, object]],
    plans: Sequence[ActionPlan],
    rules: RuleSet,
    framework: Framework,
) -> dict[str, dict[str, object]]:
    """The answers of the next cycle: a copy of ``answers`` where each country gives, for every recommendation its
    plan reports implemented, the answers the rule counts (yes/no and single choices take the rule's first
    option; multiple choices add the rule's options). Rules on indicators or numbers are left as they were."""
    found = {unit: dict(given) for unit, given in answers.items()}
    for plan in plans:
        row = found.get(plan.country)
        if row is None:
            continue
        for recommendation in {action.recommendation for action in plan.actions}:
            if not plan.implemented(recommendation):
                continue
            try:
                rule = rules.rule(recommendation)
            except KeyError:
                continue
            if not rule.options:
                continue
            for name in rule.questions:
                question = framework.question(name)
                if question.type is QuestionType.SELECT_MULTIPLE:
                    before = row.get(name)
                    if isinstance(before, str):
                        chosen = before.split()
                    elif isinstance(before, (list, tuple)):
                        chosen = [str(value) for value in before]
                    else:
                        chosen = []
                    # "none" is the exclusive choice of such lists: it goes once a practice is there
                    row[name] = sorted({*chosen, *rule.options} - {"none"})
                elif question.type in (QuestionType.YES_NO, QuestionType.SELECT_ONE):
                    row[name] = rule.options[0]
    return found
