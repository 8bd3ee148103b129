"""The SVG charts: well-formed, labelled for assistive technology, text escaped, readable colours."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from govlens.reports.charts import (
    HEAT,
    Bar,
    Point,
    Series,
    bar_chart,
    grouped_bar_chart,
    heat_map,
    line_chart,
    radar_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_bar_chart_is_labelled_and_escapes_text() -> None:
    svg = bar_chart(
        [Bar("ARG", "<b>Argentina</b>", 0.9, 1, 1.0, 2.0), Bar("BRA", "Brazil", 0.5, 2)],
        maximum=1.0,
        title="Index & ranks",
        desc="Data in the table",
        fmt=fmt,
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Index & ranks"  # type: ignore[union-attr]
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "<b>Argentina</b>" in texts and "0.90" in texts
    groups = [element.get("data-unit") for element in root.iter(f"{SVG}g")]
    assert groups == ["ARG", "BRA"]
    # the bar of 0.9 is 90% of the width of the bar of 1.0 would be: 0.9 * 300
    widths = [float(rect.get("width", "0")) for rect in root.iter(f"{SVG}rect")]
    assert widths == [pytest.approx(270.0, abs=0.05), pytest.approx(150.0, abs=0.05)]
    # one interval line (ARG) besides the grid lines
    assert len([line for line in root.iter(f"{SVG}line") if line.get("stroke-width") == "3"]) == 1


def test_heat_map_cells_show_values_and_missing() -> None:
    svg = heat_map(
        [("ARG", "Argentina"), ("BRA", "Brazil")],
        [("P1", "P1"), ("P2", "P2")],
        [[1.0, 0.0], [None, 0.5]],
        maximum=1.0,
        title="t",
        desc="d",
        fmt=fmt,
    )
    root = ET.fromstring(svg)
    cells = {(g.get("data-unit"), g.get("data-node")): g for g in root.iter(f"{SVG}g")}
    assert len(cells) == 4
    assert cells[("BRA", "P1")].find(f"{SVG}text").text == "–"  # type: ignore[union-attr]
    assert cells[("ARG", "P1")].find(f"{SVG}text").text == "1.00"  # type: ignore[union-attr]
    darkest = cells[("ARG", "P1")].find(f"{SVG}rect")
    assert darkest is not None and darkest.get("fill") == HEAT[-1]


def test_heat_map_text_meets_wcag_aa_contrast() -> None:
    for index, fill in enumerate(HEAT):
        ink = "#ffffff" if index >= 4 else "#1f2933"
        assert _contrast(ink, fill) >= 4.5, (index, fill)


@pytest.mark.parametrize("draw", [radar_chart, grouped_bar_chart])
def test_radar_and_grouped_bars_draw_one_shape_per_series(draw: object) -> None:
    series = [Series("Chile", [0.5, 1.0, 0.25]), Series("LAC average", [0.4, 0.5, None])]
    svg = draw(["P1", "P2", "P3"], series, maximum=1.0, title="t", desc="d", fmt=fmt)  # type: ignore[operator]
    root = ET.fromstring(svg)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert "Chile" in texts and "LAC average" in texts and "P2" in texts
    if draw is radar_chart:
        assert len([p for p in root.iter(f"{SVG}polygon") if p.get("class") == "series"]) == 2
    else:
        # 3 bars of Chile + 2 of the average (one missing) + 2 legend keys
        assert len(list(root.iter(f"{SVG}rect"))) == 7


def test_line_chart_joins_comparable_cycles_only() -> None:
    points = [
        Point("2024", "2024", 0.40),
        Point("2025", "2025 <b>", 0.55),
        Point("2026", "2026", 0.50, break_before=True),
        Point("2027", "2027", None),
    ]
    svg = line_chart(points, maximum=1.0, title="Index & trend", desc="Scores per cycle", fmt=fmt)
    root = ET.fromstring(svg)  # well-formed: the label's markup was escaped
    assert root.find(f"{SVG}title").text == "Index & trend"
    segments = root.findall(f".//{SVG}line[@class]")
    # 2024-2025 joined, 2025-2026 across the break (dashed), nothing to the missing 2027
    assert [segment.get("class") for segment in segments] == ["segment", "segment break"]
    assert segments[1].get("stroke-dasharray") == "4 4" and segments[0].get("stroke-dasharray") is None
    groups = root.findall(f"{SVG}g")
    assert [group.get("data-key") for group in groups] == ["2024", "2025", "2026", "2027"]
    assert [len(group.findall(f"{SVG}circle")) for group in groups] == [1, 1, 1, 0]  # no marker without a value
    texts = ["".join(group.itertext()).split() for group in groups]
    assert texts[1] == ["2025", "<b>", "0.55"]
    # higher scores sit higher: y grows downwards in SVG
    heights = [float(group.find(f"{SVG}circle").get("cy")) for group in groups[:3]]
    assert heights[1] < heights[2] < heights[0]
