"""The builder of the packaged map geometry: TopoJSON arcs decoded, rings joined, lines simplified."""

from __future__ import annotations

from govlens.web.publish.geometry_build import _decode_arcs, _ring, _simplify


def test_arcs_are_delta_decoded_and_transformed() -> None:
    topology = {"transform": {"scale": [0.5, 2.0], "translate": [-10.0, 5.0]}, "arcs": [[[0, 0], [2, 1], [2, -1]]]}
    # quantized positions (0, 0), (2, 1), (4, 0) -> x * 0.5 - 10, y * 2 + 5
    assert _decode_arcs(topology) == [[(-10.0, 5.0), (-9.0, 7.0), (-8.0, 5.0)]]


def test_rings_join_arcs_and_reverse_negative_ones() -> None:
    arcs = [[(0.0, 0.0), (1.0, 0.0)], [(0.0, 1.0), (1.0, 0.0)]]
    # arc 0 forward, then arc 1 reversed (~1 == -2): the shared point is not repeated
    assert _ring(arcs, [0, ~1]) == [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]


def test_douglas_peucker_drops_points_closer_than_the_tolerance() -> None:
    line = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.3), (3.0, 0.0), (4.0, 0.0)]
    assert _simplify(line, 0.35) == [(0.0, 0.0), (4.0, 0.0)]
    # with a finer tolerance the bump stays; (1, 0) and (3, 0) lie 0.15 from the new segments and go
    assert _simplify(line, 0.2) == [(0.0, 0.0), (2.0, 0.3), (4.0, 0.0)]
    assert _simplify([(0.0, 0.0), (1.0, 1.0)], 0.1) == [(0.0, 0.0), (1.0, 1.0)]
