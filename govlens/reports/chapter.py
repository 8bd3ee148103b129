"""The regional report as an assessment chapter: key messages, then one section per theme of the review.

The statements and recommendations come from :mod:`govlens.analysis.narrative` (rules of the framework); this
module only composes them: it groups the findings into the seed review's themes, weaves each theme's statements
into a paragraph (the countries behind every figure in a footnote), adds the contrast with the OECD from the
public data frozen in the release, addresses each recommendation to the countries it concerns (named) and, where
the review calls for joint work, to regional bodies. Countries are presented in maturity groups of the index
(A to D, as the World Bank groups the GovTech Maturity Index); ranks are left to the annex and the dashboard.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from govlens.analysis.narrative import RuleSet, Statement, regional_statements
from govlens.analysis.quantifiers import percent
from govlens.analysis.regional import ALL, CountFigure
from govlens.framework.model import text_in
from govlens.i18n import N_, country_name, format_list, format_number, gettext, typography
from govlens.reports.edits import Edit, EditSet, StaleFigure, stale_figures

if TYPE_CHECKING:
    from govlens.reports.render import ReportData

__all__ = ["GROUPS", "THEMES", "Chapter", "Passage", "Theme", "addressed_countries", "chapter", "maturity_groups"]


@dataclass(frozen=True)
class Theme:
    """A section of the chapter: the findings it gathers, its OECD contrasts and its regional recommendation."""

    id: str
    title: str
    intro: str
    findings: tuple[str, ...]
    benchmarks: tuple[tuple[str, str], ...] = ()  # (dataset, variable) of the frozen public-data tables
    regional: str = ""  # a recommendation to regional bodies, when the review calls for joint work


# The seed review's themes, in its order; every finding F01..F43 belongs to one (a test checks it).
THEMES: tuple[Theme, ...] = (
    Theme(
        "governance",
        N_("Governance and institutions"),
        N_(
            "Who leads digital government, and with which powers, decides whether reforms are carried through "
            "across the public sector."
        ),
        ("F01", "F02", "F03"),
        (("dgi", "digital_by_design"),),
    ),
    Theme(
        "strategy",
        N_("Strategy"),
        N_(
            "Strategies set the direction; their value depends on being current, monitored and aligned with the "
            "broader digital agendas of the region."
        ),
        ("F04", "F05", "F06"),
        (("internet", "internet_users"), ("dgi", "composite")),
        N_(
            "ECLAC's Digital Agenda for Latin America and the Caribbean (eLAC) and Red GEALC: give the regional "
            "agenda a complete set of digital government priorities with a shared monitoring framework, and "
            "direct joint work to the countries whose digital development lags behind."
        ),
    ),
    Theme(
        "legal",
        N_("Legal and regulatory framework"),
        N_(
            "The law sets the safeguards for planning, running and monitoring digital government; it has to keep "
            "pace with new practices."
        ),
        ("F07",),
    ),
    Theme(
        "investment",
        N_("Investment and procurement"),
        N_(
            "How digital investments are planned, approved, bought and monitored determines whether they deliver value."
        ),
        ("F08", "F09", "F10", "F11", "F12", "F13", "F14"),
    ),
    Theme(
        "skills",
        N_("Skills and culture"),
        N_("A digital state needs public servants with the right skills and a culture that allows experimentation."),
        ("F15", "F16", "F17"),
        (("egdi", "HCI"),),
        N_(
            "Red GEALC and CAF: develop a regional digital skills framework for public servants and pool "
            "training and recruitment practices across countries."
        ),
    ),
    Theme(
        "data",
        N_("Data"),
        N_(
            "Data governance, from leadership and strategy to open data and protection, underpins services, "
            "policy and the use of artificial intelligence."
        ),
        ("F18", "F19", "F20", "F21", "F22", "F23", "F24", "F25", "F26", "F27", "F28", "F29"),
        (("dgi", "data_driven"), ("ourdata", "availability_score"), ("ourdata", "reuse_score")),
        N_("MERCOSUR, Red GEALC and eLAC: agree common rules and standards for exchanging public data across borders."),
    ),
    Theme(
        "services",
        N_("Public services"),
        N_(
            "Services are where citizens meet the state; designing them around users needs common tools, data on "
            "performance and the right capacities."
        ),
        ("F30", "F31", "F32", "F33", "F34", "F35", "F36"),
        (("egdi", "OSI"), ("dgi", "user_driven"), ("dgi", "proactiveness")),
        N_(
            "Red GEALC and CAF: share digital public goods and open-source building blocks (digital notification, "
            "citizen folder) among countries with similar legal frameworks."
        ),
    ),
    Theme(
        "innovation",
        N_("Innovation and GovTech"),
        N_("Innovation capacity and partnerships with start-ups let governments adopt new technology with agility."),
        ("F37", "F38", "F39", "F40", "F41", "F42", "F43"),
        (("egdi", "EPI"),),
        N_(
            "CAF and Red GEALC: support national GovTech policies with a regional programme that connects "
            "start-ups, cities and governments and shares procurement practices."
        ),
    ),
)

# Maturity groups of the index, best first. Countries with similar scores share a group: the groups are separated
# at the widest gaps between consecutive index scores (so a few hundredths between neighbours never split them),
# each group keeping at least MIN_MEMBERS countries.
GROUPS: tuple[tuple[str, str], ...] = (
    ("A", N_("leading")),
    ("B", N_("advancing")),
    ("C", N_("developing")),
    ("D", N_("beginning")),
)
MIN_MEMBERS = 2

_SOURCES: Mapping[str, str] = {
    "dgi": N_("OECD Digital Government Index"),
    "ourdata": N_("OECD OURdata Index"),
    "egdi": N_("UN E-Government Survey"),
    "internet": N_("ITU data"),
}


@dataclass(frozen=True)
class Note:
    number: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A passage analysts may replace: its target ("finding:<rule>"), the text generated for it and the title of
    its section."""

    target: str
    generated: str
    section: str = ""


