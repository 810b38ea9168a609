"""A small map of one point on a detail page, instead of bare coordinates.

On detail pages the point is the one the public may see (`audience.PUBLIC.location`: snapped to the field's public
grid); on the confirmation page of a form, the resident's own point as they set it. Drawn on the app's basemap with the vendored Leaflet (no CDN). The coordinates stay in the page as text: visible without
JavaScript, and visually hidden (still read by screen readers) once lowcode-point-map.js has drawn the map.
"""
from __future__ import annotations

import json
from typing import Any

from flask import url_for
from markupsafe import Markup

from ..audience import PUBLIC, Point
from ..maps.basemaps import tile_source
from ..runtime import AppRuntime
from ..spec.models import TableSpec

POINT_ZOOM = 16  # streets and their names readable: enough to recognise the place, no more


def with_point_maps(
    runtime: AppRuntime, table: TableSpec, names: list[str], row: dict[str, Any], values: list[tuple[str, Markup]], lang: str
) -> tuple[list[tuple[str, Markup]], bool]:
    """The detail page's (label, value) pairs with a map for each location; and whether any map was added."""
    result = [
        (label, point_map_html(runtime, table, name, PUBLIC.location(runtime.spec, table, name, row.get(name)), shown, lang)
         if table.fields[name].type == "location" else shown)
        for name, (label, shown) in zip(names, values)
    ]
    return result, any(a is not b for (_, a), (_, b) in zip(result, values))


def point_map_html(runtime: AppRuntime, table: TableSpec, name: str, point: Point | None, shown: Markup, lang: str) -> Markup:
    """The map box for `point` (as the reader may see it) plus `shown`, its coordinates as text; just the text without a point."""
    if point is None or not shown:
        return shown
    lon, lat = point
    label = runtime.text(table.fields[name].label, lang, name)
    config = {"lat": lat, "lon": lon, "zoom": POINT_ZOOM, "tiles": tile_config(runtime, lang), "marker": label}
    return Markup(
        '<div class="point-map" data-point-map data-config="{}" hidden></div><span class="point-coordinates">{}</span>'
    ).format(json.dumps(config, ensure_ascii=False), shown)


def tile_config(runtime: AppRuntime, lang: str) -> dict[str, Any] | None:
    """The app's basemap, the same tiles as the location picker that set the point."""
    source = tile_source(runtime.spec.basemap, lang)
    return {"url": source[0], "attribution": source[1], "maxZoom": source[2]} if source else None


def point_map_assets() -> Markup:
    """Leaflet and the script that draws the maps, for the page's <head> (deferred: they run after parsing)."""
    return Markup(
        '<link rel="stylesheet" href="{}">\n<script src="{}" defer></script>\n<script src="{}" defer></script>\n'
    ).format(url_for("static", filename="vendor/leaflet/leaflet.css"), url_for("static", filename="vendor/leaflet/leaflet.js"),
             url_for("static", filename="lowcode-point-map.js"))
