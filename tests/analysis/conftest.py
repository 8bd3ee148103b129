"""Shared fixtures: a tiny framework with five countries worked out by hand, and the bundled lac-dgr.

The tiny framework (``tiny`` 1): an index IDX with pillars P1 (weight 1: indicators I1 and I2) and P2 (weight 3:
indicator I3). Effective weights in the index: I1 = I2 = 1/4 x 1/2 = 0.125, I3 = 3/4 = 0.75.

====  =======  =========  ===================  ====  ===========================================
unit  has_org  org_scope  powers               year  I1 (mean has_org, scope) / I2 / I3 / P1 / IDX
====  =======  =========  ===================  ====  ===========================================
AAA   yes      whole      budget standards     2022  1    / 1   / 1   / 1     / 1
BBB   yes      some       budget               2019  0.75 / 0.5 / 0.5 / 0.625 / 0.53125
CCC   no       (whole:    (not asked)          2015  0    / 0   / 0   / 0     / 0
               not asked)
DDD   yes      (blank)    none                 -     0.5  / 0   / 0   / 0.25  / 0.0625
EEE   no       -          -                    -     0    / 0   / 0   / 0     / 0
====  =======  =========  ===================  ====  ===========================================

Unanswered and skipped questions score 0 (the framework setting). Groups: south = AAA BBB CCC; north = DDD EEE
FFF (FFF has no response).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from govlens.analysis.regional import RegionalStatistics, regional_statistics
from govlens.analysis.synthetic import SyntheticResponses, synthetic_answers
from govlens.framework.catalogue import load
from govlens.framework.model import (
    Choice,
    ChoiceList,
    Framework,
    Node,
    NodeKind,
    Question,
    QuestionType,
    Scoring,
    ScoringMethod,
    Section,
)


def _en(text: str) -> dict[str, str]:
    return {"en": text}


def _list(name: str, *options: str) -> ChoiceList:
    return ChoiceList(name, tuple(Choice(option, _en(option)) for option in options))


def _question(name: str, kind: QuestionType, **fields: Any) -> Question:
    return Question(name=name, type=kind, label=_en(name), **fields)


TINY_QUESTIONS = (
    _question("has_org", QuestionType.YES_NO, required=True,
              scoring=Scoring(ScoringMethod.POINTS, points={"yes": 1, "no": 0})),
    _question("org_scope", QuestionType.SELECT_ONE, choices="scope", relevant="${has_org} = 'yes'",
              scoring=Scoring(ScoringMethod.POINTS, points={"whole": 1, "some": 0.5, "own": 0})),
    _question("powers", QuestionType.SELECT_MULTIPLE, choices="powers", relevant="${has_org} = 'yes'",
              scoring=Scoring(ScoringMethod.SHARE_SELECTED, exclude=("none",))),
    _question("year", QuestionType.YEAR, constraint=". >= 1990 and . <= 2030",
              scoring=Scoring(ScoringMethod.THRESHOLDS, thresholds=((2018, 0.5), (2021, 1.0)))),
)  # fmt: skip

TINY_NODES = (
    Node("IDX", NodeKind.INDEX, _en("Index")),
    Node("P1", NodeKind.PILLAR, _en("Institutions"), parent="IDX", weight=1),
    Node("I1", NodeKind.INDICATOR, _en("Lead organisation"), parent="P1", questions=("has_org", "org_scope"),
         seed_refs=("F01",)),
    Node("I2", NodeKind.INDICATOR, _en("Powers"), parent="P1", questions=("powers",), seed_refs=("F01",)),
    Node("P2", NodeKind.PILLAR, _en("Strategy"), parent="IDX", weight=3),
    Node("I3", NodeKind.INDICATOR, _en("Strategy year"), parent="P2", questions=("year",), seed_refs=("F04",)),
)  # fmt: skip

TINY_RESPONSES: Mapping[str, Mapping[str, object]] = {
    "AAA": {"has_org": "yes", "org_scope": "whole", "powers": ["budget", "standards"], "year": 2022},
    "BBB": {"has_org": "yes", "org_scope": "some", "powers": "budget", "year": "2019"},
    "CCC": {"has_org": "no", "org_scope": "whole", "year": 2015},
    "DDD": {"has_org": "yes", "powers": ["none"]},
    "EEE": {"has_org": "no"},
}
TINY_GROUPS = {"south": ["AAA", "BBB", "CCC"], "north": ["DDD", "EEE", "FFF"]}


@pytest.fixture(scope="session")
def tiny() -> Framework:
    return Framework(
        id="tiny",
        version="1",
        title=_en("Tiny"),
        sections=(Section("s1", _en("s1"), TINY_QUESTIONS),),
        choice_lists={
            "scope": _list("scope", "whole", "some", "own"),
            "powers": _list("powers", "budget", "standards", "none"),
        },
        nodes=TINY_NODES,
    )


@pytest.fixture(scope="session")
def tiny_stats(tiny: Framework) -> RegionalStatistics:
    return regional_statistics(tiny, TINY_RESPONSES, groups=TINY_GROUPS, release_id="rel-1")


@pytest.fixture(scope="session")
def lac() -> Framework:
    return load("lac-dgr")


@pytest.fixture(scope="session")
def demo(lac: Framework) -> SyntheticResponses:
    return synthetic_answers(lac, seed=2023)
