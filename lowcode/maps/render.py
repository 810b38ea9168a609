"""Build the folium map of a MapSpec: basemap, file layers, table layers fetched from the GeoJSON API, controls.

Table rows are never written into the page: a table layer carries only the URL of its GeoJSON and how to draw
it, so the page stays the same size whether the table has 10 rows or 100,000. File layers (districts, routes,
a few hundred shelters) are small and go into the page. GeoJSON order, [lon, lat], is kept everywhere; the turn
to folium's [lat, lon] happens in `folium_location` only.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import folium
from branca.element import Figure
from folium.plugins import Fullscreen, LocateControl
from markupsafe import escape

from ..audience import PUBLIC
from ..geo.area import usable_bounds
from ..geo.files import Feature, read_features
from ..spec.maps import COLOR_RE, LayerSpec, MapSpec, TileServerSpec, layer_location_field, map_basemap
from ..spec.models import field_label
from ..spec.workflow import publicly_shown_choices
from ..words import N_, Translate, words_for
from .assets import StaticUrl, localise_assets
from .basemaps import tile_source
from .elements import FileLayer, FitToData, Legend, LowcodeMap, MapRuntime, ScaleBar, TableLayer
from .geojson import layer_popup_fields
from .layers import LayerDraw, LayerEngine, engine_of_layer

if TYPE_CHECKING:
    from ..spec.models import AppSpec, FieldSpec, TableSpec

# Colours for choices that have none of their own (the Tableau 10 palette: distinct, and readable on maps).
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
OTHER_COLOR = "#888888"
DEFAULT_ZOOM = 14
NO_TILES_MAX_ZOOM = 18
# The map's own words, as msgids of the Babel catalogue; `map_text` translates them for one page.
UI_TEXT = {
    "loading": N_("Loading the map's points…"), "failed": N_("The points could not be loaded. Please reload the page."),
    "details": N_("Details"), "yes": N_("Yes"), "no": N_("No"), "fullscreen": N_("Full screen"),
    "exit_fullscreen": N_("Leave full screen"), "locate": N_("Show where I am"),
}


@dataclass(frozen=True)
class MapUrls:
    """The addresses the engine gives a map: its static files, the GeoJSON API and, optionally, row pages."""

    static: StaticUrl
    geojson: Callable[[str, Mapping[str, str]], str]
    detail: Callable[[str], str | None] = field(default=lambda table: None)


@dataclass(frozen=True)
class MapHtml:
    """A rendered map in three parts, for the page template: into <head>, where the map goes, end of <body>."""

    head: str
    body: str
    script: str

    def page(self, title: str = "", lang: str = "ja") -> str:
        """A whole HTML document (for the bench and for tests); the engine uses its own page template."""
        return (
            f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
            f"{self.head}\n</head>\n<body>\n{self.body}\n<script>\n{self.script}\n</script>\n</body>\n</html>\n"
        )


def render_map(
    app: AppSpec, map_name: str, *, app_dir: Path, lang: str, urls: MapUrls, height: str = "70vh", words: Translate | None = None
) -> MapHtml:
    """The map's HTML; `words` translates its own words (the engine passes Flask-Babel's; by default `lang`'s catalogue)."""
    figure = build_map(app, map_name, app_dir=app_dir, lang=lang, urls=urls, height=height, words=words).get_root()
    assert isinstance(figure, Figure)
    figure.render()
    return MapHtml(figure.header.render(), figure.html.render(), figure.script.render())


def build_map(
    app: AppSpec, map_name: str, *, app_dir: Path, lang: str, urls: MapUrls, height: str = "70vh", words: Translate | None = None
) -> folium.Map:
    spec = app.maps[map_name]
    text = map_text(words or words_for(lang))
    fmap = create_map(spec, map_basemap(app, spec), lang, height)
    fmap.add_child(MapRuntime(), name="lowcode_runtime")
    add_view(fmap, app, spec, app_dir)
    add_basemap(fmap, map_basemap(app, spec), lang)
    for index, layer in enumerate(spec.layers):
        add_layer(fmap, app, map_name, index, layer, app_dir=app_dir, lang=lang, urls=urls, text=text)
    add_controls(fmap, app, spec, lang, text)
    localise_assets(fmap, urls.static)
    return fmap


