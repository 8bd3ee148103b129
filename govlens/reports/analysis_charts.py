"""The analysis charts of a composite index, as a COINr user knows them: the framework as a sunburst, the
distribution of each indicator, the correlations of indicators with the aggregates, rank intervals from the
uncertainty analysis and the Sobol indices of the sensitivity analysis.

Server-rendered SVG like :mod:`govlens.reports.charts` (whose frame and colours they share): pure functions of
plain values, the same bytes for the same input, a ``<title>`` and ``<desc>`` on every chart and a ``<title>`` on
every mark (names are escaped, never markup), no script, no external font. The caller gives every word, already
translated, so this module holds none.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TypeGuard

from govlens.reports.charts import BAR, GRID, HIGHLIGHT, INK, MUTED, Format, attribute, heat_map, svg_open

__all__ = [
    "CORRELATION",
    "RING_COLOURS",
    "Distribution",
    "RankInterval",
    "SobolIndex",
    "TreeItem",
    "Value",
    "correlation_map",
    "distribution_chart",
    "rank_interval_chart",
    "sensitivity_chart",
    "sunburst",
]

# the first ring's colours (one per pillar), light enough for the ink; deeper rings are lighter still
RING_COLOURS: tuple[str, ...] = ("#8fbbe3", "#f2a86f", "#9fd09a", "#c4a8e6", "#efd073", "#8fd3d3", "#eea0b4")
# diverging scale of correlations, -1 (red) through 0 (white) to +1 (blue)
CORRELATION: tuple[str, ...] = (
    "#8f1d1d",
    "#c53030",
    "#e58b8b",
    "#f5cccc",
    "#f7f7f7",
    "#cfe0f1",
    "#74a5d4",
    "#23629f",
    "#0f4477",
)
TOTAL = "#2f855a"  # total-order bars beside the first-order ones (BAR)


def _number(value: float | None) -> TypeGuard[float]:
    return value is not None and not math.isnan(value)


# -- the framework as a sunburst -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class TreeItem:
    """A node of the framework: its weight among its siblings, and the text of its mark's tooltip."""

    id: str
    parent: str | None
    label: str
    weight: float
    note: str = ""


def _lighter(colour: str, share: float) -> str:
    """``colour`` mixed with white by ``share`` (0: unchanged, 1: white)."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in channels)


def _polar(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return cx + radius * math.sin(angle), cy - radius * math.cos(angle)  # angle 0 at the top, clockwise


def _sector(cx: float, cy: float, inner: float, outer: float, start: float, end: float) -> str:
    """The path of a ring's sector from ``start`` to ``end`` (radians); a whole ring is drawn as two halves."""
    if end - start >= 2 * math.pi - 1e-9:
        half = start + math.pi
        parts = []
        for radius in (outer, inner):
            x0, y0 = _polar(cx, cy, radius, start)
            x1, y1 = _polar(cx, cy, radius, half)
            parts.append(
                f"M{x0:.2f},{y0:.2f} A{radius:.2f},{radius:.2f} 0 1 1 {x1:.2f},{y1:.2f} "
                f"A{radius:.2f},{radius:.2f} 0 1 1 {x0:.2f},{y0:.2f} Z"
            )
        return " ".join(parts)
    large = 1 if end - start > math.pi else 0
    ox0, oy0 = _polar(cx, cy, outer, start)
    ox1, oy1 = _polar(cx, cy, outer, end)
    ix1, iy1 = _polar(cx, cy, inner, end)
    ix0, iy0 = _polar(cx, cy, inner, start)
    return (
        f"M{ox0:.2f},{oy0:.2f} A{outer:.2f},{outer:.2f} 0 {large} 1 {ox1:.2f},{oy1:.2f} "
        f"L{ix1:.2f},{iy1:.2f} A{inner:.2f},{inner:.2f} 0 {large} 0 {ix0:.2f},{iy0:.2f} Z"
    )


def _fit(label: str, room: float, char: float = 6.6) -> str:
    """``label`` shortened (with an ellipsis) to fit ``room`` pixels at ``char`` pixels a character (about the
    mean width of DejaVu Sans at 11 px), or nothing below three characters."""
    most = int(room / char)
    if len(label) <= most:
        return label
    return label[: most - 1] + "…" if most >= 4 else ""


