"""The public dashboard through Django's test client, as an anonymous reader.

Expected figures are worked by hand from ``ANSWERS`` of ``tests/release/conftest.py`` (scale 1, min-max,
arithmetic means, equal weights; shown with two decimals):

    unit   P1 = mean(I1, I2, I3)   P2 = mean(I4, I5)          IDX = mean(P1, P2)   rank
    ARG    1                       (1 + 7/12)/2  = 19/24      43/48  = 0.8958      1
    BRA    2/3                     (1 + 4/15)/2  = 19/30      39/60  = 0.65        2
    CHL    1/6                     (1 + 1)/2     = 1          7/12   = 0.5833      3
    COL    1/3                     0                          1/6    = 0.1667      4
    MEX    1/6                     (0 + 13/60)/2 = 13/120     33/240 = 0.1375      5

LAC average of P1 (all five): 14/30 = 0.47; OECD members among them (CHL, COL, MEX): 2/9 = 0.22.
"""

from __future__ import annotations

import csv
import io
import zipfile
from html.parser import HTMLParser
from typing import Any

import openpyxl
import pandas as pd
import pytest
from django.test import Client

from govlens.analysis.narrative import RuleSet, check_rules
from govlens.data.compare import Comparison
from govlens.release import create_release, save_release
from govlens.web.publish import selectors
from tests.release.conftest import ANSWERS
from tests.release.conftest import tiny_framework as release_framework
from tests.reports.test_render import RULES

from .conftest import SYNTHETIC_EN, SYNTHETIC_ES, Releases

pytestmark = pytest.mark.usefixtures("db")

INDEX = {"ARG": "0.90", "BRA": "0.65", "CHL": "0.58", "COL": "0.17", "MEX": "0.14"}
INDEX_RANK = {"ARG": "1", "BRA": "2", "CHL": "3", "COL": "4", "MEX": "5"}
P1 = {"ARG": "1.00", "BRA": "0.67", "CHL": "0.17", "COL": "0.33", "MEX": "0.17"}
P2 = {"ARG": "0.79", "BRA": "0.63", "CHL": "1.00", "COL": "0.00", "MEX": "0.11"}


