"""Map spec models (a map page, its basemap and layers; the app's service area) and their checks.

Coordinates in the YAML are written with named keys (`center: {lat: …, lon: …}`) or in GeoJSON order
(`bbox: [west, south, east, north]`), so nobody has to remember which number comes first.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..geo.area import AreaFileError, ServiceArea, load_service_area
from ..geo.files import AREA_FILE_SUFFIXES, FEATURE_FILE_SUFFIXES, Feature, GeoFileError, read_features, read_text
from ..geo.geometry import Bounds, is_proper_box, looks_swapped
from ..maps import messages  # noqa: F401  (registers the map entries of the catalogue)
from .base import SpecModel, Text
from .basemaps import basemap_names
from .conditions import Condition, check_condition_value
from .context import CheckContext, spec_check
from .layerkinds import LayerKind, kind_of_layer, misplaced_options, resolve

if TYPE_CHECKING:
    from .models import AppSpec, TableSpec

Path = tuple[Any, ...]
# Colours end up in CSS and SVG attributes: a hex code or a plain colour word, nothing that could carry markup.
COLOR_RE = re.compile(r"^(#[0-9a-fA-F]{3,4}|#[0-9a-fA-F]{6}|#[0-9a-fA-F]{8}|[a-zA-Z]{3,30})$")
TILE_URL_RE = re.compile(r"^(https?://|/)[^\s<>\"']+$")


class CenterSpec(SpecModel):
    """A point written with named keys, so latitude and longitude cannot be swapped by accident."""

    lat: float = Field(ge=-90, le=90, description="Latitude in degrees, north positive (Kanazawa station: 36.578).")
    lon: float = Field(ge=-180, le=180, description="Longitude in degrees, east positive (Kanazawa station: 136.648).")


class TileServerSpec(SpecModel):
    """A tile server of your own (or any XYZ tile service you may use)."""

    url: str = Field(
        description="Tile address with `{z}`, `{x}` and `{y}`, e.g. `https://tiles.city.example.jp/{z}/{x}/{y}.png`, "
        "or a path on this server such as `/tiles/{z}/{x}/{y}.png`."
    )
    attribution: Text = Field(description="Who made the map tiles, shown in the corner of the map (plain text).")
    attribution_url: str | None = Field(None, description="Web page the attribution links to.")
    max_zoom: int = Field(18, ge=0, le=24, description="Closest zoom level the server has tiles for (default 18).")


class StyleSpec(SpecModel):
    """How lines, areas and points of a layer are drawn."""

    color: str = Field("#3388ff", description="Colour of lines, area outlines and points, e.g. `#d33` or `red`.")
    weight: float = Field(3, ge=0, le=20, description="Line width in pixels.")
    fill_color: str | None = Field(None, description="Colour inside areas and points; defaults to `color`.")
    fill_opacity: float = Field(0.2, ge=0, le=1, description="How solid the inside of areas is, 0 (clear) to 1 (solid).")
    radius: float = Field(7, gt=0, le=40, description="Radius of point markers in pixels.")


class StyleBySpec(SpecModel):
    """Colour the features of a file layer by the value of one property."""

    property: str = Field(description="Property (column) whose value picks the colour.")
    colors: dict[str, str] = Field(description="Value → colour, e.g. `{小学校: '#d33', 中学校: '#36c'}`.")
    default: str | None = Field(None, description="Colour of features whose value is not listed; defaults to the layer's `style.color`.")


class PrintRelatedSpec(SpecModel):
    """Rows of another table printed under each numbered point of the print view, e.g. a hazard's countermeasures."""

    table: str = Field(description="Table whose rows are printed under their point, e.g. `countermeasures`.")
    field: str = Field(description="Its reference field naming the layer's row, e.g. `hazard` (`to:` the layer's table).")
    columns: list[str] | None = Field(
        None, description="Its fields printed for each row, e.g. `[title, actor, timing, progress]`; default: its title. "
        "Only public fields, and only the rows the public may see, are ever printed.",
    )
    where: Condition | None = Field(None, description="Only rows with these values are printed, e.g. `{progress: [planned, done]}`.")
    label: Text | None = Field(None, description="Heading of the rows under each point; defaults to the table's label.")


