"""Findings and recommendations written from the data, with the figure and the countries behind each sentence.

Rules (``govlens/analysis/rules/<framework>.yaml``, format in ``docs/analysis.md``) link a question, a set of
questions or an indicator to a finding of the seed (F01..F43), a statement template and a recommendation, in
English, Spanish, Portuguese and French. :func:`regional_statements` turns each rule into a
:class:`Statement` with the right quantifier ("most", "a modest majority", ...) for the share it counts, the
figure ("15 of 17"), and the rule's recommendation when the share is below (or above) its threshold.
:func:`country_profile` writes a country's strengths and weaknesses (pillars and indicators far above or below
the group mean) and the three recommendations with the largest expected gain (weight of the indicator in the
index x gap to the group's frontier).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import yaml

from govlens.analysis import errors as _errors  # noqa: F401  (registers the rules' problem codes)
from govlens.analysis.quantifiers import PHRASES, WORDS, format_share, quantifier_key
from govlens.analysis.regional import (
    ALL,
    CountFigure,
    Provenance,
    RegionalStatistics,
    SummaryFigure,
    effective_weights,
)
from govlens.framework.errors import problem
from govlens.framework.findings import FINDINGS
from govlens.framework.model import LANGUAGES, Framework, NodeKind, text_in
from govlens.framework.report import Report
from govlens.framework.scoring import question_options
from govlens.i18n import N_, country_name, format_list, gettext

__all__ = [
    "PLACEHOLDERS",
    "RULES_DIR",
    "CountryProfile",
    "Rule",
    "RuleSet",
    "RulesInvalid",
    "Statement",
    "addressed_to",
    "by_finding",
    "check_rules",
    "country_profile",
    "load_rules",
    "regional_statements",
]

RULES_DIR = Path(__file__).parent / "rules"
RULES_FORMAT = 1
COMBINE = ("min", "max")

# What a statement template may use. {Countries} and {Quantifier} are capitalised for the start of a sentence.
PLACEHOLDERS: Mapping[str, str] = {
    "countries": "the quantifier with the noun: 'most countries'",
    "Countries": "the same, capitalised: 'Most countries'",
    "quantifier": "the quantifier alone: 'most'",
    "Quantifier": "the same, capitalised: 'Most'",
    "count": "the countries counted: 15",
    "total": "the countries the share is among: 17",
    "share": "the share as a percentage: '88%'",
    "fraction": "'15 of 17' ('15 de 17', '15 sur 17')",
    "figure": "'15 of 17 countries (88%)'",
    "min_count": "rules on several questions: the lowest count",
    "max_count": "rules on several questions: the highest count",
    "min_share": "rules on several questions: the lowest share",
    "max_share": "rules on several questions: the highest share",
    "group": "the name of the group of countries",
    "list": "the countries counted, as ISO3 codes: 'ARG, BRA'",
}

_FRACTION: Mapping[str, str] = {
    "en": "{count} of {total}",
    "es": "{count} de {total}",
    "pt": "{count} de {total}",
    "fr": "{count} sur {total}",
}
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


def _exact(threshold: float) -> Fraction:
    """A threshold as the decimal it was written as (0.9 is 9/10, not the binary float just above it), so that a
    share exactly at the threshold is not below it."""
    return Fraction(repr(threshold))


# -- the rules ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """One rule of a rules file: what it counts, the finding it speaks to, and what it says."""

    id: str
    finding: str
    statement: Mapping[str, str]
    questions: tuple[str, ...] = ()  # one question, or several combined by ``combine``
    indicator: str | None = None
    options: tuple[str, ...] = ()  # select questions: the answers counted
    at_least: float | None = None  # number questions and indicators: the bounds counted (inclusive)
    at_most: float | None = None
    combine: str = "min"  # several questions: the figure the quantifier uses (the lowest or highest share)
    statement_none: Mapping[str, str] = field(default_factory=dict)  # used when nobody is counted
    recommendation: Mapping[str, str] = field(default_factory=dict)
    recommend_below: float | None = None  # recommend when the share is below this
    recommend_above: float | None = None  # ... or above this (for shares of something to reduce)
    regional_bodies: tuple[str, ...] = ()  # regional bodies a second recommendation is addressed to
    regional_recommendation: Mapping[str, str] = field(default_factory=dict)

    @property
    def subject_kind(self) -> str:
        return "indicator" if self.indicator is not None else "question"

    @property
    def subject(self) -> str:
        return self.indicator if self.indicator is not None else ",".join(self.questions)

    def recommends(self, share: Fraction | None) -> bool:
        if share is None or not self.recommendation:
            return False
        if self.recommend_below is not None and share < _exact(self.recommend_below):
            return True
        return self.recommend_above is not None and share > _exact(self.recommend_above)

    def addressed(self, figure: CountFigure) -> tuple[str, ...]:
        """The countries a recommendation on this figure is for: those without the practice counted (or, for a
        share of something to reduce, those counted), among the figure's denominator."""
        above = self.recommend_above is not None and (
            self.recommend_below is None or figure.share is None or figure.share >= _exact(self.recommend_below)
        )
        return figure.countries if above else figure.not_counted


