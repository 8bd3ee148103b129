"""Build the packaged map geometry of Latin America and the Caribbean from Natural Earth's TopoJSON.

Run by hand when the geometry should change (the result, ``geometry/lac.json``, ships with the package)::

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    python -m govlens.web.publish.geometry_build /tmp/package/countries-50m.json

The source is the ``world-atlas`` npm package (ISC licence), which converts Natural Earth's 1:50m admin-0
countries (public domain) to TopoJSON. Countries are matched on their UN M49 code (``govlens.data.groups``),
projected (equirectangular, scaled by the cosine of the region's middle latitude), simplified
(Douglas-Peucker, tolerance in output pixels) and written as SVG path data in a fixed viewBox.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from govlens.data.groups import lac_countries

OUT = Path(__file__).resolve().parent / "geometry" / "lac.json"
WIDTH = 600.0
# the region's frame (degrees): Baja California to Cape Horn, the Pacific coast to the Lesser Antilles
WEST, EAST, NORTH, SOUTH = -119.0, -33.0, 33.5, -56.5
TOLERANCE = 0.35  # pixels
SMALL = 6.0  # a country whose frame is smaller than this (pixels) also gets a marker, so that it can be seen

Point = tuple[float, float]


def _decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: list[Point] = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[Point]], indices: Sequence[int]) -> list[Point]:
    ring: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def _project(point: Point) -> Point:
    lon, lat = point
    k = WIDTH / ((EAST - WEST) * math.cos(math.radians((NORTH + SOUTH) / 2)))
    return (lon - WEST) * k * math.cos(math.radians((NORTH + SOUTH) / 2)), (NORTH - lat) * k


def height() -> float:
    return _project((WEST, SOUTH))[1]


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker on an open polyline (iterative, so long coasts do not hit the recursion limit)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, where = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, where = distance, i
        if where >= 0 and worst > tolerance:
            keep[where] = True
            stack.extend(((first, where), (where, last)))
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _path(rings: list[list[Point]]) -> str:
    parts = []
    for ring in rings:
        coords = [f"{x:.1f},{y:.1f}" for x, y in ring]
        # drop repeats that rounding made
        unique = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
        parts.append("M" + "L".join(unique) + "Z")
    return "".join(parts)


def build(topology: dict[str, Any]) -> dict[str, Any]:
    arcs = _decode_arcs(topology)
    by_m49 = {country.m49: country.iso3 for country in lac_countries()}
    countries: dict[str, Any] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        iso3 = by_m49.get(str(geometry.get("id", "")))
        if iso3 is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings: list[list[Point]] = []
        for polygon in polygons:
            for indices in polygon:
                ring = [_project(p) for p in _ring(arcs, indices)]
                simple = _simplify(ring, TOLERANCE)
                if len(simple) >= 4:
                    rings.append(simple)
        if not rings:  # a very small island: keep its outline unsimplified
            rings = [[_project(p) for p in _ring(arcs, indices)] for polygon in polygons for indices in polygon]
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        biggest = max(rings, key=len)
        centre = (sum(x for x, _ in biggest) / len(biggest), sum(y for _, y in biggest) / len(biggest))
        countries[iso3] = {
            "d": _path(rings),
            "centre": [round(centre[0], 1), round(centre[1], 1)],
            "small": max(max(xs) - min(xs), max(ys) - min(ys)) < SMALL,
        }
    missing = sorted(set(by_m49.values()) - set(countries))
    if missing:
        raise ValueError(f"the topology has no geometry for {', '.join(missing)}")
    return {
        "source": "Natural Earth 1:50m admin-0 countries (public domain), via the world-atlas npm package 2.0.2 "
        "(ISC licence)",
        "projection": f"equirectangular, {WEST},{SOUTH} to {EAST},{NORTH}, simplified at {TOLERANCE} px",
        "width": WIDTH,
        "height": round(height(), 1),
        "countries": dict(sorted(countries.items())),
    }


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m govlens.web.publish.geometry_build countries-50m.json", file=sys.stderr)
        return 1
    data = build(json.loads(Path(argv[0]).read_text(encoding="utf-8")))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(data['countries'])} countries, {OUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
