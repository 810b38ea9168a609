"""The printable view of a map: one paper sheet (A4 or A3, portrait or landscape) with numbered points.

A school hands the route map out on paper, so the page is laid out at the paper's size on screen too: the map the
browser prints is the map the reader sees, and Leaflet never has to redraw for print. A table layer's points are
written into the page with their numbers (at most MAX_POINTS), because the numbers on the map and in the list
below it must be the same ones; other layers (files, plug-in kinds) are drawn as on the map page. Only numbers and
colours go into the script: the resident text of the list is written by the template, escaped.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from branca.element import Figure, MacroElement
from folium.template import Template

from ..spec.maps import LayerSpec, MapSpec, map_basemap
from ..words import N_, Translate
from .assets import client_file, localise_assets
from .basemaps import tile_source
from .elements import MapRuntime, ScaleBar
from .layers import LayerDraw, engine_of_layer
from .render import (
    OTHER_COLOR,
    MapHtml,
    MapUrls,
    add_basemap,
    add_view,
    choice_colors,
    create_map,
    layer_name,
    map_text,
)

if TYPE_CHECKING:
    import folium

    from ..spec.models import AppSpec, TableSpec

# Paper sizes in millimetres (ISO 216), and the margin the page keeps on every side.
PAPERS: dict[str, tuple[int, int]] = {"a4": (210, 297), "a3": (297, 420)}
ORIENTATIONS = ("portrait", "landscape")
MARGIN_MM = 10
# Room above a landscape map for the title and below it for the legend, so the map and its key share one page.
LANDSCAPE_ROOM_MM = 55
# More numbers than this no longer fit a sheet legibly (a school route map has tens); the page says how many are left out.
MAX_POINTS = 300
NORTH = N_("North")


@dataclass(frozen=True)
class Sheet:
    """One paper size and orientation: the @page size and the printable area the map is fitted into."""

    paper: str = "a4"
    orientation: str = "portrait"

    @property
    def page_mm(self) -> tuple[int, int]:
        short, long = PAPERS[self.paper]
        return (short, long) if self.orientation == "portrait" else (long, short)

    @property
    def css_size(self) -> str:
        """The CSS @page size, e.g. `A4 landscape`."""
        return f"{self.paper.upper()} {self.orientation}"

    @property
    def css_class(self) -> str:
        return f"print-{self.paper}-{self.orientation}"

    @property
    def map_height_mm(self) -> int:
        """Portrait: nearly square under the title, the legend and the first rows beneath; landscape: the page's
        height less room for the title and the legend."""
        width, height = self.page_mm
        if self.orientation == "portrait":
            return round((width - 2 * MARGIN_MM) * 0.95)
        return height - 2 * MARGIN_MM - LANDSCAPE_ROOM_MM


@dataclass(frozen=True)
class PrintOptions:
    """What the print form asked for: the sheet and the layers to print (indexes into the map's layers)."""

    sheet: Sheet
    layers: tuple[int, ...]


def print_options(spec: MapSpec, args: Mapping[str, Sequence[str]]) -> PrintOptions:
    """Read the form; anything it could not have sent falls back to the default (A4 portrait, the shown layers).

    The form always sends `chosen=1`, so a form sent with every layer unticked prints the map with none, while an
    address without it (the map page's link, or `?paper=a3` written by hand) prints the layers the map opens with.
    """
    paper = _one(args, "paper")
    orientation = _one(args, "orientation")
    sheet = Sheet(paper if paper in PAPERS else "a4", orientation if orientation in ORIENTATIONS else "portrait")
    if _one(args, "chosen") is None:
        layers = tuple(i for i, layer in enumerate(spec.layers) if layer.show)
    else:
        wanted = {int(v) for v in args.get("layers", ()) if v.isdigit() and len(v) < 4}
        layers = tuple(i for i in range(len(spec.layers)) if i in wanted)
    return PrintOptions(sheet, layers)


def _one(args: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = args.get(name) or ()
    return values[-1] if values else None


def is_numbered(layer: LayerSpec) -> bool:
    """Table layers of points are numbered; heat maps (a density, not a list of places), files and plug-in kinds
    are drawn as on the map page."""
    return layer.kind == "table" and not layer.heatmap


def in_reading_order(rows: Sequence[dict[str, Any]], location: str) -> list[dict[str, Any]]:
    """North to south, then west to east (ties: by id): numbers run down the sheet as people read it, and the
    same rows always get the same numbers."""
    return sorted(rows, key=lambda row: (-row[location][1], row[location][0], row.get("id") or 0))


def marker_color(layer: LayerSpec, table: TableSpec, row: Mapping[str, Any], color_by: str | None) -> str:
    """The point's colour on the map page: its `color_by` choice's colour, else the layer's fill colour."""
    if color_by is None:
        return layer.style.fill_color or layer.style.color
    return choice_colors(table.fields[color_by]).get(str(row.get(color_by)), OTHER_COLOR)


@dataclass(frozen=True)
class Marker:
    """A numbered point as the script draws it: no resident text, only where, which number, which colour."""

    number: int
    lon: float
    lat: float
    color: str

    def as_json(self) -> dict[str, Any]:
        return {"n": self.number, "lon": self.lon, "lat": self.lat, "color": self.color}


class PrintRuntime(MacroElement):
    """The print view's small script (numbered markers, north arrow), once per page."""

    _template = Template("{% macro header(this, kwargs) %}<script>{{ this.js }}</script>{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "LowcodePrintRuntime"
        self.js = client_file("print.js")


class NumberedMarkers(MacroElement):
    """The numbered points; the map fits them when the map spec leaves the view open or when there are any."""

    _template = Template(
        "{% macro script(this, kwargs) %}lowcodeMap.numberedMarkers({{ this._parent.get_name() }}, "
        "{{ this.points|tojson }}, {{ this.fit|tojson }});{% endmacro %}"
    )

    def __init__(self, markers: Sequence[Marker], fit: bool) -> None:
        super().__init__()
        self._name = "NumberedMarkers"
        self.points = [m.as_json() for m in markers]
        self.fit = fit


class NorthArrow(MacroElement):
    """Web maps in Leaflet are always drawn north up, so a fixed arrow is true at every zoom."""

    _template = Template(
        "{% macro script(this, kwargs) %}lowcodeMap.northArrow({{ this._parent.get_name() }}, {{ this.label|tojson }});{% endmacro %}"
    )

    def __init__(self, label: str) -> None:
        super().__init__()
        self._name = "NorthArrow"
        self.label = label


def render_print_map(
    app: AppSpec, map_name: str, options: PrintOptions, markers: Sequence[Marker], *, app_dir: Path, lang: str,
    urls: MapUrls, words: Translate,
) -> MapHtml:
    """The sheet's map: basemap, the chosen layers that are not numbered, the numbered points, scale and north."""
    spec = app.maps[map_name]
    text = map_text(words)
    basemap = map_basemap(app, spec)
    fmap = create_map(spec, basemap, lang, f"{options.sheet.map_height_mm}mm")
    fmap.options["zoomSnap"] = 0.25  # fit the points to the sheet closely: paper has no room to waste
    fmap.add_child(MapRuntime(), name="lowcode_runtime")
    fmap.add_child(PrintRuntime(), name="lowcode_print_runtime")
    if not markers:
        add_view(fmap, app, spec, app_dir)
    add_basemap(fmap, basemap, lang)
    for index in options.layers:
        layer = spec.layers[index]
        if not is_numbered(layer):
            _add_unnumbered(fmap, app, map_name, index, layer, app_dir=app_dir, lang=lang, urls=urls, text=text)
    fmap.add_child(NumberedMarkers(markers, fit=bool(markers)), name="lowcode_numbered")
    fmap.add_child(ScaleBar(), name="lowcode_scale")
    fmap.add_child(NorthArrow(words(NORTH)), name="lowcode_north")
    localise_assets(fmap, urls.static)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    return MapHtml(figure.header.render(), figure.html.render(), figure.script.render())


def _add_unnumbered(
    fmap: folium.Map, app: AppSpec, map_name: str, index: int, layer: LayerSpec, *, app_dir: Path, lang: str,
    urls: MapUrls, text: Mapping[str, str],
) -> None:
    engine = engine_of_layer(layer)
    name = layer_name(app, layer, lang, engine)
    engine.add_to(fmap, LayerDraw(app, map_name, index, layer.model_copy(update={"show": True}), app_dir, lang, urls, text, name))


def legend_of(app: AppSpec, spec: MapSpec, layers: Sequence[int], lang: str) -> list[dict[str, Any]]:
    """The legend of the printed layers only (the map page's legend lists every layer)."""
    sections = []
    for index in layers:
        layer = spec.layers[index]
        engine = engine_of_layer(layer)
        section = engine.legend_section(app, layer, lang)
        if section:
            sections.append(section)
        elif is_numbered(layer):  # one colour: the layer's name says what its numbers are
            name = layer.label.get(lang) if layer.label is not None else engine.default_name(app, layer, lang)
            sections.append({"title": "", "items": [{"label": name, "color": layer.style.fill_color or layer.style.color}]})
    return sections


def tile_attribution(app: AppSpec, spec: MapSpec, lang: str) -> str | None:
    """The basemap's attribution HTML (presets' own, or staff text escaped by `tile_source`); None without tiles."""
    source = tile_source(map_basemap(app, spec), lang)
    return source[1] if source else None