@dataclass(frozen=True)
class Sentence:
    text: str
    note: Note | None
    statement: Statement
    edited_by: str = ""  # the analyst who replaced the generated sentence ("" when generated)


@dataclass(frozen=True)
class Advice:
    text: str
    addressed: str  # "Addressed to Bolivia and Honduras."
    countries: tuple[str, ...]
    statement: Statement | None = None  # None for a recommendation to regional bodies
    edited_by: str = ""

    @property
    def regional(self) -> bool:
        return self.statement is None


@dataclass(frozen=True)
class ThemeSection:
    theme: Theme
    title: str
    intro: str
    sentences: tuple[Sentence, ...]
    contrasts: tuple[str, ...]
    advice: tuple[Advice, ...]
    notes: tuple[Note, ...]
    intro_edited_by: str = ""


@dataclass(frozen=True)
class Group:
    letter: str
    label: str  # "leading", in the language
    title: str  # "Group A: leading"
    countries: tuple[tuple[str, str], ...]  # (ISO3, name), alphabetical by name
    low: str = ""  # the range of index scores in the group, formatted
    high: str = ""


@dataclass(frozen=True)
class KeyMessage:
    title: str  # the theme ('' for the overview)
    text: str
    follow: str = ""  # the recommendation it leads to
    edited_by: str = ""


@dataclass(frozen=True)
class Chapter:
    key_messages: tuple[KeyMessage, ...]
    groups: tuple[Group, ...]
    themes: tuple[ThemeSection, ...]
    group_rule: str = ""
    notes: tuple[Note, ...] = field(default_factory=tuple)
    stale: tuple[StaleFigure, ...] = ()  # edited passages the data no longer support (they block publication)
    edited: tuple[Edit, ...] = ()  # the edits applied
    passages: tuple[Passage, ...] = ()  # every passage an edit may replace, in the order of the chapter

    @property
    def publishable(self) -> bool:
        return not self.stale