class LayerSpec(SpecModel):
    """One layer of a map: a table's rows at their location (`table:`) or as polygons (`area:`), or a file's features (`file:`)."""

    label: Text | None = Field(None, description="Name of the layer in the layer switcher and the legend.")
    table: str | None = Field(None, description="Table whose rows are drawn at their location.")
    field: str | None = Field(
        None, description="Location field of the table to draw; may be left out when the table has only one."
    )
    area: str | None = Field(
        None, description="An `area` field of the table: its rows are drawn as their polygons (e.g. school districts "
        "staff draw), styled by `style:`, named on the map by `label_property:`.",
    )
    where: Condition | None = Field(
        None, description="Only rows with these values are drawn, e.g. `{status: [accepted, done]}`."
    )
    cluster: bool = Field(True, description="Group nearby points into numbered circles (table layers).")
    heatmap: bool = Field(False, description="Draw the rows as a heat map instead of points (table layers).")
    color_by: str | None = Field(
        None, description="Choice field whose choice colours (`color:`) colour the points; adds a legend."
    )
    popup: list[str] | None = Field(
        None,
        description="Fields (or file properties) shown when a point is tapped; defaults to the table's title field "
        "or, for files, every property. `[]` for no popup.",
    )
    tooltip: str | None = Field(None, description="Field (or file property) shown when the pointer rests on a point.")
    file: str | None = Field(
        None, description="GeoJSON, CSV or KML file in the app's `data/` folder, e.g. `data/school_routes.geojson`."
    )
    lat: str = Field("lat", description="For a CSV file: the column with the latitude.")
    lon: str = Field("lon", description="For a CSV file: the column with the longitude.")
    encoding: Literal["utf-8", "shift_jis", "cp932"] = Field("utf-8", description="For a CSV file: its character encoding.")
    style: StyleSpec = Field(default_factory=StyleSpec, description="Colours and line widths of the layer.")
    style_by: StyleBySpec | None = Field(None, description="Colour file features by a property; adds a legend.")
    label_property: str | None = Field(
        None, description="File property (or, on an `area:` layer, field) written on the map beside each feature, "
        "e.g. a district's name."
    )
    attribution: Text | None = Field(
        None, description="Source of the layer's data, shown in the map's corner, e.g. `出典：国土地理院`."
    )
    show: bool = Field(True, description="Shown when the map opens; `false` leaves it for the layer switcher.")
    print_related: PrintRelatedSpec | None = Field(
        None, description="On the print view, list each numbered point's rows of another table under it (table layers), "
        "e.g. `{table: countermeasures, field: hazard, columns: [title, actor, timing, progress]}`.",
    )

    @property
    def kind(self) -> str | None:
        """The name of the layer's kind (spec/layerkinds.py: `table`, `file` or a plug-in's); None without a source."""
        kind = kind_of_layer(self)
        return kind.name if kind else None


class ControlsSpec(SpecModel):
    """Buttons on the map."""

    layers: bool = Field(True, description="Layer switcher to show and hide layers.")
    locate: bool = Field(True, description="Button that shows where the reader is (asks the browser).")
    fullscreen: bool = Field(True, description="Button that fills the screen with the map.")
    scale: bool = Field(True, description="Scale bar in metres.")


class MapSpec(SpecModel):
    """A map page: a basemap with layers from tables and files."""

    title: Text | None = Field(None, description="Heading of the map page.")
    intro: Text | None = Field(None, description="Paragraph above the map.")
    center: CenterSpec | None = Field(
        None, description="Where the map opens, `{lat: …, lon: …}`; without it the map fits its data."
    )
    zoom: int | None = Field(
        None, ge=0, le=20, description="Zoom level when the map opens: 0 (world) to 20 (a building); default 14."
    )
    basemap: str | TileServerSpec | None = Field(
        None,
        description="Background map: `osm` (OpenStreetMap), `gsi_std` (地理院タイル 標準地図), `gsi_pale` (淡色地図), "
        "`none`, or `{url: …, attribution: …}` for your own tile server. Default: the app's `basemap`.",
    )
    layers: list[LayerSpec] = Field(default_factory=list, description="Layers drawn on the basemap, bottom first.")
    legend: bool = Field(True, description="Show a legend for layers coloured by a choice field or property.")
    controls: ControlsSpec = Field(default_factory=ControlsSpec, description="Which buttons the map has.")
    filters: list[str] = Field(
        default_factory=list,
        description="Choice or reference fields residents can narrow the map by, e.g. `[school]`: a menu per field "
        "above the map narrows every table layer whose table has that field.",
    )


