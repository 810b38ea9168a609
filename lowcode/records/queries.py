"""Reading app rows as an audience may see them: a list's page (search, filters, sort), one row with the titles of
the rows it refers to, the points of a map layer, a table's version.

The SQL is built here, not in the views: a view turns the request into arguments, calls one of these, and formats
what comes back (lowcode/views/cells.py). The list page is the busiest page of a city's service, so what depends
only on the spec is worked out once per worker (`AppRuntime.once`, `TableStore.page_query`).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..audience import PUBLIC, Audience, Point, grid_snapper, widen_bounds
from ..collector import collector_paused
from ..maps.geojson import bbox_contains
from ..references import (
    reference_is_visible,
    reference_options,
    titles_of_rows,
    visible_rows_clause,
    visible_rows_clauses,
)
from ..runtime import AppRuntime
from ..search import MAX_QUERY_LENGTH, choose_search_words, word_terms
from ..spec.fieldtypes import is_sortable
from ..spec.models import Condition, ListSpec, TableSpec
from ..storage import Page, TableStore
from ..values import InvalidValue, day_start, parse_date, parse_row_id, strip_controls
from .typed_references import ReferenceChoices, reference_choices

DEFAULT_COLUMNS = 4
MAX_PAGE = 10_000
Bounds = tuple[float, float, float, float]
Titles = dict[str, dict[int, str]]  # reference field → row id → the title the audience may see


@dataclass(frozen=True)
class PageRequest:
    """What a reader asks of a list: a search, filters by their query-string names, a sort, a page number."""

    search: str = ""
    filters: Mapping[str, str] = field(default_factory=dict)
    sort: str = ""
    page: int = 1


@dataclass
class ListPage:
    """One page of a list for an audience, with what its cells and filter menus need from the database."""

    page: Page
    columns: list[str]
    sort: str
    titles: Titles  # titles of the rows the page's reference cells name
    filter_options: dict[str, list[tuple[str, str]]]  # a reference filter's options (id, title)
    ignored_words: tuple[str, ...]  # search words beyond the limit, to tell the reader


def page_request(args: Mapping[str, str]) -> PageRequest:
    """A list's query string (`?q=…&sort=…&page=…&<field>=…`) as a PageRequest; nothing in it is ever an error."""
    search = strip_controls(args.get("q", "")).strip()[:MAX_QUERY_LENGTH]
    return PageRequest(search, args, args.get("sort", ""), page_number(args))


def page_number(args: Mapping[str, str]) -> int:
    try:
        return max(1, min(int(args.get("page", "1")), MAX_PAGE))
    except ValueError:
        return 1


def query_page(
    runtime: AppRuntime, engine: sa.Engine, spec: ListSpec, wanted: PageRequest, audience: Audience = PUBLIC,
    system: Sequence[str] = ("id",), clauses: Sequence[Any] = (),
) -> ListPage:
    """The page of `spec`'s rows `wanted` asks for: its `where:`, the filters and search it allows, a sort the
    audience may use; only the list's columns and the `system` columns are read (a public list: the row id only;
    the staff queue adds the reference number and the time it was sent). `clauses`: more SQL conditions a
    records-layer caller built (the staff queue's assignee and area filters)."""
    table = runtime.spec.tables[spec.table]
    store = runtime.stores[spec.table]
    columns = list_columns(spec, table, audience)
    clauses = [*store.conditions(spec.where), *visible_rows_clauses(runtime, spec.table, audience),
               *filter_clauses(store, spec, wanted.filters, audience), *clauses]  # the audience's rule: a workflow's public statuses
    searched, ignored = search_clauses(runtime, store, spec, wanted.search, audience)
    allowed = runtime.once(("sortable", spec.table, audience.name), lambda: sortable(table, audience))
    sort = chosen_sort(spec, table, wanted.sort, allowed)
    with engine.connect() as conn:
        page = store.page(conn, clauses=clauses + searched, sort=sort, page=wanted.page, page_size=spec.page_size,
                          columns=columns, system=system)
        titles = reference_titles(runtime, table, columns, page.rows, conn, audience)
        options = filter_options(runtime, spec, table, conn, audience)
    return ListPage(page, columns, sort, titles, options, ignored)


