"""Charts as server-rendered SVG, drawn by GovLens itself (no JavaScript, no CDN): they work offline, in the
HTML pages and in WeasyPrint's PDF.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (its text alternative); the pages put
the chart's data in a table next to it. Colours are chosen for contrast (text on dark cells is white).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Bar", "Point", "Series", "bar_chart", "grouped_bar_chart", "heat_map", "line_chart", "radar_chart"]

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#cbd2d9"
BAR = "#1d5c96"
HIGHLIGHT = "#c05621"
# series colours of the radar (country, group averages): distinguishable with common colour-vision deficiencies
SERIES_COLOURS: tuple[str, ...] = ("#c05621", "#1d5c96", "#2f855a", "#6b46c1")
# sequential scale of the heat map, light to dark
HEAT: tuple[str, ...] = ("#eef4fa", "#cfe0f1", "#a6c6e5", "#74a5d4", "#3a75b0", "#23629f", "#0f4477")

Format = Callable[[float | None], str]


def attribute(text: str) -> str:
    """``text`` escaped for an attribute value."""
    return escape(text, quote=True)


def svg_open(width: float, height: float, title: str, desc: str, css_class: str) -> list[str]:
    """The opening lines of a chart: the ``<svg role="img">`` element, its ``<title>`` and ``<desc>``."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" aria-labelledby="{css_class}-title {css_class}-desc" '
        f'font-family="{attribute(FONT)}" font-size="11">',
        f'<title id="{css_class}-title">{escape(title)}</title>',
        f'<desc id="{css_class}-desc">{escape(desc)}</desc>',
    ]


@dataclass(frozen=True)
class Bar:
    key: str  # e.g. ISO3 code, written into data attributes
    label: str
    value: float | None
    rank: int | None = None
    low: float | None = None  # rank interval (5th, 95th percentile)
    high: float | None = None
    highlight: bool = False


