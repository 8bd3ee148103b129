from __future__ import annotations

import datetime as dt

from govlens.followup import ActionStatus, Register, progress_between, register_from
from govlens.followup.synthetic import improved_answers, synthetic_plans
from govlens.release import Release, create_release
from tests.release.conftest import ANSWERS

from .conftest import RULES, statements_of

START = dt.date(2026, 7, 1)


def test_synthetic_plans_are_marked_reproducible_and_valid(register: Register) -> None:
    plans = synthetic_plans(register, ["MEX", "COL", "ARG"], seed=3, start=START)
    assert [plan.country for plan in plans] == ["MEX", "COL"]  # ARG is addressed nothing
    assert all(plan.synthetic for plan in plans)
    assert [a.recommendation for a in plans[0].actions] == ["f01-lead-organisation", "f27-data-portal"]
    assert plans == synthetic_plans(register, ["MEX", "COL", "ARG"], seed=3, start=START)
    for plan in plans:  # what the generator writes, the plan reader accepts
        from govlens.followup import ActionPlan

        assert ActionPlan.from_dict(plan.to_dict()) == plan
        for action in plan.actions:
            if action.status is ActionStatus.DONE:
                assert all(m.done_on is not None for m in action.milestones)
            if action.status is ActionStatus.DROPPED:
                assert action.reason


def test_implemented_recommendations_change_the_next_answers(first: Release, register: Register) -> None:
    plans = [
        plan
        for seed in range(40)
        for plan in synthetic_plans(register, ["MEX"], seed=seed, start=START)
        if plan.implemented("f01-lead-organisation") and not plan.implemented("f27-data-portal")
    ][:1]
    assert plans, "no seed in 40 gives MEX one recommendation done and one not"
    answers = improved_answers(ANSWERS, plans, RULES, first.framework())
    assert answers["MEX"]["q_org"] == "yes" and answers["MEX"]["q_portal"] == "no"  # only what was done
    others = {unit: dict(row) for unit, row in ANSWERS.items() if unit != "MEX"}
    assert {unit: row for unit, row in answers.items() if unit != "MEX"} == others  # nobody else changes
    second = create_release(first.framework(), answers, cycle="tiny-2028", release_id="tiny-2028-r1")
    progress = progress_between(first, register, plans, second, today=dt.date(2028, 1, 1))
    mex = progress.item("f01-lead-organisation").countries[1]
    assert mex.implemented and mex.changes[0].change is not None and mex.changes[0].change > 0
    assert register_from(second, statements_of(second), RULES).get("f01-lead-organisation").countries == ("CHL",)