@dataclass(frozen=True)
class RuleSet:
    framework_id: str
    rules: tuple[Rule, ...]
    path: str = ""

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    def findings(self) -> tuple[str, ...]:
        """The findings the rules cover, in F01..F43 order."""
        covered = {rule.finding for rule in self.rules}
        return tuple(ref for ref in FINDINGS if ref in covered)


class RulesInvalid(ValueError):
    """A rules file with errors; ``report`` holds every problem, each naming its rule."""

    def __init__(self, report: Report):
        lines = [str(problem) for problem in report.errors]
        super().__init__(f"{len(lines)} problem(s) in the rules:\n" + "\n".join(lines))
        self.report = report


def _texts(value: object) -> dict[str, str]:
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, Mapping):
        return {str(key): str(text) for key, text in value.items() if text is not None}
    return {}


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    raise ValueError(f"expected a number; got {value!r}")


def check_rules(data: object, framework: Framework, path: str = "") -> tuple[RuleSet | None, Report]:
    """Read and check the parsed YAML of a rules file against a framework; every problem names its rule."""
    report = Report()

    def error(code: str, **params: object) -> None:
        report.add(problem(code, path, None, **params))

    if not isinstance(data, Mapping):
        error("rules_not_a_mapping")
        return None, report
    if data.get("govlens_rules") != RULES_FORMAT:
        error("rules_format", expected=RULES_FORMAT, value=data.get("govlens_rules"))
    if data.get("framework") != framework.id:
        error("rules_framework", value=data.get("framework"), framework=framework.id)
    entries = data.get("rules")
    if not isinstance(entries, list) or not entries:
        error("rules_missing")
        return None, report

    questions = {question.name: question for question in framework.questions()}
    nodes = {node.id for node in framework.nodes}
    rules: list[Rule] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        name = str(entry.get("id", f"#{index}")) if isinstance(entry, Mapping) else f"#{index}"
        where = f"rule '{name}'"
        if not isinstance(entry, Mapping):
            error("rule_not_a_mapping", where=where)
            continue
        before = len(report.errors)
        if not _ID.fullmatch(name):
            error("rule_id", where=where)
        if name in seen:
            error("rule_duplicate", where=where)
        seen.add(name)
        known = {
            "id",
            "finding",
            "question",
            "questions",
            "indicator",
            "options",
            "at_least",
            "at_most",
            "combine",
            "statement",
            "statement_none",
            "recommendation",
            "recommend_below",
            "recommend_above",
            "regional",
        }
        for key in entry:
            if key not in known:
                error("rule_unknown_field", where=where, field=key, allowed=", ".join(sorted(known)))
        finding = str(entry.get("finding", ""))
        if finding not in FINDINGS:
            error("rule_unknown_finding", where=where, finding=finding)

        subject_keys = [key for key in ("question", "questions", "indicator") if key in entry]
        if len(subject_keys) != 1:
            error(
                "rule_subject",
                where=where,
                reason=f"give exactly one of question, questions, indicator; got {subject_keys}",
            )
            continue
        names: tuple[str, ...] = ()
        indicator: str | None = None
        if "question" in entry:
            names = (str(entry["question"]),)
        elif "questions" in entry:
            raw = entry["questions"]
            names = tuple(str(item) for item in raw) if isinstance(raw, list) else ()
            if not names:
                error("rule_subject", where=where, reason="questions must be a non-empty list")
        else:
            indicator = str(entry["indicator"])
            if indicator not in nodes:
                error("rule_unknown_indicator", where=where, indicator=indicator, framework=framework.id)
        for question_name in names:
            if question_name not in questions:
                error("rule_unknown_question", where=where, name=question_name, framework=framework.id)

        options = tuple(str(option) for option in entry.get("options") or ())
        try:
            at_least, at_most = _number(entry.get("at_least")), _number(entry.get("at_most"))
            below, above = _number(entry.get("recommend_below")), _number(entry.get("recommend_above"))
        except ValueError as not_a_number:
            error("rule_not_a_number", where=where, reason=str(not_a_number))
            continue
        kinds = {questions[q].type for q in names if q in questions}
        if names and all(q in questions for q in names):
            families = {"select" if kind.is_select else "number" if kind.is_number else "other" for kind in kinds}
            if len(families) > 1 or "other" in families:
                error("rule_question_types", where=where)
            elif all(kind.is_select for kind in kinds):
                if not options:
                    error("rule_options", where=where, reason="a rule on a select question lists the options it counts")
                if at_least is not None or at_most is not None:
                    error(
                        "rule_bounds",
                        where=where,
                        reason="at_least/at_most apply to numbers and indicators, not to options",
                    )
                for q in names:
                    allowed = question_options(framework, questions[q]) or ()
                    unknown = [option for option in options if option not in allowed]
                    if unknown:
                        error(
                            "rule_unknown_option",
                            where=where,
                            name=q,
                            options=", ".join(unknown),
                            allowed=", ".join(allowed),
                        )
            else:
                if at_least is None and at_most is None:
                    error("rule_bounds", where=where, reason="a rule on a number question needs at_least or at_most")
                if options:
                    error(
                        "rule_options",
                        where=where,
                        reason="options apply to select questions, not to a number question",
                    )
        if indicator is not None and at_least is None and at_most is None:
            error("rule_bounds", where=where, reason="a rule on an indicator needs at_least or at_most")
        if indicator is not None and options:
            error("rule_options", where=where, reason="options apply to select questions, not to an indicator")
        combine = str(entry.get("combine", "min"))
        if combine not in COMBINE:
            error("rule_combine", where=where, allowed=f"{{{', '.join(COMBINE)}}}", value=combine)
        for threshold_name, threshold in (("recommend_below", below), ("recommend_above", above)):
            if threshold is not None and not 0 <= threshold <= 1:
                error("rule_threshold", where=where, name=threshold_name, value=threshold)

        statement = _texts(entry.get("statement"))
        statement_none = _texts(entry.get("statement_none"))
        recommendation = _texts(entry.get("recommendation"))
        regional = entry.get("regional")
        bodies: tuple[str, ...] = ()
        regional_text: dict[str, str] = {}
        if regional is not None:
            raw_bodies = regional.get("bodies") if isinstance(regional, Mapping) else None
            regional_text = _texts(regional.get("recommendation")) if isinstance(regional, Mapping) else {}
            if not isinstance(raw_bodies, list) or not raw_bodies or not regional_text:
                error(
                    "rule_regional",
                    where=where,
                    reason="regional needs 'bodies' (a non-empty list) and a 'recommendation'",
                )
            else:
                bodies = tuple(str(body) for body in raw_bodies)
            if not recommendation:
                error(
                    "rule_regional",
                    where=where,
                    reason="a regional recommendation goes with a recommendation to countries",
                )
        if not statement:
            error("rule_statement", where=where)
        if (below is not None or above is not None) and not recommendation:
            error("rule_recommendation", where=where)
        for label, texts in (
            ("statement", statement),
            ("statement_none", statement_none),
            ("recommendation", recommendation),
            ("regional recommendation", regional_text),
        ):
            if not texts:
                continue
            missing = [language for language in LANGUAGES if not texts.get(language)]
            if missing:
                error("rule_language", where=where, label=label, languages=", ".join(missing))
            for language, text in texts.items():
                if label in ("recommendation", "regional recommendation") and _fields(text):
                    error(
                        "rule_placeholder",
                        where=where,
                        label=label,
                        language=language,
                        reason="uses placeholders; a recommendation is the action alone (plain text): who it is for "
                        "is added when it is given",
                    )
                    continue
                bad = _bad_placeholders(text)
                if bad:
                    error(
                        "rule_placeholder",
                        where=where,
                        label=label,
                        language=language,
                        reason=f"uses unknown placeholder(s) {', '.join(bad)}; allowed: {', '.join(PLACEHOLDERS)}",
                    )
        if len(report.errors) > before:
            continue
        rules.append(
            Rule(
                id=name,
                finding=finding,
                statement=statement,
                questions=names,
                indicator=indicator,
                options=options,
                at_least=at_least,
                at_most=at_most,
                combine=combine,
                statement_none=statement_none,
                recommendation=recommendation,
                recommend_below=below,
                recommend_above=above,
                regional_bodies=bodies,
                regional_recommendation=regional_text,
            )
        )
    if not report.valid:
        return None, report
    return RuleSet(framework_id=framework.id, rules=tuple(rules), path=path), report