class Page(HTMLParser):
    """The text of every element with ``data-measure`` (with its attributes), and of the synthetic banner."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[tuple[dict[str, str], str]] = []
        self.banners: list[str] = []
        self.texts: list[str] = []
        self._open: list[tuple[str, dict[str, str], list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "path", "rect", "line", "circle", "polygon"):
            return
        self._open.append((tag, {name: value or "" for name, value in attrs}, []))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            name, attributes, text = self._open.pop()
            content = " ".join("".join(text).split())
            if self._open:
                self._open[-1][2].append("".join(text))
            if "data-measure" in attributes:
                self.figures.append((attributes, content))
            if "synthetic-banner" in attributes.get("class", "").split():
                self.banners.append(content)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._open:
            self._open[-1][2].append(data)

    def measure(self, measure: str, node: str | None = None) -> dict[str, str]:
        """unit -> text of the figures with this measure (and node)."""
        return {
            attributes.get("data-unit", ""): text
            for attributes, text in self.figures
            if attributes["data-measure"] == measure and (node is None or attributes.get("data-node") == node)
        }


def get(url: str, language: str = "en") -> tuple[Any, Page]:
    reply = Client().get(url, HTTP_ACCEPT_LANGUAGE=language)
    page = Page()
    if reply.get("Content-Type", "").startswith("text/html"):
        page.feed(reply.content.decode("utf-8"))
    return reply, page


PAGES = [
    "/results/",
    "/results/analysis/",
    "/results/countries/ARG/",
    "/results/indicators/I5/",
    "/results/indicators/IDX/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_public_and_name_their_release_and_the_synthetic_data(url: str) -> None:
    reply, page = get(url)
    assert reply.status_code == 200
    html = reply.content.decode()
    assert 'data-release="tiny-2026-r2"' in html  # latest: the newer, synthetic release
    assert page.banners == [SYNTHETIC_EN]


@pytest.mark.parametrize("url", PAGES)
def test_a_real_release_has_no_synthetic_banner(url: str) -> None:
    reply, page = get(f"{url}?release=tiny-2026-r1")
    assert reply.status_code == 200
    assert 'data-release="tiny-2026-r1"' in reply.content.decode()
    assert page.banners == []


def test_the_synthetic_label_follows_the_language() -> None:
    assert get("/results/", "es")[1].banners == [SYNTHETIC_ES]
    # no French label in the release: the report's own French wording
    french = get("/results/", "fr")[1].banners
    assert len(french) == 1 and french[0] not in (SYNTHETIC_EN, SYNTHETIC_ES) and french[0]


@pytest.mark.parametrize(
    "url",
    [
        "/results/?release=tiny-2026-r9",
        "/results/?release=../../etc/passwd.json",
        "/results/countries/XXX/",
        "/results/countries/URY/",  # a LAC country, but not in the release
        "/results/countries/ARG/?release=nope-r1",
        "/results/indicators/NOPE/",
        "/results/indicators/q_org/",  # a question, not a node of the tree
        "/results/export/pdf/",
        "/results/export/csv/?release=tiny-2026-r3",
    ],
)
def test_unknown_release_country_node_or_format_is_404(url: str) -> None:
    reply, _ = get(url)
    assert reply.status_code == 404
    assert b"tiny-2026-r2" in reply.content  # the page lists the releases there are


def test_no_release_at_all_is_404(settings: Any, tmp_path: Any) -> None:
    settings.GOVLENS_RELEASES_DIR = tmp_path
    reply, _ = get("/results/")
    assert reply.status_code == 404


def test_overview_figures_equal_the_release() -> None:
    _, page = get("/results/")
    assert page.measure("score", "IDX") == INDEX
    assert page.measure("rank", "IDX") == INDEX_RANK
    assert page.measure("score", "P1") == P1
    assert page.measure("score", "P2") == P2
    # ranks in order in the index table
    ranks = [a["data-unit"] for a, _ in page.figures if a["data-measure"] == "rank" and a["data-node"] == "IDX"]
    assert ranks == ["ARG", "BRA", "CHL", "COL", "MEX"]
    key = {a["data-measure"]: text for a, text in page.figures if "data-unit" not in a}
    # mean of the five index scores: (43/48 + 39/60 + 7/12 + 1/6 + 33/240) / 5 = 0.4858
    assert (key["count"], key["mean"], key["best"]) == ("5", "0.49", "0.90")


def test_rank_intervals_are_shown_for_the_release_with_an_uncertainty_analysis(releases: Releases) -> None:
    _, page = get("/results/")
    intervals = page.measure("interval", "IDX")
    assert set(intervals) == set(INDEX)
    for unit, text in intervals.items():
        low, high = (float(part) for part in text.split("–"))
        expected = releases.synthetic.results.interval(unit, "IDX")
        assert expected is not None and (low, high) == pytest.approx(expected, abs=0.05)
        assert low <= int(INDEX_RANK[unit]) <= high
    _, plain = get("/results/?release=tiny-2026-r1")
    assert plain.measure("interval", "IDX") == {}


def test_overview_in_spanish_uses_the_decimal_comma_and_spanish_words() -> None:
    reply, page = get("/results/", "es")
    assert page.measure("score", "IDX")["ARG"] == "0,90"
    html = reply.content.decode()
    assert '<html lang="es">' in html
    assert "Posición" in html  # the report's word for "Rank"
    assert "Resumen regional" in html


def test_the_language_switch_changes_the_page() -> None:
    client = Client()
    reply = client.post("/i18n/setlang/", {"language": "pt", "next": "/results/"})
    assert reply.status_code == 302 and reply["Location"] == "/results/"
    html = client.get("/results/").content.decode()
    assert '<html lang="pt">' in html and "Visão regional" in html


def test_map_colours_every_country_of_the_release_and_names_the_others() -> None:
    reply, _ = get("/results/")
    html = reply.content.decode()
    start = html.index('class="chart choropleth"')
    svg = html[start : html.index("</svg>", start)]
    # 33 LAC countries drawn; the seven small island states also as a circle
    assert svg.count("<path ") == 33
    assert svg.count("<circle ") == 7
    assert "<title>Argentina: 0.90</title>" in svg
    assert "<title>Uruguay: Not in this release</title>" in svg
    assert 'role="img"' in svg and "<desc" in svg


def test_findings_cite_their_figure_and_link_the_countries_behind_it(monkeypatch: pytest.MonkeyPatch) -> None:
    ruleset, report = check_rules(RULES, _framework())
    assert ruleset is not None, report.errors
    _use_rules(monkeypatch, ruleset)
    reply, _ = get("/results/")
    html = reply.content.decode()
    # q_org = yes: ARG, BRA, COL -> 3 of 5 (60%), "a modest majority" (worked by hand in tests/reports)
    assert "A modest majority of countries (3 of 5, 60%) have a lead organisation." in html
    start = html.index('data-rule="lead-organisation"')
    block = html[start : html.index("</div>", start)]
    for unit in ("ARG", "BRA", "COL"):
        assert f'href="/results/countries/{unit}/"' in block
    assert "/results/countries/CHL/" not in block
    assert 'href="/results/indicators/I1/#q-q_org"' in block  # q_org feeds I1: who answered what
    # the recommendation's evidence is the countries it is for (those without a lead organisation)
    start = html.index('class="statement statement-recommendation" data-rule="lead-organisation"')
    block = html[start : html.index("</div>", start)]
    assert "Give one organisation the lead. Addressed to Chile and Mexico (2 of 5 countries)." in block
    for unit in ("CHL", "MEX"):
        assert f'href="/results/countries/{unit}/"' in block
    assert "/results/countries/ARG/" not in block


def test_country_profile_figures_equal_the_release() -> None:
    _, page = get("/results/countries/BRA/")
    assert page.measure("score", "IDX") == {"BRA": "0.65"}
    assert page.measure("rank", "IDX") == {"BRA": "2"}
    assert page.measure("score", "P1") == {"BRA": "0.67"}
    assert page.measure("rank", "P1") == {"BRA": "2"}
    assert page.measure("lac", "P1") == {"": "0.47"}
    assert page.measure("oecd", "P1") == {"": "0.22"}
    # gap to the LAC average: 2/3 - 14/30 = 0.20
    assert page.measure("gap", "P1") == {"BRA": "0.20"}
    assert page.measure("interval", "IDX")["BRA"]


def test_country_profile_has_a_radar_against_the_averages_and_recommendations() -> None:
    reply, _ = get("/results/countries/ARG/")
    html = reply.content.decode()
    assert 'class="chart radar-chart"' in html or 'class="chart grouped-bar-chart"' in html
    assert "LAC average" in html and "OECD members in this release (average of 3)" in html
    assert "Strengths" in html and "Gaps" in html and "What to do first" in html
    # the profile is prose: positions in words, not "0.00 against a mean of 0.60" or "weight 0.028 x gap 0.80"
    assert "regional average" in html and "against a mean of" not in html and "weight 0." not in html


def _answer_rows(html: str) -> dict[str, tuple[str, str, str]]:
    """question name -> (label, answer, score) of the drill-down tables."""
    rows: dict[str, tuple[str, str, str]] = {}
    for chunk in html.split('<tr data-question="')[1:]:
        name = chunk[: chunk.index('"')]
        row = chunk[: chunk.index("</tr>")]
        page = Page()
        page.feed(row[row.index(">") + 1 :])
        cells = [" ".join(text.split()) for text in page.texts if text.strip()]
        rows[name] = (cells[0], cells[1], cells[2])
    return rows


def test_answer_level_drill_down_in_the_chosen_language() -> None:
    english = _answer_rows(get("/results/countries/ARG/")[0].content.decode())
    assert english["q_strategy"] == ("Is there a strategy?", "Full", "1.00")
    assert english["q_share"] == ("Which areas share data?", "Area A; Area B", "0.67")  # 2 of the 3 areas
    assert english["q_staff"] == ("Data staff", "50", "0.50")  # linear from 0 to 100
    assert english["q_org"] == ("Is there a lead organisation?", "Yes", "1.00")
    spanish = _answer_rows(get("/results/countries/ARG/", "es")[0].content.decode())
    assert spanish["q_share"] == ("¿Qué áreas comparten datos?", "Área A; Área B", "0,67")
    assert spanish["q_strategy"][1] == "Completa"
    # COL did not give the strategy's year: shown as unanswered, scored 0 (the framework's default)
    colombia = _answer_rows(get("/results/countries/COL/")[0].content.decode())
    assert colombia["q_year"] == ("Year of the strategy", "No answer", "0.00")


def test_answers_are_escaped() -> None:
    html = get("/results/countries/MEX/")[0].content.decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;)" in html
    assert '=HYPERLINK("http://evil.example")' not in html


def test_indicator_page_distribution_and_who_has_what() -> None:
    reply, page = get("/results/indicators/I5/")
    # I5 = 7/12, 4/15, 1, 0, 13/60: mean 124/300 = 0.41, median 4/15 = 0.27, min 0 (COL), max 1 (CHL)
    summary = {
        a["data-measure"]: text for a, text in page.figures if a.get("data-node") == "I5" and "data-unit" not in a
    }
    assert summary["mean"] == "0.41"
    assert summary["median"] == "0.27"
    assert summary["min"].startswith("0.00") and "Colombia" in summary["min"]
    assert summary["max"].startswith("1.00") and "Chile" in summary["max"]
    # bands of 0.2, highest first: CHL | - | ARG | BRA, MEX | COL
    counts = [text for a, text in page.figures if a["data-measure"] == "band-count"]
    assert counts == ["1", "0", "1", "2", "1"]
    html = reply.content.decode()
    # q_share, option "a": ARG and CHL of the five
    start = html.index('data-option="a"')
    row = html[start : html.index("</tr>", start)]
    assert "2 of 5 countries (40%)" in row
    assert "/results/countries/ARG/" in row and "/results/countries/CHL/" in row and "BRA" not in row
    # q_staff answers, highest first
    start = html.index('data-question="q_staff"')
    table = html[start : html.index("</table>", start)]
    assert [table.index(f'data-unit="{u}"') for u in ("CHL", "ARG", "BRA", "MEX", "COL")] == sorted(
        table.index(f'data-unit="{u}"') for u in ("CHL", "ARG", "BRA", "MEX", "COL")
    )


def test_indicator_page_of_a_pillar_lists_its_indicators_and_ranks() -> None:
    reply, page = get("/results/indicators/P1/")
    html = reply.content.decode()
    for child in ("I1", "I2", "I3"):
        assert f'href="/results/indicators/{child}/"' in html
    assert page.measure("score", "P1") == P1
    assert page.measure("rank", "P1") == {"ARG": "1", "BRA": "2", "COL": "3", "CHL": "4", "MEX": "4"}


def test_links_keep_the_chosen_release() -> None:
    html = get("/results/?release=tiny-2026-r1")[0].content.decode()
    assert 'href="/results/countries/ARG/?release=tiny-2026-r1"' in html
    assert 'href="/results/countries/ARG/"' not in html


def test_exports_download_with_their_content_type(releases: Releases) -> None:
    client = Client()
    reply = client.get("/results/export/csv/")
    assert reply.status_code == 200
    assert reply["Content-Type"] == "text/csv; charset=utf-8"
    assert reply["Content-Disposition"] == 'attachment; filename="tiny-2026-r2.csv"'
    rows = list(csv.DictReader(io.StringIO(reply.content.decode("utf-8"))))
    arg = [row for row in rows if row.get("unit") == "ARG" and row.get("node") == "IDX"]
    assert len(arg) == 1 and float(arg[0]["score"]) == pytest.approx(43 / 48, abs=1e-12)

    reply = client.get("/results/export/xlsx/?release=tiny-2026-r1")
    assert reply["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert reply["Content-Disposition"] == 'attachment; filename="tiny-2026-r1.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(reply.content))
    assert "README" in workbook.sheetnames

    reply = client.get("/results/export/sdmx-csv/")
    assert reply["Content-Type"].startswith("application/vnd.sdmx.data+csv")
    header = reply.content.decode("utf-8").splitlines()[0].split(",")
    assert {"REF_AREA", "INDICATOR", "MEASURE"} <= set(header)

    reply = client.get("/results/export/datapackage/")
    assert reply["Content-Type"] == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(reply.content)).namelist())
    assert "tiny-2026-r2/datapackage.json" in names and "tiny-2026-r2/scores.csv" in names


def test_pages_are_read_only() -> None:
    assert Client().post("/results/").status_code == 405
    assert Client().head("/results/countries/ARG/").status_code == 200


# -- helpers ------------------------------------------------------------------------------------------------------
def _framework() -> Any:
    from tests.release.conftest import tiny_framework

    return tiny_framework()


def _use_rules(monkeypatch: pytest.MonkeyPatch, ruleset: RuleSet) -> None:
    original = selectors.report_data

    def with_rules(release: Any, language: str = "en") -> Any:
        return original(release, language, rules=ruleset)

    monkeypatch.setattr(selectors, "report_data", with_rules)
    selectors.cache_clear()


def test_peers_add_their_average_to_the_radar_and_the_table() -> None:
    reply, page = get("/results/countries/BRA/?peers=ARG&peers=CHL,XXX,BRA")
    # P1: ARG 1, CHL 1/6 -> 7/12; P2: ARG 19/24, CHL 1 -> 43/48 (unknown codes and BRA itself are left out)
    assert page.measure("peers", "P1") == {"": "0.58"}
    assert page.measure("peers", "P2") == {"": "0.90"}
    html = reply.content.decode()
    start = html.index('class="chart radar-chart"') if "radar-chart" in html else html.index("grouped-bar-chart")
    assert "Peers: Argentina, Chile" in html[start : html.index("</svg>", start)]
    assert 'value="ARG" checked' in html and 'value="MEX">' in html
    _, plain = get("/results/countries/BRA/")
    assert plain.measure("peers", "P1") == {}


def test_trend_over_published_cycles_marks_a_framework_change(releases: Releases, settings: Any, tmp_path: Any) -> None:
    import dataclasses
    import shutil

    from govlens.release import create_release, save_release
    from tests.release.conftest import ANSWERS, tiny_framework

    for release in (releases.real, releases.synthetic):
        shutil.copy(releases.folder / f"{release.id}.json", tmp_path)
    older = dataclasses.replace(tiny_framework(), version="2024.1")
    save_release(
        create_release(older, ANSWERS, cycle="tiny-2024", release_id="tiny-2024-r1", created="2024-11-01T00:00:00Z"),
        tmp_path,
    )
    # ARG without a data portal: I4 = 0, P2 = 7/24, IDX = (1 + 7/24) / 2 = 31/48 = 0.65
    answers = {**ANSWERS, "ARG": {**ANSWERS["ARG"], "q_portal": "no"}}
    save_release(
        create_release(
            tiny_framework(), answers, cycle="tiny-2025", release_id="tiny-2025-r1", created="2025-11-01T00:00:00Z"
        ),
        tmp_path,
    )
    settings.GOVLENS_RELEASES_DIR = tmp_path
    reply, page = get("/results/countries/ARG/")
    assert [t for a, t in page.figures if a["data-measure"] == "trend-score"] == ["0.90", "0.65", "0.90"]
    changes = [t for a, t in page.figures if a["data-measure"] == "trend-change"]
    # 2024 is first; 2025 used another framework version; 2026: 43/48 - 31/48 = +0.25
    assert changes == ["–", "not comparable: the framework changed", "+0.25"]
    html = reply.content.decode()
    assert (
        html.index('data-cycle="tiny-2024"')
        < html.index('data-cycle="tiny-2025"')
        < html.index('data-cycle="tiny-2026"')
    )
    # the chart: one marker per cycle, a solid line 2025-2026 and a dashed one across the 2024-2025 break
    chart = html.split('class="chart line-chart"')[1].split("</svg>")[0]
    assert chart.count('class="point"') == 3 and chart.count("<circle") == 3
    assert 'class="segment break"' in chart and chart.count('class="segment"') == 1
    keys = [chart.index(f'data-key="tiny-{year}"') for year in (2024, 2025, 2026)]
    assert keys == sorted(keys)
    assert "dashed line joins cycles whose framework changed" in chart
    # the older release's page shows the trend only up to its own cycle
    _, old = get("/results/countries/ARG/?release=tiny-2025-r1")
    assert [t for a, t in old.figures if a["data-measure"] == "trend-score"] == ["0.90", "0.65"]


def test_overview_shows_the_public_benchmarks_frozen_with_the_release(settings: Any, tmp_path: Any) -> None:
    table = pd.DataFrame([{"variable": "EGDI", "label": "E-Government Development Index", "lac_n": 33,
                           "lac_mean": 0.657, "oecd_n": 38, "oecd_mean": 0.891, "gap": 0.657 - 0.891,
                           "frontier_unit": "URY", "frontier_value": 0.9006, "in_both": "CHL MEX"}])
    made = create_release(release_framework(), ANSWERS, cycle="tiny-2026", release_id="tiny-2026-r9",
                          benchmarks=[Comparison("egdi-2024", "egdi", 2024, "2024", table)],
                          created="2026-11-28T09:00:00Z")
    save_release(made, tmp_path)
    settings.GOVLENS_RELEASES_DIR = tmp_path
    selectors.cache_clear()
    reply, _ = get("/results/", "es")
    html = reply.content.decode()
    row = html.split('data-variable="EGDI"')[1].split("</tr>")[0]
    assert "0,66 (33)" in row and "0,89 (38)" in row and "-0,23" in row and "Uruguay (0,90)" in row
    assert "Incluidos en ambos promedios (países de ALC que eran miembros de la OCDE ese año): Chile, México" in html


def test_overview_without_benchmarks_has_no_benchmark_section() -> None:
    reply, _ = get("/results/")
    assert reply.status_code == 200
    assert "benchmarks-heading" not in reply.content.decode()


def test_french_pages_have_a_no_break_space_before_a_colon() -> None:
    # the headings come from Django's catalogue and the figures' words from the core's: both are typeset
    html = get("/results/", "fr")[0].content.decode()
    assert "Vue régionale\u00a0:" in html and "Vue régionale:" not in html
    assert "régionale\u00a0:" not in get("/results/", "es")[0].content.decode()


def test_no_internal_ids_as_headings() -> None:
    import re

    html = get("/results/")[0].content.decode()
    headings = re.findall(r"<h[2-4][^>]*>(.*?)</h[2-4]>", html, re.S)
    assert headings and not [h for h in headings if re.search(r"\bF\d\d\b", h)]