def list_columns(spec: ListSpec, table: TableSpec, audience: Audience = PUBLIC) -> list[str]:
    """The list's `columns:`, else the first few fields the audience sees that fit in a cell."""
    if spec.columns:
        return audience.only_visible(table, spec.columns)  # validate refuses others; the engine never shows them
    seen = [n for n in audience.visible_fields(table) if table.fields[n].type not in ("textarea", "area", "location")]
    return seen[:DEFAULT_COLUMNS]


def search_clauses(
    runtime: AppRuntime, store: TableStore, spec: ListSpec, query: str, audience: Audience = PUBLIC,
) -> tuple[list[Any], tuple[str, ...]]:
    """The search as SQL, at most MAX_WORDS words (the rest are returned, to tell the reader)."""
    if not query or not spec.search:
        return [], ()
    chosen = choose_search_words(query)
    city = runtime.spec.geocoder.city if runtime.spec.geocoder else None
    terms = [t for t in (word_terms(w, city) for w in chosen.used) if t is not None]
    fields, readings = runtime.once(("search_fields", store.name, tuple(spec.search), audience.name),
                                    lambda: searchable(store, spec.search, audience))
    return [store.search_clause(fields, terms, readings)], chosen.ignored


def searchable(store: TableStore, names: Sequence[str], audience: Audience = PUBLIC) -> tuple[list[str], dict[str, str]]:
    """The search fields, and their readings (kana), the audience may see: a search must not find a row by a
    value it may not see (a private reading of a public name included)."""
    fields = audience.only_visible(store.spec, names)
    readings = {f: r for f, r in store.readings.items() if f in fields and audience.can_see_field(store.spec, r)}
    return fields, readings


def chosen_sort(spec: ListSpec, table: TableSpec, wanted: str, allowed: frozenset[str] | None = None) -> str:
    """`?sort=` when the reader may sort by it, else the list's own order; `allowed` is sortable(table), if known."""
    return wanted if wanted.removeprefix("-") in (allowed or sortable(table)) else spec.sort


def sortable(table: TableSpec, audience: Audience = PUBLIC) -> frozenset[str]:
    """What the audience may sort a table by: the timestamps and the fields it sees that compare by value."""
    return frozenset({"created_at", "updated_at",
                      *[n for n in audience.visible_fields(table) if is_sortable(table.fields[n].type)]})


def filter_clauses(store: TableStore, spec: ListSpec, args: Mapping[str, str], audience: Audience = PUBLIC) -> list[Any]:
    """Filters the list allows, read from `?field=value`; a value that cannot apply is ignored, never an error."""
    clauses = []
    for name in audience.only_visible(store.spec, spec.filters):  # validate refuses others; never filter by them
        field_spec = store.spec.fields[name]
        if field_spec.type in ("date", "datetime"):
            clauses += date_range_clauses(store, name, args.get(f"{name}_from", ""), args.get(f"{name}_to", ""))
        elif args.get(name):
            try:
                clauses.append(store.equals_any(name, [args[name]]))
            except InvalidValue:
                continue
    return clauses


def date_range_clauses(store: TableStore, name: str, start: str, end: str) -> list[Any]:
    """From the first day to the last, both included, as days in the city (a datetime is stored in UTC)."""
    column = store.table.c[name]
    first, last = optional_date(start), optional_date(end)
    clauses = []
    if store.spec.fields[name].type == "datetime":
        if first is not None:
            clauses.append(column >= day_start(first))
        if last is not None:
            clauses.append(column < day_start(last + dt.timedelta(days=1)))
        return clauses
    if first is not None:
        clauses.append(column >= first)
    if last is not None:
        clauses.append(column <= last)
    return clauses


def optional_date(raw: str) -> dt.date | None:
    """A filter's day, or None when empty or unreadable (ignored, never an error)."""
    try:
        return parse_date(raw) if raw else None
    except InvalidValue:
        return None


def filter_options(
    runtime: AppRuntime, spec: ListSpec, table: TableSpec, conn: sa.Connection, audience: Audience = PUBLIC,
) -> dict[str, list[tuple[str, str]]]:
    """The options of the list's reference filters: the rows the audience may see, by title."""
    options = {}
    for name in audience.only_visible(table, spec.filters):
        target = table.fields[name].to
        if table.fields[name].type == "reference" and target:
            options[name] = reference_options(runtime, target, conn, audience)
    return options


