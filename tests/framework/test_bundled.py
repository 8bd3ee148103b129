"""The bundled frameworks are valid, and lac-dgr covers every finding of the seed review."""

from __future__ import annotations

from collections import Counter

import pytest

from govlens.framework.catalogue import bundled_names, load, resolve
from govlens.framework.findings import FINDINGS
from govlens.framework.model import Framework, NodeKind, ScoringMethod
from govlens.framework.validate import validate


@pytest.fixture(scope="module")
def lac() -> Framework:
    return load("lac-dgr")


@pytest.mark.parametrize("name", ["lac-dgr", "gtmi-2022"])
def test_bundled_framework_is_valid(name: str) -> None:
    assert name in bundled_names()
    report = validate(resolve(name))
    assert report.errors == []


def test_lac_dgr_has_no_warnings(lac: Framework) -> None:
    # every label, hint and option in the four languages
    assert [str(p) for p in validate(resolve("lac-dgr")).warnings] == []


def test_lac_dgr_cites_every_finding_by_a_question_and_an_indicator(lac: Framework) -> None:
    by_questions = {ref for q in lac.questions() for ref in q.seed_refs}
    by_indicators = {ref for n in lac.nodes if n.kind is NodeKind.INDICATOR for ref in n.seed_refs}
    expected = set(FINDINGS)
    assert len(expected) == 43
    assert expected - by_questions == set()
    assert expected - by_indicators == set()


def test_lac_dgr_size_and_shape(lac: Framework) -> None:
    assert sum(1 for _ in lac.questions()) > 100
    pillars = lac.children(lac.root.id)
    assert [p.id for p in pillars] == ["P1", "P2", "P3", "P4", "P5", "P6"]
    for pillar in pillars:
        assert pillar.kind is NodeKind.PILLAR
        assert lac.children(pillar.id), f"pillar {pillar.id} has no sub-pillars"


@pytest.mark.parametrize(
    ("finding", "at_least"),
    # items the seed lists are asked one by one: legal topics (F07), DPI building blocks (F36),
    # innovation facets (F37), innovation skills (F40), decision-making powers (F01)
    [("F01", 4), ("F07", 10), ("F36", 6), ("F37", 4), ("F40", 6)],
)
def test_lac_dgr_asks_listed_items_individually(lac: Framework, finding: str, at_least: int) -> None:
    count = Counter(ref for q in lac.questions() for ref in q.seed_refs)[finding]
    assert count >= at_least


def test_lac_dgr_points_rules_span_zero_to_one(lac: Framework) -> None:
    # The best option is worth 1, or the indicator is capped. The worst is worth 0, except in follow-up
    # questions (with skip logic): there the absence of the thing is scored by the unanswered rule instead.
    off = {}
    for q in lac.questions():
        if q.scoring is None or q.scoring.method is not ScoringMethod.POINTS or q.type.value == "select_multiple":
            continue
        low, high = min(q.scoring.points.values()), max(q.scoring.points.values())
        if high != 1 or (low != 0 and not q.relevant):
            off[q.name] = (low, high)
    assert off == {}


def test_traceability_page_is_current(lac: Framework) -> None:
    from pathlib import Path

    from govlens.framework.traceability import render

    page = Path(__file__).resolve().parents[2] / "docs" / "frameworks" / "lac-dgr.md"
    assert page.read_text(encoding="utf-8") == render(lac), (
        "regenerate: govlens framework trace lac-dgr --out docs/frameworks/lac-dgr.md"
    )
