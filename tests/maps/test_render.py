"""Rendered map pages: local assets only, attributions, escaping, and no table rows in the page."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import folium
import pytest
from folium import plugins

from lowcode.maps.assets import VENDORED, UnknownAssetError, external_urls, localise_assets, vendor_path
from lowcode.maps.render import MapUrls, build_map, folium_location, render_map
from lowcode.spec.loader import LoadedApp

LoadApp = Callable[..., LoadedApp]
HOSTILE_GEOJSON = json.dumps({
    "type": "FeatureCollection",
    "features": [{
        "type": "Feature",
        "properties": {"name": "<script>alert(1)</script>", "kind": "school"},
        "geometry": {"type": "Point", "coordinates": [136.6562, 36.5613]},
    }],
})
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'


def in_script(text: str) -> str:
    """`text` as it appears inside a JSON string in the page's scripts (jinja's and folium's escaped JSON)."""
    return json.dumps(text)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def render(loaded: LoadedApp, urls: MapUrls, name: str = "m", lang: str = "ja") -> str:
    assert loaded.errors == [], [p.render() for p in loaded.errors]
    return render_map(loaded.spec, name, app_dir=loaded.folder, lang=lang, urls=urls).page("map")


def test_a_map_links_only_its_own_files_and_the_tile_server(load_app: LoadApp, urls: MapUrls) -> None:
    page = render(load_app("maps:\n  m:\n    basemap: osm\n    layers: [{table: hazards, color_by: theme}]\n"), urls)
    assert set(external_urls(page)) == {
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://www.openstreetmap.org/copyright",
    }
    assert '<script src="/static/vendor/leaflet/leaflet.js">' in page
    assert '<script src="/static/vendor/leaflet.markercluster/leaflet.markercluster.js">' in page
    assert "jquery" not in page and "bootstrap" not in page  # lowcode's maps need neither


def test_basemap_none_makes_no_request_outside_the_app(load_app: LoadApp, urls: MapUrls) -> None:
    page = render(load_app("maps:\n  m:\n    basemap: none\n    layers: [{table: hazards, heatmap: true}]\n"), urls)
    assert external_urls(page) == []
    assert "/static/vendor/leaflet.heat/leaflet_heat.min.js" in page


