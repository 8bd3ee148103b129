"""A country profile written as short prose for a minister's office: where the country stands, its strengths,
its gaps and what to do first.

The figures are those of the profile's table (the pillar scores against the regional average); the prose
names positions in words ("well above the regional average") and leaves the arithmetic to the table and the
method annex. Strengths, gaps and recommendations are chosen by :func:`govlens.analysis.narrative.country_profile`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govlens.analysis.narrative import CountryProfile
from govlens.analysis.regional import SummaryFigure
from govlens.framework.model import NodeKind, text_in
from govlens.i18n import N_, country_name, format_list, gettext, ngettext, typography

if TYPE_CHECKING:
    from govlens.reports.render import ReportData

__all__ = ["FirstStep", "ProfileProse", "position", "profile_prose"]

# a difference to the regional average (on the [0, 1] scale) that counts as "above"/"below", and "well" so
NEAR = 0.05
FAR = 0.15

_POSITIONS = {
    "well_above": N_("well above the regional average ({mean})"),
    "above": N_("above the regional average ({mean})"),
    "near": N_("close to the regional average ({mean})"),
    "below": N_("below the regional average ({mean})"),
    "well_below": N_("well below the regional average ({mean})"),
}


def position(gap: float) -> str:
    """The key of a position for a difference to the average on the [0, 1] scale."""
    if gap >= FAR:
        return "well_above"
    if gap >= NEAR:
        return "above"
    if gap > -NEAR:
        return "near"
    if gap > -FAR:
        return "below"
    return "well_below"


@dataclass(frozen=True)
class FirstStep:
    text: str
    why: str  # what it would improve and who shows the way, in words
    node: str


@dataclass(frozen=True)
class ProfileProse:
    standing: str
    strengths: str
    gaps: str
    first_steps: tuple[FirstStep, ...]


def _labels(data: ReportData, nodes: Sequence[str]) -> str:
    return format_list([text_in(data.framework.node(node).label, data.language) for node in nodes], data.language)


def profile_prose(
    data: ReportData, country: str, profile: CountryProfile | None, group: tuple[str, str] | None
) -> ProfileProse:
    """The four parts of a profile; ``group`` is the country's maturity group (letter, label: "B", "advancing")."""
    language, root = data.language, data.root
    scale = float(data.release.settings.index.scale) if data.bounded else 1.0
    name = country_name(country, language)
    own, mean = data.score(country, root), data.mean(data.lac, root)
    if own is not None and mean is not None:
        where = gettext(_POSITIONS[position((own - mean) / scale)], language, mean=data.fmt(mean))
        letter, label = group or ("–", "")
        standing = gettext(
            "{country} is in maturity group {letter} ({label}), with an index score of {score}, {position}.",
            language,
            country=name,
            letter=letter,
            label=label,
            score=data.fmt(own),
            position=where,
        )
    else:
        standing = gettext("{country} has no index score in this release.", language, country=name)

    ahead, behind = [], []
    for pillar in data.pillars:
        value, average = data.score(country, pillar.id), data.mean(data.lac, pillar.id)
        if value is None or average is None:
            continue
        gap = (value - average) / scale
        if gap >= NEAR:
            ahead.append((gap, pillar.id))
        elif gap <= -NEAR:
            behind.append((gap, pillar.id))
    ahead.sort(reverse=True)
    behind.sort()
    strong_indicators = [
        s.provenance.subject
        for s in (profile.strengths if profile else ())
        if data.framework.node(s.provenance.subject).kind is NodeKind.INDICATOR
    ]
    weak_indicators = [
        s.provenance.subject
        for s in (profile.weaknesses if profile else ())
        if data.framework.node(s.provenance.subject).kind is NodeKind.INDICATOR
    ]

    if ahead:
        strengths = ngettext(
            "Its strongest area is {areas}, above the regional average.",
            "Its strongest areas are {areas}, above the regional average.",
            len(ahead),
            language,
            areas=_labels(data, [node for _, node in ahead]),
        )
    else:
        strengths = gettext("No area of the index stands clearly above the regional average.", language)
    if strong_indicators:
        strengths += " " + gettext(
            "It stands out in particular on {indicators}.", language, indicators=_labels(data, strong_indicators)
        )

    if behind:
        gaps = ngettext(
            "The largest gap is in {areas}, below the regional average.",
            "The largest gaps are in {areas}, below the regional average.",
            len(behind),
            language,
            areas=_labels(data, [node for _, node in behind]),
        )
    else:
        gaps = gettext("No area of the index lies clearly below the regional average.", language)
    if weak_indicators:
        gaps += " " + gettext(
            "The weakest points are {indicators}.", language, indicators=_labels(data, weak_indicators)
        )

    steps = []
    for statement in profile.recommendations if profile else ():
        node = statement.provenance.subject
        label = text_in(data.framework.node(node).label, language)
        figure = statement.figure
        leaders = [u for u in figure.max_countries if u != country] if isinstance(figure, SummaryFigure) else []
        if leaders:
            why = ngettext(
                "It would raise {indicator}, where {leaders} leads the region.",
                "It would raise {indicator}, where {leaders} lead the region.",
                len(leaders),
                language,
                indicator=label,
                leaders=format_list([country_name(u, language) for u in leaders], language),
            )
        else:
            why = gettext("It would raise {indicator}.", language, indicator=label)
        steps.append(FirstStep(typography(statement.in_language(language), language), why, node))
    return ProfileProse(standing=standing, strengths=strengths, gaps=gaps, first_steps=tuple(steps))
