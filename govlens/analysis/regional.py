"""Regional statistics: how many countries answered what, and how indicator and node scores spread, by group.

Every figure names the countries behind it. A **count** ("15 of 17 countries (88%)") is always taken among the
countries of the group that were asked the question (its ``relevant`` skip logic holds, section included) and
answered it: that list is the figure's ``denominator``. Countries of the group that the form did not ask are
listed as ``not_applicable``, countries that were asked but left the question blank as ``missing``, and group
members with no response at all as ``no_response``; none of these are in the denominator. Indicator
thresholds work the same way: the denominator is the countries with a value (not missing).

A **summary** (mean, median, min, max, standard deviation) of an indicator or node score is over the
countries of the group that have a score; ``values`` lists each of them with its score.

Groups are passed as a mapping ``name -> ISO3 codes`` (all LAC, a sub-region, a peer group), so this module
does not depend on ``govlens.data``; the group ``all`` (every unit with a response) is always present.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from govlens.analysis.quantifiers import format_share
from govlens.framework.answers import Answer, AnswerError, coerce_answer
from govlens.framework.errors import Location, problem
from govlens.framework.model import LANGUAGES, Framework, NodeKind, QuestionType
from govlens.framework.report import Report
from govlens.framework.scoring import question_options, relevant_questions, score_table

__all__ = [
    "ALL",
    "CountFigure",
    "Provenance",
    "RegionalStatistics",
    "SummaryFigure",
    "effective_weights",
    "node_scores",
    "regional_statistics",
]

# The name of the group of every unit that has a response.
ALL = "all"

# "15 of 17 countries (88%)" in each language: {count} {total} {share}.
_FIGURE_TEXT: Mapping[str, str] = {
    "en": "{count} of {total} countries ({share})",
    "es": "{count} de {total} países ({share})",
    "pt": "{count} de {total} países ({share})",
    "fr": "{count} pays sur {total} ({share})",
}


@dataclass(frozen=True)
class Provenance:
    """Where a figure or statement comes from, so a reader can go from a sentence to the answers.

    ``subject_kind`` is ``question`` (``subject`` a question name) or ``indicator`` (``subject`` a node id of
    the indicator tree: an indicator, sub-pillar, pillar or the index). ``condition`` says what was counted
    ("= 'yes'", "in {full, partial}", ">= 0.5") for counts.
    """

    framework_id: str
    framework_version: str
    subject_kind: str
    subject: str
    group: str = ALL
    condition: str | None = None
    release_id: str | None = None
    rule: str | None = None
    finding: str | None = None
    country: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        return {
            "framework_id": self.framework_id,
            "framework_version": self.framework_version,
            "subject_kind": self.subject_kind,
            "subject": self.subject,
            "group": self.group,
            "condition": self.condition,
            "release_id": self.release_id,
            "rule": self.rule,
            "finding": self.finding,
            "country": self.country,
        }


@dataclass(frozen=True)
class CountFigure:
    """How many countries of a group meet a condition, among the ``denominator`` countries."""

    provenance: Provenance
    countries: tuple[str, ...]  # the countries counted
    denominator: tuple[str, ...]  # the countries the share is among (asked and answered, or with a value)
    not_applicable: tuple[str, ...] = ()  # in the group, not asked (skip logic)
    missing: tuple[str, ...] = ()  # in the group, asked but not answered (or no value)
    no_response: tuple[str, ...] = ()  # in the group, no response at all
    option: str | None = None  # the option counted, for option figures
    # the evidence: each denominator country's answer (or score, for indicator counts)
    answers: Mapping[str, Answer] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.countries)

    @property
    def total(self) -> int:
        return len(self.denominator)

    @property
    def share(self) -> Fraction | None:
        """count / total as an exact fraction; None when nobody is in the denominator."""
        return Fraction(self.count, self.total) if self.total else None

    @property
    def not_counted(self) -> tuple[str, ...]:
        """The countries of the denominator that do not meet the condition."""
        counted = set(self.countries)
        return tuple(unit for unit in self.denominator if unit not in counted)

    def to_dict(self) -> dict[str, object]:
        """A JSON-serialisable view (share as a float, None without a denominator)."""
        share = self.share
        return {
            "kind": "count",
            "provenance": self.provenance.to_dict(),
            "option": self.option,
            "count": self.count,
            "total": self.total,
            "share": float(share) if share is not None else None,
            "countries": list(self.countries),
            "denominator": list(self.denominator),
            "not_applicable": list(self.not_applicable),
            "missing": list(self.missing),
            "no_response": list(self.no_response),
            "answers": {
                unit: list(value) if isinstance(value, tuple) else value for unit, value in self.answers.items()
            },
        }

    def text(self, language: str = "en") -> str:
        """The figure as "15 of 17 countries (88%)" in the language ("0 of 0 countries" shows no share)."""
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {{{', '.join(LANGUAGES)}}}; got {language!r}")
        share = self.share
        shown = format_share(share, language) if share is not None else "–"
        return _FIGURE_TEXT[language].format(count=self.count, total=self.total, share=shown)


@dataclass(frozen=True)
class SummaryFigure:
    """The spread of a score (or of a number answer) over the countries of a group that have one."""

    provenance: Provenance
    values: Mapping[str, float]  # country -> value, the countries behind the figure
    missing: tuple[str, ...] = ()
    not_applicable: tuple[str, ...] = ()
    no_response: tuple[str, ...] = ()
    mean: float | None = None
    median: float | None = None
    min: float | None = None
    max: float | None = None
    std: float | None = None  # population standard deviation (ddof = 0)
    min_countries: tuple[str, ...] = ()
    max_countries: tuple[str, ...] = ()

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(self.values)

    @property
    def n(self) -> int:
        return len(self.values)

    def to_dict(self) -> dict[str, object]:
        """A JSON-serialisable view."""
        return {
            "kind": "summary",
            "provenance": self.provenance.to_dict(),
            "n": self.n,
            "mean": self.mean,
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "std": self.std,
            "values": dict(self.values),
            "min_countries": list(self.min_countries),
            "max_countries": list(self.max_countries),
            "missing": list(self.missing),
            "not_applicable": list(self.not_applicable),
            "no_response": list(self.no_response),
        }


def _summary(
    provenance: Provenance,
    values: Mapping[str, float],
    *,
    missing: tuple[str, ...] = (),
    not_applicable: tuple[str, ...] = (),
    no_response: tuple[str, ...] = (),
) -> SummaryFigure:
    if not values:
        return SummaryFigure(provenance, {}, missing=missing, not_applicable=not_applicable, no_response=no_response)
    array = np.array(list(values.values()), dtype=float)
    low, high = float(array.min()), float(array.max())
    return SummaryFigure(
        provenance,
        dict(values),
        missing=missing,
        not_applicable=not_applicable,
        no_response=no_response,
        mean=float(array.mean()),
        median=float(np.median(array)),
        min=low,
        max=high,
        std=float(array.std()),
        min_countries=tuple(unit for unit, value in values.items() if value == low),
        max_countries=tuple(unit for unit, value in values.items() if value == high),
    )


# -- node scores from indicator values ----------------------------------------------------------------------------
def effective_weights(framework: Framework) -> dict[str, float]:
    """The weight of every node in the index: the product, up the tree, of its weight over its siblings'.

    The leaves' effective weights sum to 1 when every indicator is present (weights renormalise over the
    siblings present when some are missing, as in :func:`node_scores`).
    """
    weights: dict[str, float] = {}
    for node in framework.nodes:  # parents come before children in a valid framework
        if node.parent is None:
            weights[node.id] = 1.0
            continue
        siblings = framework.children(node.parent)
        total = sum(sibling.weight for sibling in siblings)
        share = node.weight / total if total > 0 else 0.0
        weights[node.id] = weights.get(node.parent, 1.0) * share
    return weights


def node_scores(framework: Framework, indicators: pd.DataFrame) -> pd.DataFrame:
    """Units x every node of the tree: the leaves' values as given, each parent the weighted arithmetic mean of
    its children present (weights renormalised over them; NaN when no child is present).

    This is the framework's own simple aggregation, used when no index-engine result is passed; a release
    passes the engine's scores instead.
    """
    from govlens.index.aggregate import aggregate_tree  # the engine's one tree aggregation
    from govlens.index.tree import Tree

    tree = Tree.from_framework(framework)
    leaves = indicators.astype(float).reindex(columns=list(tree.leaves)).to_numpy()
    scores = aggregate_tree(leaves, tree, tree.weight_vector(), "arithmetic")
    table = pd.DataFrame(scores, index=indicators.index, columns=list(tree.node_ids))
    return table.reindex(columns=[node.id for node in framework.nodes])


# -- the statistics --------------------------------------------------------------------------------------------------
def _condition_text(options: Sequence[str]) -> str:
    if len(options) == 1:
        return f"= '{options[0]}'"
    return "in {" + ", ".join(options) + "}"


def _bounds_text(at_least: float | None, at_most: float | None) -> str:
    parts = []
    if at_least is not None:
        parts.append(f">= {at_least:g}")
    if at_most is not None:
        parts.append(f"<= {at_most:g}")
    return " and ".join(parts)


def _within(value: float, at_least: float | None, at_most: float | None) -> bool:
    return (at_least is None or value >= at_least) and (at_most is None or value <= at_most)


@dataclass
class RegionalStatistics:
    """A table of responses prepared once (typed answers, skip logic, scores), with figures on demand.

    Build it with :func:`regional_statistics`. ``report`` holds answers that could not be read (they count
    as missing).
    """

    framework: Framework
    units: tuple[str, ...]
    answers: Mapping[str, Mapping[str, Answer]]
    relevant: Mapping[str, frozenset[str]]
    scores: pd.DataFrame
    groups: Mapping[str, tuple[str, ...]]
    release_id: str | None = None
    report: Report = field(default_factory=Report)
    # score summaries are asked for again and again by country profiles
    _summaries: dict[tuple[str, str], SummaryFigure] = field(default_factory=dict, repr=False, compare=False)

    # -- groups ----------------------------------------------------------------------------------------------
    def members(self, group: str) -> tuple[str, ...]:
        """The group's members that have a response, in response order."""
        wanted = set(self._group(group))
        return tuple(unit for unit in self.units if unit in wanted)

    def _group(self, group: str) -> tuple[str, ...]:
        if group not in self.groups:
            raise ValueError(f"group must be one of {{{', '.join(self.groups)}}}; got {group!r}")
        return self.groups[group]

    def _no_response(self, group: str) -> tuple[str, ...]:
        answered = set(self.units)
        return tuple(unit for unit in self._group(group) if unit not in answered)

    def _provenance(self, kind: str, subject: str, group: str, condition: str | None = None) -> Provenance:
        return Provenance(
            framework_id=self.framework.id,
            framework_version=self.framework.version,
            subject_kind=kind,
            subject=subject,
            group=group,
            condition=condition,
            release_id=self.release_id,
        )

    def _question(self, name: str) -> QuestionType:
        try:
            return self.framework.question(name).type
        except KeyError:
            raise ValueError(f"'{name}' is not a question of framework {self.framework.id}") from None

    def _asked(self, name: str, group: str) -> tuple[list[str], list[str], list[str]]:
        """(answered, missing, not applicable) members of the group for a question."""
        answered: list[str] = []
        missing: list[str] = []
        not_applicable: list[str] = []
        for unit in self.members(group):
            if name not in self.relevant[unit]:
                not_applicable.append(unit)
            elif self.answers[unit].get(name) is None:
                missing.append(unit)
            else:
                answered.append(unit)
        return answered, missing, not_applicable

    # -- counts ----------------------------------------------------------------------------------------------
    def options_figure(self, question: str, options: Collection[str], group: str = ALL) -> CountFigure:
        """Countries whose answer to a select (or yes/no) question is among ``options`` (for a multiple
        choice: selects at least one of them)."""
        kind = self._question(question)
        if not kind.is_select:
            raise ValueError(f"question '{question}' is {kind.value}; counting options needs a select question")
        wanted = tuple(options)
        allowed = question_options(self.framework, self.framework.question(question)) or ()
        unknown = [option for option in wanted if option not in allowed]
        if unknown or not wanted:
            raise ValueError(
                f"options of '{question}' must be among {{{', '.join(allowed)}}}; got {', '.join(unknown) or 'none'}"
            )
        answered, missing, not_applicable = self._asked(question, group)
        counted = []
        for unit in answered:
            value = self.answers[unit][question]
            chosen = value if isinstance(value, tuple) else (str(value),)
            if any(option in chosen for option in wanted):
                counted.append(unit)
        return CountFigure(
            self._provenance("question", question, group, _condition_text(wanted)),
            countries=tuple(counted),
            denominator=tuple(answered),
            not_applicable=tuple(not_applicable),
            missing=tuple(missing),
            no_response=self._no_response(group),
            option=wanted[0] if len(wanted) == 1 else None,
            answers={unit: self.answers[unit][question] for unit in answered},
        )

    def number_figure(
        self, question: str, *, at_least: float | None = None, at_most: float | None = None, group: str = ALL
    ) -> CountFigure:
        """Countries whose number answer lies within the bounds (both inclusive)."""
        kind = self._question(question)
        if not kind.is_number:
            raise ValueError(f"question '{question}' is {kind.value}; bounds need a number question")
        if at_least is None and at_most is None:
            raise ValueError(f"a count on '{question}' needs at_least or at_most; got neither")
        answered, missing, not_applicable = self._asked(question, group)
        counted = [unit for unit in answered if _within(float(self._number(unit, question)), at_least, at_most)]
        return CountFigure(
            self._provenance("question", question, group, _bounds_text(at_least, at_most)),
            countries=tuple(counted),
            denominator=tuple(answered),
            not_applicable=tuple(not_applicable),
            missing=tuple(missing),
            no_response=self._no_response(group),
            answers={unit: self.answers[unit][question] for unit in answered},
        )

    def _number(self, unit: str, question: str) -> float:
        value = self.answers[unit][question]
        assert isinstance(value, int | float)
        return float(value)

    def score_figure(
        self, node: str, *, at_least: float | None = None, at_most: float | None = None, group: str = ALL
    ) -> CountFigure:
        """Countries whose score on a node (indicator, sub-pillar, pillar, index) lies within the bounds."""
        if at_least is None and at_most is None:
            raise ValueError(f"a count on '{node}' needs at_least or at_most; got neither")
        values, missing = self._scores(node, group)
        counted = [unit for unit, value in values.items() if _within(value, at_least, at_most)]
        return CountFigure(
            self._provenance("indicator", node, group, _bounds_text(at_least, at_most)),
            countries=tuple(counted),
            denominator=tuple(values),
            missing=missing,
            no_response=self._no_response(group),
            answers=dict(values),
        )

    def question_figures(self, groups: Iterable[str] | None = None) -> list[CountFigure]:
        """One figure per option of every select and yes/no question, per group."""
        figures: list[CountFigure] = []
        for group in groups if groups is not None else self.groups:
            for question in self.framework.questions():
                if not question.type.is_select:
                    continue
                for option in question_options(self.framework, question) or ():
                    figures.append(self.options_figure(question.name, (option,), group))
        return figures

    # -- summaries -------------------------------------------------------------------------------------------
    def _scores(self, node: str, group: str) -> tuple[dict[str, float], tuple[str, ...]]:
        if node not in self.scores.columns:
            raise ValueError(f"'{node}' is not a node with scores; nodes: {', '.join(map(str, self.scores.columns))}")
        column = self.scores[node]
        values: dict[str, float] = {}
        missing: list[str] = []
        for unit in self.members(group):
            value = float(column.loc[unit]) if unit in column.index else math.nan
            if math.isnan(value):
                missing.append(unit)
            else:
                values[unit] = value
        return values, tuple(missing)

    def score_summary(self, node: str, group: str = ALL) -> SummaryFigure:
        """Mean, median, min, max and standard deviation of a node's scores over the group."""
        key = (node, group)
        if key not in self._summaries:
            values, missing = self._scores(node, group)
            self._summaries[key] = _summary(
                self._provenance("indicator", node, group),
                values,
                missing=missing,
                no_response=self._no_response(group),
            )
        return self._summaries[key]

    def number_summary(self, question: str, group: str = ALL) -> SummaryFigure:
        """The spread of a number question's answers (e.g. the year a strategy was adopted)."""
        kind = self._question(question)
        if not kind.is_number:
            raise ValueError(f"question '{question}' is {kind.value}; a summary needs a number question")
        answered, missing, not_applicable = self._asked(question, group)
        values = {unit: self._number(unit, question) for unit in answered}
        return _summary(
            self._provenance("question", question, group),
            values,
            missing=tuple(missing),
            not_applicable=tuple(not_applicable),
            no_response=self._no_response(group),
        )

    def score_summaries(self, groups: Iterable[str] | None = None) -> list[SummaryFigure]:
        """One summary per node of the tree with scores, per group."""
        nodes = [node.id for node in self.framework.nodes if node.id in self.scores.columns]
        return [
            self.score_summary(node, group)
            for group in (groups if groups is not None else self.groups)
            for node in nodes
        ]

    def number_summaries(self, groups: Iterable[str] | None = None) -> list[SummaryFigure]:
        names = [question.name for question in self.framework.questions() if question.type.is_number]
        return [
            self.number_summary(name, group)
            for group in (groups if groups is not None else self.groups)
            for name in names
        ]

    # -- tables ----------------------------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """Every count (each option of each select question) and every summary (node scores, number answers)
        for every group, one row each, with the countries behind it (space-separated ISO3 codes)."""
        rows: list[dict[str, object]] = []
        for figure in self.question_figures():
            p = figure.provenance
            share = figure.share
            rows.append(
                {
                    "kind": "count",
                    "subject_kind": p.subject_kind,
                    "subject": p.subject,
                    "option": figure.option,
                    "group": p.group,
                    "count": figure.count,
                    "total": figure.total,
                    "share": float(share) if share is not None else math.nan,
                    "countries": " ".join(figure.countries),
                    "denominator": " ".join(figure.denominator),
                }
            )
        for summary in [*self.score_summaries(), *self.number_summaries()]:
            p = summary.provenance
            rows.append(
                {
                    "kind": "summary",
                    "subject_kind": p.subject_kind,
                    "subject": p.subject,
                    "group": p.group,
                    "total": summary.n,
                    "mean": summary.mean,
                    "median": summary.median,
                    "min": summary.min,
                    "max": summary.max,
                    "countries": " ".join(summary.countries),
                    "denominator": " ".join(summary.countries),
                }
            )
        columns = [
            "kind",
            "subject_kind",
            "subject",
            "option",
            "group",
            "count",
            "total",
            "share",
            "mean",
            "median",
            "min",
            "max",
            "countries",
            "denominator",
        ]
        return pd.DataFrame(rows, columns=columns)


def regional_statistics(
    framework: Framework,
    responses: Mapping[str, Mapping[str, object]],
    *,
    groups: Mapping[str, Iterable[str]] | None = None,
    scores: pd.DataFrame | None = None,
    release_id: str | None = None,
    today: datetime.date | None = None,
) -> RegionalStatistics:
    """Prepare a table of responses (unit, e.g. ISO3 -> question -> answer) for regional figures.

    ``groups`` maps a group name to its ISO3 codes (members without a response are reported as
    ``no_response``); the group ``all`` is added as every unit with a response unless given. ``scores`` is a
    units x node table (e.g. the index engine's results of a release); without it, indicator values come
    from the framework's scoring and parents are their children's weighted means (:func:`node_scores`).
    """
    units = tuple(responses)
    report = Report()
    typed: dict[str, dict[str, Answer]] = {}
    questions = list(framework.questions())
    for unit, raw in responses.items():
        row: dict[str, Answer] = {}
        for question in questions:
            try:
                value = coerce_answer(question, raw.get(question.name))
            except AnswerError as error:
                report.add(problem(error.code, unit, Location(column=question.name), **error.params))
                value = None
            if value is not None and question.type.is_select:
                allowed = question_options(framework, question)
                chosen = value if isinstance(value, tuple) else (str(value),)
                unknown = [option for option in chosen if allowed is not None and option not in allowed]
                if unknown:
                    at = Location(column=question.name)
                    shown, options = ", ".join(unknown), ", ".join(allowed or ())
                    report.add(problem("unknown_choice", unit, at, name=question.name, value=shown, allowed=options))
                    value = None
            row[question.name] = value
        typed[unit] = row
    relevant = {unit: relevant_questions(framework, typed[unit], today=today) for unit in units}

    if scores is None:
        # score the typed answers, skip logic applied, so the unreadable ones count as unanswered
        cleaned = {
            unit: {name: value for name, value in typed[unit].items() if name in relevant[unit]} for unit in units
        }
        scores = node_scores(framework, score_table(framework, cleaned, today=today))
    resolved: dict[str, tuple[str, ...]] = {ALL: units}
    for name, members in (groups or {}).items():
        resolved[name] = tuple(dict.fromkeys(str(member) for member in members))
    return RegionalStatistics(
        framework=framework,
        units=units,
        answers=typed,
        relevant=relevant,
        scores=scores,
        groups=resolved,
        release_id=release_id,
        report=report,
    )


def leaf_ids(framework: Framework) -> tuple[str, ...]:
    """The ids of the leaf indicators fed by questions."""
    return tuple(node.id for node in framework.leaves() if node.kind is NodeKind.INDICATOR and node.questions)