class ServiceAreaSpec(SpecModel):
    """Where the app's points may lie: a box, or polygons from a file."""

    name: Text | None = Field(None, description="What residents call the area, used in messages, e.g. `金沢市`.")
    bbox: tuple[float, float, float, float] | None = Field(
        None, description="West, south, east, north in degrees (longitude, latitude), e.g. `[136.5, 36.4, 136.8, 36.7]`."
    )
    file: str | None = Field(None, description="GeoJSON or KML file in `data/` with the area's polygon(s).")


# --- checks -------------------------------------------------------------------------------------------------


@spec_check
def check_maps(app: AppSpec, ctx: CheckContext) -> None:
    area = _usable_service_area(app, ctx)
    for name, spec in app.maps.items():
        path = ("maps", name)
        if spec.basemap is not None:
            check_basemap(spec.basemap, (*path, "basemap"), ctx)
            _check_same_basemap(app, spec.basemap, (*path, "basemap"), ctx)
        for index, layer in enumerate(spec.layers):
            _check_layer(app, layer, (*path, "layers", index), area.bounds if area else None, ctx)
        _check_view(app, spec, path, area, ctx)
        check_map_filters(app, spec, (*path, "filters"), ctx)


@spec_check
def check_app_basemap(app: AppSpec, ctx: CheckContext) -> None:
    check_basemap(app.basemap, ("basemap",), ctx)


def check_basemap(basemap: str | TileServerSpec, path: Path, ctx: CheckContext) -> None:
    if isinstance(basemap, str):
        ctx.require_name("E_MAP_BASEMAP_UNKNOWN", basemap, basemap_names(), path)
        return
    if not TILE_URL_RE.match(basemap.url) or not all(k in basemap.url for k in ("{z}", "{x}", "{y}")):
        ctx.report("E_MAP_TILE_URL", (*path, "url"), url=basemap.url)
    if basemap.attribution_url is not None and not basemap.attribution_url.startswith(("https://", "http://")):
        ctx.report("E_MAP_LINK_URL", (*path, "attribution_url"), url=basemap.attribution_url)


def _check_same_basemap(app: AppSpec, own: str | TileServerSpec, path: Path, ctx: CheckContext) -> None:
    """The picker and detail pages draw points on the app's basemap: a map with other tiles looks like another place."""
    has_points = any(f.type == "location" for t in app.tables.values() for f in t.fields.values())
    if has_points and own != app.basemap:
        ctx.report("W_MAP_OWN_BASEMAP", path, own=_basemap_name(own), app=_basemap_name(app.basemap))


def _basemap_name(basemap: str | TileServerSpec) -> str:
    return basemap if isinstance(basemap, str) else basemap.url


def map_basemap(app: AppSpec, spec: MapSpec) -> str | TileServerSpec:
    """A map's own basemap, else the app's."""
    return spec.basemap if spec.basemap is not None else app.basemap


def _check_view(app: AppSpec, spec: MapSpec, path: Path, area: ServiceArea | None, ctx: CheckContext) -> None:
    if spec.center is None:
        if not spec.layers and app.service_area is None:
            ctx.report("W_MAP_NO_VIEW", path, prefer_key=True)
        return
    if area is not None and not area.contains(spec.center.lon, spec.center.lat):
        ctx.report("W_MAP_CENTER_OUTSIDE_AREA", (*path, "center"), lat=spec.center.lat, lon=spec.center.lon)


