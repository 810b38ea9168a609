"""`/<app>/maps/<map>/print`: a map page laid out for paper, with numbered points and their list.

The points are the ones the public map shows, read the same way as the GeoJSON API reads them (the layer's
`where:`, the public's rows and fields, locations on their public grid), so paper never shows more than the screen.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from markupsafe import Markup

from ..audience import PUBLIC
from ..i18n import format_stored_datetime
from ..maps.geojson import QueryError, layer_popup_fields, parse_feature_query
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
from ..maps.render import color_by_entry, layer_name
from ..records import query_points, query_points_summary, query_titles
from ..runtime import AppRuntime
from ..security import with_nonce
from ..spec.models import field_label
from ..storage import utcnow
from ..templating import app_template
from .cells import Cell, column_formatters, format_rows
from .context import current_lang, page_context
from .engine import database_engine
from .maps_pages import map_urls


@dataclass
class PrintedRow:
    number: int
    cells: list[Cell]


@dataclass
class PrintedLayer:
    """A numbered layer's list: its name, column headings, rows, and how many of its points did not fit."""

    name: str
    headings: list[str]
    rows: list[PrintedRow] = field(default_factory=list)
    left_out: int = 0


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
        options = print_options(spec, request.args.to_dict(flat=False))
        points = printed_points(runtime, map_name, options, lang)
        html = render_print_map(runtime.spec, map_name, options, points.markers, app_dir=runtime.folder, lang=lang,
                                urls=map_urls(runtime), words=gettext)
        context = page_context(
            runtime, map_spec=spec, map_name=map_name, options=options, points=points,
            sheet=options.sheet, papers=list(PAPERS), orientations=ORIENTATIONS, max_points=MAX_POINTS,
            layer_choices=layer_choices(runtime, map_name, lang), legend=legend_of(runtime.spec, spec, options.layers, lang),
            tile_attribution=Markup(tile_attribution(runtime.spec, spec, lang) or ""),
            layer_attributions=[runtime.text(spec.layers[i].attribution, lang) for i in options.layers if spec.layers[i].attribution],
            data_date=format_stored_datetime(points.last_change, lang) if points.last_change else None,
            printed_date=format_stored_datetime(utcnow(), lang),
            map_url=url_for(f"{runtime.name}.map_page", map_name=map_name),
            map_head=with_nonce(html.head), map_body=with_nonce(html.body), map_script=Markup(html.script),
        )
        return render_template(app_template(runtime.name, "map_print.html"), **context)


def layer_choices(runtime: AppRuntime, map_name: str, lang: str) -> list[tuple[int, str]]:
    """Each layer's index and name, for the form's tick boxes."""
    app = runtime.spec
    return [(i, layer_name(app, layer, lang, engine_of_layer(layer))) for i, layer in enumerate(app.maps[map_name].layers)]


def printed_points(runtime: AppRuntime, map_name: str, options: PrintOptions, lang: str) -> PrintedPoints:
    """The numbered layers' points, numbered 1..N across layers in the order they are printed, at most MAX_POINTS."""
    points = PrintedPoints()
    for index in options.layers:
        layer = runtime.spec.maps[map_name].layers[index]
        if is_numbered(layer):
            add_layer_points(runtime, map_name, index, lang, points)
    return points


def add_layer_points(runtime: AppRuntime, map_name: str, index: int, lang: str, points: PrintedPoints) -> None:
    app = runtime.spec
    layer = app.maps[map_name].layers[index]
    table_name = str(layer.table)
    table = app.tables[table_name]
    try:  # the GeoJSON API's own reading of the layer: the same rows, fields and grid as the public map
        query = parse_feature_query(app, table_name, {"map": [map_name], "layer": [str(index)]}, PUBLIC)
    except QueryError:
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

