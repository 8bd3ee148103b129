"""The whole loop: release -> recommendations -> plan -> milestones -> approved -> second cycle -> the second
review's report has "Progress since the last review" with the indicator change."""

from __future__ import annotations

import datetime as dt
import re

from govlens.reports.render import render_report
from govlens.web.followup.models import ActionPlan
from govlens.web.followup.selectors import progress_of
from govlens.web.followup.services import (
    milestone_complete,
    plan_review_approve,
    plan_submit,
    plan_update,
    register_import,
)

from ..conftest import World
from .fixtures import ACTION, RECOMMENDATION, RULES, first_release, second_release


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_from_a_release_to_the_progress_section_of_the_next_review(world: World) -> None:
    first = first_release()
    register = register_import(actor=world.users["analyst"], cycle_slug="lac-2026", rules=RULES)
    assert register.data["recommendations"][0]["countries"] == ["ARG", "BRA"]
    focal, reviewer = world.users["focal_arg"], world.users["reviewer_arg"]
    plan = plan_update(actor=focal, cycle_slug="lac-2026", iso3="ARG", version=0, actions=[ACTION])
    plan = milestone_complete(
        actor=focal,
        cycle_slug="lac-2026",
        iso3="ARG",
        version=plan.version,
        action=0,
        milestone=1,
        done_on=dt.date(2027, 5, 2),
    )
    done = [dict(plan.actions[0], status="done")]
    plan = plan_update(actor=focal, cycle_slug="lac-2026", iso3="ARG", version=plan.version, actions=done)
    plan = plan_submit(actor=focal, cycle_slug="lac-2026", iso3="ARG", version=plan.version)
    plan = plan_review_approve(actor=reviewer, cycle_slug="lac-2026", iso3="ARG", version=plan.version)
    assert plan.approved_actions is not None and plan.approved_actions[0]["status"] == "done"

    second = second_release()  # the next cycle: ARG now has its agency
    progress = progress_of(world.cycle, list(ActionPlan.objects.all()))
    assert progress.current_release == second.id and progress.previous.release_id == first.id
    arg = progress.item(RECOMMENDATION).countries[0]
    assert arg.implemented and arg.changes[0].before == 0.0 and arg.changes[0].after == 1.0

    html = render_report(second, "en", rules=RULES, progress=progress)
    block = re.search(r'<div class="progress" data-progress="governance">(.*?)</div>\s*</div>', html, re.S)
    assert block is not None, "the governance theme has no progress block"
    text = _text(block.group(1))
    assert "Progress since the last review" in text and "release lac-2026-r1" in text
    assert "Argentina : 1 action (1 done); Agency: 0.00 → 1.00 (+1.00)" in text
    assert "Without an approved action plan: Brazil." in text
    # ARG did it and the data agree: not addressed to ARG again; still recommended to BRA
    assert "Reported implemented by Argentina, and this review no longer finds the gap there." in text
    assert "Recommended again in this review." in text
    without = render_report(second, "en", rules=RULES)
    assert 'class="progress"' not in without  # no follow-up given, no section
    spanish = _text(render_report(second, "es", rules=RULES, progress=progress))
    assert "Avances desde la última revisión" in spanish and "1 acción (1 realizada)" in spanish


def test_the_next_release_finds_the_follow_up_it_measures(world: World) -> None:
    from govlens.web.followup.selectors import follow_up_of

    first = first_release()
    assert follow_up_of(first) is None  # nothing before it
    register_import(actor=None, cycle_slug="lac-2026", rules=RULES)
    plan_update(actor=None, cycle_slug="lac-2026", iso3="ARG", version=0, actions=[ACTION])
    plan_submit(actor=None, cycle_slug="lac-2026", iso3="ARG")
    plan_review_approve(actor=None, cycle_slug="lac-2026", iso3="ARG")
    second = second_release()
    progress = follow_up_of(second, today=dt.date(2028, 6, 1))
    assert progress is not None and progress.previous.release_id == first.id and progress.current_release == second.id
    assert progress.item(RECOMMENDATION).countries[0].statuses == {"in_progress": 1}
    assert follow_up_of(first) is None  # a release never measures its own cycle's plans
