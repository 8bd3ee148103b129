"""The framework model: what a review asks (questionnaire), how answers score, and how scores aggregate.

A framework is data. Readers (YAML, XLSForm workbook) build these immutable objects; the validator checks
them; the scoring module turns answers into indicator values; the index engine aggregates over the tree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

# The four interface and questionnaire languages of a review, in display order (the translation system's).
from govlens.i18n import LANGUAGES

LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "es": "Español", "pt": "Português", "fr": "Français"}

# A translatable text: language code -> text. Missing languages fall back to the default language.
Text = Mapping[str, str]


def text_in(text: Text, language: str, fallback: str = "en") -> str:
    """The text in ``language``, else in ``fallback``, else in any language present, else ''."""
    if text.get(language):
        return text[language]
    if text.get(fallback):
        return text[fallback]
    return next((value for value in text.values() if value), "")


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    INTEGER = "integer"
    DECIMAL = "decimal"
    YEAR = "year"
    TEXT = "text"
    URL = "url"

    @property
    def is_select(self) -> bool:
        return self in (QuestionType.YES_NO, QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE)

    @property
    def is_number(self) -> bool:
        return self in (QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.YEAR)


# yes/no questions use this built-in choice list unless they name another one.
YES_NO_LIST = "yes_no"


class Evidence(StrEnum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


class ScoringMethod(StrEnum):
    # select_one / yes_no: the points of the chosen option; select_multiple: the sum of the points of
    # the selected options, capped at 1.
    POINTS = "points"
    # select_multiple: options selected / options counted (options listed in ``exclude`` do not count).
    SHARE_SELECTED = "share_selected"
    # numbers: the score of the highest threshold whose bound is <= the value; 0 below the first bound.
    THRESHOLDS = "thresholds"
    # numbers: (value - low) / (high - low), clipped to [0, 1].
    LINEAR = "linear"
    # any type: 1 when answered (e.g. a URL to the strategy is given), 0 otherwise.
    ANSWERED = "answered"


class NodeKind(StrEnum):
    INDEX = "index"
    PILLAR = "pillar"
    SUB_PILLAR = "sub_pillar"
    INDICATOR = "indicator"


class Combine(StrEnum):
    """How the scores of an indicator's questions combine into the indicator's value."""

    MEAN = "mean"
    MAX = "max"
    MIN = "min"


@dataclass(frozen=True)
class Choice:
    name: str
    label: Text = field(default_factory=dict)


@dataclass(frozen=True)
class ChoiceList:
    name: str
    choices: tuple[Choice, ...]

    def names(self) -> tuple[str, ...]:
        return tuple(choice.name for choice in self.choices)


@dataclass(frozen=True)
class Scoring:
    method: ScoringMethod
    points: Mapping[str, float] = field(default_factory=dict)
    # (lower bound, score) pairs in ascending order of bound.
    thresholds: tuple[tuple[float, float], ...] = ()
    low: float | None = None
    high: float | None = None
    # options that a share does not count (for example "none" or "dont_know").
    exclude: tuple[str, ...] = ()
    # score of an unanswered (or not relevant) question; None = use the framework setting.
    unanswered: float | None = None


# The built-in choice list of yes/no questions: every framework has it unless it defines its own, so a
# framework built in code and the same framework read back from a file are equal (and share a fingerprint).
YES_NO_CHOICES = ChoiceList(
    YES_NO_LIST,
    (
        Choice("yes", {"en": "Yes", "es": "Sí", "pt": "Sim", "fr": "Oui"}),
        Choice("no", {"en": "No", "es": "No", "pt": "Não", "fr": "Non"}),
    ),
)


@dataclass(frozen=True)
class Question:
    name: str
    type: QuestionType
    label: Text
    hint: Text = field(default_factory=dict)
    choices: str | None = None  # name of the choice list (select types)
    required: bool = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: Text = field(default_factory=dict)
    evidence: Evidence = Evidence.NONE
    seed_refs: tuple[str, ...] = ()
    scoring: Scoring | None = None

    @property
    def choice_list(self) -> str | None:
        """The choice list this question draws from (yes/no questions default to the built-in list)."""
        if self.type is QuestionType.YES_NO:
            return self.choices or YES_NO_LIST
        return self.choices


# XLSForm allows one name in two groups; GovLens keys answers by question name, so such a question is named by
# its section and its own name, 'governance/org_exists' (the path Kobo and ODK exports give its column).
QUALIFIER = "/"


def qualified_name(section: str, name: str) -> str:
    """The name of a question whose own name a question of another section shares."""
    return f"{section}{QUALIFIER}{name}"


def unqualified_name(section: str, name: str) -> str:
    """A question's own name, without its section's qualifier (the XLSForm name: it has no '/')."""
    return name.removeprefix(f"{section}{QUALIFIER}")


@dataclass(frozen=True)
class Section:
    name: str
    label: Text
    questions: tuple[Question, ...]
    relevant: str | None = None


@dataclass(frozen=True)
class Node:
    """A node of the indicator tree: the index, a pillar, a sub-pillar or a (leaf) indicator."""

    id: str
    kind: NodeKind
    label: Text
    parent: str | None = None
    weight: float = 1.0
    direction: int = 1
    # leaf indicators fed by the questionnaire: the questions whose scores make the value
    questions: tuple[str, ...] = ()
    combine: Combine = Combine.MEAN
    # leaf indicators fed by a dataset: the variable name in that dataset
    source: str | None = None
    seed_refs: tuple[str, ...] = ()
    description: Text = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    # The OECD Digital Government Index scores unanswered items as 0; None leaves them missing so the
    # index engine imputes or skips them.
    unanswered_score: float | None = 0.0


def _canonical(value: object) -> object:
    """Whole floats as ints, so a weight of 2 written in code and 2.0 read from a file serialise alike."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    title: Text
    sections: tuple[Section, ...] = ()
    choice_lists: Mapping[str, ChoiceList] = field(default_factory=dict)
    nodes: tuple[Node, ...] = ()
    languages: tuple[str, ...] = LANGUAGES
    default_language: str = "en"
    settings: Settings = field(default_factory=Settings)
    description: Text = field(default_factory=dict)
    source: str = ""  # citation of where the framework comes from
    # The defaults of a release of this framework: the plain values of the ``index:`` and ``uncertainty:``
    # sections (setting name -> value). The release layer checks them against the engine's typed settings
    # (govlens.release.settings): the framework is read below the index engine and cannot know its options.
    index_settings: Mapping[str, Any] = field(default_factory=dict)
    uncertainty_settings: Mapping[str, Any] = field(default_factory=dict)
    # named alternatives to the nodes' weights (name -> node id -> weight; a node left out keeps its weight),
    # chosen by the index setting ``weights`` and drawn from by the uncertainty analysis
    weight_sets: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if YES_NO_LIST not in self.choice_lists:
            object.__setattr__(self, "choice_lists", {**self.choice_lists, YES_NO_LIST: YES_NO_CHOICES})

    # -- questionnaire -------------------------------------------------------------------------------
    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def question(self, name: str) -> Question:
        for question in self.questions():
            if question.name == name:
                return question
        raise KeyError(name)

    def section_of(self, name: str) -> Section:
        for section in self.sections:
            if any(question.name == name for question in section.questions):
                return section
        raise KeyError(name)

    # -- indicator tree ------------------------------------------------------------------------------
    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    @property
    def root(self) -> Node:
        return next(node for node in self.nodes if node.parent is None)

    def children(self, node_id: str) -> tuple[Node, ...]:
        return tuple(node for node in self.nodes if node.parent == node_id)

    def leaves(self) -> tuple[Node, ...]:
        parents = {node.parent for node in self.nodes}
        return tuple(node for node in self.nodes if node.id not in parents)

    def ancestors(self, node_id: str) -> tuple[Node, ...]:
        """Parent, grandparent, ... up to the root (stops on a cycle rather than looping)."""
        found: list[Node] = []
        seen = {node_id}
        by_id = {node.id: node for node in self.nodes}
        current = by_id.get(node_id)
        while current is not None and current.parent is not None and current.parent not in seen:
            seen.add(current.parent)
            current = by_id.get(current.parent)
            if current is not None:
                found.append(current)
        return tuple(found)

    # -- identity ------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, object]:
        """A plain, JSON-serialisable view of the whole framework (stable key order)."""
        data = asdict(self)
        for name in ("index_settings", "uncertainty_settings", "weight_sets"):
            if not data[name]:  # added later: a framework without them keeps its fingerprint
                del data[name]
        result: dict[str, object] = json.loads(json.dumps(_canonical(data), sort_keys=True, default=str))
        return result

    def fingerprint(self) -> str:
        """SHA-256 of the canonical content: a cycle records it, so a changed framework under the same
        version is detected and refused (frameworks are immutable once a cycle uses them)."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
