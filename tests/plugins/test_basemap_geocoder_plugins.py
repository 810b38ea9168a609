"""Packages outside lowcode/ add a basemap preset (`lowcode.basemaps`) and an address search (`lowcode.geocoders`)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import support
from flask import Flask
from plugin_dists import installed, write_distribution

from lowcode.places.geocoder import build_geocoder
from lowcode.spec.basemaps import reload_basemap_presets
from lowcode.spec.geocoders import reload_geocoder_providers
from lowcode.spec.loader import load_app_spec
from lowcode.spec.places import GeocoderSpec

TILES = """
    from lowcode.spec.basemaps import BasemapPreset

    PRESET = BasemapPreset("city_tiles", "https://tiles.city.example.jp/{z}/{x}/{y}.png", "金沢市 地図", 17)
"""
CITY_GIS = """
    from lowcode.places.base import GeocodeResult


    class CityGis:
        def __init__(self, settings, app_dir):
            self.lon, self.lat = settings["point"]

        def geocode(self, address):
            return GeocodeResult(self.lon, self.lat, address, "city_gis") if address == "市役所" else None

        def reverse(self, lon, lat):
            return None


    def build(settings, app_dir):
        return CityGis(settings, app_dir)
"""
MAP_APP = """
title: t
basemap: city_tiles
tables:
  spots:
    fields:
      name: {type: text}
      location: {type: location}
forms:
  add: {table: spots}
maps:
  spots: {layers: [{table: spots}]}
"""
GEOCODER_APP = """
title: t
geocoder:
  providers:
    city_gis: {point: [136.6562, 36.5613]}
tables:
  spots:
    fields:
      name: {type: text}
"""


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    site = write_distribution(
        tmp_path / "site", "city_plugins", {"city_tiles.py": TILES, "city_gis.py": CITY_GIS},
        {"lowcode.basemaps": {"city_tiles": "city_tiles:PRESET"}, "lowcode.geocoders": {"city_gis": "city_gis:build"}},
    )
    with installed(monkeypatch, site, ("city_tiles", "city_gis"), (reload_basemap_presets, reload_geocoder_providers)):
        yield site


def problems_of(tmp_path: Path, yaml: str) -> list[str]:
    folder = support.write_app(tmp_path / "apps" / "demo", yaml)
    return [p.code for p in load_app_spec(folder, display_root=tmp_path).problems]


def test_without_the_packages_the_names_are_refused_with_the_installed_ones(tmp_path: Path) -> None:
    folder = support.write_app(tmp_path / "apps" / "demo", GEOCODER_APP)
    [problem] = load_app_spec(folder, display_root=tmp_path).problems

    assert problems_of(tmp_path, MAP_APP) == ["E_MAP_BASEMAP_UNKNOWN"]
    assert problem.render("en") == (
        "apps/demo/app.yaml:4:5 [E_UNKNOWN_GEOCODER] No installed package provides the geocoder 'city_gis'. "
        "Install the package that adds it (`pip install …`), or use one that is installed: -."
    )
    assert problem.render("ja").startswith("apps/demo/app.yaml:4:5 [E_UNKNOWN_GEOCODER] geocoder 'city_gis' を提供する")


def test_a_plug_in_basemap_is_accepted_drawn_and_allowed_by_the_csp(plugins: Path, tmp_path: Path, make_app: Callable[..., Flask]) -> None:
    assert problems_of(tmp_path, MAP_APP) == []
    client = make_app(MAP_APP).test_client()

    page = client.get("/demo/maps/spots")
    form = client.get("/demo/forms/add").get_data(as_text=True)

    assert "https://tiles.city.example.jp/{z}/{x}/{y}.png" in page.get_data(as_text=True)
    assert "https://tiles.city.example.jp/{z}/{x}/{y}.png" in form  # the location picker draws the same tiles
    assert "https://tiles.city.example.jp" in page.headers["Content-Security-Policy"].split("img-src")[1].split(";")[0]


def test_a_plug_in_geocoder_is_accepted_and_asked(plugins: Path, tmp_path: Path) -> None:
    assert problems_of(tmp_path, GEOCODER_APP) == []
    geocoder = build_geocoder(GeocoderSpec(providers={"city_gis": {"point": [136.6562, 36.5613]}}), tmp_path)

    found = geocoder.geocode("市役所")

    assert found is not None and (found.lon, found.lat, found.source) == (136.6562, 36.5613, "city_gis")
    assert geocoder.geocode("どこか") is None
