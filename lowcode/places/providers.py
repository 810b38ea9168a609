"""Geocoders that plug-ins add through the entry-point group `lowcode.geocoders`.

An entry point names a factory `(settings, app_dir) -> Geocoder` (see `places.base.Geocoder`); `settings` is the
mapping the app's YAML gives under `geocoder: providers: <name>:`. The factory is imported when the app's geocoder
is built, never while a spec is checked (the check knows only the names: `lowcode.spec.geocoders`).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from ..spec.geocoders import ENTRY_POINT_GROUP
from .base import Geocoder

GeocoderFactory = Callable[[Mapping[str, Any], Path], Geocoder]


def build_provider(name: str, settings: Mapping[str, Any], app_dir: Path) -> Geocoder:
    """The plug-in's geocoder; KeyError when no installed package provides `name` (the spec check says so first)."""
    points = entry_points(group=ENTRY_POINT_GROUP, name=name)
    if not points:
        raise KeyError(name)
    factory: GeocoderFactory = next(iter(points)).load()
    return factory(settings, app_dir)
