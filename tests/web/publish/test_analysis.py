"""The method and analysis page of a release on the public dashboard (Django's test client, anonymous): the
charts a COINr user expects, each with its table, the rank intervals only for a release made with an uncertainty
analysis, words in the reader's language, names from the framework kept as text.

The tiny framework of ``tests/release/conftest.py`` weighs its nodes equally: P1 has three indicators (each 1/6
of the index), P2 two (each 1/4)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from govlens.release import ReleaseSettings, UncertaintySettings, create_release, save_release
from govlens.web.publish import selectors
from tests.release.conftest import ANSWERS
from tests.release.conftest import tiny_framework as release_framework

from .conftest import Releases

pytestmark = pytest.mark.usefixtures("db")

URL = "/results/analysis/"
SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = '<script>alert("xss")</script>'


def html_of(url: str, language: str = "en") -> str:
    reply = Client().get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert reply.status_code == 200, reply.status_code
    return reply.content.decode("utf-8")


def charts(html: str) -> dict[str, ET.Element]:
    """Every chart of the page by its kind, each parsed as XML (so each one is well-formed)."""
    found = [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]
    return {str(chart.get("class")).removeprefix("chart "): chart for chart in found}


def cells(html: str, table: str) -> list[list[str]]:
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows]


def test_the_page_shows_the_analysis_charts_with_their_tables(releases: Releases) -> None:
    html = html_of(URL)  # latest: the synthetic release, made with an uncertainty analysis
    assert 'data-release="tiny-2026-r2"' in html
    found = charts(html)
    assert sorted(found) == ["correlation-map", "distribution-chart", "rank-interval-chart", "sunburst"]
    for chart in found.values():
        assert chart.get("role") == "img" and chart.find(f"{SVG}title") is not None
    # the sunburst: the index and every node of the tree
    segments = [g for g in found["sunburst"].iter(f"{SVG}g") if g.get("class") == "segment"]
    assert len(segments) == len(releases.synthetic.results.nodes)
    shares = {row[0]: row[4] for row in cells(html, "framework-table")[1:]}
    assert shares["Governance"] == "50.0%" and list(shares.values()).count("16.7%") == 3
    assert list(shares.values()).count("25.0%") == 2
    # one dot per country and indicator with a score
    scores = releases.synthetic.results.scores
    leaves = [node for node in releases.synthetic.results.nodes if re.fullmatch(r"I\d", node)]
    dots = [c for c in found["distribution-chart"].iter(f"{SVG}circle") if "dot" in c.get("class", "")]
    assert len(dots) == int(scores[leaves].notna().to_numpy().sum())
    # the rank table gives the release's own intervals at the index
    results = releases.synthetic.results
    for row in cells(html, "ranks-table")[1:]:
        unit = next(u for u in results.units if selectors._report_data(releases.synthetic, "en").name(u) == row[0])
        interval = results.interval(unit, "IDX")
        assert interval is not None and (row[3], row[4]) == (f"{interval[0]:g}", f"{interval[1]:g}")
        assert row[1] == str(results.rank(unit, "IDX"))
    assert 'id="sensitivity"' not in html  # made without a sensitivity analysis
    assert '<tr data-setting="normalise">' in html


def test_a_release_without_uncertainty_analysis_says_so() -> None:
    html = html_of(f"{URL}?release=tiny-2026-r1")
    assert 'id="no-uncertainty"' in html and "rank-interval-chart" not in html
    assert "correlation-map" in html
    assert 'href="/results/analysis/?release=tiny-2026-r1"' in html  # the navigation keeps the release


def test_the_charts_speak_the_readers_language() -> None:
    html = html_of(URL, "es")
    title = charts(html)["sunburst"].find(f"{SVG}title")
    assert title is not None and (title.text or "").startswith("El marco")
    assert "Marco y ponderaciones" in html and "16,7%" in html


def test_the_overview_links_to_the_analysis_page() -> None:
    assert 'href="/results/analysis/"' in html_of("/results/")


def serve_only(settings: Any, folder: Path, framework: Any, release_settings: ReleaseSettings | None = None) -> Any:
    """A release of ``framework`` made and saved alone in ``folder``, which the dashboard then reads."""
    release = create_release(
        framework,
        ANSWERS,
        cycle="tiny-2026",
        settings=release_settings,
        release_id="tiny-2026-r1",
        created="2026-11-27T08:00:00Z",
    )
    save_release(release, folder)
    settings.GOVLENS_RELEASES_DIR = folder
    selectors.cache_clear()
    return release


def test_names_from_the_framework_stay_text(settings: Any, tmp_path: Path) -> None:
    serve_only(settings, tmp_path, release_framework(pillar_label=SCRIPT))
    html = html_of(URL)
    assert SCRIPT not in html and "&lt;script&gt;" in html
    sunburst = charts(html)["sunburst"]
    tooltips = [g.findtext(f"{SVG}title") or "" for g in sunburst.iter(f"{SVG}g")]
    assert any(tooltip.startswith(SCRIPT + ": weight") for tooltip in tooltips)


def test_a_release_with_a_sensitivity_analysis_shows_its_sobol_indices(settings: Any, tmp_path: Path) -> None:
    design = UncertaintySettings(replications=60, seed=2, normalise=("minmax", "rank"), weight_range=0.3, sobol_base=16)
    release = serve_only(settings, tmp_path, release_framework(), ReleaseSettings(uncertainty=design))
    html = html_of(URL)
    bars = charts(html)["sensitivity-chart"]
    inputs = [g.get("data-input") for g in bars.iter(f"{SVG}g") if g.get("class") == "input"]
    assert inputs == ["normalise", "weights"]
    sensitivity = release.results.sensitivity
    assert sensitivity is not None
    rows = cells(html, "sensitivity-table")[1:]
    assert [row[0] for row in rows] == ["normalisation", "weights"]
    first = sensitivity.set_index("input")["first_order"]
    assert rows[1][1].startswith(f"{first['weights']:.2f} ± ")
    assert "Sobol sensitivity analysis with 16 base samples" in html