def map_text(words: Translate) -> dict[str, str]:
    """The map's words in one language, for its controls and for its script."""
    return {key: words(msgid) for key, msgid in UI_TEXT.items()}


def add_layer(
    fmap: folium.Map, app: AppSpec, map_name: str, index: int, layer: LayerSpec, *, app_dir: Path, lang: str, urls: MapUrls,
    text: Mapping[str, str],
) -> None:
    """Draw the layer as its kind's engine half does (spec/layerkinds.py names it)."""
    engine = engine_of_layer(layer)
    name = layer_name(app, layer, lang, engine)
    engine.add_to(fmap, LayerDraw(app, map_name, index, layer, app_dir, lang, urls, text, name))


def create_map(spec: MapSpec, basemap: str | TileServerSpec, lang: str, height: str) -> LowcodeMap:
    label = spec.title.get(lang) if spec.title else ""
    center = folium_location(spec.center.lon, spec.center.lat) if spec.center else None
    source = tile_source(basemap, lang)
    return LowcodeMap(
        label=label, map_height=height, plain=source is None,
        location=center, zoom_start=spec.zoom if spec.zoom is not None else DEFAULT_ZOOM,
        # The map's own limit: marker clustering needs one, and without tiles nothing else sets it.
        maxZoom=source[2] if source else NO_TILES_MAX_ZOOM,
    )


def folium_location(lon: float, lat: float) -> list[float]:
    """The one place where GeoJSON's [lon, lat] becomes folium's [lat, lon]."""
    return [lat, lon]


def add_view(fmap: folium.Map, app: AppSpec, spec: MapSpec, app_dir: Path) -> None:
    """Without a centre, open on the service area and then fit the layers' data as it arrives."""
    if spec.center is not None:
        return
    fmap.add_child(FitToData(), name="lowcode_fit")
    bounds = usable_bounds(app.service_area, app_dir)
    if bounds is not None:
        west, south, east, north = bounds
        fmap.fit_bounds([folium_location(west, south), folium_location(east, north)])


def add_basemap(fmap: folium.Map, basemap: str | TileServerSpec, lang: str) -> None:
    source = tile_source(basemap, lang)
    if source is None:
        return
    url, attribution, max_zoom = source
    folium.TileLayer(tiles=url, attr=attribution, max_zoom=max_zoom, max_native_zoom=max_zoom, control=False).add_to(fmap)


def layer_name(app: AppSpec, layer: LayerSpec, lang: str, engine: LayerEngine) -> str:
    """The layer switcher's entry; escaped because Leaflet puts it in the page as HTML."""
    name = layer.label.get(lang) if layer.label is not None else engine.default_name(app, layer, lang)
    return str(escape(name))


def add_controls(fmap: folium.Map, app: AppSpec, spec: MapSpec, lang: str, text: Mapping[str, str]) -> None:
    controls = spec.controls
    if spec.legend:
        sections = legend_sections(app, spec, lang)
        if sections:
            fmap.add_child(Legend(sections), name="lowcode_legend")
    if controls.scale:
        fmap.add_child(ScaleBar(), name="lowcode_scale")
    if controls.fullscreen:
        Fullscreen(position="topleft", title=text["fullscreen"], title_cancel=text["exit_fullscreen"]).add_to(fmap)
    if controls.locate:
        LocateControl(
            position="topleft", strings={"title": text["locate"]}, icon="lowcode-locate-icon",
            iconLoading="lowcode-locate-icon lowcode-locating", showPopup=False,
        ).add_to(fmap)
    if controls.layers and spec.layers:
        folium.LayerControl(collapsed=len(spec.layers) > 3).add_to(fmap)


