"""Fill derived fields (`derive:` in the YAML) when a row is saved: area by point, value by lookup table, nearest town.

The web engine calls `Deriver.derive(table, values)` before it writes a row. Data that lives in the database
(area polygons drawn by staff, lookup tables) comes through a TableReader the engine supplies; indexes are
rebuilt only when `TableReader.version` changes, so saving a form never rebuilds an STRtree.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from lowcode.geo.geometry import geometry_of, point_of
from lowcode.geo.shapes import polygonal_part
from lowcode.spec.models import AppSpec, TableSpec
from lowcode.spec.places import AreaSpec, DeriveSpec
from lowcode.spec.titles import title_field_of

from .areas import (
    AreaIndex,
    VersionedCache,
    build_lookup_table,
    file_version,
    load_area_file,
    lookup_value,
)
from .base import Geocoder, GeocodeUnavailable
from .kana import town_reading


class TableReader(Protocol):
    """How the engine lends its tables to derivations."""

    def version(self, table: str) -> object:
        """Anything that changes whenever a row of `table` is added, edited or deleted (e.g. count and last update)."""
        ...

    def rows(self, table: str) -> list[Mapping[str, Any]]:
        """Every row of `table` as field name → stored value."""
        ...


class Deriver:
    """Computes the derived fields of one app."""

    def __init__(
        self, app: AppSpec, app_dir: Path | str, *, tables: TableReader | None = None, geocoder: Geocoder | None = None
    ) -> None:
        self.app = app
        self.app_dir = Path(app_dir)
        self.tables = tables
        self.geocoder = geocoder
        self._indexes: VersionedCache[AreaIndex] = VersionedCache()
        self._lookups: VersionedCache[dict[str, str]] = VersionedCache()

    def derive(self, table: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """`values` with every derived field of `table` computed, sources before the fields built on them."""
        spec = self.app.tables[table]
        result = dict(values)
        for name in derivation_order(spec):
            derive = spec.fields[name].derive
            assert derive is not None
            result[name] = self.derive_one(derive, name, result.get(derive.source))
        return result

    def derive_one(self, derive: DeriveSpec, field_name: str, source: Any) -> str | None:
        if derive.lookup is not None:
            return lookup_value(self.lookup_table(derive.lookup, derive.key or derive.source, derive.value or field_name), source)
        if derive.town_kana:
            city = self.app.geocoder.city if self.app.geocoder else None
            return town_reading(str(source), city) if source and city else None
        point = point_of(source)
        if point is None:
            return None
        if derive.area is not None:
            return self.area_index(derive.area).lookup(*point)
        return self.nearest_town(*point)

    def nearest_town(self, lon: float, lat: float) -> str | None:
        if self.geocoder is None:
            return None
        try:
            return self.geocoder.reverse(lon, lat)
        except GeocodeUnavailable:
            return None  # the row is saved without it rather than not at all

    def area_index(self, name: str) -> AreaIndex:
        """The index of an area set, built on first use and again whenever its file or table changes."""
        spec = self.app.areas[name]
        if spec.file is not None:
            path = self.app_dir / spec.file
            return self._indexes.get(name, file_version(path), lambda: load_area_file(path, spec.name_property))
        return self._indexes.get(name, self._table_version(spec.table), lambda: self._build_table_index(spec))

    def lookup_table(self, table: str, key: str, value: str) -> dict[str, str]:
        version = self._table_version(table)
        return self._lookups.get((table, key, value), version, lambda: build_lookup_table(self._rows(table), key, value))

    def _build_table_index(self, spec: AreaSpec) -> AreaIndex:
        table = spec.table or ""
        name_field, area_field = area_table_fields(spec, self.app.tables[table])
        areas = []
        for row in self._rows(table):
            geometry = polygonal_part(geometry_of(row.get(area_field)))
            if row.get(name_field) and geometry is not None:
                areas.append((str(row[name_field]), geometry))
        return AreaIndex(areas)

    def _table_version(self, table: str | None) -> object:
        return self._reader().version(table or "")

    def _rows(self, table: str) -> list[Mapping[str, Any]]:
        return self._reader().rows(table)

    def _reader(self) -> TableReader:
        if self.tables is None:
            raise LookupError("this app derives fields from tables; pass tables= to Deriver")
        return self.tables


def derivation_order(table: TableSpec) -> list[str]:
    """Derived fields with each one after the derived field it reads (町丁目 → 町会 → 校下); cycles are a spec error."""
    order: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        field = table.fields.get(name)
        if field is None or field.derive is None or name in order or name in path:
            return
        visit(field.derive.source, (*path, name))
        order.append(name)

    for name in table.fields:
        visit(name, ())
    return order


def area_table_fields(spec: AreaSpec, table: TableSpec) -> tuple[str, str]:
    """(name field, area field) of an area table, with the defaults the spec documents."""
    name_field = spec.name_field or title_field_of(table) or ""
    area_field = spec.area_field or next((n for n, f in table.fields.items() if f.type == "area"), "")
    return name_field, area_field
