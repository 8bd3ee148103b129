"""The demo's follow-up: synthetic action plans for a few countries, a second cycle whose answers follow from
them, and that cycle's report with "Progress since the last review" (all marked synthetic). For ``govlens demo``.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from govlens.followup import ActionPlan
    from govlens.release import Release

NEXT_CYCLE = "lac-demo-2028"
PLAN_COUNTRIES = ("ARG", "BRA", "CHL", "MEX")
PLANS_START = dt.date(2026, 7, 1)  # fixed, so the demo's plans and their overdue milestones are reproducible
PROGRESS_DAY = dt.date(2028, 3, 1)  # the day the second review looks at the plans


def follow_up(release: Release, out: Path, seed: int) -> tuple[Release, list[ActionPlan]] | None:
    """Synthetic plans answering the release's recommendations, the second cycle's release and its report with the
    progress section (HTML, English and Spanish); None when the framework has no rules (nothing is recommended)."""
    from govlens.followup import progress_between
    from govlens.followup.synthetic import improved_answers, synthetic_plans
    from govlens.release import ReleaseSettings, create_release, save_release
    from govlens.reports.progress import register_of
    from govlens.reports.render import report_data, write_report

    data = report_data(release, "en")
    if data.rules is None:
        typer.echo("   the framework has no rules: nothing was recommended, no follow-up")
        return None
    register = register_of(data)
    countries = [code for code in PLAN_COUNTRIES if code in release.results.units]
    plans = synthetic_plans(register, countries, seed=seed, start=PLANS_START)
    answers = improved_answers(release.inputs.answers, plans, data.rules, data.framework)
    second = create_release(
        data.framework,
        answers,
        cycle=NEXT_CYCLE,
        settings=ReleaseSettings(index=release.settings.index),  # no Monte Carlo: the demo stays fast
        synthetic=True,
        synthetic_label=dict(release.inputs.synthetic_label),
        metadata={"follow_up_of": release.id, "seed": seed, "plans": "synthetic"},
    )
    save_release(second)
    folder = out / "follow-up"
    folder.mkdir(parents=True, exist_ok=True)
    document = {"synthetic": True, "register": register.to_dict(), "plans": [plan.to_dict() for plan in plans]}
    (folder / "plans.json").write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    progress = progress_between(release, register, plans, second, today=PROGRESS_DAY)
    for language in ("en", "es"):
        write_report(second, folder / f"report-{language}.html", language, follow_up=progress)
    actions = [action for plan in plans for action in plan.actions]
    done = sum(1 for action in actions if action.status.value == "done")
    implemented = sum(1 for item in progress.items if item.implemented_by)
    typer.echo(
        f"   {len(plans)} SYNTHETIC action plans ({', '.join(p.country for p in plans)}): {len(actions)} actions, "
        f"{done} done"
    )
    typer.echo(
        f"   second cycle {NEXT_CYCLE}: release {second.id}; {implemented} of {len(register.recommendations)} "
        "recommendations reported implemented by at least one country"
    )
    root = data.framework.root.id
    for plan in plans:
        before, after = release.results.score(plan.country, root), second.results.score(plan.country, root)
        if before is not None and after is not None:
            typer.echo(f"     {plan.country}: index {data.fmt(before)} -> {data.fmt(after)}")
    typer.echo(f"   open {folder / 'report-en.html'} (section 'Progress since the last review' in each theme)")
    return second, plans


def follow_up_platform(release: Release, plans: list[ActionPlan]) -> None:
    """The release's cycle on the platform, its register and the synthetic plans, approved and published, so the
    follow-up pages and /results/follow-up/ show them (Django is prepared by the caller)."""
    from govlens.cli.platform import call_service
    from govlens.web.cycles.models import Cycle
    from govlens.web.cycles.services import cycle_close, cycle_create
    from govlens.web.followup.services import plan_import, register_import

    cycle = Cycle.objects.filter(slug=release.cycle).first()
    if cycle is None:
        cycle = call_service(
            lambda: cycle_create(
                actor=None,
                slug=release.cycle,
                framework=release.inputs.framework_id,
                countries=list(release.results.units),
                title="Demo: the synthetic LAC review 2026 and its follow-up",
            )
        )
        cycle_close(actor=None, cycle=cycle)  # the review is over; its follow-up goes on
    call_service(lambda: register_import(actor=None, cycle_slug=release.cycle, release_id=release.id))
    for plan in plans:
        call_service(partial(plan_import, actor=None, cycle_slug=release.cycle, plan=plan, approve=True, publish=True))
    typer.echo(
        f"Follow-up: {len(plans)} synthetic action plans in cycle '{release.cycle}' "
        f"(/cycles/{release.cycle}/follow-up/, public: /results/follow-up/)"
    )
