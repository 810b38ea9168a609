"""Tile servers for the basemap presets, with the attribution each one requires.

Kept apart from folium so the location picker (a form widget) can use the same tiles as the maps.
"""
from __future__ import annotations

from markupsafe import escape

from ..spec.maps import TileServerSpec

OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
# 国土地理院's terms ask for the source and a link to the tile list (https://maps.gsi.go.jp/development/ichiran.html).
GSI_ATTRIBUTION = '出典：国土地理院 <a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>'
PRESETS: dict[str, tuple[str, str, int]] = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", OSM_ATTRIBUTION, 19),
    "gsi_std": ("https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png", GSI_ATTRIBUTION, 18),
    "gsi_pale": ("https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png", GSI_ATTRIBUTION, 18),
}


def tile_source(basemap: str | TileServerSpec, lang: str) -> tuple[str, str, int] | None:
    """(URL template, attribution HTML, max zoom) of a basemap; None for `none` (or an unknown preset)."""
    if isinstance(basemap, TileServerSpec):
        return basemap.url, custom_attribution(basemap, lang), basemap.max_zoom
    return PRESETS.get(basemap)


def custom_attribution(basemap: TileServerSpec, lang: str) -> str:
    """Staff-written text, so escaped: Leaflet shows attributions as HTML."""
    text = escape(basemap.attribution.get(lang))
    if basemap.attribution_url and basemap.attribution_url.startswith(("https://", "http://")):
        return f'<a href="{escape(basemap.attribution_url)}">{text}</a>'
    return str(text)
