"""Small, named framework fixtures: one YAML text and the model it must load into, written out by hand."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from govlens.framework.model import (
    Choice,
    ChoiceList,
    Combine,
    Evidence,
    Framework,
    Node,
    NodeKind,
    Question,
    QuestionType,
    Scoring,
    ScoringMethod,
    Section,
    Settings,
)


def four(en: str, es: str, pt: str, fr: str) -> dict[str, str]:
    return {"en": en, "es": es, "pt": pt, "fr": fr}


# Every field of the format appears at least once; `yes`/`no` are written unquoted on purpose.
SMALL_YAML = """\
govlens_framework: 1
id: small
version: "1.0"
title: {en: Small review, es: Revisión pequeña, pt: Revisão pequena, fr: Petit examen}
description: {en: A test framework, es: Un marco de prueba, pt: Um quadro de teste, fr: Un cadre de test}
source: Written for the tests
languages: [en, es, pt, fr]
default_language: en
settings:
  unanswered_score: 0
choices:
  coverage:
    - {name: whole_gov, label: {en: Whole government, es: Todo el gobierno, pt: Todo o governo, fr: Tout}}
    - {name: some, label: {en: Some, es: Algunas, pt: Algumas, fr: Certaines}}
    - {name: none, label: {en: None, es: Ninguna, pt: Nenhuma, fr: Aucune}}
  yes_partly_no:
    - {name: yes, label: {en: Yes, es: Sí, pt: Sim, fr: Oui}}
    - {name: partly, label: {en: Partly, es: En parte, pt: Em parte, fr: En partie}}
    - {name: no, label: {en: No, es: No, pt: Não, fr: Non}}
sections:
  - name: governance
    label: {en: Governance, es: Gobernanza, pt: Governança, fr: Gouvernance}
    questions:
      - name: org_exists
        type: yes_no
        label:
          en: Is there a lead organisation?
          es: ¿Hay una institución rectora?
          pt: Há um órgão líder?
          fr: "Y a-t-il un organisme chef de file ?"
        required: yes
        evidence: optional
        seed_refs: [F01]
        scoring: {method: points, points: {yes: 1, no: 0}}
      - name: org_scope
        type: select_one
        choices: coverage
        label: {en: Scope, es: Alcance, pt: Alcance, fr: Portée}
        hint: {en: Pick one, es: Elija una, pt: Escolha uma, fr: Choisissez}
        relevant: "${org_exists} = 'yes'"
        seed_refs: [F01, F02]
        scoring: {method: points, points: {whole_gov: 1, some: 0.5, none: 0}, unanswered: 0}
      - name: strategy_year
        type: year
        label: {en: Strategy year, es: Año de la estrategia, pt: Ano da estratégia, fr: Année de la stratégie}
        constraint: ". >= 1990 and . <= 2030"
        constraint_message: {en: A year, es: Un año, pt: Um ano, fr: Une année}
        seed_refs: [F04]
        scoring: {method: thresholds, thresholds: [[2018, 0.5], [2021, 1]]}
  - name: services
    label: {en: Services, es: Servicios, pt: Serviços, fr: Services}
    relevant: "${org_exists} = 'yes'"
    questions:
      - name: channels
        type: select_multiple
        choices: coverage
        label: {en: Channels, es: Canales, pt: Canais, fr: Canaux}
        scoring: {method: share_selected, exclude: [none]}
      - name: staff
        type: integer
        label: {en: Staff, es: Personal, pt: Pessoal, fr: Personnel}
        scoring: {method: linear, low: 0, high: 10}
      - name: portal
        type: url
        label: {en: Portal, es: Portal, pt: Portal, fr: Portail}
        evidence: required
        scoring: {method: answered}
      - name: partly_done
        type: select_one
        choices: yes_partly_no
        label: {en: "Done?", es: "¿Hecho?", pt: "Feito?", fr: "Fait ?"}
        scoring: {method: points, points: {yes: 1, partly: 0.5, no: 0}}
      - name: notes
        type: text
        label: {en: Notes, es: Notas, pt: Notas, fr: Notes}
indicators:
  - {id: IDX, kind: index, label: {en: Index, es: Índice, pt: Índice, fr: Indice}}
  - {id: P1, kind: pillar, parent: IDX, weight: 2, seed_refs: [F01],
     label: {en: Pillar, es: Pilar, pt: Pilar, fr: Pilier}}
  - id: I1
    kind: indicator
    parent: P1
    weight: 1
    label: {en: Organisation, es: Organización, pt: Organização, fr: Organisation}
    questions: [org_exists, org_scope]
    combine: max
    seed_refs: [F01, F02]
  - id: I2
    kind: indicator
    parent: P1
    weight: 0.5
    direction: -1
    label: {en: Services, es: Servicios, pt: Serviços, fr: Services}
    questions: [strategy_year, channels, staff, portal, partly_done]
    seed_refs: [F04]
