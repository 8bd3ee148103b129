"""Follow-up of a review: the register of a release's recommendations, national action plans with milestones, and
progress across cycles (plan status, overdue milestones, the change in the linked indicators).

It sits above the release (it reads releases and the analysis' statements) and below the reports (the next
cycle's report prints its "Progress since the last review"); the web layer stores plans and calls it.
"""

from __future__ import annotations

from govlens.followup.plans import Action, ActionPlan, ActionStatus, Milestone, PlanProblem, plan_from_data
from govlens.followup.progress import (
    CountryProgress,
    IndicatorChange,
    Progress,
    RecommendationProgress,
    indicator_changes,
    progress_between,
    progress_of_plans,
)
from govlens.followup.register import Recommendation, Register, addressed_countries, register_from

__all__ = [
    "Action",
    "ActionPlan",
    "ActionStatus",
    "CountryProgress",
    "IndicatorChange",
    "Milestone",
    "PlanProblem",
    "Progress",
    "Recommendation",
    "RecommendationProgress",
    "Register",
    "addressed_countries",
    "indicator_changes",
    "plan_from_data",
    "progress_between",
    "progress_of_plans",
    "register_from",
]