def _check_layer(app: AppSpec, layer: LayerSpec, path: Path, bounds: Bounds | None, ctx: CheckContext) -> None:
    kind = kind_of_layer(layer)
    if kind is None:
        ctx.report("E_MAP_LAYER_SOURCE", path)
        return
    _check_misplaced_options(layer, kind, path, ctx)
    _check_style_colors(layer, path, ctx)
    resolve(kind.check)(app, layer, path, bounds, ctx)


def _check_misplaced_options(layer: LayerSpec, kind: LayerKind, path: Path, ctx: CheckContext) -> None:
    for key, (code, owner) in misplaced_options(layer, kind).items():
        ctx.report(code, (*path, key), prefer_key=True, option=key, kind=owner.name, this=kind.name)
    if layer.heatmap and "cluster" in layer.model_fields_set and layer.cluster:
        ctx.report("W_MAP_CLUSTER_AND_HEATMAP", (*path, "cluster"), prefer_key=True)


def _check_style_colors(layer: LayerSpec, path: Path, ctx: CheckContext) -> None:
    colors: list[tuple[Path, str | None]] = [(("style", "color"), layer.style.color), (("style", "fill_color"), layer.style.fill_color)]
    if layer.style_by is not None:
        colors += [(("style_by", "colors", value), color) for value, color in layer.style_by.colors.items()]
        colors.append((("style_by", "default"), layer.style_by.default))
    for sub_path, color in colors:
        if color is not None and not COLOR_RE.match(color):
            ctx.report("E_MAP_COLOR", (*path, *sub_path), color=color)


# --- filters ---

MAP_FILTER_TYPES = ("choice", "reference")


def map_filter_table_names(app: AppSpec, spec: MapSpec) -> list[str]:
    """The tables the map's table layers draw, once each, in layer order."""
    return list(dict.fromkeys(str(layer.table) for layer in spec.layers if layer.table and layer.table in app.tables))


def check_map_filters(app: AppSpec, spec: MapSpec, path: Path, ctx: CheckContext) -> None:
    """A filter must be a field of some table layer, one the public may see, compared by a choice or a row."""
    tables = [app.tables[t] for t in map_filter_table_names(app, spec)]
    known = list(dict.fromkeys(name for table in tables for name in table.fields))
    fitting = [n for n in known if any(_fits_map_filter(t, n) for t in tables if n in t.fields)]
    seen: set[str] = set()
    for index, name in enumerate(spec.filters):
        item_path = (*path, index)
        if name in seen:
            ctx.report("E_DUPLICATE_ITEM", item_path, name=name)
            continue
        seen.add(name)
        if not ctx.require_name("E_MAP_FILTER_UNKNOWN", name, known, item_path):
            continue
        for table in (t for t in tables if name in t.fields):
            field = table.fields[name]
            if not field.is_public:
                ctx.report("E_NOT_PUBLIC", item_path, name=name, visibility=field.visibility)
                break
            if field.type not in MAP_FILTER_TYPES:
                ctx.report("E_MAP_FILTER_TYPE", item_path, name=name, type=field.type, options=fitting or "-")
                break


def _fits_map_filter(table: TableSpec, name: str) -> bool:
    field = table.fields[name]
    return field.is_public and field.type in MAP_FILTER_TYPES


# --- table layers ---


def check_table_layer(app: AppSpec, layer: LayerSpec, path: Path, bounds: Bounds | None, ctx: CheckContext) -> None:
    """The check of the `table` layer kind (spec/layerkinds.py)."""
    _check_table_layer(app, layer, str(layer.table), path, ctx)