class _Editor:
    """Applies an edit set's passages of one language and collects those whose figures have gone stale."""

    def __init__(self, edits: EditSet | None, language: str):
        self.edits, self.language = edits, language
        self.applied: list[Edit] = []
        self.stale: list[StaleFigure] = []
        self.passages: list[Passage] = []
        self.section = ""  # the title of the section whose passages are being applied

    def apply(
        self,
        target: str,
        generated: str,
        supported: Sequence[object] = (),
        shares: Sequence[tuple[int, int]] = (),
    ) -> tuple[str, str]:
        """(text, edited by) of a passage: the edit when there is one, else the generated text. ``supported`` are
        the figures the passage stands on, ``shares`` its (count, total) pairs (for a share written as "half")."""
        self.passages.append(Passage(target, generated, self.section))
        edit = self.edits.get(target, self.language) if self.edits is not None else None
        if edit is None:
            return generated, ""
        self.applied.append(edit)
        self.stale.extend(stale_figures(edit, generated, supported, shares))
        return typography(edit.text, self.language), edit.by

    def unmatched(self) -> list[StaleFigure]:
        if self.edits is None:
            return []
        used = {edit.target for edit in self.applied}
        return [
            StaleFigure(edit, "", "")
            for edit in self.edits.edits
            if edit.language == self.language and edit.target not in used
        ]


def addressed_countries(statement: Statement, rules: RuleSet) -> tuple[str, ...]:
    """The countries a recommendation is for (the analysis sets them: those without the practice, or those
    counted for a share of something to reduce)."""
    return tuple(statement.countries)


def _breaks(values: Sequence[float], groups: int, least: int) -> list[int]:
    """Where to cut the scores (sorted best first) into at most ``groups`` runs of at least ``least`` each: at the
    widest gaps between neighbours; ties go to the higher cut, so the result is reproducible."""
    gaps = sorted(
        ((values[i - 1] - values[i], -i) for i in range(1, len(values))),
        reverse=True,
    )
    cuts: list[int] = []
    for _, negative in gaps:
        cut = -negative
        edges = sorted([0, *cuts, cut, len(values)])
        if all(high - low >= least for low, high in itertools.pairwise(edges)):
            cuts.append(cut)
        if len(cuts) == groups - 1:
            break
    return sorted(cuts)


def maturity_groups(data: ReportData) -> tuple[Group, ...]:
    """The release's countries in maturity groups A-D of the index score (see :data:`GROUPS`)."""
    root, results = data.root, data.release.results
    scored = sorted(
        ((value, unit) for unit in results.units if (value := data.score(unit, root)) is not None),
        key=lambda item: (-item[0], item[1]),
    )
    values = [value for value, _ in scored]
    edges = [0, *_breaks(values, len(GROUPS), MIN_MEMBERS), len(scored)]
    groups = []
    for (letter, label), (low, high) in zip(GROUPS, itertools.pairwise(edges), strict=False):
        names = ((unit, country_name(unit, data.language)) for _, unit in scored[low:high])
        members = sorted(names, key=lambda member: member[1])
        word = gettext(label, data.language)
        title = gettext("Group {letter}: {label}", data.language, letter=letter, label=word)
        groups.append(Group(letter, word, title, tuple(members), data.fmt(values[high - 1]), data.fmt(values[low])))
    return tuple(groups)


def _names(units: Sequence[str], language: str) -> str:
    """The countries' names in alphabetical order, joined as a list of the language."""
    return format_list(sorted(country_name(unit, language) for unit in units), language)


def _note_text(statement: Statement, language: str) -> str:
    figure = statement.figure
    if isinstance(figure, CountFigure):
        counted = _names(figure.countries, language)
        text = f"{figure.text(language)}: {counted}." if counted else f"{figure.text(language)}."
        if figure.not_counted:
            text += " " + gettext("Not counted: {names}.", language, names=_names(figure.not_counted, language))
        return typography(text, language)
    return _names(statement.countries, language)


