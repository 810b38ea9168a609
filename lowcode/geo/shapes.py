"""GeoJSON polygons as shapely shapes, repaired: the one place that turns drawn areas into something to test points in.

Kept apart from geometry.py because shapely (and numpy) take a while to import; the spec loads without them.
"""
from __future__ import annotations

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .geometry import POLYGON_TYPES, Geometry, iter_geometries


def polygonal_part(geometry: Geometry | None) -> BaseGeometry | None:
    """The polygons of a GeoJSON geometry as one shape, or None; hand-drawn KML often crosses itself, so it is repaired."""
    parts = [shape(g) for g in iter_geometries(geometry) if g.get("type") in POLYGON_TYPES and g.get("coordinates")]
    if not parts:
        return None
    valid = shapely.make_valid(shapely.union_all(parts) if len(parts) > 1 else parts[0])
    polygons = [g for g in getattr(valid, "geoms", [valid]) if g.geom_type in POLYGON_TYPES]
    return shapely.union_all(polygons) if polygons else None


def union_of_polygons(geometries: list[Geometry | None]) -> BaseGeometry | None:
    """The polygonal parts of several geometries as one shape (a service area drawn as several features)."""
    parts = [p for p in (polygonal_part(g) for g in geometries) if p is not None]
    return shapely.union_all(parts) if parts else None


def representative_point(geometry: Geometry | None) -> tuple[float, float] | None:
    """(lon, lat) of a point sure to lie on the geometry (inside a polygon, unlike its centroid); None when empty."""
    if not geometry:
        return None
    if geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"][:2]
        return float(lon), float(lat)
    point = shape(geometry).representative_point()
    return (point.x, point.y) if not point.is_empty else None