def _fields(text: str) -> list[str]:
    """The placeholder names of a template ('{' alone makes it malformed: reported as a placeholder)."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as problem:
        return [f"(malformed: {problem})"]


def _bad_placeholders(text: str) -> list[str]:
    return sorted({name for name in _fields(text) if name not in PLACEHOLDERS})


def resolve_rules(name_or_path: str | Path) -> Path:
    """The bundled rules file of a framework id (``lac-dgr``), or a path."""
    bundled = RULES_DIR / f"{name_or_path}.yaml"
    if isinstance(name_or_path, str) and bundled.is_file():
        return bundled
    path = Path(name_or_path)
    if path.is_file():
        return path
    available = ", ".join(sorted(p.stem for p in RULES_DIR.glob("*.yaml"))) or "none"
    raise FileNotFoundError(f"no rules file {str(name_or_path)!r}; bundled rules: {available}")


def load_rules(name_or_path: str | Path, framework: Framework) -> RuleSet:
    """Read and check a rules file (a bundled framework id or a path); raises :class:`RulesInvalid` with every
    problem, each naming its rule, or ``FileNotFoundError``."""
    path = resolve_rules(name_or_path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as syntax:
        report = Report([problem("rules_yaml", str(path), None, reason=str(syntax))])
        raise RulesInvalid(report) from None
    rules, report = check_rules(data, framework, str(path))
    if rules is None:
        raise RulesInvalid(report)
    return rules


# -- statements ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """A generated sentence in each language, the figure it cites and where it comes from.

    ``kind`` is ``finding`` or ``recommendation`` (regional), ``strength``, ``weakness`` or
    ``country_recommendation`` (country level). ``countries`` are the countries counted by a finding, the
    countries a recommendation is for (those it concerns: for a regional body's recommendation too), or the
    country of a country statement; ``denominator`` the countries the figure is among. ``addressees`` are who
    a recommendation speaks to: the countries concerned, or regional bodies (``audience`` ``regional``).
    """

    kind: str
    text: Mapping[str, str]
    provenance: Provenance
    countries: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    figure: CountFigure | SummaryFigure | None = None
    figures: tuple[CountFigure, ...] = ()  # every figure a rule on several questions looked at
    quantifier: str | None = None  # the quantifier key (see quantifiers.BANDS)
    share: Fraction | None = None
    detail: Mapping[str, str] = field(default_factory=dict)  # e.g. the expected gain behind a recommendation
    audience: str = "countries"  # recommendations: "countries" or "regional" (bodies such as CAF, Red GEALC)
    addressees: tuple[str, ...] = ()  # recommendations: the ISO3 codes or the regional bodies spoken to
    action: Mapping[str, str] = field(default_factory=dict)  # recommendations: the action alone, per language

    def in_language(self, language: str = "en") -> str:
        return text_in(self.text, language)

    @property
    def addressed(self) -> tuple[str, ...] | None:
        """The countries a recommendation is for (None for other statements)."""
        return self.countries if self.kind == "recommendation" else None

    @property
    def bodies(self) -> tuple[str, ...]:
        """The regional bodies a recommendation speaks to (none for a recommendation to countries)."""
        return self.addressees if self.audience == "regional" else ()

    def to_dict(self) -> dict[str, object]:
        """A JSON-serialisable view, for releases, exports and the dashboard's click-through to the evidence."""
        return {
            "kind": self.kind,
            "text": dict(self.text),
            "detail": dict(self.detail),
            "audience": self.audience,
            "addressees": list(self.addressees),
            "action": dict(self.action),
            "quantifier": self.quantifier,
            "share": float(self.share) if self.share is not None else None,
            "countries": list(self.countries),
            "denominator": list(self.denominator),
            "provenance": self.provenance.to_dict(),
            "figure": self.figure.to_dict() if self.figure is not None else None,
            "figures": [figure.to_dict() for figure in self.figures],
        }

    def citation(self, language: str = "en") -> str:
        """The figure and the countries behind it: "15 of 17 countries (88%): ARG, BRA, ..."."""
        figure = self.figure
        if isinstance(figure, CountFigure):
            if self.kind == "recommendation":  # the countries it is for, among the same denominator
                figure = replace(figure, countries=self.countries)
            return f"{figure.text(language)}: {', '.join(self.countries) or '–'}"
        return ", ".join(self.countries)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _values(figure: CountFigure, figures: Sequence[CountFigure], language: str, group: str) -> dict[str, object]:
    share = figure.share
    assert share is not None
    key = quantifier_key(share)
    shares = [f.share for f in figures if f.share is not None]
    counts = [f.count for f in figures]
    return {
        "countries": PHRASES[key][language],
        "Countries": _capital(PHRASES[key][language]),
        "quantifier": WORDS[key][language],
        "Quantifier": _capital(WORDS[key][language]),
        "count": figure.count,
        "total": figure.total,
        "share": format_share(share, language),
        "fraction": _FRACTION[language].format(count=figure.count, total=figure.total),
        "figure": figure.text(language),
        "min_count": min(counts),
        "max_count": max(counts),
        "min_share": format_share(min(shares), language),
        "max_share": format_share(max(shares), language),
        "group": group,
        "list": ", ".join(figure.countries) or "–",
    }


def _rule_figures(stats: RegionalStatistics, rule: Rule, group: str) -> list[CountFigure]:
    if rule.indicator is not None:
        return [stats.score_figure(rule.indicator, at_least=rule.at_least, at_most=rule.at_most, group=group)]
    figures = []
    for name in rule.questions:
        if stats.framework.question(name).type.is_select:
            figures.append(stats.options_figure(name, rule.options, group))
        else:
            figures.append(stats.number_figure(name, at_least=rule.at_least, at_most=rule.at_most, group=group))
    return figures


def regional_statements(
    stats: RegionalStatistics, rules: RuleSet, *, group: str = ALL, names: Callable[[str, str], str] | None = None
) -> list[Statement]:
    """One ``finding`` statement per rule with data (in rule order), each followed by its ``recommendation``
    when the share crosses the rule's threshold, and by a recommendation to regional bodies when the rule has
    one. Rules whose figure has no countries to count are skipped.

    A recommendation is for the countries that lack the practice (or, with ``recommend_above``, those counted):
    its ``countries``; its ``action`` is the rule's text, its ``detail`` says whom it is addressed to, worded by
    how many (:func:`addressed_to`), and its ``text`` is both. A recommendation to regional bodies has
    ``audience`` ``regional`` and the bodies as ``addressees``. ``names(iso3, language)`` gives the country
    names (by default :func:`govlens.i18n.country_name`)."""
    if rules.framework_id != stats.framework.id:
        raise ValueError(f"the rules are for framework {rules.framework_id!r}; got {stats.framework.id!r}")
    statements: list[Statement] = []
    for rule in rules.rules:
        figures = [figure for figure in _rule_figures(stats, rule, group) if figure.total]
        if not figures:
            continue
        pick = min if rule.combine == "min" else max
        figure = pick(figures, key=lambda f: (f.share, f.provenance.subject))
        share = figure.share
        provenance = Provenance(
            framework_id=stats.framework.id,
            framework_version=stats.framework.version,
            subject_kind=rule.subject_kind,
            subject=figure.provenance.subject,
            group=group,
            condition=figure.provenance.condition,
            release_id=stats.release_id,
            rule=rule.id,
            finding=rule.finding,
        )
        texts = rule.statement_none if figure.count == 0 and rule.statement_none else rule.statement
        text = {
            language: texts.get(language, texts.get("en", "")).format(
                **_values(figure, figures, language if language in texts else "en", group)
            )
            for language in LANGUAGES
        }
        finding = Statement(
            kind="finding",
            text=text,
            provenance=provenance,
            countries=figure.countries,
            denominator=figure.denominator,
            figure=figure,
            figures=tuple(figures),
            quantifier=quantifier_key(share) if share is not None else None,
            share=share,
        )
        statements.append(finding)
        if rule.recommends(share):
            statements.extend(_recommendations_for(finding, rule, figure, names or country_name))
    return statements


def _plain(texts: Mapping[str, str]) -> dict[str, str]:
    return {language: texts.get(language) or texts.get("en", "") for language in LANGUAGES}


def _recommendations_for(
    finding: Statement, rule: Rule, figure: CountFigure, names: Callable[[str, str], str]
) -> list[Statement]:
    """The recommendation of a rule to the countries concerned, and its recommendation to regional bodies:
    ``action`` the rule's text, ``detail`` whom it is addressed to, ``text`` the two together."""
    addressed = rule.addressed(figure)
    if not addressed:
        return []
    action = _plain(rule.recommendation)
    to = {language: addressed_to(addressed, figure.denominator, language, names) for language in LANGUAGES}
    made = [
        replace(
            finding,
            kind="recommendation",
            text={language: f"{action[language]} {to[language]}" for language in LANGUAGES},
            countries=addressed,
            addressees=addressed,
            action=action,
            detail=to,
        )
    ]
    if rule.regional_bodies and rule.regional_recommendation:
        regional = _plain(rule.regional_recommendation)
        bodies = {
            language: gettext(_TO_BODIES, language, bodies=format_list(rule.regional_bodies, language))
            for language in LANGUAGES
        }
        made.append(
            replace(
                finding,
                kind="recommendation",
                text={language: f"{regional[language]} {bodies[language]}" for language in LANGUAGES},
                countries=addressed,
                audience="regional",
                addressees=rule.regional_bodies,
                action=regional,
                detail=bodies,
            )
        )
    return made


# Whom a recommendation is addressed to, after its action (messages of the gettext catalogues). Up to
# _LIST_NAMED countries concerned are named; beyond that, the countries that comply are named instead when they
# are at most half as many. Names stand in lists, where no article is needed.
_TO_ALL = N_("Addressed to all {total} countries.")
_TO_SOME = N_("Addressed to {names} ({count} of {total} countries).")
_TO_ALL_BUT = N_("Addressed to {count} of {total} countries: all but {names}.")
_TO_BODIES = N_("Addressed to regional bodies: {bodies}.")
_LIST_NAMED = 8


def _alphabetical(name: str) -> str:
    """A sort key that files accented names with their letter ("Équateur" among the E)."""
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c)).casefold()


