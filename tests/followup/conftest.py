"""Two cycles of the tiny review (tests/release/conftest.py), rules with two recommendations, and their register.

Cycle tiny-2026: a lead organisation (q_org) in ARG, BRA, COL (3 of 5, below the rule's 90%), so the first
recommendation is addressed to CHL and MEX; a data portal (q_portal) in ARG, BRA, CHL, so the second goes to COL
and MEX. In tiny-2027 MEX has created a lead organisation (q_org yes) and nothing else changed.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from govlens.analysis.narrative import Rule, RuleSet, Statement, regional_statements
from govlens.analysis.regional import regional_statistics
from govlens.followup import Register, register_from
from govlens.framework.model import Framework
from govlens.release import Release, create_release
from tests.release.conftest import ANSWERS, tiny_framework


def _four(text: str) -> dict[str, str]:
    return {"en": text, "es": f"[es] {text}", "pt": f"[pt] {text}", "fr": f"[fr] {text}"}


RULES = RuleSet(
    framework_id="tiny-dgr",
    rules=(
        Rule(
            id="f01-lead-organisation",
            finding="F01",
            statement=_four("{Countries} ({fraction}) have a lead organisation."),
            questions=("q_org",),
            options=("yes",),
            recommendation=_four("Entrust one organisation with leading digital government."),
            recommend_below=0.9,
        ),
        Rule(
            id="f27-data-portal",
            finding="F27",
            statement=_four("{Countries} ({fraction}) run a data portal."),
            questions=("q_portal",),
            options=("yes",),
            recommendation=_four("Open a national data portal."),
            recommend_below=0.8,
        ),
        Rule(
            id="f04-strategy",
            finding="F04",
            statement=_four("{Countries} ({fraction}) have a strategy."),
            questions=("q_strategy",),
            options=("full", "partial", "none"),
            recommendation=_four("Adopt a strategy."),
            recommend_below=0.5,  # everyone answered: no recommendation
        ),
    ),
)

SECOND: Mapping[str, Mapping[str, object]] = {
    unit: ({**answers, "q_org": "yes"} if unit == "MEX" else dict(answers)) for unit, answers in ANSWERS.items()
}


def statements_of(release: Release, rules: RuleSet = RULES) -> list[Statement]:
    scores = release.results.scores
    answers = {unit: release.inputs.answers[unit] for unit in release.results.units}
    stats = regional_statistics(release.framework(), answers, scores=scores, release_id=release.id)
    return regional_statements(stats, rules)


@pytest.fixture(scope="session")
def framework() -> Framework:
    return tiny_framework()


@pytest.fixture(scope="session")
def first(framework: Framework) -> Release:
    return create_release(
        framework, ANSWERS, cycle="tiny-2026", release_id="tiny-2026-r1", created="2026-06-01T08:00:00Z"
    )


@pytest.fixture(scope="session")
def second(framework: Framework) -> Release:
    return create_release(
        framework, SECOND, cycle="tiny-2028", release_id="tiny-2028-r1", created="2028-06-01T08:00:00Z"
    )


@pytest.fixture(scope="session")
def register(first: Release) -> Register:
    return register_from(first, statements_of(first), RULES)
