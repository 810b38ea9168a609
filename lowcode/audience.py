"""Who may see what: the one rule every channel asks before a field, a row, a title or a point leaves the database.

An `Audience` answers for one kind of reader. `PUBLIC` is anyone on the internet: it sees public fields (and not
one derived from a field it may not see), the rows the app's lists and maps show, no reference numbers (受付番号:
the number a resident quotes to the city) and locations snapped to a grid. `STAFF` sees everything, exactly.
Pure: spec objects in, answers out; no web framework, no database (callers turn row rules into SQL).
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .spec.models import AppSpec, Condition, TableSpec, title_field_of
from .spec.privacy import form_field_list

Point = tuple[float, float]
# Where residents type or pick a point themselves ("use my location" may be their home), the public sees a grid.
DEFAULT_PUBLIC_PRECISION_M = 100.0
METRES_PER_DEGREE = 111_320.0


@dataclass(frozen=True)
class Audience:
    """The answers for one kind of reader; issue 8 adds staff roles and the resident's own link."""

    name: str
    visibilities: frozenset[str]
    sees_reference_numbers: bool
    sees_every_row: bool
    sees_exact_locations: bool

    def can_see_field(self, table: TableSpec, name: str) -> bool:
        """A field it may see, and (for a derived field) one whose source it may see too, all the way back."""
        seen: set[str] = set()
        while name in table.fields and name not in seen:
            field = table.fields[name]
            if field.visibility not in self.visibilities:
                return False
            if field.derive is None:
                return True
            seen.add(name)
            name = field.derive.source
        return False  # an unknown name, or a derive cycle (validate reports both)

    def visible_fields(self, table: TableSpec) -> list[str]:
        return [name for name in table.fields if self.can_see_field(table, name)]

    def only_visible(self, table: TableSpec, names: Iterable[str]) -> list[str]:
        return [name for name in names if self.can_see_field(table, name)]

    def title_field(self, table: TableSpec) -> str | None:
        """The field that names a row for this reader; None when the title field is not one it may see."""
        title = title_field_of(table)
        return title if title and self.can_see_field(table, title) else None

    def row_title(self, row_id: int, title: object) -> str:
        """What names a row: its title, else `#id` (never the reference number, which stays off public pages)."""
        return str(title) if title not in (None, "") else f"#{row_id}"

    def row_conditions(self, app: AppSpec, table_name: str) -> tuple[Condition, ...] | None:
        """The rows it may see as `where:` mappings to OR together; None for every row.

        The public sees the rows the app's lists and map layers of that table show: if one shows every row, all
        of them; if each has a `where:`, the rows matching any of them (closed schools left out of the school list
        are then not offered in forms either). A table no list or map shows is named only in forms and lists that
        refer to it, and all its rows are offered: its `visibility` settings decide what is public.
        """
        if self.sees_every_row:
            return None
        wheres = [spec.where for spec in app.lists.values() if spec.table == table_name]
        wheres += [layer.where for spec in app.maps.values() for layer in spec.layers if layer.table == table_name]
        if not wheres or any(not where for where in wheres):
            return None
        return tuple(where for where in wheres if where)

    def location_precision_m(self, app: AppSpec, table: TableSpec, name: str) -> float | None:
        """Grid size in metres this reader sees the field's points on; None for the stored point."""
        if self.sees_exact_locations:
            return None
        field = table.fields[name]
        if field.public_precision_m is not None:
            return field.public_precision_m or None  # 0: as stored (a bus stop, a school)
        return DEFAULT_PUBLIC_PRECISION_M if asked_in_public_form(app, table, name) else None

    def location(self, app: AppSpec, table: TableSpec, name: str, point: Point | None) -> Point | None:
        precision = self.location_precision_m(app, table, name)
        return point if point is None or precision is None else snap_to_grid(point, precision)


PUBLIC = Audience("public", frozenset({"public"}), sees_reference_numbers=False, sees_every_row=False,
                  sees_exact_locations=False)
STAFF = Audience("staff", frozenset({"public", "staff", "private"}), sees_reference_numbers=True, sees_every_row=True,
                 sees_exact_locations=True)


def asked_in_public_form(app: AppSpec, table: TableSpec, name: str) -> bool:
    """True when a public form lets residents fill the field: its values are what residents typed or picked."""
    return any(
        form.access == "public" and app.tables.get(form.table) is table and name in form_field_list(form, table)
        for form in app.forms.values()
    )


def widen_bounds(bounds: tuple[float, float, float, float], metres: float | None) -> tuple[float, float, float, float]:
    """A bounding box grown by one grid cell: the rows whose snapped point may fall inside `bounds`.

    The box is then applied again to the snapped points, so that shrinking it around a point reveals only its cell.
    """
    if metres is None:
        return bounds
    west, south, east, north = bounds
    lat_margin = metres / METRES_PER_DEGREE
    lon_margin = lat_margin / max(math.cos(math.radians(min(max(abs(south), abs(north)) + lat_margin, 89.0))), 0.01)
    return west - lon_margin, south - lat_margin, east + lon_margin, north + lat_margin


def snap_to_grid(point: Point, metres: float) -> Point:
    """The centre of the grid cell holding the point: the same cell for every request, so averaging reveals nothing.

    Latitude rows are `metres` tall; each row's cells are `metres` wide at the row's centre latitude.
    """
    lon, lat = point
    lat_step = metres / METRES_PER_DEGREE
    snapped_lat = (math.floor(lat / lat_step) + 0.5) * lat_step
    lon_step = lat_step / max(math.cos(math.radians(snapped_lat)), 0.01)
    snapped_lon = (math.floor(lon / lon_step) + 0.5) * lon_step
    return round(snapped_lon, 6), round(snapped_lat, 6)
