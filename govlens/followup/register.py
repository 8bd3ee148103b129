"""The register of a release's recommendations: what was recommended, to whom, and what would show progress.

Each recommendation keeps the id of the rule that wrote it, so it is the same recommendation in every release
of a cycle and in the next cycle's review (that is how progress is traced across cycles). It is addressed to the
countries the rule's figure leaves out (a rule that recommends when too few countries have a practice is
addressed to those without it; a rule on something to reduce, to those counted), and it names the indicators
whose change would show progress: the rule's indicator, or the indicators scored from the rule's questions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from govlens.analysis.narrative import Rule, RuleSet, Statement
from govlens.framework.model import Framework, NodeKind, text_in
from govlens.release import Release

__all__ = [
    "REGISTER_FORMAT",
    "Recommendation",
    "Register",
    "addressed_countries",
    "progress_indicators",
    "register_from",
]

REGISTER_FORMAT = 1


@dataclass(frozen=True)
class Recommendation:
    id: str  # the rule's id: stable across the releases of a cycle and across cycles
    finding: str  # the seed finding it answers (F01..F43)
    text: Mapping[str, str]  # language -> text (en, es, pt, fr)
    countries: tuple[str, ...]  # ISO3 codes of the countries it is addressed to
    indicators: tuple[str, ...]  # node ids whose change would show progress
    bodies: tuple[str, ...] = ()  # regional bodies it is also addressed to (CAF, Red GEALC ...)

    def in_language(self, language: str = "en") -> str:
        return text_in(self.text, language)

    def addressed_to(self, country: str) -> bool:
        return country.upper() in self.countries

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "finding": self.finding,
            "text": dict(self.text),
            "countries": list(self.countries),
            "indicators": list(self.indicators),
            "bodies": list(self.bodies),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Recommendation:
        return cls(
            id=str(data["id"]),
            finding=str(data.get("finding", "")),
            text={str(k): str(v) for k, v in dict(data.get("text", {})).items()},
            countries=tuple(str(c) for c in data.get("countries", ())),
            indicators=tuple(str(n) for n in data.get("indicators", ())),
            bodies=tuple(str(b) for b in data.get("bodies", ())),
        )


@dataclass(frozen=True)
class Register:
    """The recommendations of one release, in the order the report gives them."""

    cycle: str
    release_id: str
    release_hash: str
    framework_id: str
    recommendations: tuple[Recommendation, ...]
    synthetic: bool = False
    _by_id: Mapping[str, Recommendation] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        ids = [item.id for item in self.recommendations]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"recommendation ids must be unique in a register; repeated: {', '.join(repeated)}")
        object.__setattr__(self, "_by_id", {item.id: item for item in self.recommendations})

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.recommendations)

    def get(self, recommendation_id: str) -> Recommendation:
        try:
            return self._by_id[recommendation_id]
        except KeyError:
            raise KeyError(f"no recommendation {recommendation_id!r} in the register of {self.release_id}") from None

    def __contains__(self, recommendation_id: object) -> bool:
        return recommendation_id in self._by_id

    def for_country(self, country: str) -> tuple[Recommendation, ...]:
        return tuple(item for item in self.recommendations if item.addressed_to(country))

    def to_dict(self) -> dict[str, Any]:
        return {
            "govlens_register": REGISTER_FORMAT,
            "cycle": self.cycle,
            "release": {"id": self.release_id, "hash": self.release_hash},
            "framework_id": self.framework_id,
            "synthetic": self.synthetic,
            "recommendations": [item.to_dict() for item in self.recommendations],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Register:
        if data.get("govlens_register") != REGISTER_FORMAT:
            raise ValueError(f"govlens_register must be {REGISTER_FORMAT}; got {data.get('govlens_register')!r}")
        release = dict(data["release"])
        return cls(
            cycle=str(data["cycle"]),
            release_id=str(release["id"]),
            release_hash=str(release.get("hash", "")),
            framework_id=str(data.get("framework_id", "")),
            synthetic=bool(data.get("synthetic", False)),
            recommendations=tuple(Recommendation.from_dict(item) for item in data.get("recommendations", ())),
        )


def addressed_countries(statement: Statement, rule: Rule) -> tuple[str, ...]:
    """The countries a regional recommendation is for, sorted: those the analysis addressed it to (without the
    practice, or counted for a share of something to reduce)."""
    named = statement.addressed
    if named is None:
        raise ValueError(f"a {statement.kind} statement is addressed to nobody; rule {rule.id!r}")
    return tuple(sorted(named))


def progress_indicators(framework: Framework, rule: Rule) -> tuple[str, ...]:
    """Node ids whose change would show progress on a rule: its indicator, or the indicators (leaf nodes) scored
    from any of its questions, in tree order."""
    if rule.indicator is not None:
        return (rule.indicator,)
    wanted = set(rule.questions)
    return tuple(
        node.id for node in framework.nodes if node.kind is NodeKind.INDICATOR and wanted.intersection(node.questions)
    )


def register_from(release: Release, statements: Iterable[Statement], rules: RuleSet | None) -> Register:
    """The register of a release from its regional statements (``regional_statements`` on the release's
    statistics): one recommendation per rule that recommended to at least one country, with the regional bodies
    its second recommendation speaks to (if the rule has one). The text is the action alone, since the register
    names the countries itself."""
    framework = release.framework()
    found: dict[str, Recommendation] = {}
    for statement in statements:
        if statement.kind != "recommendation" or rules is None or statement.provenance.rule is None:
            continue
        try:
            rule = rules.rule(statement.provenance.rule)
        except KeyError:
            continue
        if statement.bodies:
            if rule.id in found:
                found[rule.id] = replace(found[rule.id], bodies=tuple(statement.bodies))
            continue
        countries = addressed_countries(statement, rule)
        if not countries or rule.id in found:
            continue
        found[rule.id] = Recommendation(
            id=rule.id,
            finding=rule.finding,
            text=dict(statement.action or statement.text),
            countries=countries,
            indicators=progress_indicators(framework, rule),
        )
    return Register(
        cycle=release.cycle,
        release_id=release.id,
        release_hash=release.hash,
        framework_id=release.inputs.framework_id,
        recommendations=tuple(found.values()),
        synthetic=release.synthetic,
    )
