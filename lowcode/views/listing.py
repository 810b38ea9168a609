"""The list page: the query string read into a PageRequest, one page of rows from the records layer, formatted."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import Any, NamedTuple

from flask import request, url_for
from flask_babel import gettext

from ..audience import PUBLIC
from ..fields import field_type
from ..records import page_request, query_page
from ..records.queries import list_columns
from ..runtime import AppRuntime
from ..search import MAX_WORDS
from ..spec.fieldtypes import is_sortable
from ..spec.models import ListSpec, TableSpec
from ..spec.workflow import publicly_shown_choices
from .cells import Cell, column_formatters, format_rows
from .engine import database_engine
from .row_links import row_link
from .urls import same_page_url


@dataclass
class FilterControl:
    name: str
    label: str
    kind: str  # "select" or "date"
    options: list[tuple[str, str]]
    value: str
    value_to: str = ""


def list_view_model(runtime: AppRuntime, list_name: str, spec: ListSpec, args: Mapping[str, str], lang: str) -> dict[str, Any]:
    table = runtime.spec.tables[spec.table]
    wanted = page_request(args)
    found = query_page(runtime, database_engine(), spec, wanted, PUBLIC)
    columns, page = found.columns, found.page
    controls = filter_controls(runtime, spec, table, args, lang, found.filter_options)
    detail_prefix = list_url(runtime, list_name) + "/" if spec.detail else None
    formatters = column_formatters(runtime, spec.table, columns, lang)
    headers = runtime.once(("list_headers", list_name, lang), lambda: [runtime.text(table.fields[n].label, lang, n) for n in columns])
    rows = row_views(page.rows, format_rows(formatters, columns, page.rows, found.titles), headers, detail_prefix)
    link = row_link(runtime, spec, lang)  # `link:` — to a form, filled from the row
    if link is not None:
        rows = [view._replace(link=link.url(row, found.titles)) for view, row in zip(rows, page.rows)]
    return {
        "list_spec": spec, "list_name": list_name, "table": table, "rows": rows, "page": page, "query": wanted.search,
        "headers": headers, "row_link_label": link.label if link is not None else None,
        "filters": controls, "sort": found.sort,
        "sort_options": runtime.once(("sort_options", list_name, lang), lambda: sort_options(runtime, spec, table, lang)),
        "page_url": lambda number: same_page_url(page=number),
        "ignored_words": found.ignored_words, "max_search_words": MAX_WORDS,
    }


def sort_options(runtime: AppRuntime, spec: ListSpec, table: TableSpec, lang: str) -> list[tuple[str, str]]:
    options = [("-created_at", gettext("Newest first")), ("created_at", gettext("Oldest first"))]
    for name in list_columns(spec, table):
        if is_sortable(table.fields[name].type):
            options.append((name, runtime.text(table.fields[name].label, lang, name)))
    if spec.sort not in dict(options):
        options.insert(0, (spec.sort, gettext("Default order")))
    return options


def filter_controls(
    runtime: AppRuntime, spec: ListSpec, table: TableSpec, args: Mapping[str, str], lang: str,
    reference_choices: Mapping[str, list[tuple[str, str]]],
) -> list[FilterControl]:
    """The filter menus; a reference filter's options (the rows the reader may see) come from the records layer."""
    controls = []
    for name in PUBLIC.only_visible(table, spec.filters):
        field = table.fields[name]
        label = runtime.text(field.label, lang, name)
        if field.type in ("date", "datetime"):
            controls.append(FilterControl(name, label, "date", [], args.get(f"{name}_from", ""), args.get(f"{name}_to", "")))
            continue
        if field.type == "reference" and field.to:
            options = list(reference_choices.get(name, []))
        elif table.workflow is not None and table.workflow.field == name:  # only the statuses the public may see
            options = [(choice.key, choice.text(lang)) for choice in publicly_shown_choices(table, name)]
        else:
            options = field_type(field.type).filter_options(field, lang)
        controls.append(FilterControl(name, label, "select", options, args.get(name, "")))
    return controls


class RowView(NamedTuple):
    """One row of the list as the template reads it. Attributes, not a dict: Jinja tries `row.url` as an attribute
    first, and on a dict each of the 150 lookups of a page raised and caught an AttributeError."""

    id: int
    cells: list[Cell]  # Markup, or text the template escapes
    url: str | None
    labelled_cells: list[tuple[str, Cell]]  # the cells after the first, each with its column's label (cards on phones)
    link: str | None = None  # the list's `link:` to a form, filled from this row


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