def addressed_to(
    addressed: Sequence[str],
    denominator: Sequence[str],
    language: str,
    names: Callable[[str, str], str] = country_name,
) -> str:
    """Whom a recommendation is for (names in alphabetical order), worded by how many they are among the
    ``denominator`` countries:
    "Addressed to Brazil and Uruguay (2 of 17 countries).", "Addressed to all 17 countries.", "Addressed to 13 of
    17 countries: all but Brazil, Costa Rica, Mexico, and Trinidad and Tobago."."""
    count, total = len(addressed), len(denominator)
    concerned = set(addressed)
    others = [unit for unit in denominator if unit not in concerned]
    if count == total:
        return gettext(_TO_ALL, language, total=total)
    if count > _LIST_NAMED and 2 * len(others) <= count:
        template, listed = _TO_ALL_BUT, others
    else:
        template, listed = _TO_SOME, list(addressed)
    named = format_list(sorted((names(unit, language) for unit in listed), key=_alphabetical), language)
    return gettext(template, language, names=named, count=count, total=total)


def by_finding(statements: Iterable[Statement]) -> dict[str, list[Statement]]:
    """Statements grouped by the finding their rule cites, in F01..F43 order (the order of the seed's chapter)."""
    listed = list(statements)
    grouped: dict[str, list[Statement]] = {}
    for ref in FINDINGS:
        found = [statement for statement in listed if statement.provenance.finding == ref]
        if found:
            grouped[ref] = found
    return grouped