def _check_table_layer(app: AppSpec, layer: LayerSpec, table_name: str, path: Path, ctx: CheckContext) -> None:
    if not ctx.require_name("E_UNKNOWN_TABLE", table_name, app.tables, (*path, "table")):
        return
    table = app.tables[table_name]
    _check_location_field(layer, table_name, table, path, ctx)
    for index, name in enumerate(layer.popup or ()):
        _check_shown_field(table_name, table, name, (*path, "popup", index), ctx)
    if layer.tooltip is not None:
        _check_shown_field(table_name, table, layer.tooltip, (*path, "tooltip"), ctx)
    if layer.color_by is not None:
        _check_color_by(table_name, table, layer.color_by, (*path, "color_by"), ctx)
    _check_where(table_name, table, layer.where, (*path, "where"), ctx)
    if layer.print_related is not None and layer.heatmap:  # a heat map's points are not numbered on paper
        ctx.report("E_PRINT_RELATED_HEATMAP", (*path, "print_related"), prefer_key=True)
    elif layer.print_related is not None:
        check_print_related(app, table_name, layer.print_related, (*path, "print_related"), ctx)


def check_print_related(app: AppSpec, parent: str, spec: PrintRelatedSpec, path: Path, ctx: CheckContext) -> None:
    """The rows printed under a point: a table with a public reference to the layer's table, public columns."""
    if not ctx.require_name("E_UNKNOWN_TABLE", spec.table, app.tables, (*path, "table")):
        return
    table = app.tables[spec.table]
    links = [n for n, f in table.fields.items() if f.type == "reference" and f.to == parent]
    if ctx.require_name("E_UNKNOWN_FIELD", spec.field, table.fields, (*path, "field"), table=spec.table):
        field = table.fields[spec.field]
        if field.type != "reference" or field.to != parent:
            ctx.report("E_PRINT_RELATED_FIELD", (*path, "field"), name=spec.field, table=spec.table, parent=parent,
                       options=links or "-")
        elif not field.is_public:  # printing a row under its point tells which point it belongs to
            ctx.report("E_NOT_PUBLIC", (*path, "field"), name=spec.field, visibility=field.visibility)
    seen: set[str] = set()
    for index, name in enumerate(spec.columns or ()):
        if name in seen:
            ctx.report("E_DUPLICATE_ITEM", (*path, "columns", index), name=name)
        seen.add(name)
        _check_shown_field(spec.table, table, name, (*path, "columns", index), ctx)
    _check_where(spec.table, table, spec.where, (*path, "where"), ctx)


def _check_location_field(layer: LayerSpec, table_name: str, table: TableSpec, path: Path, ctx: CheckContext) -> None:
    locations = location_fields(table)
    if layer.field is not None:
        if not ctx.require_name("E_UNKNOWN_FIELD", layer.field, table.fields, (*path, "field"), table=table_name):
            return
        field = table.fields[layer.field]
        if field.type == "area":  # its polygons are drawn by an `area:` layer
            ctx.report("E_MAP_FIELD_IS_AREA", (*path, "field"), name=layer.field)
        elif field.type != "location":
            ctx.report("E_MAP_NOT_LOCATION", (*path, "field"), name=layer.field, type=field.type, options=locations or "-")
        elif not field.is_public:
            ctx.report("E_NOT_PUBLIC", (*path, "field"), name=layer.field, visibility=field.visibility)
    elif not locations and area_fields(table):
        ctx.report("E_MAP_NO_LOCATION_HAS_AREA", (*path, "table"), table=table_name, name=area_fields(table)[0])
    elif not locations:
        ctx.report("E_MAP_NO_LOCATION_FIELD", (*path, "table"), table=table_name)
    elif len(locations) > 1:
        ctx.report("E_MAP_WHICH_LOCATION", (*path, "table"), table=table_name, options=locations)
    elif not table.fields[locations[0]].is_public:
        # Where a resident lives is the commonest private field: a public map must never draw it.
        ctx.report("E_NOT_PUBLIC", (*path, "table"), name=locations[0], visibility=table.fields[locations[0]].visibility)


def _check_shown_field(table_name: str, table: TableSpec, name: str, path: Path, ctx: CheckContext) -> None:
    if not ctx.require_name("E_UNKNOWN_FIELD", name, table.fields, path, table=table_name):
        return
    field = table.fields[name]
    if not field.is_public:
        ctx.report("E_NOT_PUBLIC", path, name=name, visibility=field.visibility)