def sunburst(items: Sequence[TreeItem], *, title: str, desc: str) -> str:
    """The framework as rings: the index in the centre, each ring a level, each node's angle its parent's angle
    times its weight's share among its siblings (nodes of weight 0 take no room)."""
    children: dict[str | None, list[TreeItem]] = {}
    for item in items:
        children.setdefault(item.parent, []).append(item)
    roots = children.get(None, [])
    if len(roots) != 1:
        raise ValueError(f"a sunburst needs exactly one root (a node without a parent); got {len(roots)}")
    root = roots[0]
    # depth of every node, breadth first (no recursion: a tree may be deep)
    placed: list[tuple[TreeItem, int, float, float, int]] = []  # item, depth, start, end, pillar index
    queue: list[tuple[TreeItem, int, float, float, int]] = [(root, 0, 0.0, 2 * math.pi, 0)]
    for item, depth, start, end, pillar in queue:
        placed.append((item, depth, start, end, pillar))
        kids = children.get(item.id, [])
        total = sum(max(kid.weight, 0.0) for kid in kids)
        angle = start
        for k, kid in enumerate(kids):
            share = max(kid.weight, 0.0) / total if total > 0 else 0.0
            span = (end - start) * share
            queue.append((kid, depth + 1, angle, angle + span, k if depth == 0 else pillar))
            angle += span
    depth_max = max(depth for _, depth, _, _, _ in placed)
    size, centre_r = 520.0, 58.0
    cx = cy = size / 2
    ring = (size / 2 - 12 - centre_r) / max(depth_max, 1)
    out = svg_open(size, size, title, desc, "sunburst")
    out.append(
        f'<g class="segment" data-node="{attribute(root.id)}" data-depth="0">'
        f"<title>{escape(root.label + (': ' + root.note if root.note else ''))}</title>"
        f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{centre_r:.2f}" fill="#ffffff" stroke="{GRID}"/>'
        f'<text x="{cx:.2f}" y="{cy + 4:.2f}" text-anchor="middle" fill="{INK}" font-weight="bold">'
        f"{escape(_fit(root.label, 2 * centre_r - 8, char=7.4))}</text></g>"
    )
    labels: list[str] = []  # drawn above every sector
    for item, depth, start, end, pillar in placed[1:]:
        if end - start <= 0:
            continue
        inner = centre_r + (depth - 1) * ring
        outer = inner + ring
        fill = _lighter(RING_COLOURS[pillar % len(RING_COLOURS)], min(0.75, 0.28 * (depth - 1)))
        tooltip = item.label + (": " + item.note if item.note else "")
        out.append(
            f'<g class="segment" data-node="{attribute(item.id)}" data-depth="{depth}">'
            f"<title>{escape(tooltip)}</title>"
            f'<path d="{_sector(cx, cy, inner, outer, start, end)}" fill="{fill}" stroke="#ffffff" '
            f'stroke-width="1.5" fill-rule="evenodd"/></g>'
        )
        middle = (start + end) / 2
        arc = (end - start) * (inner + outer) / 2
        # along the arc or along the radius, whichever shows more of the label; turned never to read upside down
        along_arc = _fit(item.label, arc - 6, char=6.0) if ring >= 12 else ""  # labels here are 10 px
        along_radius = _fit(item.label, ring - 6, char=6.0) if arc >= 12 else ""
        text, turn = (along_arc, math.degrees(middle)) if len(along_arc) >= len(along_radius) else (
            along_radius, math.degrees(middle) - 90
        )
        if not text:
            continue
        if 90 < turn % 360 < 270:
            turn += 180
        x, y = _polar(cx, cy, (inner + outer) / 2, middle)
        labels.append(
            f'<text x="{x:.2f}" y="{y + 3.5:.2f}" text-anchor="middle" fill="{INK}" font-size="10" '
            f'transform="rotate({turn % 360:.2f} {x:.2f} {y:.2f})">{escape(text)}</text>'
        )
    out.extend(labels)
    out.append("</svg>")
    return "\n".join(out)


# -- distributions -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Value:
    """One unit's value on one indicator."""

    key: str
    label: str
    value: float | None


@dataclass(frozen=True)
class Distribution:
    key: str
    label: str
    values: Sequence[Value]


