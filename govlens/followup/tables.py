"""The plans as tables, for the exports (CSV, XLSX sheets, data package resources): one row per action, and one
row per milestone. Dates are ISO 8601, a synthetic plan says so on every row."""

from __future__ import annotations

from collections.abc import Sequence

from govlens.followup.plans import ActionPlan

__all__ = ["ACTION_COLUMNS", "MILESTONE_COLUMNS", "action_rows", "milestone_rows"]

ACTION_COLUMNS: tuple[str, ...] = (
    "cycle",
    "country",
    "action",
    "recommendation",
    "title",
    "institution",
    "start",
    "due",
    "status",
    "reason",
    "expected_effect",
    "evidence_urls",
    "synthetic",
)
MILESTONE_COLUMNS: tuple[str, ...] = ("cycle", "country", "action", "milestone", "title", "due", "done_on", "synthetic")


def action_rows(plans: Sequence[ActionPlan]) -> list[list[object]]:
    """One row per action (``action`` is its 1-based number in the plan), plans in cycle and country order."""
    rows: list[list[object]] = []
    for plan in sorted(plans, key=lambda item: (item.cycle, item.country)):
        for number, action in enumerate(plan.actions, start=1):
            rows.append(
                [
                    plan.cycle,
                    plan.country,
                    number,
                    action.recommendation,
                    action.title,
                    action.institution,
                    action.start.isoformat() if action.start else None,
                    action.due.isoformat() if action.due else None,
                    action.status.value,
                    action.reason,
                    action.expected_effect,
                    " ".join(action.evidence_urls),
                    plan.synthetic,
                ]
            )
    return rows


def milestone_rows(plans: Sequence[ActionPlan]) -> list[list[object]]:
    """One row per milestone, with the number of its action and its own (both 1-based)."""
    rows: list[list[object]] = []
    for plan in sorted(plans, key=lambda item: (item.cycle, item.country)):
        for number, action in enumerate(plan.actions, start=1):
            for index, milestone in enumerate(action.milestones, start=1):
                rows.append(
                    [
                        plan.cycle,
                        plan.country,
                        number,
                        index,
                        milestone.title,
                        milestone.due.isoformat(),
                        milestone.done_on.isoformat() if milestone.done_on else None,
                        plan.synthetic,
                    ]
                )
    return rows