def _contrast(data: ReportData, dataset: str, variable: str) -> str:
    language = data.language
    for table in data.release.inputs.benchmarks:
        if str(table.get("dataset", "")).split("-")[0] != dataset:
            continue
        for row in table.get("rows", []):
            if row.get("variable") != variable or row.get("lac_mean") is None or row.get("oecd_mean") is None:
                continue

            def fmt(value: object) -> str:
                number = float(value)  # type: ignore[arg-type]
                return format_number(number, 1 if abs(number) >= 10 else 2, language)

            values = {
                "indicator": gettext(str(row.get("label") or variable), language),
                "source": gettext(_SOURCES.get(dataset, dataset), language),
                "year": table.get("years_used", table.get("year", "")),
                "lac": fmt(row["lac_mean"]),
                "lac_n": row.get("lac_n") or 0,
                "oecd": fmt(row["oecd_mean"]),
                "oecd_n": row.get("oecd_n") or 0,
            }
            gap = float(row["lac_mean"]) - float(row["oecd_mean"])
            if abs(gap) < 0.005 * max(1.0, abs(float(row["oecd_mean"]))):
                text = N_(
                    "On {indicator} ({source}, {year}), the {lac_n} countries of the region with data average "
                    "{lac}, level with the {oecd_n} OECD members ({oecd})."
                )
            elif gap < 0:
                text = N_(
                    "On {indicator} ({source}, {year}), the {lac_n} countries of the region with data average "
                    "{lac}, below the {oecd_n} OECD members ({oecd})."
                )
            else:
                text = N_(
                    "On {indicator} ({source}, {year}), the {lac_n} countries of the region with data average "
                    "{lac}, above the {oecd_n} OECD members ({oecd})."
                )
            sentence = gettext(text, language, **values)
            if row.get("frontier_unit"):
                sentence += " " + gettext(
                    "{country} leads the region ({value}).",
                    language,
                    country=country_name(str(row["frontier_unit"]), language),
                    value=fmt(row.get("frontier_value")),
                )
            return sentence
    return ""


def _shares(statement: Statement | None) -> list[tuple[int, int]]:
    figure = statement.figure if statement is not None else None
    return [(figure.count, figure.total)] if isinstance(figure, CountFigure) and figure.total else []


def _supported(statement: Statement) -> list[object]:
    """The figures a statement stands on: its count, total and share (as a whole percentage)."""
    figure = statement.figure
    if not isinstance(figure, CountFigure) or figure.share is None:
        return []
    return [figure.count, figure.total, percent(figure.share)]