"""

YES_NO = ChoiceList(
    "yes_no",
    (Choice("yes", four("Yes", "Sí", "Sim", "Oui")), Choice("no", four("No", "No", "Não", "Non"))),
)


def small_framework() -> Framework:
    """The model SMALL_YAML must load into, built by hand."""
    coverage = ChoiceList(
        "coverage",
        (
            Choice("whole_gov", four("Whole government", "Todo el gobierno", "Todo o governo", "Tout")),
            Choice("some", four("Some", "Algunas", "Algumas", "Certaines")),
            Choice("none", four("None", "Ninguna", "Nenhuma", "Aucune")),
        ),
    )
    ypn = ChoiceList(
        "yes_partly_no",
        (
            Choice("yes", four("Yes", "Sí", "Sim", "Oui")),
            Choice("partly", four("Partly", "En parte", "Em parte", "En partie")),
            Choice("no", four("No", "No", "Não", "Non")),
        ),
    )
    governance = Section(
        "governance",
        four("Governance", "Gobernanza", "Governança", "Gouvernance"),
        (
            Question(
                "org_exists",
                QuestionType.YES_NO,
                four(
                    "Is there a lead organisation?",
                    "¿Hay una institución rectora?",
                    "Há um órgão líder?",
                    "Y a-t-il un organisme chef de file ?",
                ),
                required=True,
                evidence=Evidence.OPTIONAL,
                seed_refs=("F01",),
                scoring=Scoring(ScoringMethod.POINTS, points={"yes": 1.0, "no": 0.0}),
            ),
            Question(
                "org_scope",
                QuestionType.SELECT_ONE,
                four("Scope", "Alcance", "Alcance", "Portée"),
                hint=four("Pick one", "Elija una", "Escolha uma", "Choisissez"),
                choices="coverage",
                relevant="${org_exists} = 'yes'",
                seed_refs=("F01", "F02"),
                scoring=Scoring(ScoringMethod.POINTS, points={"whole_gov": 1, "some": 0.5, "none": 0}, unanswered=0),
            ),
            Question(
                "strategy_year",
                QuestionType.YEAR,
                four("Strategy year", "Año de la estrategia", "Ano da estratégia", "Année de la stratégie"),
                constraint=". >= 1990 and . <= 2030",
                constraint_message=four("A year", "Un año", "Um ano", "Une année"),
                seed_refs=("F04",),
                scoring=Scoring(ScoringMethod.THRESHOLDS, thresholds=((2018, 0.5), (2021, 1))),
            ),
        ),
    )
    services = Section(
        "services",
        four("Services", "Servicios", "Serviços", "Services"),
        (
            Question(
                "channels",
                QuestionType.SELECT_MULTIPLE,
                four("Channels", "Canales", "Canais", "Canaux"),
                choices="coverage",
                scoring=Scoring(ScoringMethod.SHARE_SELECTED, exclude=("none",)),
            ),
            Question(
                "staff",
                QuestionType.INTEGER,
                four("Staff", "Personal", "Pessoal", "Personnel"),
                scoring=Scoring(ScoringMethod.LINEAR, low=0, high=10),
            ),
            Question(
                "portal",
                QuestionType.URL,
                four("Portal", "Portal", "Portal", "Portail"),
                evidence=Evidence.REQUIRED,
                scoring=Scoring(ScoringMethod.ANSWERED),
            ),
            Question(
                "partly_done",
                QuestionType.SELECT_ONE,
                four("Done?", "¿Hecho?", "Feito?", "Fait ?"),
                choices="yes_partly_no",
                scoring=Scoring(ScoringMethod.POINTS, points={"yes": 1, "partly": 0.5, "no": 0}),
            ),
            Question("notes", QuestionType.TEXT, four("Notes", "Notas", "Notas", "Notes")),
        ),
        relevant="${org_exists} = 'yes'",
    )
    nodes = (
        Node("IDX", NodeKind.INDEX, four("Index", "Índice", "Índice", "Indice")),
        Node(
            "P1",
            NodeKind.PILLAR,
            four("Pillar", "Pilar", "Pilar", "Pilier"),
            parent="IDX",
            weight=2,
            seed_refs=("F01",),
        ),
        Node(
            "I1",
            NodeKind.INDICATOR,
            four("Organisation", "Organización", "Organização", "Organisation"),
            parent="P1",
            questions=("org_exists", "org_scope"),
            combine=Combine.MAX,
            seed_refs=("F01", "F02"),
        ),
        Node(
            "I2",
            NodeKind.INDICATOR,
            four("Services", "Servicios", "Serviços", "Services"),
            parent="P1",
            weight=0.5,
            direction=-1,
            questions=("strategy_year", "channels", "staff", "portal", "partly_done"),
            seed_refs=("F04",),
        ),
    )
    return Framework(
        id="small",
        version="1.0",
        title=four("Small review", "Revisión pequeña", "Revisão pequena", "Petit examen"),
        description=four("A test framework", "Un marco de prueba", "Um quadro de teste", "Un cadre de test"),
        source="Written for the tests",
        sections=(governance, services),
        choice_lists={"coverage": coverage, "yes_partly_no": ypn, "yes_no": YES_NO},
        nodes=nodes,
        settings=Settings(unanswered_score=0),
    )


@pytest.fixture
def small_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_YAML, encoding="utf-8")
    return path


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]]) -> Path:
    """A workbook with the given sheets (header row first), written with openpyxl."""
    workbook = openpyxl.Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def small_text() -> str:
    return SMALL_YAML


@pytest.fixture
def small_model() -> Framework:
    return small_framework()


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Any:
    """Write a workbook from {sheet: rows} into the test's folder; returns its path."""

    def make(sheets: dict[str, Sequence[Sequence[Any]]], name: str = "form.xlsx") -> Path:
        return write_xlsx(tmp_path / name, sheets)

    return make
