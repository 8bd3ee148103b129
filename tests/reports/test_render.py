"""Rendered pages: every printed figure equals the figure recomputed from the release, the release id and the
synthetic label on every page, four languages, no external resources, findings from rules, PDF output."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
import yaml

from govlens.analysis.narrative import RuleSet, check_rules
from govlens.data.compare import Comparison
from govlens.framework.model import LANGUAGES, Framework
from govlens.release import Release, create_release, recompute
from govlens.reports.render import publish, render_profile, render_report, write_profile, write_report
from tests.release.conftest import ANSWERS

# Counted by hand from ANSWERS in conftest.py:
#   q_org = yes: ARG, BRA, COL                               -> 3 of 5 (60%), "a modest majority"
#   q_year <= 2015: answered by ARG, BRA, CHL, MEX; only CHL -> 1 of 4 (25%), "a minority" (COL did not answer)
RULES = {
    "govlens_rules": 1,
    "framework": "tiny-dgr",
    "rules": [
        {
            "id": "lead-organisation",
            "finding": "F01",
            "question": "q_org",
            "options": ["yes"],
            "statement": {
                "en": "{Countries} ({fraction}, {share}) have a lead organisation.",
                "es": "{Countries} ({fraction}, {share}) tienen una organización líder.",
                "pt": "{Countries} ({fraction}, {share}) têm uma organização líder.",
                "fr": "{Countries} ({fraction}, {share}) ont une organisation chef de file.",
            },
            "recommend_below": 0.95,
            "recommendation": {
                "en": "Give one organisation the lead.",
                "es": "Dar el liderazgo a una organización.",
                "pt": "Dar a liderança a uma organização.",
                "fr": "Confier la conduite à une organisation.",
            },
        },
        {
            "id": "old-strategy",
            "finding": "F04",
            "question": "q_year",
            "at_most": 2015,
            "statement": {
                "en": "{Countries} ({fraction}, {share}) have a strategy from 2015 or before.",
                "es": "{Countries} ({fraction}, {share}) tienen una estrategia de 2015 o anterior.",
                "pt": "{Countries} ({fraction}, {share}) têm uma estratégia de 2015 ou anterior.",
                "fr": "{Countries} ({fraction}, {share}) ont une stratégie de 2015 ou avant.",
            },
        },
    ],
}


@pytest.fixture(scope="module")
def rules(framework: Framework) -> RuleSet:
    ruleset, report = check_rules(yaml.safe_load(yaml.safe_dump(RULES)), framework)
    assert ruleset is not None, [str(p) for p in report.errors]
    return ruleset


class Page(HTMLParser):
    """Collects the text of elements with data-measure, statements, banners and resource references."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[dict[str, str], str]] = []
        self.statements: list[tuple[dict[str, str], str]] = []
        self.banners: list[str] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._stack: list[tuple[str, dict[str, str], list[str], str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        kind = None
        if "data-measure" in attributes:
            kind = "figure"
        elif attributes.get("class") == "statement":
            kind = "statement"
        elif attributes.get("class") == "synthetic-banner":
            kind = "banner"
        self._stack.append((tag, attributes, [], kind))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            name, attributes, text, kind = self._stack.pop()
            content = "".join(text).strip()
            if self._stack:
                self._stack[-1][2].append("".join(text))
            if kind == "figure":
                self.figures.append((attributes, content))
            elif kind == "statement":
                self.statements.append((attributes, content))
            elif kind == "banner":
                self.banners.append(content)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._stack[-1][2].append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def number(text: str) -> float:
    return float(text.replace(",", "."))


def test_every_figure_in_the_report_equals_the_recomputed_release(release: Release, rules: RuleSet) -> None:
    again = recompute(release).results
    page = parse(render_report(release, "en", rules=rules))
    checked = {"score": 0, "rank": 0, "interval": 0, "mean": 0}
    for attributes, text in page.figures:
        measure, unit, node = attributes["data-measure"], attributes.get("data-unit"), attributes.get("data-node")
        if measure == "score":
            assert unit is not None and node is not None
            expected = again.score(unit, node)
            assert expected is not None
            assert abs(number(text) - expected) <= 0.005 + 1e-12, (unit, node, text, expected)
        elif measure == "rank":
            assert unit is not None and node is not None
            assert int(text) == again.rank(unit, node), (unit, node)
        elif measure == "interval":
            assert unit is not None and node is not None
            interval = again.interval(unit, node)
            assert interval is not None
            low, high = (number(part) for part in text.split("–"))
            assert (low, high) == pytest.approx(interval, abs=0.05)
        elif measure == "mean":
            assert node is not None
            values = [again.score(u, node) for u in again.units]
            assert abs(number(text) - sum(v for v in values if v is not None) / len(values)) <= 0.005
        else:
            continue
        checked[measure] += 1
    # the index table (score, rank, interval per country) and the pillar table (5 countries x 2 pillars)
    assert checked == {"score": 5 + 10, "rank": 5, "interval": 5, "mean": 1}


def test_report_ranks_match_the_hand_worked_order(release: Release) -> None:
    page = parse(render_report(release, "en", rules=None))
    ranks = [
        (attributes["data-unit"], text)
        for attributes, text in page.figures
        if attributes["data-measure"] == "rank" and attributes["data-node"] == "IDX"
    ]
    assert ranks == [("ARG", "1"), ("BRA", "2"), ("CHL", "3"), ("COL", "4"), ("MEX", "5")]


def test_findings_state_the_counts_and_quantifiers_worked_by_hand(release: Release, rules: RuleSet) -> None:
    page = parse(render_report(release, "en", rules=rules))
    statements = {attributes["data-rule"]: (attributes, text) for attributes, text in page.statements}
    lead, lead_text = statements["lead-organisation"]
    assert (lead["data-count"], lead["data-total"], lead["data-quantifier"]) == ("3", "5", "modest_majority")
    assert lead_text == "A modest majority of countries (3 of 5, 60%) have a lead organisation."
    old, old_text = statements["old-strategy"]
    assert (old["data-count"], old["data-total"], old["data-quantifier"]) == ("1", "4", "minority")
    assert "(1 of 4, 25%)" in old_text
    html = render_report(release, "en", rules=rules)
    assert "Argentina, Brazil and Colombia." in html  # the countries behind the figure are cited in its note
    # 60% is below the rule's threshold of 95%: the recommendation is for the two countries without one, named
    assert "Give one organisation the lead." in html
    assert "Addressed to Chile and Mexico (2 of 5 countries)." in html


def test_findings_in_spanish_use_spanish_words(release: Release, rules: RuleSet) -> None:
    page = parse(render_report(release, "es", rules=rules))
    texts = {attributes["data-rule"]: text for attributes, text in page.statements}
    assert texts["lead-organisation"].endswith("tienen una organización líder.")
    assert "60" in texts["lead-organisation"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_renders_with_release_id_and_synthetic_label(release: Release, language: str) -> None:
    html = render_report(release, language, rules=None)
    page = parse(html)
    assert f'<html lang="{language}">' in html
    assert html.count("tiny-2026-r1") >= 3
    expected_label = {"en": "SYNTHETIC DEMO DATA (test)", "es": "DATOS SINTÉTICOS (prueba)"}.get(language)
    # the release gives en and es; pt and fr fall back to GovLens's own translation of the label
    fallback = {"pt": "DADOS SINTÉTICOS DE DEMONSTRAÇÃO", "fr": "DONNÉES SYNTHÉTIQUES DE DÉMONSTRATION"}.get(language)
    assert len(page.banners) == 2  # top and bottom of the page
    for banner in page.banners:
        assert banner == expected_label if expected_label else banner.startswith(str(fallback))
    # the PDF margin of every page repeats the label
    assert re.search(
        r"@top-right \{ content: \"[^\"]*SINT|@top-right \{ content: \"[^\"]*SYNTH|@top-right \{ content: "
        r"\"[^\"]*DONN|@top-right \{ content: \"[^\"]*DADOS",
        html,
    )


def test_words_and_decimal_marks_follow_the_language(release: Release) -> None:
    spanish = render_report(release, "es", rules=None)
    assert "Evaluación y recomendaciones" in spanish
    assert "Argentina" in spanish and "México" in spanish
    scores = [text for attributes, text in parse(spanish).figures if attributes["data-measure"] == "score"]
    assert all("," in text and "." not in text for text in scores)
    french = render_report(release, "fr", rules=None)
    assert "Évaluation et recommandations" in french and "Mexique" in french
    portuguese = render_report(release, "pt", rules=None)
    assert "Avaliação e recomendações" in portuguese


def test_real_answers_carry_no_synthetic_label(plain_release: Release) -> None:
    html = render_report(plain_release, "en", rules=None)
    assert parse(html).banners == []
    assert "SYNTHETIC" not in html and "@top-right" not in html.split("</style>")[0].split("@page {")[-1]
    assert "tiny-2026-r2" in html


def test_pages_are_standalone(release: Release, rules: RuleSet) -> None:
    for html in (render_report(release, "en", rules=rules), render_profile(release, "CHL", "en", rules=rules)):
        page = parse(html)
        assert not [tag for tag, _ in page.tags if tag in ("script", "link", "img", "iframe")]
        referenced = [
            value for _, attributes in page.tags for name, value in attributes.items() if name in ("src", "href")
        ]
        assert all(value.startswith("#") for value in referenced), referenced
        assert "<svg" in html and 'role="img"' in html


def test_report_without_rules_says_so(release: Release) -> None:
    html = render_report(release, "en", rules=None)
    assert "No finding rules are available for this framework" in html


def test_profile_figures_equal_the_release(release: Release, rules: RuleSet) -> None:
    again = recompute(release).results
    page = parse(render_profile(release, "BRA", "en", rules=rules))
    seen = set()
    lac_units = again.units  # all five are LAC countries
    for attributes, text in page.figures:
        measure, node = attributes["data-measure"], attributes.get("data-node", "")
        if measure == "score":
            expected = again.score("BRA", node)
            assert expected is not None and abs(number(text) - expected) <= 0.005
        elif measure == "rank":
            assert int(text) == again.rank("BRA", node)
        elif measure == "mean":
            group = attributes["data-group"]
            units = lac_units if group == "lac" else ("CHL", "COL", "MEX")  # the OECD members among the five
            values = [again.score(unit, node) for unit in units]
            assert abs(number(text) - sum(v for v in values if v is not None) / len(values)) <= 0.005, (group, node)
        elif measure == "gap":
            own = again.score("BRA", node)
            values = [again.score(unit, node) for unit in lac_units]
            assert own is not None
            assert abs(number(text) - (own - sum(v for v in values if v is not None) / 5)) <= 0.0051
        seen.add((measure, node))
    assert {("score", "IDX"), ("rank", "IDX"), ("score", "P1"), ("mean", "P2"), ("gap", "P2")} <= seen


def test_profile_shows_oecd_average_from_three_members(release: Release) -> None:
    html = render_profile(release, "ARG", "en", rules=None)
    assert "OECD members in this release (average of 3)" in html
    assert "Country profile: Argentina" in html
    # two pillars: the radar's stand-in (grouped bars) is drawn
    assert "grouped-bar-chart" in html


def test_profile_of_an_unknown_country_is_refused(release: Release) -> None:
    with pytest.raises(ValueError, match="country must be one of the release's units"):
        render_profile(release, "PER", "en")


def test_bad_language_and_format_say_what_was_allowed(release: Release, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"language must be one of \{en, es, pt, fr\}; got 'de'"):
        render_report(release, "de")
    with pytest.raises(ValueError, match=r"format must be one of \{html, pdf\}; got 'docx'"):
        write_report(release, tmp_path / "x.docx", "en", "docx")


def test_html_files_are_written(release: Release, tmp_path: Path) -> None:
    report = write_report(release, tmp_path / "out" / "report.html", "es", "html", rules=None)
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    profile = write_profile(release, "MEX", tmp_path / "out" / "MEX.html", "fr", "html", rules=None)
    assert "Mexique" in profile.read_text(encoding="utf-8")


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_pdf_report_and_profile(release: Release, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="WeasyPrint (and the pango library it needs) is not installed")
    report = write_report(release, tmp_path / "report.pdf", "en", "pdf", rules=None)
    data = report.read_bytes()
    assert data.startswith(b"%PDF")
    profile = write_profile(release, "BRA", tmp_path / "BRA.pdf", "es", "pdf", rules=None)
    assert profile.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        assert _pdf_pages(data) >= 1
        return
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True, check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= 1
    for number_, page in enumerate(pages, start=1):
        assert "tiny-2026-r1" in page, number_
        # once per page: the head of the first page, the margin of the others (never both on one page)
        assert page.count("SYNTHETIC DEMO DATA") == 1, (number_, page[:300])
    assert len(pages) >= 2  # so the margin of a later page was checked too


def _comparison() -> Comparison:
    table = pd.DataFrame(
        [
            {
                "variable": "EGDI",
                "label": "E-Government Development Index",
                "lac_n": 33,
                "lac_mean": 0.657265,
                "oecd_n": 38,
                "oecd_mean": 0.891435,
                "gap": 0.657265 - 0.891435,
                "frontier_unit": "URY",
                "frontier_value": 0.90059,
            },
            {
                "variable": "OSI",
                "label": "=Online Service Index",
                "lac_n": 0,
                "lac_mean": math.nan,
                "oecd_n": 38,
                "oecd_mean": 0.855087,
                "gap": math.nan,
                "frontier_unit": "",
                "frontier_value": math.nan,
            },
        ]
    )
    return Comparison("egdi-2024", "egdi", 2024, "2024", table)


def test_public_benchmarks_are_frozen_and_printed(framework: Framework, release: Release) -> None:
    with_benchmarks = create_release(
        framework,
        ANSWERS,
        cycle="tiny-2026",
        release_id="tiny-2026-r5",
        benchmarks=[_comparison()],
        created=release.created,
    )
    frozen = with_benchmarks.inputs.benchmarks[0]
    assert frozen["title"].startswith("UN E-Government Development Index")
    assert frozen["rows"][1]["lac_mean"] is None  # NaN is frozen as null
    assert (
        with_benchmarks.hash
        != create_release(
            framework, ANSWERS, cycle="tiny-2026", release_id="tiny-2026-r6", created=release.created
        ).hash
    )
    html = render_report(with_benchmarks, "es", rules=None)
    assert 'id="benchmarks"' in html
    row = html.split('data-variable="EGDI"')[1].split("</tr>")[0]
    assert "0,66 (33)" in row and "0,89 (38)" in row and "-0,23" in row and "Uruguay (0,90)" in row
    row = html.split('data-variable="OSI"')[1].split("</tr>")[0]
    assert "– (0)" in row
    assert "=Online" in html  # HTML escapes rather than neutralises: a formula is inert in a page
    assert 'id="benchmarks"' not in render_report(release, "en", rules=None)


def _benchmarked(framework: Framework, release: Release, *in_both: str) -> Release:
    table = _comparison().table.assign(in_both=list(in_both))
    return create_release(
        framework,
        ANSWERS,
        cycle="tiny-2026",
        release_id="tiny-2026-r7",
        benchmarks=[Comparison("egdi-2024", "egdi", 2024, "2024", table)],
        created=release.created,
    )


def test_countries_counted_in_both_means_are_named(framework: Framework, release: Release) -> None:
    same = _benchmarked(framework, release, "CHL MEX", "CHL MEX")
    assert [row["in_both"] for row in same.inputs.benchmarks[0]["rows"]] == ["CHL MEX", "CHL MEX"]
    note = render_report(same, "es", rules=None).split("data-in-both>")[1].split("</p>")[0]
    assert note.endswith("</span> Chile, México")  # one line when every variable has the same countries
    assert "Incluidos en ambos promedios" in note
    differ = render_report(_benchmarked(framework, release, "MEX", ""), "en", rules=None)
    note = differ.split("data-in-both>")[1].split("</p>")[0]
    assert note.endswith("</span> E-Government Development Index: Mexico")  # only the variable that has one
    assert "data-in-both" not in render_report(_benchmarked(framework, release, "", ""), "en", rules=None)


def test_publish_writes_every_page_in_every_language(release: Release, tmp_path: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    written = publish(
        release,
        tmp_path,
        languages=("en", "pt"),
        countries=["ARG", "MEX"],
        formats=("html",),
        rules=None,
        progress=lambda name, done, total: calls.append((name, done, total)),
    )
    names = sorted(path.name for path in written)
    assert names == sorted(
        f"{page}-{language}.html" for page in ("report", "profile-ARG", "profile-MEX") for language in ("en", "pt")
    )
    assert calls[-1][1:] == (6, 6)
    assert "Perfil do país" in (tmp_path / "profile-MEX-pt.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="countries must be among the release's units"):
        publish(release, tmp_path, countries=["PER"], formats=("html",))
