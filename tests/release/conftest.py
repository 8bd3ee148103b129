"""A tiny framework (two pillars, five indicators) and five countries' answers, so release tests stay fast.

Worked scores (scale 1, minmax normalisation, arithmetic means, equal weights), computed by hand:

    indicator values     I1   I2   I3   I4   I5 (mean of share of a,b,c and staff/100)
    ARG                   1   1    1    1    (2/3 + 0.5)/2 = 7/12
    BRA                   1   0.5  0.5  1    (1/3 + 0.2)/2 = 4/15
    CHL                   0   0.5  0    1    (1 + 1)/2     = 1
    COL                   1   0    0    0    (0 + 0)/2     = 0
    MEX                   0   0    0.5  0    (1/3 + 0.1)/2 = 13/60
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

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
from govlens.release import Release, ReleaseSettings, UncertaintySettings, create_release


def _text(en: str, es: str) -> dict[str, str]:
    return {"en": en, "es": es, "pt": en, "fr": en}


def tiny_framework(pillar_label: str = "Governance") -> Framework:
    strategy = ChoiceList(
        "strategy",
        (
            Choice("full", _text("Full", "Completa")),
            Choice("partial", _text("Partial", "Parcial")),
            Choice("none", _text("None", "Ninguna")),
        ),
    )
    areas = ChoiceList(
        "areas",
        (
            Choice("a", _text("Area A", "Área A")),
            Choice("b", _text("Area B", "Área B")),
            Choice("c", _text("Area C", "Área C")),
            Choice("none", _text("None", "Ninguna")),
        ),
    )
    yes_no = ChoiceList("yes_no", (Choice("yes", _text("Yes", "Sí")), Choice("no", _text("No", "No"))))
    gov = Section(
        "gov",
        _text("Governance", "Gobernanza"),
        (
            Question(
                "q_org",
                QuestionType.YES_NO,
                _text("Is there a lead organisation?", "¿Hay una organización líder?"),
                scoring=Scoring(ScoringMethod.POINTS, points={"yes": 1.0, "no": 0.0}),
            ),
            Question(
                "q_strategy",
                QuestionType.SELECT_ONE,
                _text("Is there a strategy?", "¿Hay una estrategia?"),
                choices="strategy",
                scoring=Scoring(ScoringMethod.POINTS, points={"full": 1.0, "partial": 0.5, "none": 0.0}),
            ),
            Question(
                "q_year",
                QuestionType.YEAR,
                _text("Year of the strategy", "Año de la estrategia"),
                scoring=Scoring(ScoringMethod.THRESHOLDS, thresholds=((2015.0, 0.5), (2020.0, 1.0))),
            ),
        ),
    )
    data = Section(
        "data",
        _text("Data", "Datos"),
        (
            Question(
                "q_portal",
                QuestionType.YES_NO,
                _text("Is there a data portal?", "¿Hay un portal de datos?"),
                scoring=Scoring(ScoringMethod.POINTS, points={"yes": 1.0, "no": 0.0}),
            ),
            Question(
                "q_share",
                QuestionType.SELECT_MULTIPLE,
                _text("Which areas share data?", "¿Qué áreas comparten datos?"),
                choices="areas",
                scoring=Scoring(ScoringMethod.SHARE_SELECTED, exclude=("none",)),
            ),
            Question(
                "q_staff",
                QuestionType.INTEGER,
                _text("Data staff", "Personal de datos"),
                scoring=Scoring(ScoringMethod.LINEAR, low=0.0, high=100.0),
            ),
            Question("q_note", QuestionType.TEXT, _text("Comment", "Comentario")),
        ),
    )
    nodes = (
        Node("IDX", NodeKind.INDEX, _text("Tiny index", "Índice pequeño")),
        Node("P1", NodeKind.PILLAR, _text(pillar_label, "Gobernanza"), parent="IDX"),
        Node("P2", NodeKind.PILLAR, _text("Data", "Datos"), parent="IDX"),
        Node(
            "I1",
            NodeKind.INDICATOR,
            _text("Lead organisation", "Organización líder"),
            parent="P1",
            questions=("q_org",),
        ),
        Node("I2", NodeKind.INDICATOR, _text("Strategy", "Estrategia"), parent="P1", questions=("q_strategy",)),
        Node(
            "I3",
            NodeKind.INDICATOR,
            _text("Recent strategy", "Estrategia reciente"),
            parent="P1",
            questions=("q_year",),
        ),
        Node("I4", NodeKind.INDICATOR, _text("Data portal", "Portal de datos"), parent="P2", questions=("q_portal",)),
        Node(
            "I5",
            NodeKind.INDICATOR,
            _text("Data sharing", "Intercambio de datos"),
            parent="P2",
            questions=("q_share", "q_staff"),
        ),
    )
    return Framework(
        id="tiny-dgr",
        version="2026.1",
        title=_text("Tiny review", "Revisión pequeña"),
        sections=(gov, data),
        choice_lists={"strategy": strategy, "areas": areas, "yes_no": yes_no},
        nodes=nodes,
        source="Hand-built test framework",
    )


ANSWERS: Mapping[str, Mapping[str, object]] = {
    "ARG": {"q_org": "yes", "q_strategy": "full", "q_year": 2021, "q_portal": "yes", "q_share": "a b", "q_staff": 50},
    "BRA": {
        "q_org": "yes",
        "q_strategy": "partial",
        "q_year": 2016,
        "q_portal": "yes",
        "q_share": ["c"],
        "q_staff": 20,
    },
    "CHL": {
        "q_org": "no",
        "q_strategy": "partial",
        "q_year": 2010,
        "q_portal": "yes",
        "q_share": "a b c",
        "q_staff": 100,
    },
    "COL": {"q_org": "yes", "q_strategy": "none", "q_portal": "no", "q_share": "none", "q_staff": 0},
    "MEX": {
        "q_org": "no",
        "q_strategy": "none",
        "q_year": 2018,
        "q_portal": "no",
        "q_share": "b",
        "q_staff": 10,
        "q_note": '=HYPERLINK("http://evil.example")',
    },
}


@pytest.fixture(scope="session")
def framework() -> Framework:
    return tiny_framework()


@pytest.fixture(scope="session")
def release(framework: Framework) -> Release:
    """A release with a small uncertainty analysis, synthetic answers and a fixed creation time."""
    return create_release(
        framework,
        ANSWERS,
        cycle="tiny-2026",
        release_id="tiny-2026-r1",
        settings=ReleaseSettings(uncertainty=UncertaintySettings(replications=200, seed=7, weight_range=0.3)),
        synthetic=True,
        synthetic_label={"en": "SYNTHETIC DEMO DATA (test)", "es": "DATOS SINTÉTICOS (prueba)"},
        created="2026-11-28T08:00:00Z",
    )


@pytest.fixture(scope="session")
def plain_release(framework: Framework) -> Release:
    """The same answers without uncertainty analysis, real (not synthetic)."""
    return create_release(
        framework, ANSWERS, cycle="tiny-2026", release_id="tiny-2026-r2", created="2026-11-28T09:00:00Z"
    )
