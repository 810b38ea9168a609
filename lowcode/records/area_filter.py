"""The staff queue's filter by area: the rows whose point lies in one named area of the app's `areas:`.

A row is in area A when the app's own area rule names A for its point — the rule behind `derive: {area: …}`
(lowcode/places/areas.py: a point on a boundary belongs to the area; where areas overlap, the first in file order
wins), so the filter and a derived 校下 field never disagree. When the table stores that derived field for the same
location and area set, the filter is plain equality on it. Otherwise the database returns the points inside the
area's bounding box (the location's (lon, lat) index), the area index names each one in a single vectorised pass,
and the page is read with `id IN (…)`: the cost is bounded by the rows inside the box, not the table (10,000 rows:
see docs/decisions.md). Nothing here is ever an error: an unknown set or name, or an area file gone, filters nothing
in or out but shows no rows (an unknown area) or is ignored (no area sets).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..audience import Audience
from ..places.areas import AreaIndex
from ..places.derive import Deriver
from ..references import visible_rows_clause
from ..runtime import AppRuntime
from ..services import DatabaseTables

log = logging.getLogger(__name__)
SEPARATOR = ":"  # `area=<set>:<name>`; set names are YAML keys (no colon), area names are free text


@dataclass(frozen=True)
class AreaChoices:
    """One area set the queue can filter by: its name, the location field it applies to, its areas' names."""

    set_name: str
    location: str
    names: list[str]


def area_location(runtime: AppRuntime, table: str, audience: Audience) -> str | None:
    """The table's first location field the audience may see (a filter must not reveal where a hidden point lies)."""
    spec = runtime.spec.tables[table]
    return next((n for n, f in spec.fields.items() if f.type == "location" and audience.can_see_field(spec, n)), None)


def area_choices(runtime: AppRuntime, engine: sa.Engine, table: str, audience: Audience) -> list[AreaChoices]:
    """Every area set of the app, with its areas' names, when the table has a location the audience sees."""
    location = area_location(runtime, table, audience)
    if location is None:
        return []
    choices = []
    for set_name in runtime.spec.areas:
        index = area_index(runtime, engine, set_name)
        if index is not None and len(index):
            choices.append(AreaChoices(set_name, location, index.names))
    return choices


def area_index(runtime: AppRuntime, engine: sa.Engine, set_name: str) -> AreaIndex | None:
    """The set's index (rebuilt when its file or table changes); None when it cannot be read now."""
    try:
        return area_deriver(runtime, engine).area_index(set_name)
    except (OSError, ValueError, LookupError) as exc:  # a file removed or broken since start-up: no filter, no 500
        log.warning("area set %s of %s cannot be read: %s", set_name, runtime.name, type(exc).__name__)
        return None


def area_deriver(runtime: AppRuntime, engine: sa.Engine) -> Deriver:
    """The app's deriver (which caches area indexes per data version), or one kept for the queue when none derives."""
    if runtime.deriver is not None:
        return runtime.deriver
    return runtime.once(("queue_area_deriver",), lambda: Deriver(runtime.spec, runtime.folder,
                                                                 tables=DatabaseTables(runtime, engine)))


def parse_area(raw: str) -> tuple[str, str] | None:
    set_name, separator, name = raw.partition(SEPARATOR)
    return (set_name, name) if separator and set_name and name else None


def area_clauses(runtime: AppRuntime, engine: sa.Engine, table: str, raw: str, audience: Audience) -> Sequence[Any]:
    """The queue's `area=<set>:<name>` as SQL (none when empty or the table cannot be filtered by area)."""
    wanted = parse_area(raw.strip())
    location = area_location(runtime, table, audience)
    if wanted is None or location is None or wanted[0] not in runtime.spec.areas:
        return []
    set_name, name = wanted
    derived = derived_area_field(runtime, table, location, set_name, audience)
    if derived is not None:
        return [runtime.stores[table].table.c[derived] == name]
    index = area_index(runtime, engine, set_name)
    if index is None:
        return []
    return [rows_in_area(runtime, engine, table, location, index, name, audience)]


def derived_area_field(runtime: AppRuntime, table: str, location: str, set_name: str, audience: Audience) -> str | None:
    """A stored field derived from `location` by this area set, which the audience may see."""
    spec = runtime.spec.tables[table]
    for name, field in spec.fields.items():
        derive = field.derive
        if derive is not None and derive.area == set_name and derive.source == location and audience.can_see_field(spec, name):
            return name
    return None


def rows_in_area(
    runtime: AppRuntime, engine: sa.Engine, table: str, location: str, index: AreaIndex, name: str, audience: Audience,
) -> Any:
    """`id IN (…)` of the rows the audience sees whose point the area rule puts in `name`."""
    store = runtime.stores[table]
    bounds = area_bounds(index, name)
    if bounds is None:
        return sa.false()
    west, south, east, north = bounds
    lon, lat = (store.table.c[c] for c in store.kinds[location].column_names(location))
    query = sa.select(store.table.c.id, lon, lat).where(
        lon >= west, lon <= east, lat >= south, lat <= north, visible_rows_clause(runtime, table, audience))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    if not rows:
        return sa.false()
    names = index.lookup_many([row[1] for row in rows], [row[2] for row in rows])
    ids = [int(row[0]) for row, found in zip(rows, names) if found == name]
    if not ids:
        return sa.false()
    # Rendered as literal integers: one bound parameter per id would pass SQLite's limit on a large area.
    return store.table.c.id.in_(sa.bindparam("lc_area_ids", ids, expanding=True, literal_execute=True))


def area_bounds(index: AreaIndex, name: str) -> tuple[float, float, float, float] | None:
    """The bounding box of every polygon named `name` (an area may be drawn in several parts)."""
    boxes = [geometry.bounds for area, geometry in index.areas if area == name]
    if not boxes:
        return None
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