def _check_color_by(table_name: str, table: TableSpec, name: str, path: Path, ctx: CheckContext) -> None:
    if not ctx.require_name("E_UNKNOWN_FIELD", name, table.fields, path, table=table_name):
        return
    field = table.fields[name]
    if field.type != "choice":
        choices = [n for n, f in table.fields.items() if f.type == "choice"]
        ctx.report("E_MAP_COLOR_BY_TYPE", path, name=name, type=field.type, options=choices or "-")
    elif not field.is_public:
        # A colour per value tells residents the value, so the field must be one they may see.
        ctx.report("E_NOT_PUBLIC", path, name=name, visibility=field.visibility)


def _check_where(table_name: str, table: TableSpec, where: Condition | None, path: Path, ctx: CheckContext) -> None:
    for field_name, expected in (where or {}).items():
        check_condition_value(ctx, table_name, table, field_name, expected, (*path, field_name))


def location_fields(table: TableSpec) -> list[str]:
    return [name for name, field in table.fields.items() if field.type == "location"]


def area_fields(table: TableSpec) -> list[str]:
    return [name for name, field in table.fields.items() if field.type == "area"]


def layer_geometry_field(layer: LayerSpec, table: TableSpec) -> str | None:
    """What a table's layer draws: its `area:` field (polygons), else its location field (points)."""
    return layer.area if layer.area is not None else layer_location_field(layer, table)


# --- area layers (a table's polygons) ---


def check_area_layer(app: AppSpec, layer: LayerSpec, path: Path, bounds: Bounds | None, ctx: CheckContext) -> None:
    """The check of the `area` layer kind: a public `area` field of the table; shown fields public, as on table layers."""
    table_name = str(layer.table)
    if not ctx.require_name("E_UNKNOWN_TABLE", table_name, app.tables, (*path, "table")):
        return
    table = app.tables[table_name]
    name = str(layer.area)
    if ctx.require_name("E_UNKNOWN_FIELD", name, table.fields, (*path, "area"), table=table_name):
        field = table.fields[name]
        if field.type != "area":
            ctx.report("E_MAP_NOT_AREA", (*path, "area"), name=name, type=field.type, options=area_fields(table) or "-")
        elif not field.is_public:  # the polygon itself is shown: a staff-only boundary stays on staff pages
            ctx.report("E_NOT_PUBLIC", (*path, "area"), name=name, visibility=field.visibility)
    shown = [((*path, "popup", i), n) for i, n in enumerate(layer.popup or ())]
    shown += [((*path, key), getattr(layer, key)) for key in ("tooltip", "label_property") if getattr(layer, key)]
    for item_path, shown_name in shown:
        _check_shown_field(table_name, table, shown_name, item_path, ctx)
    if layer.color_by is not None:
        _check_color_by(table_name, table, layer.color_by, (*path, "color_by"), ctx)
    _check_where(table_name, table, layer.where, (*path, "where"), ctx)


def layer_location_field(layer: LayerSpec, table: TableSpec) -> str | None:
    """The location field a table layer draws: the one named, else the table's only one."""
    if layer.field is not None:
        return layer.field
    locations = location_fields(table)
    return locations[0] if len(locations) == 1 else None


# --- file layers ---


def check_file_layer(app: AppSpec, layer: LayerSpec, path: Path, bounds: Bounds | None, ctx: CheckContext) -> None:
    """The check of the `file` layer kind (spec/layerkinds.py)."""
    file_path = (*path, "file")
    location = check_data_file(str(layer.file), FEATURE_FILE_SUFFIXES, file_path, ctx)
    if location is None:
        return
    features = _read_layer_file(layer, location, file_path, ctx)
    if features is None:
        return
    if looks_swapped(features, bounds):
        code = "E_MAP_FILE_SWAPPED_CSV" if location.suffix.lower() == ".csv" else "E_MAP_FILE_SWAPPED"
        ctx.report(code, file_path, name=layer.file, lat=layer.lat, lon=layer.lon)
    _check_properties(layer, features, path, ctx)


