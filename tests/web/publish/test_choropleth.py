"""The map: the packaged geometry covers the 33 LAC countries, classes are equal-width bands, and the SVG has
its text alternative."""

from __future__ import annotations

import re

import pytest

from govlens.data.groups import lac_countries
from govlens.web.publish.choropleth import CLASS_COLOURS, NO_DATA, choropleth, geometry, legend_classes


def test_geometry_has_every_lac_country_inside_the_frame() -> None:
    shape = geometry()
    assert set(shape.countries) == {country.iso3 for country in lac_countries()}
    assert len(shape.countries) == 33
    for iso3, country in shape.countries.items():
        d = country["d"]
        assert d.startswith("M") and d.endswith("Z"), iso3
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) >= -1 and max(xs) <= shape.width + 1, iso3
        assert min(ys) >= -1 and max(ys) <= shape.height + 1, iso3
    # the seven small island states of the Eastern Caribbean get a marker
    small = {iso3 for iso3, country in shape.countries.items() if country["small"]}
    assert small == {"ATG", "BRB", "DMA", "GRD", "KNA", "LCA", "VCT"}
    assert "Natural Earth" in shape.source


def test_legend_classes_are_equal_width_bands() -> None:
    values = {"ARG": 43 / 48, "BRA": 39 / 60, "CHL": 7 / 12, "COL": 1 / 6, "MEX": 33 / 240, "URY": None}
    classes = legend_classes(values, minimum=0.0, maximum=1.0)
    # 0.90 | 0.65 | 0.58 | 0.17, 0.14 in bands of 0.2; the top band includes 1.0
    assert [item.countries for item in classes] == [("COL", "MEX"), (), ("CHL",), ("BRA",), ("ARG",)]
    assert [item.low for item in classes] == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8])
    assert [item.colour for item in classes] == list(CLASS_COLOURS)
    top = legend_classes({"A": 10.0, "B": 0.0}, minimum=0.0, maximum=10.0)
    assert top[-1].countries == ("A",) and top[0].countries == ("B",)


def test_choropleth_colours_countries_by_class_and_leaves_the_others_blank() -> None:
    svg = choropleth(
        {"ARG": 0.9, "HTI": 0.1, "BRA": None},
        minimum=0.0,
        maximum=1.0,
        names=lambda unit: {"ARG": "Argentina", "HTI": "Haiti", "BRA": "Brazil"}.get(unit, unit),
        fmt=lambda value: "–" if value is None else f"{value:.2f}",
        title="Index by country",
        desc="The table below gives every value.",
        no_data="No data",
    )
    assert 'role="img"' in svg and '<title id="lac-map-title">Index by country</title>' in svg
    assert 'aria-labelledby="lac-map-title lac-map-desc"' in svg
    argentina = re.search(r'<path d="[^"]+" fill="([^"]+)"[^>]*data-unit="ARG"><title>([^<]+)</title>', svg)
    haiti = re.search(r'<path d="[^"]+" fill="([^"]+)"[^>]*data-unit="HTI"><title>([^<]+)</title>', svg)
    brazil = re.search(r'<path d="[^"]+" fill="([^"]+)"[^>]*data-unit="BRA"><title>([^<]+)</title>', svg)
    assert argentina and argentina.groups() == (CLASS_COLOURS[4], "Argentina: 0.90")
    assert haiti and haiti.groups() == (CLASS_COLOURS[0], "Haiti: 0.10")
    assert brazil and brazil.groups() == ("url(#lac-map-none)", "Brazil: No data")
    assert f'<rect width="6" height="6" fill="{NO_DATA}"/>' in svg  # the hatch pattern
    assert svg.count("<path ") == 33


def test_the_legend_is_wide_enough_for_a_long_no_data_label() -> None:
    # the Spanish and French labels are longer than the English one; the map widens rather than cutting them off
    label = "No incluido en esta publicación"
    svg = choropleth(
        {"ARG": 0.5, "BRA": 0.7},
        minimum=0.0,
        maximum=1.0,
        names=str,
        fmt=lambda v: f"{v:.2f}",
        title="t",
        desc="d",
        no_data=label,
    )
    width = float(svg.split('viewBox="0 0 ', 1)[1].split(" ", 1)[0])
    x = float(svg.split(f">{label}</text>")[0].rsplit('<text x="', 1)[1].split('"', 1)[0])
    assert x + 7.5 * len(label) <= width
    short = choropleth({"ARG": 0.5}, minimum=0.0, maximum=1.0, names=str, fmt=str, title="t", desc="d", no_data="x")
    assert float(short.split('viewBox="0 0 ', 1)[1].split(" ", 1)[0]) < width
