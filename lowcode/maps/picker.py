"""The location picker: a form widget that sets a point on a map, and the server's checks of that point.

The widget is two plain text inputs, `<name>_lat` and `<name>_lon`, that work without JavaScript. With
JavaScript a map appears above them: tap to set the point, drag the marker, "use my location", and a search
box that asks the app's geocoder (a URL given by the engine; it answers one place `{lon, lat, name}` or a GeoJSON
FeatureCollection of Points with `properties.label`, see `geojson.geocode_results`). Whenever the pin is set or
moved, the picker asks the reverse geocoder (`reverse_url?lon=…&lat=…` → `{name}`) for the nearest town and shows
「近くの町名: 広坂一丁目」 under the map, so the resident can confirm the place. The map writes into the inputs,
so the server reads the same two fields either way.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..geo.area import load_service_area, usable_bounds
from ..values import InvalidValue, parse_number
from ..words import N_, Translate, words_for
from .assets import StaticUrl, client_file, local_url
from .basemaps import tile_source

if TYPE_CHECKING:
    from ..spec.maps import ServiceAreaSpec, TileServerSpec

Point = tuple[float, float]  # (lon, lat), GeoJSON order, as storage keeps it
JAPAN_CENTER = [36.2, 138.2]  # [lat, lon] for Leaflet: where the picker opens with no area and no value
# The picker's words, as msgids of the Babel catalogue; `picker_text` translates them for one page.
PICKER_TEXT = {
    "latitude": N_("Latitude"), "longitude": N_("Longitude"), "locate": N_("Use my location"),
    "search": N_("Search"),
    "search_label": N_("Address or place name"), "marker": N_("Chosen point (drag to move)"),
    "locating": N_("Finding your location…"), "locateFailed": N_("Your location could not be found."),
    "noGeolocation": N_("This browser cannot tell your location."), "searching": N_("Searching…"),
    "notFound": N_("No place found. Try another address."),
    "searchFailed": N_("The search did not work. Please try again."),
    "help": N_("Tap the map to set the point, then drag the marker to adjust it."),
    "area": N_("the area this service covers"),
    "near": N_("Near: {name}"),
}
# What the server says next to the field when it refuses a point; `{area}` is the service area's name.
LOCATION_MESSAGES = {
    "E_LOCATION_INCOMPLETE": N_("Enter both the latitude and the longitude, or leave both empty."),
    "E_LOCATION_NOT_NUMBER": N_(
        "The latitude and longitude must be numbers in degrees. "
        "For example 36.5613 and 136.6562; or tap the map instead."
    ),
    "E_LOCATION_RANGE": N_("The latitude must be between -90 and 90 and the longitude between -180 and 180."),
    "E_LOCATION_SWAPPED": N_(
        "The latitude and longitude look swapped. The latitude (north–south, e.g. 36.56) goes in the first box, "
        "the longitude (east–west, e.g. 136.65) in the second."
    ),
    "E_LOCATION_OUTSIDE_AREA": N_(
        "This point is outside {area}. Move the marker inside the area, or search for the address again."
    ),
}


def input_names(name: str) -> tuple[str, str]:
    """The form fields the picker posts for a location field: (latitude, longitude)."""
    return f"{name}_lat", f"{name}_lon"


def picker_assets(static_url: StaticUrl, *, include_leaflet: bool = True) -> Markup:
    """What a page with pickers needs in <head>, once; leave Leaflet out when the page's map already links it."""
    links = ""
    if include_leaflet:
        links = (
            f'<link rel="stylesheet" href="{escape(local_url("leaflet_css", static_url))}">\n'
            f'<script src="{escape(local_url("leaflet", static_url))}"></script>\n'
        )
    return Markup(f"{links}<style>{client_file('picker.css')}</style>\n<script>{client_file('picker.js')}</script>\n")


def render_location_picker(
    name: str,
    value: Point | None,
    *,
    label: str,
    lang: str,
    basemap: str | TileServerSpec = "osm",
    geocode_url: str | None = None,
    reverse_url: str | None = None,
    area: ServiceAreaSpec | None = None,
    app_dir: Path | None = None,
    typed: tuple[str, str] | None = None,
    error: str | None = None,
    help_text: str | None = None,
    required: bool = False,
    words: Translate | None = None,
) -> Markup:
    """The picker's HTML. `typed` re-shows what the person entered when the form comes back with `error`.

    `geocode_url` adds the search box; `reverse_url` makes the picker name the nearest town of the pin;
    `words` translates its words (the engine passes Flask-Babel's; by default the catalogue of `lang`).
    """
    text = picker_text(words or words_for(lang))
    lat_name, lon_name = input_names(name)
    lat_text, lon_text = typed if typed is not None else _value_texts(value)
    bounds = usable_bounds(area, Path(app_dir or "."))
    config = picker_config(lang, basemap, geocode_url, bounds, text, reverse_url=reverse_url)
    error_id = f"{name}-location-error"
    parts = [
        f'<fieldset class="lowcode-picker" data-lowcode-picker data-config="{escape(json.dumps(config, ensure_ascii=False))}"'
        + (f' aria-describedby="{escape(error_id)}"' if error else "") + ">",
        f"<legend>{escape(label)}</legend>",
        f'<p class="lowcode-picker-help">{escape(help_text)}</p>' if help_text else "",
        f'<p class="lowcode-picker-help" data-role="help" hidden>{escape(text["help"])}</p>',
        '<div class="lowcode-picker-map" data-role="map" hidden></div>',
        _tools_html(text, geocode_url is not None),
        '<ul class="lowcode-picker-results" data-role="results"></ul>',
        '<p class="lowcode-picker-status" data-role="status" role="status" aria-live="polite"></p>',
        f'<p class="lowcode-picker-error" id="{escape(error_id)}">{escape(error)}</p>' if error else "",
        '<div class="lowcode-picker-inputs">',
        _input_html(lat_name, text["latitude"], lat_text, "lat", required, bool(error)),
        _input_html(lon_name, text["longitude"], lon_text, "lon", required, bool(error)),
        "</div>",
        "</fieldset>",
    ]
    return Markup("\n".join(p for p in parts if p))