def bar_chart(
    bars: Sequence[Bar],
    *,
    maximum: float,
    title: str,
    desc: str,
    fmt: Format,
    units: int | None = None,
    rank_label: str = "Rank",
) -> str:
    """Horizontal bars of a score (in the order given), with a panel of ranks and rank intervals on the right."""
    count = len(bars)
    units = units or count
    row, top, label_w, bar_w, value_w, gap, rank_w = 20.0, 36.0, 150.0, 300.0, 52.0, 18.0, 150.0
    width = label_w + bar_w + value_w + gap + rank_w + 10
    height = top + row * count + 26
    out = svg_open(width, height, title, desc, "bar-chart")
    rank_x0 = label_w + bar_w + value_w + gap
    scale = bar_w / maximum if maximum > 0 else 0.0

    def rank_x(rank: float) -> float:
        return rank_x0 + (rank - 1) / max(units - 1, 1) * rank_w

    # rank panel axis: 1 (best) on the left
    out.append(
        f'<text x="{rank_x0 + rank_w / 2:.1f}" y="11" text-anchor="middle" fill="{MUTED}">{escape(rank_label)}</text>'
    )
    for tick in sorted({1, max(1, (units + 1) // 2), units}):
        x = rank_x(tick)
        out.append(f'<line x1="{x:.1f}" y1="{top - 6:.1f}" x2="{x:.1f}" y2="{top + row * count:.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{x:.1f}" y="{top - 9:.1f}" text-anchor="middle" fill="{MUTED}">{tick}</text>')
    for i, bar in enumerate(bars):
        y = top + i * row
        colour = HIGHLIGHT if bar.highlight else BAR
        weight = ' font-weight="bold"' if bar.highlight else ""
        out.append(f'<g class="bar" data-unit="{attribute(bar.key)}">')
        out.append(
            f'<text x="{label_w - 6:.1f}" y="{y + 14:.1f}" text-anchor="end" fill="{INK}"{weight}>'
            f"{escape(bar.label)}</text>"
        )
        if bar.value is not None and not math.isnan(bar.value):
            length = max(0.0, bar.value * scale)
            out.append(
                f'<rect x="{label_w:.1f}" y="{y + 3:.1f}" width="{length:.1f}" height="{row - 6:.1f}" fill="{colour}"/>'
            )
            out.append(
                f'<text x="{label_w + length + 4:.1f}" y="{y + 14:.1f}" fill="{INK}">{escape(fmt(bar.value))}</text>'
            )
        if bar.low is not None and bar.high is not None:
            out.append(
                f'<line x1="{rank_x(bar.low):.1f}" y1="{y + 10:.1f}" x2="{rank_x(bar.high):.1f}" y2="{y + 10:.1f}" '
                f'stroke="{colour}" stroke-width="3" stroke-linecap="round"/>'
            )
        if bar.rank is not None:
            out.append(f'<circle cx="{rank_x(bar.rank):.1f}" cy="{y + 10:.1f}" r="4" fill="{colour}"/>')
        out.append("</g>")
    axis_y = top + row * count
    out.append(
        f'<line x1="{label_w:.1f}" y1="{axis_y:.1f}" x2="{label_w + bar_w:.1f}" y2="{axis_y:.1f}" stroke="{GRID}"/>'
    )
    for fraction in (0.0, 0.5, 1.0):
        x = label_w + fraction * bar_w
        out.append(
            f'<text x="{x:.1f}" y="{axis_y + 14:.1f}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(fmt(fraction * maximum))}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)


def luminance(colour: str) -> float:
    """Relative luminance of a ``#rrggbb`` colour (WCAG 2)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour(fill: str) -> str:
    """White or the ink, whichever contrasts more with ``fill``."""
    light = luminance(fill)
    return "#ffffff" if (1.05 / (light + 0.05)) > ((light + 0.05) / (luminance(INK) + 0.05)) else INK


def _heat_colour(share: float, colours: Sequence[str] = HEAT) -> tuple[str, str]:
    """(fill, text colour) of a cell whose value is ``share`` of the way from the minimum to the maximum."""
    fill = colours[min(len(colours) - 1, max(0, int(share * len(colours))))]
    return fill, text_colour(fill)


def heat_map(
    rows: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    values: Sequence[Sequence[float | None]],
    *,
    maximum: float,
    minimum: float = 0.0,
    title: str,
    desc: str,
    fmt: Format,
    missing: str = "–",
    colours: Sequence[str] = HEAT,
    css_class: str = "heat-map",
) -> str:
    """A grid of rows (key, label) x columns (key, short label) coloured by value, each cell showing its value
    (``colours`` from the minimum to the maximum: sequential by default)."""
    label_w, cell_w, cell_h, top = 150.0, 64.0, 22.0, 26.0
    width = label_w + cell_w * len(columns) + 4
    height = top + cell_h * len(rows) + 4
    out = svg_open(width, height, title, desc, css_class)
    for j, (_, short) in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        out.append(
            f'<text x="{x:.1f}" y="{top - 8:.1f}" text-anchor="middle" fill="{INK}" font-weight="bold">'
            f"{escape(short)}</text>"
        )
    span = maximum - minimum
    for i, (row_key, row_label) in enumerate(rows):
        y = top + i * cell_h
        out.append(
            f'<text x="{label_w - 6:.1f}" y="{y + 15:.1f}" text-anchor="end" fill="{INK}">{escape(row_label)}</text>'
        )
        for j, (column_key, _) in enumerate(columns):
            value = values[i][j]
            x = label_w + j * cell_w
            if value is None or math.isnan(value):
                fill, ink, text = "#ffffff", MUTED, missing
            else:
                share = (value - minimum) / span if span > 0 else 1.0
                fill, ink = _heat_colour(share, colours)
                text = fmt(value)
            out.append(
                f'<g data-unit="{attribute(row_key)}" data-node="{attribute(column_key)}">'
                f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell_w - 2:.1f}" height="{cell_h - 2:.1f}" '
                f'fill="{fill}" stroke="{GRID}" stroke-width="0.5"/>'
                f'<text x="{x + cell_w / 2:.1f}" y="{y + 15:.1f}" text-anchor="middle" fill="{ink}">'
                f"{escape(text)}</text>"
                "</g>"
            )
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per axis


def radar_chart(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    maximum: float,
    title: str,
    desc: str,
    fmt: Format,
) -> str:
    """A radar (spider) chart: one axis per pillar from the centre (0) to ``maximum``, one polygon per series."""
    size, legend_row = 420.0, 18.0
    centre_x, centre_y, radius = size / 2, size / 2 - 10, 135.0
    legend_top = centre_y + radius * 1.16 + 34
    height = legend_top + legend_row * len(series)
    out = svg_open(size, height, title, desc, "radar-chart")
    count = max(len(axes), 3)

    def point(axis: int, share: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * axis / count
        return centre_x + radius * share * math.cos(angle), centre_y + radius * share * math.sin(angle)

    ring_labels: list[str] = []  # drawn last, above the series
    for ring in (0.25, 0.5, 0.75, 1.0):
        corners = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(a, ring) for a in range(count)))
        out.append(f'<polygon points="{corners}" fill="none" stroke="{GRID}"/>')
        x, y = point(0, ring)
        ring_labels.append(
            f'<text x="{x + 3:.1f}" y="{y + 10:.1f}" fill="{MUTED}" font-size="9">{escape(fmt(ring * maximum))}</text>'
        )
    for a, label in enumerate(axes):
        x, y = point(a, 1.0)
        out.append(f'<line x1="{centre_x:.1f}" y1="{centre_y:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        lx, ly = point(a, 1.16)
        anchor = "middle" if abs(lx - centre_x) < 10 else ("start" if lx > centre_x else "end")
        out.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" fill="{INK}" font-weight="bold">'
            f"{escape(label)}</text>"
        )
    for s, item in enumerate(series):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        shares = [
            0.0 if value is None or math.isnan(value) or maximum <= 0 else max(0.0, min(1.0, value / maximum))
            for value in item.values
        ]
        corners = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(a, share) for a, share in enumerate(shares)))
        dash = "" if s == 0 else f' stroke-dasharray="{2 + 3 * s},3"'
        opacity = "0.18" if s == 0 else "0"
        out.append(
            f'<polygon class="series" points="{corners}" fill="{colour}" fill-opacity="{opacity}" '
            f'stroke="{colour}" stroke-width="{2.5 if s == 0 else 2}"{dash}/>'
        )
        y = legend_top + legend_row * s
        out.append(
            f'<line x1="40" y1="{y - 4:.1f}" x2="66" y2="{y - 4:.1f}" stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="74" y="{y:.1f}" fill="{INK}">{escape(item.name)}</text>'
        )
    out.extend(ring_labels)
    out.append("</svg>")
    return "\n".join(out)


def grouped_bar_chart(
    groups: Sequence[str],
    series: Sequence[Series],
    *,
    maximum: float,
    title: str,
    desc: str,
    fmt: Format,
) -> str:
    """Horizontal bars, one cluster per group (e.g. pillar) and one bar per series: the radar's stand-in when
    there are fewer than three axes."""
    bar_h, label_w, bar_w, legend_row = 14.0, 90.0, 380.0, 18.0
    cluster = bar_h * len(series) + 10
    width = label_w + bar_w + 60
    height = cluster * len(groups) + legend_row * len(series) + 10
    out = svg_open(width, height, title, desc, "grouped-bar-chart")
    for g, label in enumerate(groups):
        y0 = g * cluster
        out.append(
            f'<text x="{label_w - 6:.1f}" y="{y0 + cluster / 2:.1f}" text-anchor="end" fill="{INK}" '
            f'font-weight="bold">{escape(label)}</text>'
        )
        for s, item in enumerate(series):
            value = item.values[g]
            y = y0 + s * bar_h
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            if value is None or math.isnan(value):
                continue
            length = bar_w * max(0.0, min(1.0, value / maximum)) if maximum > 0 else 0.0
            out.append(
                f'<rect x="{label_w:.1f}" y="{y + 1:.1f}" width="{length:.1f}" '
                f'height="{bar_h - 2:.1f}" fill="{colour}"/>'
            )
            out.append(
                f'<text x="{label_w + length + 4:.1f}" y="{y + 11:.1f}" fill="{INK}">{escape(fmt(value))}</text>'
            )
    for s, item in enumerate(series):
        y = cluster * len(groups) + legend_row * s + 12
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        out.append(
            f'<rect x="{label_w:.1f}" y="{y - 9:.1f}" width="20" height="10" fill="{colour}"/>'
            f'<text x="{label_w + 26:.1f}" y="{y:.1f}" fill="{INK}">{escape(item.name)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


@dataclass(frozen=True)
class Point:
    key: str  # e.g. the cycle, written into data attributes
    label: str
    value: float | None
    break_before: bool = False  # not comparable with the point before (the framework changed): no line joins them


def line_chart(points: Sequence[Point], *, maximum: float, title: str, desc: str, fmt: Format) -> str:
    """A score over cycles: markers with their values, joined by a line except across a break (dashed gap)."""
    left, right, top, bottom, step = 44.0, 24.0, 18.0, 40.0, 110.0
    plot_h = 150.0
    width = left + right + step * max(len(points) - 1, 1)
    height = top + plot_h + bottom
    out = svg_open(width, height, title, desc, "line-chart")

    def y_of(value: float) -> float:
        return top + plot_h - (value / maximum * plot_h if maximum > 0 else 0.0)

    for fraction in (0.0, 0.5, 1.0):
        y = y_of(fraction * maximum)
        out.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width - right:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(fmt(fraction * maximum))}</text>"
        )
    placed: list[tuple[Point, float, float | None]] = []
    for i, point in enumerate(points):
        x = left + (step * i if len(points) > 1 else step / 2)
        value = point.value
        placed.append((point, x, None if value is None or math.isnan(value) else y_of(value)))
    for (_, x0, y0), (point, x1, y1) in itertools.pairwise(placed):
        if y0 is None or y1 is None:
            continue
        dash = f' stroke-dasharray="4 4" stroke="{GRID}"' if point.break_before else f' stroke="{BAR}"'
        out.append(f'<line class="segment{" break" if point.break_before else ""}" x1="{x0:.1f}" y1="{y0:.1f}" '
                   f'x2="{x1:.1f}" y2="{y1:.1f}" stroke-width="2"{dash}/>')
    for point, x, marker_y in placed:
        out.append(f'<g class="point" data-key="{attribute(point.key)}">')
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 18:.1f}" text-anchor="middle" fill="{INK}">'
                   f"{escape(point.label)}</text>")
        if marker_y is not None and point.value is not None:
            out.append(f'<circle cx="{x:.1f}" cy="{marker_y:.1f}" r="4" fill="{BAR}"/>')
            out.append(f'<text x="{x:.1f}" y="{marker_y - 8:.1f}" text-anchor="middle" fill="{INK}">'
                       f"{escape(fmt(point.value))}</text>")
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
