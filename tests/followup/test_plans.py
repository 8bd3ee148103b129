from __future__ import annotations

import datetime as dt

from govlens.followup import ActionPlan, ActionStatus, Register, plan_from_data

ACTION = {
    "recommendation": "f01-lead-organisation",
    "title": "Create a digital government agency",
    "institution": "Ministry of the Presidency",
    "start": "2026-07-01",
    "due": "2027-06-30",
    "status": "in_progress",
    "expected_effect": "I1 from 0 to 1",
    "evidence_urls": ["https://example.org/decree"],
    "milestones": [
        {"title": "Decree drafted", "due": "2026-09-30", "done_on": "2026-09-15"},
        {"title": "Agency staffed", "due": "2027-03-31"},
    ],
}


def test_a_plan_is_read_with_its_milestones(register: Register) -> None:
    plan, problems = plan_from_data([ACTION], cycle="tiny-2026", country="mex", register=register)
    assert problems == []
    assert plan is not None and plan.country == "MEX"
    action = plan.actions[0]
    assert action.status is ActionStatus.IN_PROGRESS
    assert action.due == dt.date(2027, 6, 30)
    assert [m.title for m in action.milestones] == ["Decree drafted", "Agency staffed"]
    assert ActionPlan.from_dict(plan.to_dict()) == plan


def test_every_problem_is_reported_with_its_field(register: Register) -> None:
    bad = [
        {**ACTION, "recommendation": "f27-data-portal", "due": "2026-01-01", "status": "finished"},
        {"recommendation": "nope", "title": "", "status": "dropped", "milestones": [{"title": "x", "due": "soon"}]},
        {**ACTION, "evidence_urls": ["javascript:alert(1)"], "title": "a\x00b"},
        "not an object",
    ]
    plan, problems = plan_from_data(bad, cycle="tiny-2026", country="CHL", register=register)
    assert plan is None
    found = {(p.field, p.code) for p in problems}
    assert found == {
        ("actions[0].recommendation", "plan_not_addressed"),  # the portal recommendation is not for CHL
        ("actions[0].due", "plan_due_before_start"),
        ("actions[0].status", "plan_bad_status"),
        ("actions[1].recommendation", "plan_unknown_recommendation"),
        ("actions[1].title", "plan_missing"),
        ("actions[1].reason", "plan_drop_reason"),
        ("actions[1].milestones[0].due", "plan_bad_date"),
        ("actions[2].evidence_urls[0]", "plan_bad_link"),
        ("actions[2].title", "plan_control_character"),
        ("actions[3]", "plan_bad_item"),
    }
    status = next(p for p in problems if p.code == "plan_bad_status")
    assert "must be one of {planned, in_progress, done, dropped}; got 'finished'" in status.message


def test_done_needs_every_milestone_done(register: Register) -> None:
    _, problems = plan_from_data([{**ACTION, "status": "done"}], cycle="c", country="MEX", register=register)
    assert [(p.field, p.code) for p in problems] == [("actions[0].status", "plan_done_open_milestone")]


def test_overdue_milestones_and_implementation(register: Register) -> None:
    plan, _ = plan_from_data([ACTION], cycle="tiny-2026", country="MEX", register=register)
    assert plan is not None
    assert [m.title for _, m in plan.overdue_milestones(dt.date(2027, 4, 1))] == ["Agency staffed"]
    assert plan.overdue_milestones(dt.date(2027, 3, 31)) == []  # due today is not overdue
    assert plan.actions[0].milestones[1].due_within(dt.date(2027, 3, 25), 7)
    assert not plan.actions[0].milestones[1].due_within(dt.date(2027, 3, 20), 7)
    assert not plan.implemented("f01-lead-organisation")
    done = {
        **ACTION,
        "status": "done",
        "milestones": [{"title": "Decree", "due": "2026-09-30", "done_on": "2026-09-01"}],
    }
    dropped = {**ACTION, "status": "dropped", "reason": "merged into the other action"}
    plan, _ = plan_from_data([done, dropped], cycle="tiny-2026", country="MEX", register=register)
    assert plan is not None and plan.implemented("f01-lead-organisation")
    assert not plan.implemented("f27-data-portal")  # nothing done on it
    assert plan.overdue_milestones(dt.date(2030, 1, 1)) == []  # done and dropped actions are never overdue