# -- country level ------------------------------------------------------------------------------------------------
_STRENGTH: Mapping[str, str] = {
    "en": "{node} is a strength: {value} against a mean of {mean} over {n} countries (best: {best}).",
    "es": "{node} es una fortaleza: {value} frente a una media de {mean} en {n} países (mejor: {best}).",
    "pt": "{node} é um ponto forte: {value} frente a uma média de {mean} em {n} países (melhor: {best}).",
    "fr": "{node} est un point fort : {value} contre une moyenne de {mean} sur {n} pays (meilleur : {best}).",
}
_WEAKNESS: Mapping[str, str] = {
    "en": "{node} is a weakness: {value} against a mean of {mean} over {n} countries (best: {best}).",
    "es": "{node} es una debilidad: {value} frente a una media de {mean} en {n} países (mejor: {best}).",
    "pt": "{node} é um ponto fraco: {value} frente a uma média de {mean} em {n} países (melhor: {best}).",
    "fr": "{node} est un point faible : {value} contre une moyenne de {mean} sur {n} pays (meilleur : {best}).",
}
_GAIN: Mapping[str, str] = {
    "en": "Expected gain {gain} on the index: weight {weight} x gap {gap} to the frontier ({frontier}, {leaders}).",
    "es": "Ganancia esperada de {gain} en el índice: peso {weight} x brecha de {gap} respecto de la frontera "
    "({frontier}, {leaders}).",
    "pt": "Ganho esperado de {gain} no índice: peso {weight} x lacuna de {gap} em relação à fronteira "
    "({frontier}, {leaders}).",
    "fr": "Gain attendu de {gain} sur l'indice : poids {weight} x écart de {gap} à la frontière "
    "({frontier}, {leaders}).",
}
_GENERIC_ADVICE: Mapping[str, str] = {
    "en": "Close the gap with the leading countries on: {node}.",
    "es": "Reducir la brecha con los países más avanzados en: {node}.",
    "pt": "Reduzir a distância em relação aos países mais avançados em: {node}.",
    "fr": "Réduire l'écart avec les pays les plus avancés sur : {node}.",
}


