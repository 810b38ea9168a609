"""The list page: search, filters, sort and pagination read from the query string, then one page of rows."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import current_app, request, url_for
from flask_babel import gettext

from ..audience import PUBLIC
from ..references import reference_options, titles_of_rows
from ..runtime import AppRuntime
from ..search import MAX_QUERY_LENGTH, MAX_WORDS, choose_search_words, word_terms
from ..spec.fieldtypes import NOT_COMPARABLE
from ..spec.models import ListSpec, TableSpec
from ..storage import TableStore
from ..values import InvalidValue, day_start, parse_date, strip_controls
from .cells import Cell, column_formatters, format_rows
from .urls import same_page_url

DEFAULT_COLUMNS = 4
MAX_PAGE = 10_000


@dataclass
class FilterControl:
    name: str
    label: str
    kind: str  # "select" or "date"
    options: list[tuple[str, str]]
    value: str
    value_to: str = ""


def list_columns(spec: ListSpec, table: TableSpec) -> list[str]:
    if spec.columns:
        return list(spec.columns)
    public = [n for n in PUBLIC.visible_fields(table) if table.fields[n].type not in ("textarea", "area", "location")]
    return public[:DEFAULT_COLUMNS]


def list_view_model(runtime: AppRuntime, list_name: str, spec: ListSpec, args: Mapping[str, str], lang: str) -> dict[str, Any]:
    table = runtime.spec.tables[spec.table]
    store = runtime.stores[spec.table]
    columns = list_columns(spec, table)
    query = strip_controls(args.get("q", "")).strip()[:MAX_QUERY_LENGTH]
    clauses = [*store.conditions(spec.where), *filter_clauses(store, spec, args)]
    searched, ignored_words = search_clauses(runtime, store, spec, query)
    clauses += searched
    sort = chosen_sort(spec, table, args.get("sort", ""), runtime.once(("sortable", spec.table), lambda: sortable(table)))
    db = current_app.extensions["lowcode"].db
    with db.engine.connect() as conn:
        page = store.page(conn, clauses=clauses, sort=sort, page=page_number(args), page_size=spec.page_size,
                          columns=columns, system=("id",))  # no reference numbers or timestamps on a public list
        titles = reference_titles(runtime, table, columns, page.rows, conn)
        controls = filter_controls(runtime, spec, table, args, lang, conn)
    detail_prefix = list_url(runtime, list_name) + "/" if spec.detail else None
    formatters = column_formatters(runtime, spec.table, columns, lang)
    headers = runtime.once(("list_headers", list_name, lang), lambda: [runtime.text(table.fields[n].label, lang, n) for n in columns])
    rows = row_views(page.rows, format_rows(formatters, columns, page.rows, titles), headers, detail_prefix)
    return {
        "list_spec": spec, "list_name": list_name, "table": table, "rows": rows, "page": page, "query": query,
        "headers": headers,
        "filters": controls, "sort": sort,
        "sort_options": runtime.once(("sort_options", list_name, lang), lambda: sort_options(runtime, spec, table, lang)),
        "page_url": lambda number: same_page_url(page=number),
        "ignored_words": ignored_words, "max_search_words": MAX_WORDS,
    }


def search_clauses(runtime: AppRuntime, store: TableStore, spec: ListSpec, query: str) -> tuple[list[Any], tuple[str, ...]]:
    """The search as SQL, at most MAX_WORDS words (the rest are returned, to tell the resident)."""
    if not query or not spec.search:
        return [], ()
    chosen = choose_search_words(query)
    city = runtime.spec.geocoder.city if runtime.spec.geocoder else None
    terms = [t for t in (word_terms(w, city) for w in chosen.used) if t is not None]
    return [store.search_clause(spec.search, terms)], chosen.ignored


def page_number(args: Mapping[str, str]) -> int:
    try:
        return max(1, min(int(args.get("page", "1")), MAX_PAGE))
    except ValueError:
        return 1


def chosen_sort(spec: ListSpec, table: TableSpec, wanted: str, allowed: frozenset[str] | None = None) -> str:
    """`?sort=` when the public may sort by it, else the list's own order; `allowed` is sortable(table), if known."""
    return wanted if wanted.removeprefix("-") in (allowed or sortable(table)) else spec.sort


