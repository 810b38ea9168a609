"""The app's service area as geometry: its bounding box and, when a file gives one, its polygons.

Below the spec: it takes anything with `bbox` and `file` (the spec's ServiceAreaSpec) and imports nothing of
lowcode but geo. shapely is imported only when an area comes from a file, so loading a spec stays light.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from .files import GeoFileError, read_features
from .geometry import Bounds, Feature, bbox_contains, has_polygon


class AreaSource(Protocol):
    """Where an area is written: a box, or a file in the app's folder (exactly one of them)."""

    @property
    def bbox(self) -> tuple[float, float, float, float] | None: ...

    @property
    def file(self) -> str | None: ...


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
        if not bbox_contains(self.bounds, lon, lat):
            return False
        if self.shape is None:
            return True
        import shapely  # already loaded: the shape was built with it

        # `covers`, not `contains`: a point exactly on the boundary line is inside the service area.
        return bool(self.shape.covers(shapely.Point(lon, lat)))


def read_area_polygons(path: Path) -> list[Feature]:
    """The features of an area file that hold a polygon; raises AreaFileError when there are none."""
    try:
        features = read_features(path)
    except GeoFileError as exc:
        raise AreaFileError(str(exc)) from exc
    polygons = [f for f in features if has_polygon(f.get("geometry"))]
    if not polygons:
        raise AreaFileError("no Polygon or MultiPolygon in the file")
    return polygons


def service_area_bounds(area: AreaSource, app_dir: Path) -> Bounds | None:
    if area.bbox is not None:
        return area.bbox
    return load_service_area(area, app_dir).bounds if area.file else None


def usable_bounds(area: AreaSource | None, app_dir: Path) -> Bounds | None:
    """The area's box, or None when there is none or its file cannot be read (the YAML checks report that)."""
    if area is None:
        return None
    try:
        return service_area_bounds(area, Path(app_dir))
    except (AreaFileError, OSError):
        return None


def load_service_area(area: AreaSource, app_dir: Path) -> ServiceArea:
    """The area of the spec; a file is read once per change of the file (every form post checks against it)."""
    if area.bbox is not None:
        return ServiceArea(tuple(area.bbox))  # type: ignore[arg-type]
    if not area.file:
        raise AreaFileError("the service area has neither bbox nor file")
    path = Path(app_dir) / area.file
    return _load_area_file(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _load_area_file(path: str, mtime_ns: int) -> ServiceArea:
    from .shapes import union_of_polygons  # shapely and numpy load only for an area drawn in a file

    polygons = read_area_polygons(Path(path))
    try:
        shape = union_of_polygons([f.get("geometry") for f in polygons])
    except (ValueError, TypeError) as exc:
        raise AreaFileError(f"a polygon is malformed ({exc})") from exc
    if shape is None or shape.is_empty:
        raise AreaFileError("the polygons have no coordinates")
    west, south, east, north = (float(b) for b in shape.bounds)
    return ServiceArea((west, south, east, north), shape)