def _quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile (linear interpolation, as numpy's default and R's type 7)."""
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def distribution_chart(
    rows: Sequence[Distribution],
    *,
    minimum: float,
    maximum: float,
    title: str,
    desc: str,
    fmt: Format,
    missing: str = "–",
) -> str:
    """One row per indicator on a common axis: a box from the first to the third quartile with the median, whiskers
    to the last values within 1.5 interquartile ranges, and every unit's value as a dot (outliers highlighted)."""
    row_h, top, label_w, plot_w, right = 24.0, 10.0, 190.0, 380.0, 16.0
    width = label_w + plot_w + right
    height = top + row_h * len(rows) + 30
    span = maximum - minimum
    out = svg_open(width, height, title, desc, "distribution-chart")

    def x_of(value: float) -> float:
        share = (value - minimum) / span if span > 0 else 0.5
        return label_w + max(0.0, min(1.0, share)) * plot_w

    axis_y = top + row_h * len(rows)
    for fraction in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = label_w + fraction * plot_w
        out.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{axis_y:.1f}" stroke="{GRID}" '
                   f'stroke-width="0.5"/>')
        out.append(
            f'<text x="{x:.1f}" y="{axis_y + 14:.1f}" text-anchor="middle" fill="{MUTED}">'
            f"{escape(fmt(minimum + fraction * span))}</text>"
        )
    for i, row in enumerate(rows):
        y = top + i * row_h
        middle = y + row_h / 2
        out.append(f'<g class="distribution" data-indicator="{attribute(row.key)}">')
        out.append(
            f'<text x="{label_w - 8:.1f}" y="{middle + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(_fit(row.label, label_w - 12))}<title>{escape(row.label)}</title></text>"
        )
        present = sorted(v.value for v in row.values if _number(v.value))
        if not present:
            out.append(f'<text x="{label_w + 4:.1f}" y="{middle + 4:.1f}" fill="{MUTED}">{escape(missing)}</text>')
            out.append("</g>")
            continue
        q1, median, q3 = _quartiles(present)
        fence_low, fence_high = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        low = min(v for v in present if v >= fence_low)
        high = max(v for v in present if v <= fence_high)
        out.append(
            f'<line class="whisker" x1="{x_of(low):.2f}" y1="{middle:.1f}" x2="{x_of(high):.2f}" y2="{middle:.1f}" '
            f'stroke="{MUTED}"/>'
        )
        out.append(
            f'<rect class="box" x="{x_of(q1):.2f}" y="{middle - 6:.1f}" width="{x_of(q3) - x_of(q1):.2f}" '
            f'height="12" fill="#e4ecf5" stroke="{BAR}"/>'
        )
        out.append(
            f'<line class="median" x1="{x_of(median):.2f}" y1="{middle - 6:.1f}" x2="{x_of(median):.2f}" '
            f'y2="{middle + 6:.1f}" stroke="{BAR}" stroke-width="2"/>'
        )
        present_index = 0
        for value in row.values:
            if not _number(value.value):
                continue
            outlier = value.value < fence_low or value.value > fence_high
            # a fixed vertical offset per dot, so that equal values stay apart and the bytes stay the same
            dy = ((present_index % 5) - 2) * 2.2
            present_index += 1
            out.append(
                f'<circle class="dot{" outlier" if outlier else ""}" data-unit="{attribute(value.key)}" '
                f'cx="{x_of(value.value):.2f}" cy="{middle + dy:.1f}" r="2.6" '
                f'fill="{HIGHLIGHT if outlier else BAR}" fill-opacity="0.75">'
                f"<title>{escape(value.label)}: {escape(fmt(value.value))}</title></circle>"
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


# -- correlations --------------------------------------------------------------------------------------------------
def correlation_map(
    rows: Sequence[tuple[str, str]],
    columns: Sequence[tuple[str, str]],
    values: Sequence[Sequence[float | None]],
    *,
    title: str,
    desc: str,
    fmt: Format,
    missing: str = "–",
) -> str:
    """Correlations of rows (e.g. indicators) with columns (e.g. pillars and the index) on the diverging scale from
    -1 to 1, each cell showing its value: the heat map of :mod:`govlens.reports.charts` with other colours."""
    # long names are shortened to the width of the labels (the table that follows the chart has them in full)
    return heat_map(
        [(key, _fit(label, 144)) for key, label in rows],
        columns,
        values,
        maximum=1.0,
        minimum=-1.0,
        title=title,
        desc=desc,
        fmt=fmt,
        missing=missing,
        colours=CORRELATION,
        css_class="correlation-map",
    )


# -- rank intervals ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RankInterval:
    """A unit's ranks over the replications of an uncertainty analysis, and its nominal rank."""

    key: str
    label: str
    nominal: float | None
    median: float | None
    low: float | None  # 5th percentile
    high: float | None  # 95th percentile


def _ticks(count: int) -> list[int]:
    """Rank 1, the last rank and round ranks between (every rank up to 10; none too close to the last)."""
    if count <= 10:
        return list(range(1, count + 1))
    step = math.ceil(count / 8 / 5) * 5
    between = [tick for tick in range(step, count, step) if count - tick >= step / 2]
    return [1, *between, count]


def _legend_step(name: str) -> float:
    """From one legend entry (a 22 px mark, then its name) to the next."""
    return 28 + len(name) * 6.6 + 24


def _legend_start(names: Sequence[str], plot_left: float, width: float) -> float:
    """Where a legend starts: under the plot, or further left when its names would run past the chart."""
    room = sum(_legend_step(name) for name in names) - 24
    return plot_left if plot_left + room <= width - 8 else max(8.0, width - 8 - room)


def _diamond(x: float, y: float, css: str = "") -> str:
    """The open diamond that marks a nominal rank."""
    return (
        f'<path{css} d="M{x:.2f},{y - 5:.1f} L{x + 5:.2f},{y:.1f} L{x:.2f},{y + 5:.1f} L{x - 5:.2f},{y:.1f} Z" '
        f'fill="none" stroke="{HIGHLIGHT}" stroke-width="1.5"/>'
    )


def rank_interval_chart(
    rows: Sequence[RankInterval],
    *,
    units: int,
    title: str,
    desc: str,
    legend: tuple[str, str, str],
    axis_label: str,
    fmt: Format | None = None,
) -> str:
    """One row per unit (in the order given): its 5-95% rank interval as a line, its median rank as a dot and its
    nominal rank as an open diamond, on an axis from rank 1 (left) to ``units``. ``legend`` names the three marks
    (interval, median, nominal); ``fmt`` writes a rank in their tooltips."""
    fmt = fmt or (lambda value: "–" if value is None else f"{value:g}")
    row_h, top, label_w, plot_w, right = 18.0, 36.0, 170.0, 380.0, 20.0
    width = label_w + plot_w + right
    height = top + row_h * len(rows) + 46
    out = svg_open(width, height, title, desc, "rank-interval-chart")

    def x_of(rank: float) -> float:
        return label_w + (rank - 1) / max(units - 1, 1) * plot_w

    axis_y = top + row_h * len(rows)
    out.append(
        f'<text x="{label_w + plot_w / 2:.1f}" y="11" text-anchor="middle" fill="{MUTED}">{escape(axis_label)}</text>'
    )
    for tick in _ticks(units):
        x = x_of(tick)
        out.append(f'<line x1="{x:.1f}" y1="{top - 6:.1f}" x2="{x:.1f}" y2="{axis_y:.1f}" stroke="{GRID}" '
                   f'stroke-width="0.5"/>')
        out.append(f'<text x="{x:.1f}" y="{top - 9:.1f}" text-anchor="middle" fill="{MUTED}">{tick}</text>')
    for i, row in enumerate(rows):
        middle = top + i * row_h + row_h / 2
        out.append(f'<g class="unit" data-unit="{attribute(row.key)}">')
        out.append(
            f'<text x="{label_w - 8:.1f}" y="{middle + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(_fit(row.label, label_w - 12))}</text>"
        )
        parts = []
        if _number(row.low) and _number(row.high):
            out.append(
                f'<line class="interval" x1="{x_of(row.low):.2f}" y1="{middle:.1f}" x2="{x_of(row.high):.2f}" '
                f'y2="{middle:.1f}" stroke="{BAR}" stroke-width="4" stroke-linecap="round" stroke-opacity="0.45"/>'
            )
            parts.append(f"{legend[0]} {fmt(row.low)}–{fmt(row.high)}")
        if _number(row.median):
            out.append(f'<circle class="median" cx="{x_of(row.median):.2f}" cy="{middle:.1f}" r="3.5" fill="{BAR}"/>')
            parts.append(f"{legend[1]} {fmt(row.median)}")
        if _number(row.nominal):
            out.append(_diamond(x_of(row.nominal), middle, ' class="nominal"'))
            parts.append(f"{legend[2]} {fmt(row.nominal)}")
        out.append(f"<title>{escape(row.label)}: {escape('; '.join(parts))}</title>")
        out.append("</g>")
    y = axis_y + 24
    marks = (
        lambda x: f'<line x1="{x:.1f}" y1="{y - 4:.1f}" x2="{x + 22:.1f}" y2="{y - 4:.1f}" stroke="{BAR}" '
        f'stroke-width="4" stroke-opacity="0.45"/>',
        lambda x: f'<circle cx="{x + 11:.1f}" cy="{y - 4:.1f}" r="3.5" fill="{BAR}"/>',
        lambda x: _diamond(x + 11, y - 4),
    )
    x = _legend_start(legend, label_w, width)
    for mark, name in zip(marks, legend, strict=True):
        out.append(mark(x) + f'<text x="{x + 28:.1f}" y="{y:.1f}" fill="{INK}">{escape(name)}</text>')
        x += _legend_step(name)
    out.append("</svg>")
    return "\n".join(out)


# -- sensitivity -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SobolIndex:
    """First-order and total Sobol indices of one uncertain input, with the half-widths of their 95% intervals."""

    key: str
    label: str
    first: float | None
    first_conf: float | None
    total: float | None
    total_conf: float | None


def sensitivity_chart(
    rows: Sequence[SobolIndex],
    *,
    title: str,
    desc: str,
    fmt: Format,
    series: tuple[str, str],
    missing: str = "–",
) -> str:
    """Two bars per input, its first-order and its total index (``series`` names them), each with its 95%
    interval as a whisker, on an axis from 0 to 1 (further when an estimate is above 1; a negative estimate, noise
    around 0, has no bar but shows its value)."""
    bar_h, gap, label_w, plot_w, right, top = 13.0, 12.0, 130.0, 360.0, 56.0, 8.0
    group_h = 2 * bar_h + gap
    # the axis reaches past 1 only for an estimate above 1 (never for an interval: its whisker is cut at the end)
    estimates = [value for row in rows for value in (row.first, row.total) if _number(value)]
    maximum = max([1.0, *(math.ceil(value * 10) / 10 for value in estimates)])
    width = label_w + plot_w + right
    axis_y = top + group_h * len(rows)
    height = axis_y + 48
    out = svg_open(width, height, title, desc, "sensitivity-chart")

    def x_of(value: float) -> float:
        return label_w + max(0.0, min(value, maximum)) / maximum * plot_w

    steps = round(maximum / 0.25)
    for step in range(steps + 1):
        tick = step * 0.25
        x = x_of(tick)
        out.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{axis_y:.1f}" stroke="{GRID}" '
                   f'stroke-width="0.5"/>')
        out.append(
            f'<text x="{x:.1f}" y="{axis_y + 14:.1f}" text-anchor="middle" fill="{MUTED}">{escape(fmt(tick))}</text>'
        )
    for i, row in enumerate(rows):
        y0 = top + i * group_h
        out.append(f'<g class="input" data-input="{attribute(row.key)}">')
        out.append(
            f'<text x="{label_w - 8:.1f}" y="{y0 + bar_h + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(_fit(row.label, label_w - 12))}</text>"
        )
        pairs = ((row.first, row.first_conf, BAR, "first"), (row.total, row.total_conf, TOTAL, "total"))
        for s, (value, conf, colour, kind) in enumerate(pairs):
            y = y0 + s * bar_h
            name = series[s]
            if not _number(value):
                out.append(
                    f'<text x="{label_w + 4:.1f}" y="{y + 10:.1f}" fill="{MUTED}">{escape(missing)}'
                    f"<title>{escape(name)}: {escape(missing)}</title></text>"
                )
                continue
            length = x_of(value) - label_w
            note = escape(fmt(value)) + (f" ± {escape(fmt(conf))}" if _number(conf) else "")
            out.append(
                f'<rect class="{kind}" x="{label_w:.1f}" y="{y + 1:.1f}" width="{length:.2f}" '
                f'height="{bar_h - 2:.1f}" fill="{colour}"><title>{escape(name)}: {note}</title></rect>'
            )
            end = label_w + length
            if _number(conf):
                low, high = x_of(value - conf), x_of(value + conf)
                out.append(
                    f'<line class="whisker" x1="{low:.2f}" y1="{y + bar_h / 2:.1f}" x2="{high:.2f}" '
                    f'y2="{y + bar_h / 2:.1f}" stroke="{INK}" stroke-width="1"/>'
                )
                end = max(end, high)
            out.append(
                f'<text x="{end + 4:.1f}" y="{y + 10:.1f}" fill="{INK}" font-size="10">{escape(fmt(value))}</text>'
            )
        out.append("</g>")
    y = axis_y + 34
    x = _legend_start(series, label_w, width)
    for name, colour in zip(series, (BAR, TOTAL), strict=True):
        out.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="22" height="10" fill="{colour}"/>'
            f'<text x="{x + 28:.1f}" y="{y:.1f}" fill="{INK}">{escape(name)}</text>'
        )
        x += _legend_step(name)
    out.append("</svg>")
    return "\n".join(out)
