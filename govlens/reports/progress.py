"""The follow-up as the reports see it: the register of a release's recommendations (the statements the report
prints) and the next cycle's "Progress since the last review", one block per theme of the chapter.

The block is its own template (``templates/_progress.html``), included in a theme's section after its
recommendations; :func:`progress_sections` gives the report one block per theme it has progress on. What was
recommended comes from the last review's register, what countries did from their approved action plans, and what
changed from the two releases (a framework change between them is a series break: no change is printed). A
recommendation a country reports implemented is not simply repeated: the block says whether this review still
finds the gap for that country.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govlens.analysis.narrative import RuleSet, load_rules, regional_statements
from govlens.analysis.regional import ALL
from govlens.followup import CountryProgress, IndicatorChange, Progress, Register, register_from
from govlens.framework.model import text_in
from govlens.i18n import N_, country_name, format_list, gettext, ngettext
from govlens.release import Release
from govlens.reports.chapter import THEMES
from govlens.reports.render import AUTO, ReportData, report_data

__all__ = ["progress_sections", "register_of", "release_register"]

STATUS_WORDS: Mapping[str, str] = {
    "planned": N_("planned"),
    "in_progress": N_("in progress"),
    "done": N_("done"),
    "dropped": N_("dropped"),
}


def register_of(data: ReportData) -> Register:
    """The register of the release behind ``data`` (the recommendations its report prints)."""
    statements = regional_statements(data.stats, data.rules, group=ALL) if data.rules is not None else []
    return register_from(data.release, statements, data.rules)


def release_register(release: Release, *, rules: RuleSet | str | None = AUTO) -> Register:
    """The register of a release, with the bundled rules of its framework unless ``rules`` (a rule set, or the name
    or path of a rules file: FileNotFoundError or RulesInvalid when it cannot be used) are given."""
    if isinstance(rules, str) and rules != AUTO:
        rules = load_rules(rules, release.framework())
    return register_of(report_data(release, "en", rules=rules))


def _change(change: IndicatorChange, data: ReportData) -> str:
    try:
        label = text_in(data.framework.node(change.indicator).label, data.language)
    except KeyError:
        label = change.indicator
    if change.series_break:
        return gettext(
            "{indicator}: not comparable (the framework changed between the reviews)", data.language, indicator=label
        )
    if change.change is None:
        return gettext("{indicator}: no value in one of the reviews", data.language, indicator=label)
    sign = "+" if change.change > 0 else ""
    return gettext(
        "{indicator}: {before} → {after} ({change})",
        data.language,
        indicator=label,
        before=data.fmt(change.before),
        after=data.fmt(change.after),
        change=sign + data.fmt(change.change),
    )


def _did(country: CountryProgress, language: str) -> str:
    if not country.actions:
        return gettext("no action on this recommendation in its plan", language)
    parts = [f"{n} {gettext(STATUS_WORDS[status], language)}" for status, n in country.statuses.items()]
    return ngettext(
        "{n} action ({statuses})", "{n} actions ({statuses})", country.actions, language, statuses=", ".join(parts)
    )


def _names(codes: list[str], language: str) -> str:
    return format_list([country_name(code, language) for code in codes], language)


def progress_sections(progress: Progress | None, data: ReportData) -> dict[str, dict[str, Any]]:
    """theme id -> the theme's "Progress since the last review" block (themes without progress are absent)."""
    if progress is None:
        return {}
    language = data.language
    current = register_of(data)
    theme_of = {finding: theme.id for theme in THEMES for finding in theme.findings}
    blocks: dict[str, dict[str, Any]] = {}
    for item in progress.items:
        theme = theme_of.get(item.recommendation.finding)
        if theme is None:
            continue
        again = item.recommendation.id in current
        still = set(current.get(item.recommendation.id).countries) if again else set()
        implemented = list(item.implemented_by)
        notes = []
        closed = [code for code in implemented if code not in still]
        open_ = [code for code in implemented if code in still]
        if closed:
            notes.append(
                gettext(
                    "Reported implemented by {countries}, and this review no longer finds the gap there.",
                    language,
                    countries=_names(closed, language),
                )
            )
        if open_:
            notes.append(
                gettext(
                    "Reported implemented by {countries}, but this review still finds the gap there, "
                    "so it is recommended again.",
                    language,
                    countries=_names(open_, language),
                )
            )
        notes.append(
            gettext("Recommended again in this review.", language)
            if again
            else gettext("Not repeated in this review.", language)
        )
        block = blocks.setdefault(
            theme,
            {
                "title": gettext("Progress since the last review", language),
                "intro": gettext(
                    "What the review of {cycle} (release {release}) recommended, what the countries report in their "
                    "approved action plans, and what changed in the data since.",
                    language,
                    cycle=progress.previous.cycle,
                    release=progress.previous.release_id,
                ),
                "items": [],
            },
        )
        without = [country.country for country in item.countries if not country.has_plan]
        block["items"].append(
            {
                "id": item.recommendation.id,
                "text": item.recommendation.in_language(language),
                "again": again,
                "notes": notes,
                "countries": [
                    {
                        "iso3": country.country,
                        "name": country_name(country.country, language),
                        "did": _did(country, language),
                        "implemented": country.implemented,
                        "overdue": len(country.overdue),
                        "changes": [_change(change, data) for change in country.changes],
                    }
                    for country in item.countries
                    if country.has_plan
                ],
                "without_plan": gettext(
                    "Without an approved action plan: {countries}.", language, countries=_names(without, language)
                )
                if without
                else "",
            }
        )
    if progress.synthetic_plans:
        note = gettext(
            "The action plans of {countries} are synthetic demo plans, not those of any country.",
            language,
            countries=_names(list(progress.synthetic_plans), language),
        )
        for block in blocks.values():
            block["synthetic"] = note
    return blocks