def _value_texts(value: Point | None) -> tuple[str, str]:
    if value is None:
        return "", ""
    lon, lat = value
    return f"{lat:.6f}", f"{lon:.6f}"


def _tools_html(text: dict[str, str], with_search: bool) -> str:
    search = (
        f'<input type="search" data-role="query" aria-label="{escape(text["search_label"])}"'
        f' placeholder="{escape(text["search_label"])}">'
        f'<button type="button" data-role="search">{escape(text["search"])}</button>'
    ) if with_search else ""
    return (
        '<div class="lowcode-picker-tools" data-role="tools" hidden>'
        f'<button type="button" data-role="locate">{escape(text["locate"])}</button>{search}</div>'
    )


def _input_html(name: str, label: str, value: str, role: str, required: bool, invalid: bool) -> str:
    attributes = ' required' if required else ""
    attributes += ' aria-invalid="true"' if invalid else ""
    return (
        f'<label>{escape(label)} <input type="text" inputmode="decimal" autocomplete="off" name="{escape(name)}"'
        f' id="{escape(name)}" value="{escape(value)}" data-role="{role}"{attributes}></label>'
    )


def picker_config(
    lang: str, basemap: str | TileServerSpec, geocode_url: str | None, bounds: tuple[float, float, float, float] | None,
    text: dict[str, str], *, reverse_url: str | None = None,
) -> dict[str, object]:
    source = tile_source(basemap, lang)
    return {
        "tiles": {"url": source[0], "attribution": source[1], "maxZoom": source[2]} if source else None,
        "geocodeUrl": geocode_url,
        "reverseUrl": reverse_url,
        # Leaflet's order, [[south, west], [north, east]], made here from the area's [west, south, east, north].
        "bounds": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None,
        "center": JAPAN_CENTER,
        "startZoom": 5,
        "zoom": 17,
        "text": text,
    }


# --- the server's side ---


def read_location_input(lat_text: str | None, lon_text: str | None) -> tuple[Point | None, str | None]:
    """((lon, lat) or None, problem code or None) from the two inputs, with a code that says what went wrong.

    Numbers are read as every number field reads them (full-width digits from a Japanese IME are fine).
    """
    lat_text, lon_text = (lat_text or "").strip(), (lon_text or "").strip()
    if not lat_text and not lon_text:
        return None, None
    if not lat_text or not lon_text:
        return None, "E_LOCATION_INCOMPLETE"
    try:
        lat, lon = parse_number(lat_text), parse_number(lon_text)
    except InvalidValue:
        return None, "E_LOCATION_NOT_NUMBER"
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None, "E_LOCATION_NOT_NUMBER"
    if abs(lat) > 90 and abs(lon) <= 90:
        return None, "E_LOCATION_SWAPPED"
    if abs(lat) > 90 or abs(lon) > 180:
        return None, "E_LOCATION_RANGE"
    return (lon, lat), None


def check_point_in_service_area(lon: float, lat: float, area: ServiceAreaSpec | None, app_dir: Path) -> str | None:
    """None when the point may be used; else the problem code (E_LOCATION_SWAPPED or E_LOCATION_OUTSIDE_AREA)."""
    if area is None:
        return None
    shape = load_service_area(area, Path(app_dir))
    if shape.contains(lon, lat):
        return None
    if abs(lon) <= 90 and shape.contains(lat, lon):
        return "E_LOCATION_SWAPPED"
    return "E_LOCATION_OUTSIDE_AREA"


def picker_text(words: Translate) -> dict[str, str]:
    """The picker's words in one language, for its HTML and for its script."""
    return {key: words(msgid) for key, msgid in PICKER_TEXT.items()}


def location_message(
    code: str, lang: str, area: ServiceAreaSpec | None = None, *, words: Translate | None = None
) -> str:
    """The message (and hint) to show next to the field, in the page's language (`words` translates it)."""
    words = words or words_for(lang)
    area_name = area.name.get(lang) if area is not None and area.name is not None else words(PICKER_TEXT["area"])
    return words(LOCATION_MESSAGES[code]).format(area=area_name)
