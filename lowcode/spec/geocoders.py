"""The address searches a plug-in may add (`geocoder: {providers: {city_gis: {…}}}`), by name.

The spec only needs the names, which `importlib.metadata` reads without importing the plug-in: the provider's code
(network clients and all) is loaded by the engine when the app is prepared (`lowcode.places.providers`).
"""
from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

ENTRY_POINT_GROUP = "lowcode.geocoders"


@cache
def geocoder_provider_names() -> list[str]:
    return sorted({point.name for point in entry_points(group=ENTRY_POINT_GROUP)})


def reload_geocoder_providers() -> None:
    """Read the entry points again (tests that install a plug-in; a server reads them once)."""
    geocoder_provider_names.cache_clear()