def chapter(data: ReportData, edits: EditSet | None = None) -> Chapter:
    """The chapter of a release: key messages, maturity groups and one section per theme with findings; with
    ``edits``, the analysts' passages replace the generated ones (and their figures are checked)."""
    language = data.language
    if edits is not None and edits.cycle != data.release.cycle:
        raise ValueError(
            f"the edits{' in ' + edits.path if edits.path else ''} are for cycle {edits.cycle!r}; "
            f"release {data.release.id} is of cycle {data.release.cycle!r}"
        )
    editor = _Editor(edits, language)
    groups = maturity_groups(data)
    statements = regional_statements(data.stats, data.rules, group=ALL) if data.rules is not None else []
    numbering = iter(range(1, 10_000))
    sections: list[ThemeSection] = []
    messages: list[KeyMessage] = []
    for theme in THEMES:
        own = [s for s in statements if s.provenance.finding in theme.findings]
        if not own:
            continue
        sentences, advice, notes = [], [], []
        editor.section = gettext(theme.title, language)
        for statement in own:
            if statement.kind == "finding":
                note = Note(next(numbering), _note_text(statement, language))
                notes.append(note)
                generated = typography(statement.in_language(language), language)
                rule = statement.provenance.rule
                text, by = editor.apply(f"finding:{rule}", generated, _supported(statement), _shares(statement))
                sentences.append(Sentence(text, note, statement, by))
            elif statement.kind == "recommendation" and statement.audience == "regional":
                action = typography(text_in(statement.action, language), language)
                text, by = editor.apply(f"regional:{statement.provenance.rule}", action)
                advice.append(Advice(text, text_in(statement.detail, language), (), None, by))
            elif statement.kind == "recommendation" and statement.countries:
                action = typography(text_in(statement.action, language), language)
                addressed = text_in(statement.detail, language)
                supported = [len(statement.countries), *_supported(statement)]
                target = f"recommendation:{statement.provenance.rule}"
                text, by = editor.apply(target, action, supported, _shares(statement))
                advice.append(Advice(text, addressed, tuple(statement.countries), statement, by))
        # the theme's own recommendation to regional bodies where the rules give none
        if theme.regional and not any(item.regional for item in advice):
            text, by = editor.apply(f"regional:{theme.id}", gettext(theme.regional, language))
            advice.append(Advice(text, gettext("For regional bodies.", language), (), None, by))
        intro, intro_by = editor.apply(f"intro:{theme.id}", gettext(theme.intro, language))
        contrasts = tuple(
            text for dataset, variable in theme.benchmarks if (text := _contrast(data, dataset, variable))
        )
        sections.append(
            ThemeSection(
                theme=theme,
                title=gettext(theme.title, language),
                intro=intro,
                intro_edited_by=intro_by,
                sentences=tuple(sentences),
                contrasts=contrasts,
                advice=tuple(advice),
                notes=tuple(notes),
            )
        )
        message = _key_message(theme, sentences, advice, language)
        if message is not None:
            generated = f"{message.text} {message.follow}".strip()
            numbers = [n for s in sentences for n in _supported(s.statement)] + [len(a.countries) for a in advice]
            shares = [pair for s in sentences for pair in _shares(s.statement)]
            text, by = editor.apply(f"key:{theme.id}", generated, numbers, shares)
            messages.append(replace(message, text=text, follow="", edited_by=by) if by else message)
    head = _groups_message(groups, len(data.release.results.units), language)
    return Chapter(
        key_messages=(KeyMessage("", head), *messages) if head else tuple(messages),
        groups=groups,
        themes=tuple(sections),
        group_rule=gettext(
            "Groups are separated at the widest gaps between the index scores of neighbouring countries; each has at "
            "least {n} countries. The range of scores of each group is shown beside it.",
            language,
            n=MIN_MEMBERS,
        ),
        stale=(*editor.stale, *editor.unmatched()),
        edited=tuple(editor.applied),
        passages=tuple(editor.passages),
    )


def _groups_message(groups: Sequence[Group], total: int, language: str) -> str:
    if not groups:
        return ""
    parts = [
        gettext("{n} in group {letter}", language, n=len(group.countries), letter=group.letter) for group in groups
    ]
    return gettext(
        "The {total} countries fall into {count} maturity groups of the index: {parts}.",
        language,
        total=total,
        count=len(groups),
        parts=format_list(parts, language),
    )


def _key_message(
    theme: Theme, sentences: Sequence[Sentence], advice: Sequence[Advice], language: str
) -> KeyMessage | None:
    """The theme's headline: the finding behind its most widely needed recommendation (else its first finding),
    and whom that recommendation is for."""
    if not sentences:
        return None
    title = gettext(theme.title, language)
    national = [item for item in advice if item.statement is not None and item.countries]
    if not national:
        return KeyMessage(title, sentences[0].text)
    widest = max(national, key=lambda item: len(item.countries))
    rule = widest.statement.provenance.rule if widest.statement is not None else None
    lead = next((s.text for s in sentences if s.statement.provenance.rule == rule), sentences[0].text)
    advice_text = widest.text[:1].lower() + widest.text[1:]
    if len(widest.countries) == 1:
        follow = gettext(
            "Recommended for {country}: {advice}",
            language,
            country=country_name(widest.countries[0], language),
            advice=advice_text,
        )
    elif len(widest.countries) == getattr(widest.statement.figure if widest.statement else None, "total", 0):
        follow = gettext(
            "Recommended for all {n} countries: {advice}", language, n=len(widest.countries), advice=advice_text
        )
    else:
        follow = gettext(
            "Recommended for {n} countries: {advice}", language, n=len(widest.countries), advice=advice_text
        )
    return KeyMessage(title, lead, follow)