# --- table layers ---


def table_layer_config(
    app: AppSpec, map_name: str, index: int, layer: LayerSpec, lang: str, urls: MapUrls, text: Mapping[str, str]
) -> dict[str, Any]:
    """What the browser needs to draw a table layer; the `where:` stays on the server, found again by map= and layer=."""
    table = app.tables[str(layer.table)]
    params = {"map": map_name, "layer": str(index)}
    location = layer_location_field(layer, table)
    if location is not None and len([f for f in table.fields.values() if f.type == "location"]) > 1:
        params["location"] = location
    tooltip = layer.tooltip if layer.tooltip and _is_public(table, layer.tooltip) else None
    return {
        "url": urls.geojson(str(layer.table), params),
        "cluster": layer.cluster and not layer.heatmap,
        "heatmap": layer.heatmap,
        "popup": [field_entry(table, name, lang) for name in layer_popup_fields(layer, table)],
        "tooltip": field_entry(table, tooltip, lang) if tooltip else None,
        "colorBy": color_by_entry(table, layer.color_by, lang) if layer.color_by else None,
        "style": style_config(layer),
        "detailUrl": urls.detail(str(layer.table)),
        "attribution": str(escape(layer.attribution.get(lang))) if layer.attribution else None,
        "text": dict(text),
    }


def _is_public(table: TableSpec, name: str) -> bool:
    return PUBLIC.can_see_field(table, name)


def field_entry(table: TableSpec, name: str, lang: str) -> dict[str, Any]:
    """A popup's or tooltip's field: a reference shows the title the GeoJSON names it by (`titles`), never the id."""
    spec = table.fields[name]
    entry: dict[str, Any] = {"name": name, "label": field_label(name, spec, lang), "labels": choice_labels(spec, lang)}
    if spec.type == "reference":
        entry["reference"] = True
    return entry


def choice_labels(spec: FieldSpec, lang: str) -> dict[str, str]:
    return {choice.key: choice.text(lang) for choice in spec.choices or ()}


def choice_colors(spec: FieldSpec) -> dict[str, str]:
    return {
        choice.key: choice.color if choice.color and COLOR_RE.match(choice.color) else PALETTE[i % len(PALETTE)]
        for i, choice in enumerate(spec.choices or ())
    }


def color_by_entry(table: TableSpec, name: str, lang: str) -> dict[str, Any] | None:
    spec = table.fields.get(name)
    if spec is None or spec.type != "choice" or not PUBLIC.can_see_field(table, name):
        return None
    return {"name": name, "colors": choice_colors(spec), "other": OTHER_COLOR, "labels": choice_labels(spec, lang)}


def style_config(layer: LayerSpec) -> dict[str, Any]:
    style = layer.style
    return {
        "color": style.color, "weight": style.weight, "radius": style.radius,
        "fillColor": style.fill_color or style.color, "fillOpacity": style.fill_opacity,
    }


# --- file layers ---


def file_layer_config(layer: LayerSpec, lang: str, text: Mapping[str, str]) -> dict[str, Any]:
    return {
        "popup": [{"name": name, "label": name, "labels": {}} for name in layer.popup or ()],
        "tooltip": {"name": layer.tooltip, "labels": {}} if layer.tooltip else None,
        "label": layer.label_property,
        "styleBy": {
            "name": layer.style_by.property, "colors": dict(layer.style_by.colors),
            "other": layer.style_by.default or layer.style.color,
        } if layer.style_by else None,
        "style": style_config(layer),
        "detailUrl": None,
        "attribution": str(escape(layer.attribution.get(lang))) if layer.attribution else None,
        "text": dict(text),
    }