def sortable(table: TableSpec) -> frozenset[str]:
    """What the public may sort a table by: the timestamps and the public fields that compare by value."""
    return frozenset({"created_at", "updated_at",
                      *[n for n in PUBLIC.visible_fields(table) if table.fields[n].type not in NOT_COMPARABLE]})


def sort_options(runtime: AppRuntime, spec: ListSpec, table: TableSpec, lang: str) -> list[tuple[str, str]]:
    options = [("-created_at", gettext("Newest first")), ("created_at", gettext("Oldest first"))]
    for name in list_columns(spec, table):
        if table.fields[name].type not in NOT_COMPARABLE:
            options.append((name, runtime.text(table.fields[name].label, lang, name)))
    if spec.sort not in dict(options):
        options.insert(0, (spec.sort, gettext("Default order")))
    return options


def filter_clauses(store: TableStore, spec: ListSpec, args: Mapping[str, str]) -> list[Any]:
    """Filters the list allows, read from `?field=value`; a value that cannot apply is ignored, never an error."""
    clauses = []
    for name in spec.filters:
        field = store.spec.fields[name]
        if field.type in ("date", "datetime"):
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


def filter_controls(
    runtime: AppRuntime, spec: ListSpec, table: TableSpec, args: Mapping[str, str], lang: str, conn: sa.Connection
) -> list[FilterControl]:
    controls = []
    for name in spec.filters:
        field = table.fields[name]
        label = runtime.text(field.label, lang, name)
        if field.type in ("date", "datetime"):
            controls.append(FilterControl(name, label, "date", [], args.get(f"{name}_from", ""), args.get(f"{name}_to", "")))
            continue
        if field.type == "boolean":
            options = [("true", gettext("Yes")), ("false", gettext("No"))]
        elif field.type == "reference" and field.to:
            options = reference_options(runtime, field.to, conn)
        else:
            options = [(c.key, c.text(lang)) for c in field.choices or ()]
        controls.append(FilterControl(name, label, "select", options, args.get(name, "")))
    return controls


def reference_titles(
    runtime: AppRuntime, table: TableSpec, names: Sequence[str], rows: Sequence[dict[str, Any]], conn: sa.Connection
) -> dict[str, dict[int, str]]:
    """Titles of referenced rows, one query per reference column (not one per row)."""
    titles: dict[str, dict[int, str]] = {}
    for name in names:
        field = table.fields[name]
        if field.type != "reference" or not field.to:
            continue
        ids = {row.get(name) for row in rows} - {None}
        if not ids:
            continue
        titles[name] = titles_of_rows(runtime, field.to, ids, conn)
    return titles


class RowView(NamedTuple):
    """One row of the list as the template reads it. Attributes, not a dict: Jinja tries `row.url` as an attribute
    first, and on a dict each of the 150 lookups of a page raised and caught an AttributeError."""

    id: int
    cells: list[Cell]  # Markup, or text the template escapes
    url: str | None
    labelled_cells: list[tuple[str, Cell]]  # the cells after the first, each with its column's label (cards on phones)


def row_views(rows: list[dict[str, Any]], cells: list[list[Cell]], headers: list[str], detail_prefix: str | None) -> list[RowView]:
    """The page's rows for the template, built column by column. A detail URL is the list URL plus the id (no
    url_for per row); each cell after the first is paired with its column's label."""
    ids = [row["id"] for row in rows]
    urls = [f"{detail_prefix}{i}" for i in ids] if detail_prefix else [None] * len(ids)
    columns = list(zip(*cells))
    labelled = [list(zip(repeat(label), column)) for label, column in zip(headers[1:], columns[1:])]
    per_row = [list(pairs) for pairs in zip(*labelled)] if labelled else [[] for _ in ids]
    return list(map(RowView, ids, cells, urls, per_row))


def list_url(runtime: AppRuntime, list_name: str) -> str:
    """The list's address, worked out once per list (and mount point), not on every page."""
    return runtime.once(("list_url", list_name, request.script_root),
                        lambda: url_for(f"{runtime.name}.list_page", list_name=list_name))

