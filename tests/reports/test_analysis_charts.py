"""The analysis charts (sunburst, distributions, correlations, rank intervals, Sobol indices): well-formed SVG,
one mark per value, lengths proportional to the values, the same bytes every time, names kept as text."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from govlens.reports.analysis_charts import (
    CORRELATION,
    RING_COLOURS,
    Distribution,
    RankInterval,
    SobolIndex,
    TreeItem,
    Value,
    _lighter,
    correlation_map,
    distribution_chart,
    rank_interval_chart,
    sensitivity_chart,
    sunburst,
)
from govlens.reports.charts import INK, luminance, text_colour

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert(1)</script>"


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert not list(root.iter(f"{SVG}script")) and "<script" not in svg
    return root


TREE = (
    TreeItem("IDX", None, "Index", 1.0),
    TreeItem("P1", "IDX", "Governance", 3.0, note="weight 3"),
    TreeItem("P2", "IDX", SCRIPT, 1.0),
    TreeItem("a", "P1", "Lead", 1.0),
    TreeItem("b", "P1", "Strategy", 1.0),
    TreeItem("c", "P2", "Portal", 1.0),
    TreeItem("z", "P2", "Dropped", 0.0),
)


def _span(path: str) -> float:
    """The angle (degrees, clockwise from the top) that the outer arc of a sector path covers."""
    numbers = [float(n) for n in re.findall(r"-?\d+\.?\d*", path)]
    x0, y0 = numbers[0], numbers[1]
    radius, large, x1, y1 = numbers[2], numbers[5], numbers[7], numbers[8]
    cx = cy = 260.0

    def angle(x: float, y: float) -> float:
        return math.degrees(math.atan2(x - cx, cy - y)) % 360

    span = (angle(x1, y1) - angle(x0, y0)) % 360
    assert math.isclose(math.hypot(x0 - cx, y0 - cy), radius, abs_tol=0.02)
    assert (span > 180) == (large == 1)
    return span


def test_sunburst_has_a_sector_per_node_sized_by_weight() -> None:
    svg = sunburst(TREE, title="Framework", desc="Pillars and indicators by weight")
    root = parse(svg)
    segments = {g.get("data-node"): g for g in root.iter(f"{SVG}g") if g.get("class") == "segment"}
    # the node of weight 0 takes no room
    assert sorted(str(node) for node in segments) == ["IDX", "P1", "P2", "a", "b", "c"]
    spans = {node: _span(g.find(f"{SVG}path").get("d", "")) for node, g in segments.items() if node != "IDX"}  # type: ignore[union-attr]
    assert spans["P1"] == pytest.approx(270.0, abs=0.05) and spans["P2"] == pytest.approx(90.0, abs=0.05)
    # children share their parent's angle by weight: a and b half of P1's, c all of P2's (its sibling weighs 0)
    assert spans["a"] == pytest.approx(135.0, abs=0.05) and spans["b"] == pytest.approx(135.0, abs=0.05)
    assert spans["c"] == pytest.approx(90.0, abs=0.05)
    depths = {node: g.get("data-depth") for node, g in segments.items()}
    assert depths == {"IDX": "0", "P1": "1", "P2": "1", "a": "2", "b": "2", "c": "2"}
    # names stay text: the tooltip and the label of P2 hold the script as characters
    assert segments["P2"].find(f"{SVG}title").text == SCRIPT  # type: ignore[union-attr]
    assert segments["P1"].find(f"{SVG}title").text == "Governance: weight 3"  # type: ignore[union-attr]
    assert "Governance" in [t.text for t in root.iter(f"{SVG}text")]


def test_sunburst_is_deterministic_and_draws_a_whole_ring() -> None:
    assert sunburst(TREE, title="t", desc="d") == sunburst(TREE, title="t", desc="d")
    single = sunburst([TreeItem("I", None, "I", 1), TreeItem("p", "I", "Only pillar", 1)], title="t", desc="d")
    path = parse(single).find(f".//{SVG}path")
    assert path is not None and path.get("d", "").count("A") == 4  # two half arcs outside, two inside
    with pytest.raises(ValueError, match="exactly one root"):
        sunburst([TreeItem("a", None, "a", 1), TreeItem("b", None, "b", 1)], title="t", desc="d")


def test_ring_colours_keep_the_ink_readable_at_every_depth() -> None:
    for colour in RING_COLOURS:
        for share in (0.0, 0.28, 0.56, 0.75):
            assert contrast(INK, _lighter(colour, share)) >= 4.5


ROWS = (
    Distribution(
        "i1",
        "Lead organisation",
        [Value("ARG", "Argentina", 0.1), Value("BRA", "Brazil", 0.5), Value("CHL", "Chile", 0.55),
         Value("COL", "Colombia", 0.6), Value("MEX", SCRIPT, 3.0), Value("PER", "Peru", None)],
    ),
    Distribution("i2", "Never answered", [Value("ARG", "Argentina", None)]),
)


def test_distribution_chart_draws_one_dot_per_value_and_the_quartiles() -> None:
    svg = distribution_chart(ROWS, minimum=0.0, maximum=3.0, title="t", desc="d", fmt=fmt)
    root = parse(svg)
    rows = {g.get("data-indicator"): g for g in root.iter(f"{SVG}g")}
    dots = rows["i1"].findall(f"{SVG}circle")
    assert [d.get("data-unit") for d in dots] == ["ARG", "BRA", "CHL", "COL", "MEX"]  # Peru has no value
    assert not rows["i2"].findall(f"{SVG}circle") and "–" in [t.text for t in rows["i2"].iter(f"{SVG}text")]
    # positions on the axis: x = 190 + value / 3 * 380
    assert [float(d.get("cx", "")) for d in dots] == pytest.approx(
        [190 + v / 3 * 380 for v in (0.1, 0.5, 0.55, 0.6, 3)], abs=0.005
    )
    q1, median, q3 = np.quantile([0.1, 0.5, 0.55, 0.6, 3.0], [0.25, 0.5, 0.75])
    box = rows["i1"].find(f"{SVG}rect")
    assert box is not None
    assert float(box.get("x", "")) == pytest.approx(190 + q1 / 3 * 380, abs=0.01)
    assert float(box.get("width", "")) == pytest.approx((q3 - q1) / 3 * 380, abs=0.02)
    line = next(e for e in rows["i1"].iter(f"{SVG}line") if e.get("class") == "median")
    assert float(line.get("x1", "")) == pytest.approx(190 + median / 3 * 380, abs=0.01)
    # 3.0 lies beyond 1.5 interquartile ranges: an outlier, and the whisker stops at the last value within
    assert [d.get("class") for d in dots].count("dot outlier") == 2  # 0.1 and 3.0
    whisker = next(e for e in rows["i1"].iter(f"{SVG}line") if e.get("class") == "whisker")
    assert float(whisker.get("x2", "")) == pytest.approx(190 + 0.6 / 3 * 380, abs=0.01)
    assert dots[4].find(f"{SVG}title").text == f"{SCRIPT}: 3.00"  # type: ignore[union-attr]
    assert svg == distribution_chart(ROWS, minimum=0.0, maximum=3.0, title="t", desc="d", fmt=fmt)


def test_correlation_map_colours_by_sign_with_readable_values() -> None:
    svg = correlation_map(
        [("i1", SCRIPT), ("i2", "Portal")], [("P1", "P1"), ("IDX", "Index")], [[1.0, -1.0], [0.0, None]],
        title="t", desc="d", fmt=fmt,
    )
    root = parse(svg)
    cells = {(g.get("data-unit"), g.get("data-node")): g for g in root.iter(f"{SVG}g")}
    assert len(cells) == 4
    fills = {key: g.find(f"{SVG}rect").get("fill") for key, g in cells.items()}  # type: ignore[union-attr]
    assert fills[("i1", "P1")] == CORRELATION[-1] and fills[("i1", "IDX")] == CORRELATION[0]
    assert fills[("i2", "P1")] == CORRELATION[len(CORRELATION) // 2]  # 0: the neutral middle
    assert cells[("i2", "IDX")].find(f"{SVG}text").text == "–"  # type: ignore[union-attr]
    assert cells[("i1", "IDX")].find(f"{SVG}text").text == "-1.00"  # type: ignore[union-attr]
    # a long name is shortened to the labels' width, and stays text
    assert "<script>alert(1)</sc…" in [t.text for t in root.iter(f"{SVG}text")]
    assert root.get("aria-labelledby") == "correlation-map-title correlation-map-desc"
    for colour in CORRELATION:
        assert contrast(text_colour(colour), colour) >= 4.5


def test_rank_interval_chart_places_ranks_on_the_axis() -> None:
    rows = [
        RankInterval("ARG", "Argentina", 1, 1.5, 1, 3),
        RankInterval("BRA", SCRIPT, 3, 2, 1.5, 5),
        RankInterval("CHL", "Chile", None, None, None, None),
    ]
    svg = rank_interval_chart(
        rows, units=5, title="t", desc="d", legend=("5-95%", "median", "nominal"), axis_label="Rank"
    )
    root = parse(svg)
    units = {g.get("data-unit"): g for g in root.iter(f"{SVG}g")}

    def x(rank: float) -> float:
        return 170 + (rank - 1) / 4 * 380

    line = next(e for e in units["BRA"].iter(f"{SVG}line") if e.get("class") == "interval")
    assert (float(line.get("x1", "")), float(line.get("x2", ""))) == pytest.approx((x(1.5), x(5)), abs=0.01)
    median = units["ARG"].find(f"{SVG}circle")
    assert median is not None and float(median.get("cx", "")) == pytest.approx(x(1.5), abs=0.01)
    assert len([e for e in root.iter(f"{SVG}path") if e.get("class") == "nominal"]) == 2
    assert not list(units["CHL"].iter(f"{SVG}circle")) and not list(units["CHL"].iter(f"{SVG}line"))
    assert units["BRA"].find(f"{SVG}title").text == f"{SCRIPT}: 5-95% 1.5–5; median 2; nominal 3"  # type: ignore[union-attr]


def test_sensitivity_chart_bars_are_proportional_with_their_intervals() -> None:
    rows = [
        SobolIndex("weights", "Weights", 0.4, 0.05, 0.6, 0.1),
        SobolIndex("normalise", SCRIPT, -0.02, 0.03, 0.1, None),
        SobolIndex("drop", "Leave one out", None, None, None, None),
    ]
    svg = sensitivity_chart(rows, title="t", desc="d", fmt=fmt, series=("First order", "Total"))
    root = parse(svg)
    inputs = {g.get("data-input"): g for g in root.iter(f"{SVG}g")}
    widths = {
        (key, rect.get("class")): float(rect.get("width", ""))
        for key, g in inputs.items()
        for rect in g.iter(f"{SVG}rect")
    }
    # axis 0..1 over 360 px; a negative estimate has no bar
    assert widths == pytest.approx(
        {("weights", "first"): 144.0, ("weights", "total"): 216.0, ("normalise", "first"): 0.0,
         ("normalise", "total"): 36.0}
    )
    whiskers = [e for e in inputs["weights"].iter(f"{SVG}line")]
    ends = [float(e.get(end, "")) for e in whiskers for end in ("x1", "x2")]
    assert ends == pytest.approx([130 + 0.35 * 360, 130 + 0.45 * 360, 130 + 0.5 * 360, 130 + 0.7 * 360])
    assert "-0.02" in [t.text for t in inputs["normalise"].iter(f"{SVG}text")]
    assert [t.text for t in inputs["drop"].iter(f"{SVG}text")].count("–") == 2
    # an estimate above 1 extends the axis (to the next tenth), so its bar is not cut
    wide = parse(sensitivity_chart([SobolIndex("w", "W", 1.02, 0.05, None, None)], title="t", desc="d", fmt=fmt,
                                   series=("a", "b")))
    bar = next(wide.iter(f"{SVG}rect"))
    assert float(bar.get("width", "")) == pytest.approx(1.02 / 1.1 * 360, abs=0.01)


def test_legends_stay_inside_their_chart() -> None:
    legend = ("intervalle de 5 à 95 %", "rang médian", "rang nominal")
    root = parse(rank_interval_chart([RankInterval("A", "A", 1, 1, 1, 2)], units=2, title="t", desc="d",
                                     legend=legend, axis_label="Rang"))
    width = float(root.get("width", ""))
    entries = [t for t in root.iter(f"{SVG}text") if t.text in legend]
    assert [t.text for t in entries] == list(legend)
    xs = [float(t.get("x", "")) for t in entries]
    assert xs == sorted(xs) and xs[-1] + len(legend[-1]) * 6.6 <= width
