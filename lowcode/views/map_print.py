"""`/<app>/maps/<map>/print`: a map page laid out for paper, with numbered points and their list.

The points are the ones the public map shows, read the same way as the GeoJSON API reads them (the layer's
`where:`, the public's rows and fields, locations on their public grid), so paper never shows more than the screen.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from markupsafe import Markup

from ..audience import PUBLIC
from ..constraints import is_empty
from ..i18n import format_stored_datetime
from ..maps.geojson import RESERVED_PARAMS, QueryError, layer_popup_fields
from ..maps.layers import engine_of_layer
from ..maps.printing import (
    MAX_POINTS,
    ORIENTATIONS,
    PAPERS,
    Marker,
    PrintOptions,
    in_reading_order,
    is_numbered,
    legend_of,
    marker_color,
    print_options,
    render_print_map,
    tile_attribution,
)
from ..maps.render import MapUrls, color_by_entry, layer_name
from ..records import query_points, query_points_summary, query_titles
from ..records.related import query_related
from ..runtime import AppRuntime
from ..security import with_nonce
from ..spec.maps import PrintRelatedSpec
from ..spec.models import FieldSpec, field_label
from ..spec.titles import title_field_of
from ..storage import utcnow
from ..templating import app_template
from ..values import parse_field_text
from .cells import Cell, column_formatters, format_rows
from .context import current_lang, page_context
from .engine import database_engine
from .maps_pages import geojson_url, map_urls, public_feature_query

# What the print form itself sends (and `lang`, which every address takes); any other parameter narrows the points.
PRINT_PARAMS = frozenset({"paper", "orientation", "chosen", "layers", "lang"})


@dataclass
class PrintedRow:
    number: int
    cells: list[Cell]
    # `print_related:` rows under this point, each as (heading, cell) pairs of its non-empty columns.
    related: list[list[tuple[str, Cell]]] = field(default_factory=list)


@dataclass
class PrintedLayer:
    """A numbered layer's list: its name, column headings, rows, and how many of its points did not fit."""

    name: str
    headings: list[str]
    rows: list[PrintedRow] = field(default_factory=list)
    left_out: int = 0
    related_name: str = ""  # the heading of the rows printed under each point (`print_related:`), if any
    related_left_out: int = 0


@dataclass
class PrintedPoints:
    layers: list[PrintedLayer] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    last_change: dt.datetime | None = None

    @property
    def left_out(self) -> int:
        return sum(layer.left_out for layer in self.layers)


