"""A map page's `filters:` (issue 11): a menu per field that narrows every table layer whose table has that field.

The chosen values travel in the page's own address (`/maps/hazards?school=3`), so the menus work without
JavaScript: the server adds each chosen value to the GeoJSON address of the layers it narrows, and to the print
link. As on list pages, a value that is not one of the menu's options is ignored (the whole map is shown) and the
page says so: a stale bookmark must not end in an error page.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..audience import PUBLIC
from ..fields import field_type
from ..records import query_options
from ..runtime import AppRuntime
from ..spec.maps import MapSpec, map_filter_table_names
from ..spec.models import FieldSpec, TableSpec
from ..spec.workflow import publicly_shown_choices
from .engine import database_engine


@dataclass(frozen=True)
class MapFilter:
    """One menu above the map: its field, label, options (value, label) and the value chosen ("" for all)."""

    name: str
    label: str
    options: list[tuple[str, str]]
    value: str


@dataclass(frozen=True)
class MapFiltering:
    """The map page's menus, the values that apply (field → value) and the labels of the menus whose value was ignored."""

    controls: list[MapFilter]
    chosen: dict[str, str]
    ignored: list[str]
    tables: dict[str, list[str]]  # each table the map draws → the filters it has (for the in-place reload script)

    def params_for(self, table: TableSpec) -> dict[str, str]:
        """The chosen values a layer of `table` is narrowed by: those of the fields the table has."""
        return {name: value for name, value in self.chosen.items() if name in table.fields}


def map_filtering(runtime: AppRuntime, spec: MapSpec, args: Mapping[str, str], lang: str) -> MapFiltering:
    controls: list[MapFilter] = []
    chosen: dict[str, str] = {}
    ignored: list[str] = []
    for name, table_name in filter_fields(runtime, spec):
        table = runtime.spec.tables[table_name]
        field = table.fields[name]
        options = filter_options(runtime, table_name, table, name, field, lang)
        wanted = args.get(name, "")
        label = runtime.text(field.label, lang, name)
        if wanted and wanted in dict(options):
            chosen[name] = wanted
        elif wanted:
            ignored.append(label)
        controls.append(MapFilter(name, label, options, chosen.get(name, "")))
    names = [control.name for control in controls]
    tables = {t: [n for n in names if n in runtime.spec.tables[t].fields] for t in map_filter_table_names(runtime.spec, spec)}
    return MapFiltering(controls, chosen, ignored, tables)


def filter_fields(runtime: AppRuntime, spec: MapSpec) -> list[tuple[str, str]]:
    """Each filter with the first table that has it as a field the public may see (validate refuses the rest)."""
    found = []
    for name in spec.filters:
        for table_name in map_filter_table_names(runtime.spec, spec):
            table = runtime.spec.tables[table_name]
            if name in table.fields and PUBLIC.can_see_field(table, name):
                found.append((name, table_name))
                break
    return found


def filter_options(runtime: AppRuntime, table_name: str, table: TableSpec, name: str, field: FieldSpec, lang: str) -> list[tuple[str, str]]:
    """The list filter's options: the rows the public sees for a reference, the public statuses, else the choices."""
    if field.type == "reference" and field.to:
        options = query_options(runtime, database_engine(), table_name, [name], PUBLIC).get(name, [])
        return options if isinstance(options, list) else []  # without `chosen`, always a list
    if table.workflow is not None and table.workflow.field == name:
        return [(choice.key, choice.text(lang)) for choice in publicly_shown_choices(table, name)]
    return list(field_type(field.type).filter_options(field, lang))