def reference_titles(
    runtime: AppRuntime, table: TableSpec, names: Sequence[str], rows: Sequence[Mapping[str, Any]], conn: sa.Connection,
    audience: Audience = PUBLIC,
) -> Titles:
    """Titles of referenced rows, one query per reference column (not one per row)."""
    titles: Titles = {}
    for name in names:
        field_spec = table.fields[name]
        if field_spec.type != "reference" or not field_spec.to:
            continue
        ids = {row.get(name) for row in rows} - {None}
        if ids:
            titles[name] = titles_of_rows(runtime, field_spec.to, ids, conn, audience)
    return titles


def query_row(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, row_id: int, names: Sequence[str], *,
    where: Condition | None = None, audience: Audience = PUBLIC,
) -> tuple[dict[str, Any], Titles] | None:
    """One row matching `where:` (a list's detail page) that the audience may see, with the titles of the rows
    its `names` refer to."""
    store = runtime.stores[table_name]
    with engine.connect() as conn:
        row = store.get(conn, row_id, where, visible_rows_clauses(runtime, table_name, audience))
        if row is None:
            return None
        return row, reference_titles(runtime, store.spec, names, [row], conn, audience)


def query_titles(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, names: Sequence[str], rows: Sequence[Mapping[str, Any]],
    audience: Audience = PUBLIC,
) -> Titles:
    """The titles of the rows that values not yet stored refer to (the confirmation page)."""
    with engine.connect() as conn:
        return reference_titles(runtime, runtime.spec.tables[table_name], names, rows, conn, audience)


def hidden_references(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, values: Mapping[str, Any], audience: Audience = PUBLIC,
) -> set[str]:
    """The reference fields among `values` whose row the audience may not see (nor therefore choose)."""
    fields = runtime.spec.tables[table_name].fields
    with engine.connect() as conn:
        return {name for name, value in values.items()
                if not reference_is_visible(runtime, str(fields[name].to), value, conn, audience)}


def unseen_filter_rows(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, args: Mapping[str, Sequence[str]], audience: Audience = PUBLIC,
) -> dict[str, set[str]]:
    """The values of a request's reference filters (`?school=3`, a field the audience sees) that name no row the
    audience may see, by field: a hidden row (a closed school) then filters as an id that does not exist (see
    maps.geojson.field_filters). Values that are no row id are left to the request's own checks."""
    table = runtime.spec.tables[table_name]
    wanted = {name: filter_row_ids(values) for name, values in args.items()
              if name in table.fields and table.fields[name].type == "reference" and table.fields[name].to
              and audience.can_see_field(table, name)}
    if not any(wanted.values()):
        return {}
    unseen = {}
    with engine.connect() as conn:
        for name, ids in wanted.items():
            seen = titles_of_rows(runtime, str(table.fields[name].to), ids.values(), conn, audience) if ids else {}
            unseen[name] = {raw for raw, row_id in ids.items() if row_id not in seen}
    return unseen


def filter_row_ids(values: Sequence[str]) -> dict[str, int]:
    """Each filter value that is a row id → the id."""
    ids = {}
    for raw in values:
        try:
            ids[raw] = parse_row_id(raw)
        except InvalidValue:
            continue
    return ids


def query_points(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, location: str, fields: Sequence[str] = (), *,
    conditions: Sequence[Condition] = (), bbox: Bounds | None = None, audience: Audience = PUBLIC, limit: int | None = None,
) -> list[dict[str, Any]]:
    """The rows with a point in `location` (inside `bbox`, matching every condition) that the audience may see, with
    `fields`, in id order (the first `limit` of them); points are as the audience may see them (the public's on a
    grid, see audience.py)."""
    store = runtime.stores[table_name]
    names = list(dict.fromkeys([location, *fields]))
    lon, lat = (store.table.c[c] for c in store.kinds[location].column_names(location))  # the location's columns
    clauses = point_clauses(runtime, store, table_name, location, conditions, audience)
    grids = location_grids(runtime, store.spec, names, audience)
    if bbox is not None:
        west, south, east, north = widen_bounds(bbox, grids.get(location))
        clauses += [lon >= west, lon <= east, lat >= south, lat <= north]
    select = sa.select(*store.select_columns(names)).where(*clauses).order_by(store.table.c.id).limit(limit)
    with collector_paused():  # tens of thousands of new records, all kept: see lowcode/collector.py
        with engine.connect() as conn:
            records = store.to_records(conn.execute(select), names)
        if not grids:
            return records
        snappers = {name: grid_snapper(metres) for name, metres in grids.items()}
        records = [snap_locations(record, snappers) for record in records]
        # The box is applied to the published points too: shrinking it around a point reveals only its grid cell.
        return [r for r in records if bbox is None or bbox_contains(bbox, *r[location])]


