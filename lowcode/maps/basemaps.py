"""Tile servers for the basemap presets, with the attribution each one requires.

Kept apart from folium so the location picker (a form widget) can use the same tiles as the maps.
"""
from __future__ import annotations

from markupsafe import escape

from ..spec.basemaps import basemap_presets
from ..spec.maps import TileServerSpec


def tile_source(basemap: str | TileServerSpec, lang: str) -> tuple[str, str, int] | None:
    """(URL template, attribution HTML, max zoom) of a basemap; None for `none` (or an unknown preset)."""
    if isinstance(basemap, TileServerSpec):
        return basemap.url, custom_attribution(basemap, lang), basemap.max_zoom
    preset = basemap_presets().get(basemap)  # the presets' one list, which the spec checks names against
    return None if preset is None else (preset.url, preset.attribution, preset.max_zoom)


def custom_attribution(basemap: TileServerSpec, lang: str) -> str:
    """Staff-written text, so escaped: Leaflet shows attributions as HTML."""
    text = escape(basemap.attribution.get(lang))
    if basemap.attribution_url and basemap.attribution_url.startswith(("https://", "http://")):
        return f'<a href="{escape(basemap.attribution_url)}">{text}</a>'
    return str(text)
