"""Latitude and longitude columns the wrong way round, found over the whole file.

Every point of a municipal app lies in Japan: latitude 20–46, longitude 122–154. A pair whose latitude column holds
a Japanese longitude and whose longitude column a Japanese latitude is swapped. When every row with a point is
swapped, the file was written the other way round (a tool writing [lat, lon], two headers mixed up): the columns
are read swapped back and the report says so. When only some rows are, the file cannot be trusted either way:
each swapped row is a problem of its own. Points outside Japan are left to the usual checks (a city may import a
sister city's points; nothing is guessed there).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..values import InvalidValue, parse_number
from .columns import Target

JAPAN_LATITUDES = (20.0, 46.0)
JAPAN_LONGITUDES = (122.0, 154.0)
IN_JAPAN, SWAPPED = "in Japan", "swapped"


@dataclass
class PointColumns:
    """The lat and lon columns of each location field, and how the file's pairs are to be read."""

    columns: dict[str, dict[str, int]] = field(default_factory=dict)  # field → {"lat": index, "lon": index}
    swapped: set[str] = field(default_factory=set)  # fields whose columns are read the other way round
    checked: set[str] = field(default_factory=set)  # fields where a swapped row is a problem (the file is mixed)

    def read(self, name: str, lat: str, lon: str) -> tuple[str, str]:
        """(lat, lon) as they are meant; InvalidValue `swapped_location` for a swapped pair in a mixed file."""
        if name in self.swapped:
            return lon, lat
        if name in self.checked and is_swapped(lat, lon):
            raise InvalidValue("swapped_location")
        return lat, lon


def point_columns(targets: Mapping[int, Target], rows: Iterable[list[str]]) -> PointColumns:
    """Look at every row's pairs once (before any row is checked) and decide how each field's pairs are read."""
    found = PointColumns()
    for index, target in targets.items():
        if target.part:
            found.columns.setdefault(target.field, {})[target.part] = index
    pairs = {name: parts for name, parts in found.columns.items() if len(parts) == 2}
    counts = {name: [0, 0] for name in pairs}  # [in Japan, swapped]
    for cells in rows:
        for name, parts in pairs.items():
            where = placed(cell(cells, parts["lat"]), cell(cells, parts["lon"]))
            if where is not None:
                counts[name][where == SWAPPED] += 1
    for name, (right, swapped) in counts.items():
        if swapped and not right:
            found.swapped.add(name)
        elif swapped:
            found.checked.add(name)
    return found


def cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def is_swapped(lat: str, lon: str) -> bool:
    return placed(lat, lon) == SWAPPED


def placed(lat: str, lon: str) -> str | None:
    """IN_JAPAN, SWAPPED (a Japanese point the other way round), or None (no point, or one elsewhere)."""
    point = numbers(lat, lon)
    if point is None:
        return None
    if within(point[0], JAPAN_LATITUDES) and within(point[1], JAPAN_LONGITUDES):
        return IN_JAPAN
    if within(point[0], JAPAN_LONGITUDES) and within(point[1], JAPAN_LATITUDES):
        return SWAPPED
    return None


def numbers(lat: str, lon: str) -> tuple[float, float] | None:
    if not lat.strip() or not lon.strip():
        return None
    try:
        return parse_number(lat), parse_number(lon)
    except InvalidValue:
        return None


def within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]
