"""The growing-area sketch: drawn to scale from what was registered, never from bad data."""

import re
from types import SimpleNamespace

import pytest

from shop.scan.maps import HEIGHT, WIDTH, draw_area, nice_scale, polygon_rings

SQUARE = [[105.43, 19.93], [105.44, 19.93], [105.44, 19.92], [105.43, 19.92], [105.43, 19.93]]


def area(polygon=None, latitude=None, longitude=None, area_m2=None):
    return SimpleNamespace(polygon=polygon, latitude=latitude, longitude=longitude, area_m2=area_m2)


def path_points(path: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def test_a_polygon_fits_the_view_north_up_and_to_scale():
    drawing = draw_area(area({"type": "Polygon", "coordinates": [SQUARE]}))

    assert drawing.kind == "polygon"
    (path,) = drawing.paths
    points = path_points(path)
    assert len(points) == 4  # the closing position is dropped; Z closes the ring
    assert all(0 <= x <= WIDTH and 0 <= y <= HEIGHT for x, y in points)
    (x0, y0), (x1, _), (_, y2) = points[0], points[1], points[2]
    assert x1 > x0, "east is to the right"
    assert y2 > y0, "south is down"
    width_px, height_px = x1 - x0, y2 - y0
    # 0.01° of longitude at 19.9° N is ~1,047 m, 0.01° of latitude ~1,106 m
    assert width_px / height_px == pytest.approx(1047 / 1106, rel=0.01)
    assert drawing.scale_label == "500 m"
    assert drawing.scale_px == pytest.approx(500 * height_px / 1106, rel=0.01)
    assert drawing.latitude == pytest.approx(19.925)
    assert drawing.vertices[0] == (19.93, 105.43)


def test_holes_and_multipolygons_are_drawn_too():
    hole = [[105.433, 19.927], [105.436, 19.927], [105.436, 19.924], [105.433, 19.927]]
    shifted = [[lon + 0.02, lat] for lon, lat in SQUARE]
    drawing = draw_area(area({"type": "MultiPolygon", "coordinates": [[SQUARE, hole], [shifted]]}))

    assert len(drawing.paths) == 3


@pytest.mark.parametrize(
    "polygon",
    [
        None,
        "POLYGON((1 2, 3 4))",
        {"type": "Point", "coordinates": [105.4, 19.9]},
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": "nope"},
        {"type": "Polygon", "coordinates": [[[105.4, 19.9], [105.5, 19.9]]]},  # two points
        {"type": "Polygon", "coordinates": [[["a", "b"], [None, 1], [1e999, 2], [200, 95]]]},
        {"type": "Polygon", "coordinates": [[[105.4, 19.9]] * 5]},  # all the same point
        {"type": "MultiPolygon", "coordinates": [None, 5, [[]]]},
    ],
)
def test_a_malformed_polygon_falls_back_to_the_point(polygon):
    drawing = draw_area(area(polygon, latitude=19.93, longitude=105.43, area_m2=125_000))

    assert drawing.kind == "point"
    assert drawing.marker == (WIDTH / 2, HEIGHT / 2)
    assert drawing.circle_radius and drawing.scale_label


def test_no_polygon_and_no_usable_point_draws_nothing():
    assert draw_area(area()) is None
    assert draw_area(area(latitude=float("nan"), longitude=105.4)) is None
    assert draw_area(area(latitude=91, longitude=105.4)) is None


def test_a_point_without_an_area_has_no_scale():
    drawing = draw_area(area(latitude=19.93, longitude=105.43))

    assert drawing.circle_radius is None
    assert drawing.scale_px is None


def test_a_huge_survey_is_thinned_out():
    ring = [[105.43 + i * 1e-6, 19.93 + (i % 2) * 1e-5] for i in range(50_000)]

    (thinned,) = polygon_rings({"type": "Polygon", "coordinates": [ring]})

    assert 3 <= len(thinned) <= 2_000


@pytest.mark.parametrize(
    ("metres_per_px", "label"),
    [(0.1, "10 m"), (1, "100 m"), (3, "200 m"), (40, "2 km"), (100, "10 km")],
)
def test_scale_bar_lengths_are_round(metres_per_px, label):
    px, text = nice_scale(metres_per_px, 106)

    assert text == label
    assert px <= 106