def _decimal(value: float, language: str, places: int = 2) -> str:
    text = f"{value:.{places}f}"
    return text if language == "en" else text.replace(".", ",")


@dataclass(frozen=True)
class CountryProfile:
    country: str
    group: str
    strengths: tuple[Statement, ...]
    weaknesses: tuple[Statement, ...]
    recommendations: tuple[Statement, ...]


def _rules_for(rules: RuleSet | None, framework: Framework, node_id: str) -> list[Rule]:
    """Rules with a recommendation that speak to an indicator: on it, on one of its questions, or on one of the
    findings it cites, in that order of preference."""
    if rules is None:
        return []
    node = framework.node(node_id)
    with_advice = [rule for rule in rules.rules if rule.recommendation]
    direct = [rule for rule in with_advice if rule.indicator == node_id]
    by_question = [rule for rule in with_advice if set(rule.questions) & set(node.questions)]
    by_finding = [rule for rule in with_advice if rule.finding in node.seed_refs]
    ordered: list[Rule] = []
    for rule in [*direct, *by_question, *by_finding]:
        if rule not in ordered:
            ordered.append(rule)
    return ordered


def country_profile(
    stats: RegionalStatistics,
    country: str,
    rules: RuleSet | None = None,
    *,
    group: str = ALL,
    kinds: Iterable[NodeKind] = (NodeKind.PILLAR, NodeKind.INDICATOR),
    min_sd: float = 1.0,
    min_gap: float = 0.1,
    limit: int = 5,
    top: int = 3,
) -> CountryProfile:
    """Strengths and weaknesses of a country, and its ``top`` recommendations.

    A node (of ``kinds``) is a strength when the country's score is above the group mean by at least
    ``min_sd`` standard deviations and by at least ``min_gap`` (scores are in [0, 1]); a weakness likewise
    below. Up to ``limit`` of each, largest gaps first. Recommendations: for each leaf indicator, the expected
    gain is its effective weight in the index times the gap between the country and the group's best score;
    the ``top`` largest gains with a positive gain give one recommendation each (the text of the first rule
    that speaks to the indicator, or a generic one naming it; each rule is used once).
    """
    framework = stats.framework
    if country not in stats.units:
        raise ValueError(f"country must be one of the units with a response; got {country!r}")
    wanted = set(kinds)
    strengths: list[tuple[float, Statement]] = []
    weaknesses: list[tuple[float, Statement]] = []
    for node in framework.nodes:
        if node.kind not in wanted or node.id not in stats.scores.columns:
            continue
        summary = stats.score_summary(node.id, group)
        value = summary.values.get(country)
        if value is None or summary.mean is None or summary.std is None or summary.n < 2:
            continue
        gap = value - summary.mean
        if abs(gap) < min_gap or abs(gap) < min_sd * summary.std:
            continue
        templates = _STRENGTH if gap > 0 else _WEAKNESS
        text = {
            language: templates[language].format(
                node=text_in(node.label, language),
                value=_decimal(value, language),
                mean=_decimal(summary.mean, language),
                n=summary.n,
                best=", ".join(summary.max_countries),
            )
            for language in LANGUAGES
        }
        statement = Statement(
            kind="strength" if gap > 0 else "weakness",
            text=text,
            provenance=_country_provenance(stats, node.id, group, country, None),
            countries=(country,),
            denominator=summary.countries,
            figure=summary,
        )
        (strengths if gap > 0 else weaknesses).append((abs(gap), statement))

    recommendations = _recommendations(stats, country, rules, group, top)
    return CountryProfile(
        country=country,
        group=group,
        strengths=tuple(s for _, s in sorted(strengths, key=lambda item: -item[0])[:limit]),
        weaknesses=tuple(s for _, s in sorted(weaknesses, key=lambda item: -item[0])[:limit]),
        recommendations=recommendations,
    )