def check_data_file(name: str, suffixes: tuple[str, ...], path: Path, ctx: CheckContext) -> FsPath | None:
    """The file inside the app's data/ folder, or None after reporting why it cannot be used."""
    data_dir = (FsPath(ctx.app_dir) / "data").resolve()
    location = (FsPath(ctx.app_dir) / name).resolve()
    if not location.is_relative_to(data_dir):
        ctx.report("E_MAP_FILE_NOT_IN_DATA", path, name=name)
        return None
    if location.suffix.lower() not in suffixes:
        ctx.report("E_MAP_FILE_TYPE", path, name=name, options=list(suffixes))
        return None
    if not location.is_file():
        ctx.report("E_FILE_MISSING", path, name=name)
        return None
    return location


def _read_layer_file(layer: LayerSpec, location: FsPath, path: Path, ctx: CheckContext) -> list[Feature] | None:
    try:
        return read_features(location, lat=layer.lat, lon=layer.lon, encoding=layer.encoding)
    except GeoFileError as exc:
        if exc.reason == "missing_columns":
            _report_missing_columns(layer, location, path, ctx)
        else:
            ctx.report("E_MAP_FILE_UNREADABLE", path, name=layer.file, detail=str(exc))
        return None


def _report_missing_columns(layer: LayerSpec, location: FsPath, path: Path, ctx: CheckContext) -> None:
    columns = next(csv.reader(io.StringIO(read_text(location, layer.encoding))), [])
    for key in ("lat", "lon"):
        column = getattr(layer, key)
        if column not in columns:
            ctx.require_name("E_MAP_CSV_COLUMN", column, columns, (*path[:-1], key), file=layer.file)


def _check_properties(layer: LayerSpec, features: list[Feature], path: Path, ctx: CheckContext) -> None:
    known = sorted({key for feature in features for key in feature.get("properties") or {}})
    named = [((*path, "popup", i), n) for i, n in enumerate(layer.popup or ())]
    named += [((*path, key), getattr(layer, key)) for key in ("tooltip", "label_property") if getattr(layer, key)]
    if layer.style_by is not None:
        named.append(((*path, "style_by", "property"), layer.style_by.property))
    for item_path, name in named:
        ctx.require_name("E_MAP_UNKNOWN_PROPERTY", name, known, item_path, file=layer.file)


# --- service area ---


@spec_check
def check_service_area(app: AppSpec, ctx: CheckContext) -> None:
    area = app.service_area
    if area is None:
        return
    path: Path = ("service_area",)
    if (area.bbox is None) == (area.file is None):
        ctx.report("E_SERVICE_AREA_SOURCE", path, prefer_key=True)
    elif area.bbox is not None:
        _check_bbox(area.bbox, (*path, "bbox"), ctx)
    elif area.file is not None:
        _check_area_file(area, (*path, "file"), ctx)


def _check_bbox(bbox: Bounds, path: Path, ctx: CheckContext) -> None:
    west, south, east, north = bbox
    if _is_lat(west) and _is_lat(east) and not (_is_lat(south) and _is_lat(north)):
        ctx.report("E_SERVICE_AREA_BBOX_ORDER", path, bbox=list(bbox))
    elif not is_proper_box(bbox):
        ctx.report("E_SERVICE_AREA_BBOX", path, bbox=list(bbox))


def _is_lat(value: float) -> bool:
    return -90 <= value <= 90


def _check_area_file(area: ServiceAreaSpec, path: Path, ctx: CheckContext) -> None:
    if check_data_file(str(area.file), AREA_FILE_SUFFIXES, path, ctx) is None:
        return
    try:
        load_service_area(area, FsPath(ctx.app_dir))
    except AreaFileError as exc:
        ctx.report("E_SERVICE_AREA_FILE", path, name=area.file, detail=exc.detail)


def _usable_service_area(app: AppSpec, ctx: CheckContext) -> ServiceArea | None:
    """The service area when it can be used; the checks that need it are skipped otherwise (it is reported apart)."""
    if app.service_area is None or (app.service_area.bbox is None) == (app.service_area.file is None):
        return None
    try:
        area = load_service_area(app.service_area, FsPath(ctx.app_dir))
    except (AreaFileError, OSError):
        return None
    return area if is_proper_box(area.bounds) else None
