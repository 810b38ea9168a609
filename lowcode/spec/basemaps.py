"""The basemap presets an app may name (`basemap: gsi_pale`): the one list the spec checks names against and the
maps draw tiles from. Pure data, so `lowcode validate` reads it without the web engine.

Another package adds a preset by naming a `BasemapPreset` in the entry-point group `lowcode.basemaps` (a city's
own tile server, say); entry points are read once, the first time the list is asked.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "lowcode.basemaps"
NO_BASEMAP = "none"


@dataclass(frozen=True)
class BasemapPreset:
    """A tile server: URL template with {z}/{x}/{y}, the attribution HTML its terms require, its deepest zoom."""

    name: str
    url: str
    attribution: str
    max_zoom: int = 18


OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
# 国土地理院's terms ask for the source and a link to the tile list (https://maps.gsi.go.jp/development/ichiran.html).
GSI_ATTRIBUTION = '出典：国土地理院 <a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>'
BUILTIN_PRESETS = (
    BasemapPreset("osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", OSM_ATTRIBUTION, 19),
    BasemapPreset("gsi_std", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png", GSI_ATTRIBUTION, 18),
    BasemapPreset("gsi_pale", "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png", GSI_ATTRIBUTION, 18),
)


@cache
def basemap_presets() -> dict[str, BasemapPreset]:
    """Every preset by name: the built-ins, then the plug-ins' (a plug-in cannot replace a built-in)."""
    presets = {preset.name: preset for preset in BUILTIN_PRESETS}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        preset = point.load()
        if not isinstance(preset, BasemapPreset) or preset.name in presets or preset.name == NO_BASEMAP:
            log.warning("entry point %s in %s ignored: not a BasemapPreset, or its name is taken", point.value, ENTRY_POINT_GROUP)
            continue
        presets[preset.name] = preset
    return presets


def reload_basemap_presets() -> None:
    """Read the entry points again (tests that install a plug-in; a server reads them once)."""
    basemap_presets.cache_clear()


def basemap_names() -> list[str]:
    """The names `basemap:` accepts, `none` last."""
    return [*basemap_presets(), NO_BASEMAP]
