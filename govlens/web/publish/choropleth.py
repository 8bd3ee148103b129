"""A choropleth map of Latin America and the Caribbean as server-rendered SVG (no JavaScript, no tiles).

The geometry (``geometry/lac.json``) ships with the package; ``geometry_build`` made it from Natural Earth.
Countries are coloured by class (equal-width bands of the score scale), small island states also get a
circle so they can be seen, and countries without a value are hatched. Like the
charts of ``govlens.reports.charts``, the map is an ``<svg role="img">`` with a title and a description; the
page prints the same values in a table.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from govlens.reports.charts import FONT, GRID, HEAT, INK, MUTED

__all__ = ["Geometry", "LegendClass", "choropleth", "geometry", "legend_classes"]

GEOMETRY_FILE = Path(__file__).resolve().parent / "geometry" / "lac.json"
NO_DATA = "#ffffff"
# five classes taken from the heat map's sequential scale, so both charts read the same way
CLASS_COLOURS: tuple[str, ...] = (HEAT[1], HEAT[2], HEAT[3], HEAT[4], HEAT[6])
HATCH = "#9aa5b1"  # the lines over countries without a value


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float
    source: str
    countries: Mapping[str, Mapping[str, Any]]  # ISO3 -> {"d": path data, "centre": [x, y], "small": bool}


@cache
def geometry() -> Geometry:
    data = json.loads(GEOMETRY_FILE.read_text(encoding="utf-8"))
    return Geometry(float(data["width"]), float(data["height"]), str(data["source"]), data["countries"])


@dataclass(frozen=True)
class LegendClass:
    low: float
    high: float
    colour: str
    countries: tuple[str, ...]


def legend_classes(values: Mapping[str, float | None], *, minimum: float, maximum: float) -> list[LegendClass]:
    """Equal-width classes of [minimum, maximum] with the countries in each (the top class includes maximum)."""
    count = len(CLASS_COLOURS)
    step = (maximum - minimum) / count if maximum > minimum else 1.0
    members: list[list[str]] = [[] for _ in range(count)]
    for unit, value in values.items():
        if value is None or math.isnan(value):
            continue
        index = min(count - 1, max(0, int((value - minimum) / step)))
        members[index].append(unit)
    return [
        LegendClass(minimum + i * step, minimum + (i + 1) * step, CLASS_COLOURS[i], tuple(members[i]))
        for i in range(count)
    ]


# the advance of an average character of the legend's 12px sans-serif font (DejaVu Sans: about 0.6 em), rounded up
CHAR_WIDTH = 7.5


def choropleth(
    values: Mapping[str, float | None],
    *,
    minimum: float,
    maximum: float,
    names: Callable[[str], str],
    fmt: Callable[[float | None], str],
    title: str,
    desc: str,
    no_data: str,
    element_id: str = "lac-map",
) -> str:
    """The map: each country of the geometry coloured by its class in ``values`` (ISO3 -> value)."""
    shape = geometry()
    classes = legend_classes(values, minimum=minimum, maximum=maximum)
    colour_of = {unit: item.colour for item in classes for unit in item.countries}
    labels = [f"{fmt(item.low)}–{fmt(item.high)} ({len(item.countries)})" for item in classes] + [no_data]
    # the legend is as wide as its longest label ("No incluido en esta publicación" is twice "no data")
    legend_w = max(170.0, 10 + 16 + 6 + CHAR_WIDTH * max(len(label) for label in labels) + 10)
    width, height = shape.width + legend_w, shape.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart choropleth" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" role="img" aria-labelledby="{element_id}-title {element_id}-desc" '
        f'font-family="{escape(FONT, quote=True)}" font-size="12">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        f'<desc id="{element_id}-desc">{escape(desc)}</desc>',
        f'<defs><pattern id="{element_id}-none" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{NO_DATA}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH}" stroke-width="1.2"/></pattern></defs>',
    ]
    none = f"url(#{element_id}-none)"
    markers: list[str] = []
    for unit, country in shape.countries.items():
        fill = colour_of.get(unit, none)
        stroke = MUTED if unit in colour_of else GRID
        value = values.get(unit)
        tip = f"{names(unit)}: {fmt(value) if unit in colour_of else no_data}"
        out.append(
            f'<path d="{country["d"]}" fill="{fill}" stroke="{stroke}" stroke-width="0.6" data-unit="{unit}">'
            f"<title>{escape(tip)}</title></path>"
        )
        if country.get("small"):
            x, y = country["centre"]
            markers.append(
                f'<circle cx="{x}" cy="{y}" r="4" fill="{fill}" stroke="{stroke}" data-unit="{unit}">'
                f"<title>{escape(tip)}</title></circle>"
            )
    out.extend(markers)  # above the shapes
    x0, y0, box = shape.width + 10, 40.0, 16.0
    for i, item in enumerate(reversed(classes)):
        y = y0 + i * (box + 8)
        out.append(
            f'<rect x="{x0:g}" y="{y:g}" width="{box:g}" height="{box:g}" fill="{item.colour}" stroke="{MUTED}"/>'
        )
        out.append(
            f'<text x="{x0 + box + 6:g}" y="{y + 12:g}" fill="{INK}">'
            f"{escape(fmt(item.low))}–{escape(fmt(item.high))} ({len(item.countries)})</text>"
        )
    y = y0 + len(classes) * (box + 8)
    out.append(f'<rect x="{x0:g}" y="{y:g}" width="{box:g}" height="{box:g}" fill="{none}" stroke="{GRID}"/>')
    out.append(f'<text x="{x0 + box + 6:g}" y="{y + 12:g}" fill="{INK}">{escape(no_data)}</text>')
    out.append("</svg>")
    return "\n".join(out)
