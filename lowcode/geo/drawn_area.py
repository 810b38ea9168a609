"""An `area` field's value checked before it is stored: one or more polygons a person drew or pasted as GeoJSON.

Staff draw areas on a map (lowcode-area.js) or paste GeoJSON into the text box beside it; both arrive as text.
What is kept is a plain Polygon or MultiPolygon geometry: a Feature's properties (names, colours from another
tool) are dropped, a FeatureCollection of polygons becomes one MultiPolygon, and a ring left open is closed.
What is refused says why, so the person can fix it: no polygon, a point that is not a longitude/latitude, an
outline that crosses itself (a bow tie: no one can tell which side is inside), or too many points.

Below the spec: imports nothing of lowcode but geo. shapely is imported only to test a polygon for crossings.
"""
from __future__ import annotations

import json
import math
from typing import Any

from .geometry import Geometry

MAX_AREA_POINTS = 10_000  # a town's outline needs hundreds; a pasted survey file may need simplifying first


class AreaValueError(ValueError):
    """Why a drawn or pasted area cannot be stored: `key` names the message, `params` fill it in."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def parse_area(raw: Any) -> Geometry | None:
    """The Polygon or MultiPolygon to store from GeoJSON (text or already read), or None when nothing was given."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    value = _read_json(raw) if isinstance(raw, str) else raw
    polygons = [rings for rings in map(_polygon_rings, _polygon_coordinates(value)) if rings]
    if not polygons:
        raise AreaValueError("area_empty")
    points = sum(len(ring) for rings in polygons for ring in rings)
    if points > MAX_AREA_POINTS:
        raise AreaValueError("area_too_many_points", limit=f"{MAX_AREA_POINTS:,}")
    for rings in polygons:
        _refuse_crossing(rings)
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _read_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise AreaValueError("not_area") from None


def _polygon_coordinates(value: Any) -> list[Any]:
    """The coordinates of each polygon in a geometry, Feature or FeatureCollection; anything else is refused."""
    if not isinstance(value, dict):
        raise AreaValueError("not_area")
    kind = value.get("type")
    if kind == "Feature":
        return _polygon_coordinates(value.get("geometry"))
    if kind == "FeatureCollection" and isinstance(value.get("features"), list):
        return [p for feature in value["features"] for p in _polygon_coordinates(feature)]
    coordinates = value.get("coordinates")
    if kind == "Polygon" and isinstance(coordinates, list):
        return [coordinates]
    if kind == "MultiPolygon" and isinstance(coordinates, list):
        return coordinates
    raise AreaValueError("not_area")


def _polygon_rings(coordinates: Any) -> list[list[list[float]]]:
    """A polygon's rings (outline first, then holes) as closed lists of [lon, lat]; [] when it has no outline."""
    if not isinstance(coordinates, list):
        raise AreaValueError("not_area")
    rings = [_ring(r) for r in coordinates]
    if not rings or not rings[0]:
        return []
    return [ring for ring in rings if ring]


def _ring(raw: Any) -> list[list[float]]:
    if not isinstance(raw, list):
        raise AreaValueError("not_area")
    ring = [_position(p) for p in raw]
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))  # GeoJSON wants the first point repeated at the end; people forget it
    if len({tuple(p) for p in ring}) < 3:
        return []  # fewer than three distinct corners enclose nothing
    return ring


def _position(raw: Any) -> list[float]:
    if not isinstance(raw, list) or len(raw) < 2 or not all(_is_number(c) for c in raw[:2]):
        raise AreaValueError("not_area")
    lon, lat = float(raw[0]), float(raw[1])
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise AreaValueError("area_out_of_range")
    return [lon, lat]


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _refuse_crossing(rings: list[list[list[float]]]) -> None:
    """Refuse an outline that crosses itself, a hole that crosses the outline, or an outline with no inside."""
    import shapely  # only here: loading a spec or a form must not wait for shapely and numpy

    polygon = shapely.Polygon(rings[0], rings[1:])
    if polygon.is_valid:
        return
    # A bow tie's halves cancel out to no area, yet it does enclose some: only a flat outline encloses none.
    if shapely.make_valid(polygon).area == 0:
        raise AreaValueError("area_empty")
    raise AreaValueError("area_crosses_itself")