def add_map_print_route(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/maps/<map_name>/print")
    def map_print(map_name: str) -> ResponseReturnValue:
        spec = runtime.spec.maps.get(map_name)
        if spec is None:
            abort(404)
        lang = current_lang()
        args = request.args.to_dict(flat=False)
        options = print_options(spec, args)
        narrowing = narrowing_args(args)
        try:
            points = printed_points(runtime, map_name, options, lang, narrowing)
        except QueryError:  # `?school=abc`: say so, rather than print a sheet that looks complete
            return narrowing_refused(runtime, map_name)
        html = render_print_map(runtime.spec, map_name, options, points.markers, app_dir=runtime.folder, lang=lang,
                                urls=print_urls(runtime, narrowing), words=gettext)
        context = page_context(
            runtime, map_spec=spec, map_name=map_name, options=options, points=points,
            sheet=options.sheet, papers=list(PAPERS), orientations=ORIENTATIONS, max_points=MAX_POINTS,
            layer_choices=layer_choices(runtime, map_name, lang), legend=legend_of(runtime.spec, spec, options.layers, lang),
            tile_attribution=Markup(tile_attribution(runtime.spec, spec, lang) or ""),
            layer_attributions=[runtime.text(spec.layers[i].attribution, lang) for i in options.layers if spec.layers[i].attribution],
            data_date=format_stored_datetime(points.last_change, lang) if points.last_change else None,
            printed_date=format_stored_datetime(utcnow(), lang),
            map_url=url_for(f"{runtime.name}.map_page", map_name=map_name),
            narrowing=sorted((name, value) for name, values in narrowing.items() for value in values),
            narrowed_to=narrowing_labels(runtime, map_name, narrowing, lang),
            map_head=with_nonce(html.head), map_body=with_nonce(html.body), map_script=Markup(html.script),
        )
        return render_template(app_template(runtime.name, "map_print.html"), **context)


def print_urls(runtime: AppRuntime, narrowing: Mapping[str, Sequence[str]]) -> MapUrls:
    """The map's addresses, with the sheet's narrowing added to each table layer it drew unnumbered (a heat map of
    one school's reports on that school's sheet), as the numbered points are narrowed."""
    urls = map_urls(runtime)

    def narrowed(table: str, params: Mapping[str, str]) -> str:
        own = {name: list(values) for name, values in narrowing.items() if name in runtime.spec.tables[table].fields}
        return geojson_url(runtime, table, {**params, **own})

    return replace(urls, geojson=narrowed)


def layer_choices(runtime: AppRuntime, map_name: str, lang: str) -> list[tuple[int, str]]:
    """Each layer's index and name, for the form's tick boxes."""
    app = runtime.spec
    return [(i, layer_name(app, layer, lang, engine_of_layer(layer))) for i, layer in enumerate(app.maps[map_name].layers)]


def narrowing_args(args: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """The address's field filters (`?school=3`, `?theme=traffic`): every parameter the print form does not send.

    They narrow each numbered layer whose table has that field, exactly as the same parameters narrow the GeoJSON
    API, so a school prints its own sheet from one address; layers of other tables (the schools themselves) are
    printed whole.
    """
    return {name: list(values) for name, values in args.items() if name not in PRINT_PARAMS}


def narrowing_refused(runtime: AppRuntime, map_name: str) -> ResponseReturnValue:
    """The app's error page (400) naming the way back: the whole map's sheet."""
    message = gettext("This map cannot be narrowed that way: the address names a field its points do not have, or a "
                      "value that field cannot hold. Open the print view from the map and choose again.")
    context = page_context(runtime, code=400, message=message)
    return render_template(app_template(runtime.name, "error.html"), **context), 400


def narrowing_labels(runtime: AppRuntime, map_name: str, narrowing: Mapping[str, Sequence[str]], lang: str) -> list[str]:
    """`関係する小学校: 犀桜小学校` per narrowing value, as the printed list writes it (a school's name, a choice's label)."""
    labels: list[str] = []
    tables = [str(layer.table) for layer in runtime.spec.maps[map_name].layers if is_numbered(layer)]
    for name, values in narrowing.items():
        table_name = next(t for t in tables if name in runtime.spec.tables[t].fields)  # printed_points checked it
        rows = [{name: parse_field_text(runtime.spec.tables[table_name].fields[name].type, value)} for value in values]
        titles = query_titles(runtime, database_engine(), table_name, [name], rows, PUBLIC)
        cells = format_rows(column_formatters(runtime, table_name, [name], lang), [name], rows, titles)
        label = field_label(name, runtime.spec.tables[table_name].fields[name], lang)
        labels += [gettext("%(field)s: %(value)s", field=label, value=str(row_cells[0])) for row_cells in cells]
    return labels


def printed_points(
    runtime: AppRuntime, map_name: str, options: PrintOptions, lang: str,
    narrowing: Mapping[str, Sequence[str]] | None = None,
) -> PrintedPoints:
    """The numbered layers' points, numbered 1..N across layers in the order they are printed, at most MAX_POINTS.

    Raises QueryError when `narrowing` names a field no numbered layer's table has, or a value its field cannot hold.
    """
    points = PrintedPoints()
    narrowing = dict(narrowing or {})
    layers = runtime.spec.maps[map_name].layers
    fields_of = {i: runtime.spec.tables[str(layer.table)].fields for i, layer in enumerate(layers) if is_numbered(layer)}
    if any(name in RESERVED_PARAMS or all(name not in fields for fields in fields_of.values()) for name in narrowing):
        raise QueryError("unknown_field", "The address names a field that no layer of this map has.")
    for index in options.layers:
        if index in fields_of:
            own = {name: list(values) for name, values in narrowing.items() if name in fields_of[index]}
            require_choice_keys(fields_of[index], own)
            add_layer_points(runtime, map_name, index, lang, points, own)
    return points


def require_choice_keys(fields: Mapping[str, FieldSpec], narrowing: Mapping[str, Sequence[str]]) -> None:
    """`?theme=nonsense` is a mistake in the address, not a theme without points: refuse it rather than print none."""
    for name, values in narrowing.items():
        choices = fields[name].choices
        if choices and any(fields[name].choice(value) is None for value in values):
            raise QueryError("bad_filter_value", "A filter value is not a possible value of its field.")


def add_layer_points(
    runtime: AppRuntime, map_name: str, index: int, lang: str, points: PrintedPoints,
    narrowing: Mapping[str, list[str]] | None = None,
) -> None:
    app = runtime.spec
    layer = app.maps[map_name].layers[index]
    table_name = str(layer.table)
    table = app.tables[table_name]
    try:  # the GeoJSON API's own reading of the layer: the same rows, fields and grid as the public map
        query = public_feature_query(runtime, table_name, {"map": [map_name], "layer": [str(index)], **(narrowing or {})})
    except QueryError:
        if narrowing:
            raise  # a bad filter value, or a field the public does not see
        return  # the map page cannot draw this layer either
    columns = layer_popup_fields(layer, table, PUBLIC)
    printed = PrintedLayer(layer_name(app, layer, lang, engine_of_layer(layer)),
                           [field_label(name, table.fields[name], lang) for name in columns])
    points.layers.append(printed)
    engine = database_engine()
    summary = query_points_summary(runtime, engine, table_name, query.location, conditions=query.conditions, audience=PUBLIC)
    if summary.last_change is not None and (points.last_change is None or summary.last_change > points.last_change):
        points.last_change = summary.last_change
    room = MAX_POINTS - len(points.markers)
    rows = query_points(runtime, engine, table_name, query.location, [*query.properties, *columns],
                        conditions=query.conditions, audience=PUBLIC, limit=room) if room > 0 else []
    printed.left_out = max(summary.count - len(rows), 0)
    rows = in_reading_order(rows, query.location)
    titles = query_titles(runtime, engine, table_name, columns, rows, PUBLIC)
    cells = format_rows(column_formatters(runtime, table_name, columns, lang), columns, rows, titles)
    color_by = layer.color_by if layer.color_by and color_by_entry(table, layer.color_by, lang) else None
    for row, row_cells in zip(rows, cells):
        number = len(points.markers) + 1
        lon, lat = row[query.location]
        points.markers.append(Marker(number, lon, lat, marker_color(layer, table, row, color_by)))
        printed.rows.append(PrintedRow(number, row_cells))
    if layer.print_related is not None:
        add_related_rows(runtime, layer.print_related, printed, [int(row["id"]) for row in rows], lang)


def add_related_rows(runtime: AppRuntime, spec: PrintRelatedSpec, printed: PrintedLayer, ids: list[int], lang: str) -> None:
    """Under each printed point, its rows of the `print_related:` table as the public may see them (public rows,
    public columns, referenced rows' public titles): a hazard's countermeasures on the school's sheet."""
    table = runtime.spec.tables[spec.table]
    columns = PUBLIC.only_visible(table, spec.columns or [name for name in [title_field_of(table)] if name])
    related = query_related(runtime, database_engine(), spec.table, spec.field, ids, columns, where=spec.where,
                            audience=PUBLIC)
    printed.related_name = runtime.text(spec.label or table.label, lang, spec.table)
    printed.related_left_out = related.left_out
    headings = [field_label(name, table.fields[name], lang) for name in columns]
    formatters = column_formatters(runtime, spec.table, columns, lang)
    for printed_row, parent_id in zip(printed.rows, ids):
        rows = related.by_parent.get(parent_id, [])
        cells = format_rows(formatters, columns, rows, related.titles)
        printed_row.related = [
            [(heading, cell) for heading, cell, name in zip(headings, row_cells, columns)
             if not is_empty(row.get(name)) and str(cell)]  # a reference to a hidden row shows nothing: no heading
            for row, row_cells in zip(rows, cells)
        ]

