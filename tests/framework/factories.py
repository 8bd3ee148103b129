"""Helpers that build tiny frameworks from the model dataclasses, so tests state only what they check."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from govlens.framework.model import (
    Choice,
    ChoiceList,
    Combine,
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


def en(text: str) -> dict[str, str]:
    return {"en": text}


def choice_list(name: str, *options: str) -> ChoiceList:
    return ChoiceList(name, tuple(Choice(option, en(option.title())) for option in options))


def question(
    name: str,
    type: QuestionType | str = QuestionType.TEXT,
    *,
    choices: str | None = None,
    required: bool = False,
    relevant: str | None = None,
    constraint: str | None = None,
    constraint_message: str | None = None,
    scoring: Scoring | None = None,
) -> Question:
    return Question(
        name=name,
        type=QuestionType(type),
        label=en(name),
        choices=choices,
        required=required,
        relevant=relevant,
        constraint=constraint,
        constraint_message=en(constraint_message) if constraint_message else {},
        scoring=scoring,
    )


def points(**by_option: float) -> Scoring:
    return Scoring(ScoringMethod.POINTS, points=dict(by_option))


def section(name: str, *questions: Question, relevant: str | None = None) -> Section:
    return Section(name, en(name), tuple(questions), relevant=relevant)


def leaf(node_id: str, *questions: str, combine: Combine = Combine.MEAN, parent: str = "IDX") -> Node:
    return Node(node_id, NodeKind.INDICATOR, en(node_id), parent=parent, questions=tuple(questions), combine=combine)


def framework(
    sections: Iterable[Section],
    *,
    lists: Iterable[ChoiceList] = (),
    leaves: Iterable[Node] = (),
    unanswered_score: float | None = 0.0,
    extra_nodes: Iterable[Node] = (),
) -> Framework:
    """A framework with an index root ``IDX`` whose children are ``leaves`` (plus any ``extra_nodes``)."""
    root = Node("IDX", NodeKind.INDEX, en("Index"))
    lists_by_name: Mapping[str, ChoiceList] = {item.name: item for item in lists}
    return Framework(
        id="tiny",
        version="1",
        title=en("Tiny"),
        sections=tuple(sections),
        choice_lists=lists_by_name,
        nodes=(root, *leaves, *extra_nodes),
        settings=Settings(unanswered_score=unanswered_score),
    )
