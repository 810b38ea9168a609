"""The app's service area as geometry: its bounding box and, when a file gives one, its polygons.

Pure Python plus shapely (imported only for polygon areas); no folium, no web framework, so the spec checks
can use it too.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..geo.files import Feature, GeoFileError, iter_positions, read_features

if TYPE_CHECKING:
    from ..spec.maps import ServiceAreaSpec

Bounds = tuple[float, float, float, float]
POLYGON_TYPES = ("Polygon", "MultiPolygon")


class AreaFileError(ValueError):
    """A service-area file that cannot be read or holds no polygon."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class ServiceArea:
    """Where points may lie: always a box; polygons too when the area comes from a file."""

    bounds: Bounds
    shape: Any = None  # a shapely geometry, or None for a plain box

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.bounds
        if not (west <= lon <= east and south <= lat <= north):
            return False
        if self.shape is None:
            return True
        from shapely import Point

        # `covers`, not `contains`: a point exactly on the boundary line is inside the service area.
        return bool(self.shape.covers(Point(lon, lat)))


def read_area_polygons(path: Path) -> list[Feature]:
    """The polygon features of an area file; raises AreaFileError when there are none."""
    try:
        features = read_features(path)
    except GeoFileError as exc:
        raise AreaFileError(str(exc)) from exc
    polygons = [f for f in features if (f.get("geometry") or {}).get("type") in POLYGON_TYPES]
    if not polygons:
        raise AreaFileError("no Polygon or MultiPolygon in the file")
    return polygons


def features_bounds(features: list[Feature]) -> Bounds | None:
    """West, south, east, north of every position in the features; None when there is none."""
    positions = [p for f in features for p in iter_positions(f.get("geometry"))]
    if not positions:
        return None
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    return min(lons), min(lats), max(lons), max(lats)


def service_area_bounds(area: ServiceAreaSpec, app_dir: Path) -> Bounds | None:
    if area.bbox is not None:
        return area.bbox
    return load_service_area(area, app_dir).bounds if area.file else None


def usable_bounds(area: ServiceAreaSpec | None, app_dir: Path) -> Bounds | None:
    """The area's box, or None when there is none or its file cannot be read (the YAML checks report that)."""
    if area is None:
        return None
    try:
        return service_area_bounds(area, Path(app_dir))
    except (AreaFileError, OSError):
        return None


def load_service_area(area: ServiceAreaSpec, app_dir: Path) -> ServiceArea:
    """The area of the spec; a file is read once per change of the file (every form post checks against it)."""
    if area.bbox is not None:
        return ServiceArea(tuple(area.bbox))  # type: ignore[arg-type]
    if not area.file:
        raise AreaFileError("the service area has neither bbox nor file")
    path = Path(app_dir) / area.file
    return _load_area_file(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _load_area_file(path: str, mtime_ns: int) -> ServiceArea:
    from shapely import make_valid
    from shapely.geometry import shape
    from shapely.ops import unary_union

    polygons = read_area_polygons(Path(path))
    bounds = features_bounds(polygons)
    if bounds is None:
        raise AreaFileError("the polygons have no coordinates")
    try:
        # Hand-drawn areas often cross themselves; make_valid keeps them usable for point-in-polygon tests.
        return ServiceArea(bounds, unary_union([make_valid(shape(f["geometry"])) for f in polygons]))
    except (ValueError, TypeError) as exc:
        raise AreaFileError(f"a polygon is malformed ({exc})") from exc