def point_clauses(
    runtime: AppRuntime, store: TableStore, table_name: str, location: str, conditions: Sequence[Condition], audience: Audience,
) -> list[Any]:
    """The rows of a map layer: with a point, visible to the audience, matching every condition."""
    lon, lat = (store.table.c[c] for c in store.kinds[location].column_names(location))
    clauses: list[Any] = [lon.is_not(None), lat.is_not(None), visible_rows_clause(runtime, table_name, audience)]
    for condition in conditions:
        clauses += store.conditions(condition)
    return clauses


@dataclass(frozen=True)
class PointsSummary:
    """How many points a map layer has and when the newest of them last changed (None: no points)."""

    count: int
    last_change: dt.datetime | None


def query_points_summary(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, location: str, *,
    conditions: Sequence[Condition] = (), audience: Audience = PUBLIC,
) -> PointsSummary:
    """One SQL aggregate over the same rows as `query_points` (a printed map's count and "data as of" date)."""
    store = runtime.stores[table_name]
    clauses = point_clauses(runtime, store, table_name, location, conditions, audience)
    select = sa.select(sa.func.count(), sa.func.max(store.table.c.updated_at)).where(*clauses)
    with engine.connect() as conn:
        count, last_change = conn.execute(select).one()
    return PointsSummary(int(count), last_change)


def location_grids(runtime: AppRuntime, table: TableSpec, names: Sequence[str], audience: Audience) -> dict[str, float]:
    """Location field → the grid (metres) the audience sees it on, for the fields not published as stored."""
    grids = {}
    for name in names:
        metres = audience.location_precision_m(runtime.spec, table, name) if table.fields[name].type == "location" else None
        if metres is not None:
            grids[name] = metres
    return grids


def snap_locations(record: dict[str, Any], snappers: Mapping[str, Callable[[Point], Point]]) -> dict[str, Any]:
    for name, snap in snappers.items():
        point = record.get(name)
        if point is not None:
            record[name] = snap(point)
    return record


def table_version(runtime: AppRuntime, engine: sa.Engine, table_name: str) -> tuple[Any, ...]:
    """Changes whenever the engine writes a row of the table: caches of its answers are keyed on it."""
    with engine.connect() as conn:
        return runtime.stores[table_name].version(conn)


def query_options(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, names: Sequence[str], audience: Audience = PUBLIC,
    chosen: Mapping[str, Any] | None = None,
) -> dict[str, ReferenceChoices]:
    """The options (id, title) of the reference fields among `names`: the rows the audience may choose. A scoped
    role's scope field (a 町会's account: `chokai`) offers its own row only: any other would be stored as its own.
    A form passes `chosen` (its current values): a table with more visible rows than a menu holds is then a
    `TypedReference` (lowcode/records/typed_references.py); without it, every answer is a list of options."""
    table = runtime.spec.tables[table_name]
    fields = table.fields
    wanted = [n for n in names if fields[n].type == "reference" and fields[n].to]
    if not wanted:
        return {}
    scope = audience.access(table).scope or {}
    with engine.connect() as conn:
        return {name: own_row_option(runtime, fields[name].to or "", scope[name], conn, audience) if name in scope
                else reference_choices(runtime, table_name, name, conn, audience, chosen) for name in wanted}


def own_row_option(
    runtime: AppRuntime, table_name: str, account_value: Any, conn: sa.Connection, audience: Audience,
) -> list[tuple[str, str]]:
    """The one option of a scope field: the account's own row, titled as the audience sees it (none if it may not)."""
    try:
        row_id = parse_row_id(str(account_value))
    except InvalidValue:
        return []
    return [(str(found), title) for found, title in titles_of_rows(runtime, table_name, [row_id], conn, audience).items()]
