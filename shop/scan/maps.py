"""A growing area drawn as an inline SVG: no tile server, no script, nothing fetched.

A GeoJSON polygon ([lon, lat] rings) is projected equirectangularly around its middle latitude
(exact enough for a field of a few hectares) into a fixed viewBox, with a scale bar. A bare
point gets a marker, and a circle of the registered area, labelled as such: we never draw a
boundary we do not have.
"""

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT, PAD = 320, 200, 24
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON = 111_320.0  # at the equator; times cos(latitude)
MAX_POINTS = 2_000


@dataclass(frozen=True)
class MapDrawing:
    kind: str  # "polygon" or "point"
    latitude: float  # the middle of the area
    longitude: float
    paths: list[str] = field(default_factory=list)  # SVG path data, one per ring
    vertices: list[tuple[float, float]] = field(default_factory=list)  # (lat, lon) outer ring
    marker: tuple[float, float] | None = None  # x, y in the viewBox
    circle_radius: float | None = None  # px: the registered area as a circle (point maps)
    scale_px: float | None = None
    scale_label: str | None = None
    width: int = WIDTH
    height: int = HEIGHT


def _coordinate(pair) -> tuple[float, float] | None:
    """(lon, lat) from a GeoJSON position, or None for anything that is not one."""
    if not isinstance(pair, list | tuple) or len(pair) < 2:
        return None
    try:
        lon, lat = float(pair[0]), float(pair[1])
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    return lon, lat


def polygon_rings(geometry) -> list[list[tuple[float, float]]]:
    """The rings of a GeoJSON Polygon or MultiPolygon, cleaned; [] for anything malformed."""
    if not isinstance(geometry, dict):
        return []
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Polygon":
        polygons = [coordinates]
    elif geometry.get("type") == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    else:
        return []
    rings = []
    for polygon in polygons:
        if not isinstance(polygon, list):
            continue
        for ring in polygon:
            points = [p for p in map(_coordinate, ring if isinstance(ring, list) else []) if p]
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()  # GeoJSON repeats the first position to close a ring; SVG has Z
            if len(points) >= 3:
                rings.append(points)
    total = sum(len(r) for r in rings)
    if total > MAX_POINTS:  # a boundary surveyed point by point: thin it out evenly
        step = math.ceil(total / MAX_POINTS)
        rings = [r[::step] for r in rings if len(r[::step]) >= 3]
    return rings


def nice_scale(metres_per_px: float, max_px: float) -> tuple[float, str]:
    """The longest 1-2-5 length that fits in max_px: (pixels, label)."""
    longest = metres_per_px * max_px
    length = 1.0
    for exponent in range(0, 7):
        for step in (1, 2, 5):
            candidate = step * 10**exponent
            if candidate <= longest:
                length = candidate
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    return length / metres_per_px, label


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def draw_polygon(rings: list[list[tuple[float, float]]]) -> MapDrawing | None:
    lons = [lon for ring in rings for lon, _ in ring]
    lats = [lat for ring in rings for _, lat in ring]
    mid_lat = (min(lats) + max(lats)) / 2
    x_metres = METRES_PER_DEGREE_LON * math.cos(math.radians(mid_lat))
    extent_x = (max(lons) - min(lons)) * x_metres
    extent_y = (max(lats) - min(lats)) * METRES_PER_DEGREE_LAT
    if extent_x <= 0 or extent_y <= 0:
        return None
    px_per_metre = min((WIDTH - 2 * PAD) / extent_x, (HEIGHT - 2 * PAD) / extent_y)
    left = (WIDTH - extent_x * px_per_metre) / 2
    top = (HEIGHT - extent_y * px_per_metre) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        x = left + (lon - min(lons)) * x_metres * px_per_metre
        y = top + (max(lats) - lat) * METRES_PER_DEGREE_LAT * px_per_metre
        return x, y

    paths = []
    for ring in rings:
        points = [project(lon, lat) for lon, lat in ring]
        paths.append("M" + " L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in points) + " Z")
    scale_px, scale_label = nice_scale(1 / px_per_metre, WIDTH / 3)
    return MapDrawing(
        kind="polygon",
        latitude=mid_lat,
        longitude=(min(lons) + max(lons)) / 2,
        paths=paths,
        vertices=[(lat, lon) for lon, lat in rings[0]],
        scale_px=scale_px,
        scale_label=scale_label,
    )


def draw_point(latitude: float, longitude: float, area_m2: int | None) -> MapDrawing:
    """A marker in the middle; with a known area, a circle of that area and a scale bar."""
    radius = scale_px = scale_label = None
    if area_m2 and area_m2 > 0:
        radius = HEIGHT / 2 - PAD
        metres_per_px = math.sqrt(area_m2 / math.pi) / radius
        scale_px, scale_label = nice_scale(metres_per_px, WIDTH / 3)
    return MapDrawing(
        kind="point",
        latitude=latitude,
        longitude=longitude,
        marker=(WIDTH / 2, HEIGHT / 2),
        circle_radius=radius,
        scale_px=scale_px,
        scale_label=scale_label,
    )


def draw_area(area) -> MapDrawing | None:
    """The polygon if the area has a usable one, else its point, else nothing to draw."""
    rings = polygon_rings(area.polygon)
    if rings:
        drawing = draw_polygon(rings)
        if drawing is not None:
            return drawing
    point = _coordinate([area.longitude, area.latitude])
    if point is None:
        return None
    return draw_point(point[1], point[0], area.area_m2)
