"""Named areas (school districts, 町会) and the point → area name lookup behind derived fields.

An AreaIndex is built once per data version (an STRtree over the polygons) and then only read, so one index
serves every request thread. Where polygons overlap (hand-drawn maps do), the first area in file order wins,
so the answer never depends on the tree's internal order.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from lowcode.geo.files import read_features
from lowcode.geo.shapes import polygonal_part

from .normalise import normalise_address

NamedArea = tuple[str, BaseGeometry]
T = TypeVar("T")


class AreaIndex:
    """Point → name of the (first) area containing it; points on a boundary belong to the area."""

    def __init__(self, areas: Sequence[NamedArea]) -> None:
        self.areas = list(areas)
        self._names = [name for name, _ in self.areas]
        self._tree = shapely.STRtree([geometry for _, geometry in self.areas])

    @classmethod
    def from_features(cls, features: Iterable[dict[str, Any]], name_property: str) -> AreaIndex:
        return cls(areas_from_features(features, name_property))

    def __len__(self) -> int:
        return len(self.areas)

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(self._names))

    def lookup(self, lon: float, lat: float) -> str | None:
        hits = self._tree.query(shapely.Point(lon, lat), predicate="intersects")
        return self._names[int(hits.min())] if len(hits) else None

    def lookup_many(self, lons: Sequence[float], lats: Sequence[float]) -> list[str | None]:
        """Many points in one pass through the tree (for batch derivation and imports)."""
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        point_index, area_index = self._tree.query(points, predicate="intersects")
        first = np.full(len(points), len(self.areas), dtype=np.int64)
        np.minimum.at(first, point_index, area_index)
        return [self._names[i] if i < len(self.areas) else None for i in first.tolist()]


def naive_lookup(areas: Sequence[NamedArea], lon: float, lat: float) -> str | None:
    """The loop without an index, as tests' reference answer (the bench's baseline is a polygon.contains loop)."""
    for name, geometry in areas:
        if shapely.intersects_xy(geometry, lon, lat):
            return name
    return None


def areas_from_features(features: Iterable[dict[str, Any]], name_property: str) -> list[NamedArea]:
    """(name, polygon) for each named feature with an area; points and lines are not areas and are skipped."""
    areas = []
    for feature in features:
        name = str((feature.get("properties") or {}).get(name_property) or "").strip()
        geometry = polygonal_part(feature.get("geometry"))
        if name and geometry is not None:
            areas.append((name, geometry))
    return areas


def load_area_file(path: Path, name_property: str) -> AreaIndex:
    return AreaIndex.from_features(read_features(path), name_property)


def file_version(path: Path) -> tuple[int, int]:
    """Changes whenever the file is saved again: modification time and size."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


class VersionedCache(Generic[T]):
    """One built object per name (an area index, a lookup table), rebuilt only when its data version changes."""

    def __init__(self) -> None:
        self._entries: dict[Hashable, tuple[object, T]] = {}
        self._lock = threading.Lock()

    def get(self, name: Hashable, version: object, build: Callable[[], T]) -> T:
        entry = self._entries.get(name)
        if entry is not None and entry[0] == version:
            return entry[1]
        with self._lock:  # one build per change, however many requests arrive at once
            entry = self._entries.get(name)
            if entry is None or entry[0] != version:
                entry = (version, build())
                self._entries[name] = entry
        return entry[1]


def build_lookup_table(rows: Iterable[Mapping[str, Any]], key: str, value: str) -> dict[str, str]:
    """Key → value from a staff-maintained table (e.g. 町丁目 → 校下); the first row of a key wins."""
    table: dict[str, str] = {}
    for row in rows:
        raw_key, raw_value = row.get(key), row.get(value)
        if raw_key not in (None, "") and raw_value not in (None, ""):
            table.setdefault(lookup_key(str(raw_key)), str(raw_value))
    return table


def lookup_value(table: Mapping[str, str], raw: object) -> str | None:
    """The value for `raw`, matched the way people type: full-width digits, spaces, 一丁目/1丁目 do not matter."""
    if raw in (None, ""):
        return None
    return table.get(lookup_key(str(raw)))


def lookup_key(text: str) -> str:
    return normalise_address(text)
