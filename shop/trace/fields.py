"""Form fields for origin records: hectares, coordinates in Vietnam, GeoJSON polygons, lots."""

import json
import math
import re
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from shop.i18n import format_number

# Vietnam, roughly: mainland and coastal islands (the brief's bounding box).
LATITUDES = (8.0, 24.0)
LONGITUDES = (102.0, 110.0)
MAX_HECTARES = Decimal(100_000)
MAX_POLYGON_CHARS = 200_000
MAX_POLYGON_POSITIONS = 10_000
LOT_CHARACTERS = re.compile(r"[A-Z0-9-]+")
LOT_MAX = 20

_NUMBER = re.compile(r"[+-]?\d{1,7}(?:[.,]\d{1,12})?")
_PAIR = re.compile(r"\s*([+-]?\d{1,3}\.\d+)\s*[,;\s]\s*([+-]?\d{1,3}\.\d+)\s*")


def parse_decimal(text: str) -> Decimal:
    """'1,5' and '1.5' are both one and a half: one decimal separator, dot or comma."""
    value = text.strip().replace("\u00a0", "")
    if not _NUMBER.fullmatch(value):
        raise ValueError(value)
    return Decimal(value.replace(",", "."))


def in_vietnam(latitude: float, longitude: float) -> bool:
    return LATITUDES[0] <= latitude <= LATITUDES[1] and LONGITUDES[0] <= longitude <= LONGITUDES[1]


class TypedValueField(StringField):
    """A text input whose typed value is shown back unchanged when it is wrong."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else self.format(self.data)

    def format(self, value) -> str:
        return str(value)

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()


class HectareField(TypedValueField):
    """An area in hectares, typed with a dot or a comma; .square_metres is what is stored."""

    message = _l("Enter the area in hectares, for example 1,5 or 1.5.")

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = None
        typed = valuelist[0].strip() if valuelist else ""
        typed = re.sub(r"\s*ha$", "", typed, flags=re.IGNORECASE)
        if typed:
            try:
                self.data = parse_decimal(typed)
            except (ValueError, InvalidOperation):
                raise ValueError(self.message) from None

    def format(self, value) -> str:
        return f"{value:g}"

    def pre_validate(self, form) -> None:
        super().pre_validate(form)
        if self.data is None:
            return
        if not Decimal("0.0001") <= self.data <= MAX_HECTARES:
            raise ValidationError(
                _l(
                    "Enter an area from 0.0001 to %(most)s hectares.",
                    most=format_number(MAX_HECTARES),
                )
            )

    @property
    def square_metres(self) -> int | None:
        return None if self.data is None else int((self.data * 10_000).to_integral_value())


class DegreesField(TypedValueField):
    """A latitude or a longitude in decimal degrees (19.93 or 19,93)."""

    def __init__(self, label=None, validators=None, *, low: float, high: float, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **kwargs.pop("render_kw", {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.low, self.high = low, high

    def process_formdata(self, valuelist):
        self.data = None
        typed = valuelist[0].strip() if valuelist else ""
        if typed:
            try:
                self.data = float(parse_decimal(typed))
            except (ValueError, InvalidOperation):
                raise ValueError(_l("Enter decimal degrees, for example 19.93.")) from None

    def pre_validate(self, form) -> None:
        super().pre_validate(form)
        if self.data is not None and not self.low <= self.data <= self.high:
            raise ValidationError(
                _l(
                    "This is outside Vietnam: enter a value from %(low)s to %(high)s.",
                    low=f"{self.low:g}",
                    high=f"{self.high:g}",
                )
            )


def split_pair(text: str) -> tuple[str, str] | None:
    """'19.93, 105.43' pasted from a map app into one box: (latitude, longitude)."""
    match = _PAIR.fullmatch(text or "")
    return (match.group(1), match.group(2)) if match else None


class PolygonError(ValueError):
    """A pasted shape that is not a GeoJSON polygon in Vietnam; the message is for the user."""


def _position(value) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) not in (2, 3)
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or not all(math.isfinite(v) for v in value)
    ):
        raise PolygonError(_l("Each point must be [longitude, latitude] in decimal degrees."))
    longitude, latitude = float(value[0]), float(value[1])
    if not in_vietnam(latitude, longitude):
        if in_vietnam(longitude, latitude):
            raise PolygonError(_l("The points look swapped: GeoJSON writes [longitude, latitude]."))
        raise PolygonError(_l("A point of the polygon is outside Vietnam."))
    return longitude, latitude


def parse_polygon(text: str) -> dict:
    """A GeoJSON Polygon (or a Feature holding one) → a clean geometry dict, or PolygonError."""
    if len(text) > MAX_POLYGON_CHARS:
        raise PolygonError(_l("The polygon is too long: simplify it to fewer points."))
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise PolygonError(
            _l("This is not GeoJSON. Paste the polygon exported from your map app.")
        ) from None
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        data = features[0] if isinstance(features, list) and len(features) == 1 else None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") != "Polygon":
        raise PolygonError(_l("Paste one GeoJSON Polygon (type “Polygon”)."))
    rings = data.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise PolygonError(_l("The polygon has no coordinates."))
    clean, count = [], 0
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise PolygonError(
                _l("A polygon ring needs at least 4 points (the first repeated last).")
            )
        count += len(ring)
        if count > MAX_POLYGON_POSITIONS:
            raise PolygonError(_l("The polygon is too long: simplify it to fewer points."))
        positions = [_position(p) for p in ring]
        if positions[0] != positions[-1]:
            raise PolygonError(_l("The ring is not closed: the last point must equal the first."))
        clean.append([list(p) for p in positions])
    return {"type": "Polygon", "coordinates": clean}


class PolygonField(TextAreaField):
    """GeoJSON pasted as text; .data is the geometry dict (None when empty)."""

    def process_formdata(self, valuelist):
        self.data = None
        typed = valuelist[0].strip() if valuelist else ""
        if typed:
            try:
                self.data = parse_polygon(typed)
            except PolygonError as error:
                raise ValueError(str(error)) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return json.dumps(self.data, ensure_ascii=False) if self.data else ""

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()


def lot_error(lot: str) -> str | None:
    """Why a (trimmed, upper-cased) lot number cannot be used, or None (GS1 AI 10, our subset)."""
    if not lot:
        return _l("Enter the lot number.")
    if not LOT_CHARACTERS.fullmatch(lot):
        return _l("Use only letters, digits and '-' (no spaces or slashes).")
    if len(lot) > LOT_MAX:
        return _l("A lot number has at most %(n)s characters.", n=LOT_MAX)
    return None


class LotField(StringField):
    """A lot number as printed on the label: trimmed and upper-cased (l-24a → L-24A)."""

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "maxlength": 40,
            **kwargs.pop("render_kw", {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def process_formdata(self, valuelist):
        self.data = valuelist[0].strip().upper() if valuelist else ""

    def pre_validate(self, form) -> None:
        error = lot_error(self.data or "")
        if error:
            raise StopValidation(error)