def _country_provenance(
    stats: RegionalStatistics, node: str, group: str, country: str, rule: Rule | None
) -> Provenance:
    return Provenance(
        framework_id=stats.framework.id,
        framework_version=stats.framework.version,
        subject_kind="indicator",
        subject=node,
        group=group,
        release_id=stats.release_id,
        rule=rule.id if rule is not None else None,
        finding=rule.finding if rule is not None else None,
        country=country,
    )


def _recommendations(
    stats: RegionalStatistics, country: str, rules: RuleSet | None, group: str, top: int
) -> tuple[Statement, ...]:
    framework = stats.framework
    weights = effective_weights(framework)
    gains: list[tuple[float, str, SummaryFigure, float]] = []
    for node in framework.leaves():
        if node.id not in stats.scores.columns:
            continue
        summary = stats.score_summary(node.id, group)
        value = summary.values.get(country)
        if value is None or summary.max is None:
            continue
        gain = weights.get(node.id, 0.0) * (summary.max - value)
        if gain > 1e-12:
            gains.append((gain, node.id, summary, value))
    gains.sort(key=lambda item: (-item[0], item[1]))

    used: set[str] = set()
    chosen: list[Statement] = []
    for gain, node_id, summary, value in gains:
        if len(chosen) >= top:
            break
        node = framework.node(node_id)
        rule = next((r for r in _rules_for(rules, framework, node_id) if r.id not in used), None)
        if rule is not None:
            used.add(rule.id)
            text = {
                language: rule.recommendation.get(language) or rule.recommendation.get("en", "")
                for language in LANGUAGES
            }
        else:
            text = {
                language: _GENERIC_ADVICE[language].format(node=text_in(node.label, language)) for language in LANGUAGES
            }
        assert summary.max is not None
        detail = {
            language: _GAIN[language].format(
                gain=_decimal(gain, language, 3),
                weight=_decimal(weights[node_id], language, 3),
                gap=_decimal(summary.max - value, language),
                frontier=_decimal(summary.max, language),
                leaders=", ".join(summary.max_countries),
            )
            for language in LANGUAGES
        }
        chosen.append(
            Statement(
                kind="country_recommendation",
                text=text,
                provenance=_country_provenance(stats, node_id, group, country, rule),
                countries=(country,),
                denominator=summary.countries,
                figure=summary,
                detail=detail,
            )
        )
    return tuple(chosen)