@pytest.mark.parametrize(("basemap", "tiles"), [
    ("gsi_std", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"),
    ("gsi_pale", "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png"),
])
def test_gsi_tiles_carry_their_attribution(load_app: LoadApp, urls: MapUrls, basemap: str, tiles: str) -> None:
    page = render(load_app(f"maps:\n  m:\n    center: {{lat: 36.56, lon: 136.65}}\n    basemap: {basemap}\n"), urls)
    assert tiles in page
    assert in_script('出典：国土地理院 <a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>') in page


def test_osm_attribution(load_app: LoadApp, urls: MapUrls) -> None:
    page = render(load_app("maps:\n  m:\n    center: {lat: 36.56, lon: 136.65}\n"), urls)
    assert in_script(OSM_ATTRIBUTION) in page


def test_custom_tile_attribution_is_escaped(load_app: LoadApp, urls: MapUrls) -> None:
    page = render(load_app(
        "maps:\n  m:\n    center: {lat: 36.56, lon: 136.65}\n"
        "    basemap: {url: '/tiles/{z}/{x}/{y}.png', attribution: '<img src=x onerror=alert(1)>金沢市'}\n"
    ), urls)
    assert "<img src=x" not in page
    assert in_script("&lt;img src=x onerror=alert(1)&gt;金沢市") in page
    assert external_urls(page) == []  # the municipality's own tile server, on this host


def test_table_rows_are_fetched_not_inlined(load_app: LoadApp, urls: MapUrls) -> None:
    page = render(load_app("maps:\n  m:\n    layers: [{table: hazards, where: {status: done}, popup: [title, theme]}]\n"), urls)
    config = json.loads(re.search(r"lowcodeMap\.tableLayer\(\w+, (\{.*?\})\);", page).group(1))
    assert config["url"] == "/town/api/hazards.geojson?map=m&layer=0"
    assert [f["name"] for f in config["popup"]] == ["title", "theme"]
    assert config["popup"][1]["labels"] == {"traffic": "交通安全", "crime": "防犯"}
    assert "done" not in json.dumps(config)  # the `where:` stays on the server
    assert len(page.encode()) < 100_000


def test_colour_by_choice_makes_a_legend(load_app: LoadApp, urls: MapUrls) -> None:
    page = render(load_app("maps:\n  m:\n    layers: [{table: hazards, color_by: theme}]\n"), urls, lang="en")
    legend = json.loads(re.search(r"lowcodeMap\.legend\(\w+, (\[.*?\])\);", page).group(1))
    # `crime` has no colour of its own: it gets the palette colour of its position.
    assert legend == [{"title": "Theme", "items": [{"label": "Traffic", "color": "#d62728"}, {"label": "Crime", "color": "#ff7f0e"}]}]


def test_file_values_cannot_become_markup(load_app: LoadApp, urls: MapUrls) -> None:
    loaded = load_app(
        "maps:\n  m:\n    layers:\n      - {file: data/s.geojson, label: '<b>学校</b>', popup: [name], label_property: name}\n",
        {"data/s.geojson": HOSTILE_GEOJSON},
    )
    page = render(loaded, urls)
    assert "<script>alert(1)</script>" not in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page  # as data, shown with textContent
    assert "<b>学校</b>" not in page  # the layer switcher shows names as HTML, so they are escaped
    assert in_script("&lt;b&gt;学校&lt;/b&gt;") in page


def test_file_layers_carry_only_the_properties_they_show(load_app: LoadApp, urls: MapUrls) -> None:
    loaded = load_app("maps:\n  m:\n    layers: [{file: data/s.geojson, popup: [kind]}]\n", {"data/s.geojson": HOSTILE_GEOJSON})
    page = render(loaded, urls)
    assert '"kind": "school"' in page and "alert" not in page


def test_without_centre_the_map_opens_on_the_service_area_and_fits_its_data(load_app: LoadApp, urls: MapUrls) -> None:
    loaded = load_app("service_area: {bbox: [136.4, 36.3, 136.9, 36.8]}\nmaps:\n  m:\n    layers: [{table: hazards}]\n")
    page = render(loaded, urls)
    assert "_lowcodeFit = true" in page
    assert "[[36.3, 136.4], [36.8, 136.9]]" in page  # fitBounds takes [lat, lon]


def test_controls_are_localised(load_app: LoadApp, urls: MapUrls) -> None:
    page = render(load_app("maps:\n  m:\n    layers: [{table: hazards}]\n"), urls, lang="ja")
    assert f'"title": "{in_script("全画面表示")}"' in page and f'"title": "{in_script("現在地を表示")}"' in page
    assert "L.control.scale({imperial: false})" in page
    assert "L.control.layers(" in page


def test_folium_location_turns_geojson_order_round() -> None:
    assert folium_location(136.65, 36.56) == [36.56, 136.65]


def test_every_folium_default_asset_is_vendored(urls: MapUrls) -> None:
    """A plain folium map with the plugins we use links nothing outside the app once localised."""
    fmap = folium.Map(location=[36.56, 136.65], tiles=None)
    folium.Marker([36.56, 136.65], icon=folium.Icon(icon="info-sign", angle=30)).add_to(fmap)
    plugins.MarkerCluster().add_to(fmap)
    plugins.FastMarkerCluster([[36.56, 136.65]]).add_to(fmap)
    plugins.HeatMap([[36.56, 136.65]]).add_to(fmap)
    plugins.Fullscreen().add_to(fmap)
    plugins.LocateControl().add_to(fmap)
    localise_assets(fmap, urls.static)
    assert external_urls(fmap.get_root().render()) == []
    assert folium.Map.default_js[0][1].startswith("https://")  # folium's own class lists are left alone


def test_vendored_files_exist_with_licences() -> None:
    for relative in VENDORED.values():
        assert vendor_path(relative).is_file(), relative
    folders = {Path(r).parts[1] for r in VENDORED.values()} - {"folium"}
    for folder in folders:
        licences = list((vendor_path("vendor") / folder).glob("*LICEN[CS]E*"))
        assert licences, folder


def test_an_asset_we_do_not_ship_is_refused(urls: MapUrls) -> None:
    fmap = folium.Map(tiles=None)
    plugins.Draw().add_to(fmap)
    with pytest.raises(UnknownAssetError):
        localise_assets(fmap, urls.static)


def test_build_map_returns_a_folium_map(load_app: LoadApp, urls: MapUrls) -> None:
    loaded = load_app("maps:\n  m:\n    center: {lat: 36.56, lon: 136.65}\n    zoom: 12\n")
    fmap = build_map(loaded.spec, "m", app_dir=loaded.folder, lang="en", urls=urls)
    assert isinstance(fmap, folium.Map)
    assert fmap.location == [36.56, 136.65] and fmap.options["zoom"] == 12
