"""GeoJSON geometries as plain data: flattening collections, walking positions, bounds, swapped lat/lon.

Pure Python, no shapely: the spec checks use it while an app loads. Positions are GeoJSON order, (lon, lat).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

Geometry = dict[str, Any]
Feature = dict[str, Any]
Bounds = tuple[float, float, float, float]  # west, south, east, north
WORLD: Bounds = (-180.0, -90.0, 180.0, 90.0)
POLYGON_TYPES = ("Polygon", "MultiPolygon")


def iter_geometries(geometry: Geometry | None) -> Iterator[Geometry]:
    """The simple geometries of `geometry`: a GeometryCollection (KML's MultiGeometry) is opened, however nested."""
    if not geometry:
        return
    if geometry.get("type") == "GeometryCollection":
        for part in geometry.get("geometries") or []:
            yield from iter_geometries(part)
    else:
        yield geometry


def iter_positions(geometry: Geometry | None) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) pair of a geometry, however deeply nested."""
    for part in iter_geometries(geometry):
        yield from _walk(part.get("coordinates"))


def _walk(coords: Any) -> Iterator[tuple[float, float]]:
    if isinstance(coords, (list, tuple)) and len(coords) >= 2 and all(isinstance(c, (int, float)) for c in coords[:2]):
        yield float(coords[0]), float(coords[1])
    elif isinstance(coords, (list, tuple)):
        for part in coords:
            yield from _walk(part)


def has_polygon(geometry: Geometry | None) -> bool:
    """True when the geometry is, or its collection holds, a Polygon or MultiPolygon."""
    return any(part.get("type") in POLYGON_TYPES for part in iter_geometries(geometry))


def features_bounds(features: Iterable[Feature]) -> Bounds | None:
    """West, south, east, north of every position in the features; None when there is none."""
    positions = [p for f in features for p in iter_positions(f.get("geometry"))]
    if not positions:
        return None
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    return min(lons), min(lats), max(lons), max(lats)


def bbox_contains(bbox: Bounds, lon: float, lat: float) -> bool:
    """True when (lon, lat) lies in the box, its edges included."""
    west, south, east, north = bbox
    return west <= lon <= east and south <= lat <= north


def is_proper_box(bbox: Bounds) -> bool:
    """True when the box lies on the globe and has a width and a height (west < east, south < north)."""
    west, south, east, north = bbox
    return -180 <= west < east <= 180 and -90 <= south < north <= 90


def looks_swapped(features: Iterable[Feature], bbox: Bounds | None) -> bool:
    """True when most points fall outside bbox (the whole world when None) but inside it once lat/lon swap."""
    inside = swapped = 0
    box = bbox or WORLD
    for feature in features:
        for lon, lat in iter_positions(feature.get("geometry")):
            inside += bbox_contains(box, lon, lat)
            swapped += bbox_contains(box, lat, lon)
    return swapped > inside


def point_of(value: Any) -> tuple[float, float] | None:
    """(lon, lat) of a stored location: a GeoJSON Point (dict or JSON text), a [lon, lat] pair or {lon, lat}."""
    if isinstance(value, str):
        value = parse_json(value)
    if isinstance(value, Mapping):
        if value.get("type") == "Feature":
            value = value.get("geometry") or {}
        if "coordinates" in value:
            value = value["coordinates"]
        elif "lon" in value and "lat" in value:
            value = (value["lon"], value["lat"])
    if isinstance(value, (list, tuple)) and len(value) >= 2:
        try:
            return float(value[0]), float(value[1])
        except (TypeError, ValueError):
            return None
    return None


def geometry_of(value: Any) -> dict[str, Any] | None:
    """A GeoJSON geometry from a stored area value (a geometry or Feature, as a dict or JSON text)."""
    if isinstance(value, str):
        value = parse_json(value)
    if isinstance(value, Mapping) and value.get("type") == "Feature":
        value = value.get("geometry")
    return dict(value) if isinstance(value, Mapping) and "type" in value else None


def parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
