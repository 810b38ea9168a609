"""The list page: search, filters, sort and pagination read from the query string, then one page of rows."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app, request, url_for
from flask_babel import gettext
from markupsafe import Markup

from ..forms import reference_options
from ..runtime import AppRuntime
from ..spec.fieldtypes import NOT_COMPARABLE
from ..spec.models import ListSpec, TableSpec, title_field_of
from ..storage import TableStore
from ..values import InvalidValue, parse_date, strip_controls
from .context import display_value

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
    public = [n for n, f in table.fields.items() if f.is_public and f.type not in ("textarea", "area", "location")]
    return public[:DEFAULT_COLUMNS]


def list_view_model(runtime: AppRuntime, list_name: str, spec: ListSpec, args: Mapping[str, str], lang: str) -> dict[str, Any]:
    table = runtime.spec.tables[spec.table]
    store = runtime.stores[spec.table]
    columns = list_columns(spec, table)
    query = strip_controls(args.get("q", "")).strip()[:200]
    clauses = [*store.conditions(spec.where), *filter_clauses(store, spec, args)]
    if query and spec.search:
        clauses.append(store.search_clause(spec.search, query))
    sort = chosen_sort(spec, table, args.get("sort", ""))
    db = current_app.extensions["lowcode"].db
    with db.engine.connect() as conn:
        page = store.page(conn, clauses=clauses, sort=sort, page=page_number(args), page_size=spec.page_size, columns=columns)
        titles = reference_titles(runtime, table, columns, page.rows, conn)
        controls = filter_controls(runtime, spec, table, args, lang, conn)
    detail_prefix = url_for(f"{runtime.name}.list_page", list_name=list_name) + "/" if spec.detail else None
    rows = [row_view(runtime, table, columns, row, lang, titles, detail_prefix) for row in page.rows]
    return {
        "list_spec": spec, "list_name": list_name, "table": table, "rows": rows, "page": page, "query": query,
        "headers": [runtime.text(table.fields[n].label, lang, n) for n in columns],
        "filters": controls, "sort": sort, "sort_options": sort_options(runtime, spec, table, lang),
        "page_url": lambda number: url_for(request.endpoint or "", **(request.view_args or {}), **{**args, "page": number}),
    }


def page_number(args: Mapping[str, str]) -> int:
    try:
        return max(1, min(int(args.get("page", "1")), MAX_PAGE))
    except ValueError:
        return 1


def chosen_sort(spec: ListSpec, table: TableSpec, wanted: str) -> str:
    allowed = {"created_at", "updated_at", *[n for n, f in table.fields.items() if f.is_public and f.type not in NOT_COMPARABLE]}
    return wanted if wanted.removeprefix("-") in allowed else spec.sort


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
    column = store.table.c[name]
    clauses = []
    for raw, make in ((start, lambda d: column >= d), (end, lambda d: column <= d)):
        try:
            if raw:
                clauses.append(make(parse_date(raw)))
        except InvalidValue:
            continue
    return clauses


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
        target = runtime.stores[field.to]
        title = title_field_of(target.spec)
        column = target.table.c[title] if title else target.table.c.ref
        result = conn.execute(sa.select(target.table.c.id, column).where(target.table.c.id.in_(ids)))
        titles[name] = {row[0]: str(row[1] or "") for row in result}
    return titles


def row_view(
    runtime: AppRuntime, table: TableSpec, columns: list[str], row: dict[str, Any], lang: str,
    titles: dict[str, dict[int, str]], detail_prefix: str | None,
) -> dict[str, Any]:
    cells: list[Markup] = [display_value(runtime, table, n, row.get(n), lang, titles) for n in columns]
    # The detail URL is the list URL plus the id: built once per page, not once per row through url_for.
    url = f"{detail_prefix}{row['id']}" if detail_prefix else None
    return {"id": row["id"], "cells": cells, "url": url}

