"""The area drawing map: a form widget over an `area` field's GeoJSON text box, for staff who draw 町会 areas.

The text box is the field: it works without JavaScript, and it is the accessible way to give an area (paste
GeoJSON from a GIS tool). With JavaScript, lowcode-area.js shows a map above it, on the app's basemap, where a
polygon is drawn corner by corner, its corners dragged, or it is deleted (Leaflet-Geoman, vendored); several
polygons make a MultiPolygon. The map writes the text box and redraws when valid GeoJSON is typed into it, so the
server reads the same one field either way and checks it (`lowcode.geo.drawn_area`).

The widget's script is a file of the app (`<script src>`, allowed by the CSP without a nonce) that loads Leaflet
and Geoman itself when the page has not: the same markup works in any page that renders the field.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..geo.area import usable_bounds
from ..words import N_, Translate
from .assets import StaticUrl, local_url
from .basemaps import tile_source
from .picker import JAPAN_CENTER

if TYPE_CHECKING:
    from ..spec.maps import ServiceAreaSpec, TileServerSpec

# The buttons, written into the page in its language (they are hidden until the script shows them).
AREA_BUTTONS = {
    "draw": N_("Draw an area"),
    "edit": N_("Move corners"),
    "remove": N_("Delete an area"),
    "finish": N_("Done"),
}
# What the script says while drawing; the first three are Geoman's tooltips on the map, by its own key names.
AREA_TEXT = {
    "firstVertex": N_("Tap the map to place the first corner"),
    "continueLine": N_("Tap to place the next corner"),
    "finishPoly": N_("Tap the first corner to close the area"),
    "help": N_(
        "Press “Draw an area”, tap the map at each corner, then tap the first corner to close it. Draw again to "
        "add another area. The GeoJSON text below follows the map, and typing GeoJSON there redraws the map."
    ),
    "drawing": N_("Drawing: tap the map at each corner, then tap the first corner to close the area."),
    "editing": N_(
        "Drag a corner to move it, or drag the small mark in the middle of an edge to add a corner. "
        "Press “Done” when finished."
    ),
    "removing": N_("Tap an area on the map to delete it. Press “Done” when finished."),
    "count": N_("Areas on the map: {n}"),
    "unreadable": N_("The text is not an area the map can show yet; the map keeps the last area it could read."),
}
AREA_SCRIPT = "lowcode-area.js"
AREA_STYLE = "lowcode-area.css"


def render_area_map(
    name: str,
    *,
    lang: str,
    static_url: StaticUrl,
    words: Translate,
    basemap: str | TileServerSpec = "osm",
    area: ServiceAreaSpec | None = None,
    app_dir: Path | None = None,
) -> Markup:
    """The map's HTML for the text box named `name` (its id); the script fills it in when JavaScript runs."""
    text = {key: words(msgid) for key, msgid in AREA_TEXT.items()}
    config = area_map_config(lang, static_url, text, basemap, usable_bounds(area, Path(app_dir or ".")))
    buttons = "".join(
        f'<button type="button" class="button button-secondary" data-role="{key}">{escape(words(msgid))}</button>'
        for key, msgid in AREA_BUTTONS.items()
    )
    data = escape(json.dumps(config, ensure_ascii=False))
    return Markup("\n".join([
        f'<div class="lowcode-area" data-lowcode-area data-field="{escape(name)}" data-config="{data}">',
        f'<p class="lowcode-area-help" data-role="help" hidden>{escape(text["help"])}</p>',
        f'<div class="lowcode-area-tools" data-role="tools" hidden>{buttons}</div>',
        '<div class="lowcode-area-map" data-role="map" hidden></div>',
        '<p class="lowcode-area-status" data-role="status" role="status" aria-live="polite"></p>',
        "</div>",
        f'<script src="{escape(static_url(AREA_SCRIPT))}" defer></script>',
    ]))


def area_map_config(
    lang: str, static_url: StaticUrl, text: dict[str, str], basemap: str | TileServerSpec,
    bounds: tuple[float, float, float, float] | None,
) -> dict[str, object]:
    """What the script needs: the basemap (as the picker's), where to open, its words and the files to load."""
    source = tile_source(basemap, lang)
    return {
        "tiles": {"url": source[0], "attribution": source[1], "maxZoom": source[2]} if source else None,
        # Leaflet's order, [[south, west], [north, east]], from the area's [west, south, east, north].
        "bounds": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None,
        "center": JAPAN_CENTER,
        "startZoom": 5,
        "text": text,
        "assets": {
            "leaflet": local_url("leaflet", static_url),
            "leafletCss": local_url("leaflet_css", static_url),
            "geoman": local_url("leaflet_geoman", static_url),
            "geomanCss": local_url("leaflet_geoman_css", static_url),
            "style": static_url(AREA_STYLE),
        },
    }