def read_layer_features(layer: LayerSpec, app_dir: Path) -> list[Feature]:
    """The file's features with only the properties the layer shows: the page carries nothing it does not use."""
    path = Path(app_dir) / str(layer.file)
    features = _read_cached(str(path), path.stat().st_mtime_ns, layer.lat, layer.lon, layer.encoding)
    keep = file_properties_used(layer, features)
    return [
        {"type": "Feature", "geometry": f["geometry"], "properties": {k: f["properties"].get(k) for k in keep}}
        for f in features
        if f.get("geometry")
    ]


@lru_cache(maxsize=64)
def _read_cached(path: str, mtime_ns: int, lat: str, lon: str, encoding: str) -> list[Feature]:
    return read_features(Path(path), lat=lat, lon=lon, encoding=encoding)


def file_properties_used(layer: LayerSpec, features: list[Feature]) -> list[str]:
    """Popup (every property when `popup:` is left out), tooltip, label and style property."""
    if layer.popup is None:
        popup = list(dict.fromkeys(k for f in features for k in f.get("properties") or {}))
    else:
        popup = list(layer.popup)
    extra = [layer.tooltip, layer.label_property, layer.style_by.property if layer.style_by else None]
    return list(dict.fromkeys([*popup, *(name for name in extra if name)]))


# --- legend ---


def legend_sections(app: AppSpec, spec: MapSpec, lang: str) -> list[dict[str, Any]]:
    """A section per layer whose kind has legend entries for it, headed by its `label:` or what the kind says."""
    sections = [engine_of_layer(layer).legend_section(app, layer, lang) for layer in spec.layers]
    return [section for section in sections if section]


# --- the engine halves of the built-in layer kinds (spec/layerkinds.py names them) ---


class TableLayerEngine(LayerEngine):
    """A table's rows, fetched by the browser from the GeoJSON API; a legend for `color_by`."""

    def add_to(self, fmap: folium.Map, draw: LayerDraw) -> None:
        config = table_layer_config(draw.app, draw.map_name, draw.index, draw.layer, draw.lang, draw.urls, draw.text)
        fmap.add_child(TableLayer(config, draw.name, draw.layer))

    def default_name(self, app: AppSpec, layer: LayerSpec, lang: str) -> str:
        table = app.tables.get(str(layer.table))
        return table.label.get(lang) if table is not None and table.label else str(layer.table)

    def legend_title(self, app: AppSpec, layer: LayerSpec, lang: str) -> str:
        table = app.tables.get(str(layer.table))
        if table is None or layer.color_by not in table.fields:
            return ""
        return field_label(str(layer.color_by), table.fields[str(layer.color_by)], lang)

    def legend_items(self, app: AppSpec, layer: LayerSpec, lang: str) -> list[dict[str, str]]:
        table = app.tables.get(str(layer.table))
        if table is None or layer.color_by is None or layer.heatmap:
            return []
        entry = color_by_entry(table, layer.color_by, lang)
        if entry is None:
            return []
        shown = {choice.key for choice in publicly_shown_choices(table, layer.color_by)}
        return [{"label": entry["labels"][key], "color": color} for key, color in entry["colors"].items() if key in shown]


class FileLayerEngine(LayerEngine):
    """A file's features, written into the page; a legend for `style_by`."""

    def add_to(self, fmap: folium.Map, draw: LayerDraw) -> None:
        features = read_layer_features(draw.layer, draw.app_dir)
        fmap.add_child(FileLayer(file_layer_config(draw.layer, draw.lang, draw.text), features, draw.name, draw.layer))

    def default_name(self, app: AppSpec, layer: LayerSpec, lang: str) -> str:
        return Path(str(layer.file)).stem

    def legend_title(self, app: AppSpec, layer: LayerSpec, lang: str) -> str:
        return layer.style_by.property if layer.style_by else ""

    def legend_items(self, app: AppSpec, layer: LayerSpec, lang: str) -> list[dict[str, str]]:
        if layer.style_by is None:
            return []
        return [{"label": value, "color": color} for value, color in layer.style_by.colors.items()]


TABLE_LAYER = TableLayerEngine()
FILE_LAYER = FileLayerEngine()
