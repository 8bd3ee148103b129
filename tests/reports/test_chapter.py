"""The regional report as an assessment chapter, on the bundled lac-dgr framework with synthetic answers, and the
test that no English sentence survives in the Spanish, Portuguese and French reports and profiles."""

from __future__ import annotations

import os
import re

import pytest

from govlens.analysis import synthetic
from govlens.analysis.narrative import load_rules, regional_statements
from govlens.framework import catalogue
from govlens.framework.findings import FINDINGS
from govlens.release import Release, ReleaseSettings, create_release
from govlens.reports.chapter import THEMES, addressed_countries, chapter
from govlens.reports.render import render_profile, render_report, report_data
from tests.english import phrases


@pytest.fixture(scope="module")
def lac_release() -> Release:
    framework = catalogue.load("lac-dgr")
    responses = synthetic.synthetic_answers(framework, seed=11)
    benchmarks = []
    if os.environ.get("GOVLENS_DATA_MIRROR"):  # the OECD contrasts need the public data
        from govlens.data import compare

        benchmarks = compare.compare(compare.DEFAULT_SELECTORS)
    return create_release(
        framework,
        responses.answers,
        cycle="chapter-2026",
        settings=ReleaseSettings(),
        synthetic=True,
        benchmarks=benchmarks,
        created="2026-12-01T00:00:00Z",
    )


def test_every_finding_belongs_to_exactly_one_theme() -> None:
    themed = [ref for theme in THEMES for ref in theme.findings]
    assert sorted(themed) == sorted(FINDINGS)
    assert [theme.id for theme in THEMES] == [
        "governance", "strategy", "legal", "investment", "skills", "data", "services", "innovation",
    ]  # fmt: skip


def test_recommendations_are_addressed_to_the_countries_concerned(lac_release: Release) -> None:
    data = report_data(lac_release, "en")
    assert data.rules is not None
    found = 0
    for statement in regional_statements(data.stats, data.rules):
        if statement.kind != "recommendation":
            continue
        rule = data.rules.rule(statement.provenance.rule or "")
        addressed = addressed_countries(statement, data.rules)
        figure = statement.figure
        if rule.recommend_below is not None:  # a practice too few have: for those without it
            assert set(addressed) == set(figure.denominator) - set(figure.countries)  # type: ignore[union-attr]
        else:  # something too many do: for those who do it
            assert set(addressed) == set(figure.countries)  # type: ignore[union-attr]
        found += 1
    assert found >= 5


def test_chapter_opens_with_key_messages_and_groups_then_themes(lac_release: Release) -> None:
    data = report_data(lac_release, "en")
    composed = chapter(data)
    grouped = [unit for group in composed.groups for unit, _ in group.countries]
    assert sorted(grouped) == sorted(lac_release.results.units)  # every country in exactly one group
    assert composed.key_messages[0].text.startswith(f"The {len(grouped)} countries fall into")
    assert [section.theme.id for section in composed.themes] == [theme.id for theme in THEMES]
    html = render_report(lac_release, "en")
    order = [html.index(f'id="{anchor}"') for anchor in ("key-messages", "groups", "theme-governance", "index")]
    assert order == sorted(order)  # key messages, groups, themes, then the ranking annex
    headings = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)
    assert not [h for h in headings if re.search(r"\bF\d\d\b", h)]  # no internal ids as headings
    # each recommendation names the countries it is for; the regional ones name the regional bodies
    advice = re.findall(r'<li class="recommendation[^"]*"[^>]*data-addressed="([^"]*)"', html)
    assert advice and all(advice)
    assert "regional" in advice and "Red GEALC" in html
    # each figure's countries are in its note
    notes = re.findall(r'<li id="note-\d+"[^>]*>(.*?)</li>', html, re.S)
    statements = re.findall(r'<span class="statement"', html)
    assert len(notes) == len(statements) > 20


def test_profile_is_prose_without_mechanical_figures(lac_release: Release) -> None:
    country = lac_release.results.units[0]
    html = render_profile(lac_release, country, "en")
    assert "maturity group" in html and "regional average" in html
    assert "against a mean of" not in html and "weight 0." not in html and " x gap " not in html
    spanish = render_profile(lac_release, country, "es")
    assert "es una fortaleza" not in spanish and "promedio regional" in spanish


@pytest.mark.parametrize("language", ["es", "pt", "fr"])
def test_no_english_text_survives_in_a_translated_report_or_profile(lac_release: Release, language: str) -> None:
    country = "CHL" if "CHL" in lac_release.results.units else lac_release.results.units[0]
    english = phrases(render_report(lac_release, "en")) | phrases(render_profile(lac_release, country, "en"))
    translated = phrases(render_report(lac_release, language)) | phrases(
        render_profile(lac_release, country, language)
    )
    assert len(english) > 100 and len(translated) > 100
    assert sorted(english & translated) == []


def test_the_english_detector_catches_an_untranslated_phrase(lac_release: Release) -> None:
    # the check above would fail on a message missing from a catalogue: an English phrase shared by both pages
    english = phrases(render_report(lac_release, "en"))
    spanish = phrases(render_report(lac_release, "es").replace("Mensajes clave", "Key messages of the review"))
    assert phrases("<p>Key messages of the review</p>") <= spanish
    assert "Key messages" not in english  # two words: below the phrase threshold, so the check looks for phrases
    assert english & phrases("<p>Countries by maturity group</p>") == {"Countries by maturity group"}


def test_rules_exist_for_the_bundled_framework() -> None:
    assert load_rules("lac-dgr", catalogue.load("lac-dgr")).rules
