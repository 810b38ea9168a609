"""The location picker: HTML that works without JavaScript, and the server's checks of the point."""
from __future__ import annotations

import json
from html import unescape
from pathlib import Path

import pytest

from lowcode.maps.picker import (
    check_point_in_service_area,
    input_names,
    location_message,
    picker_assets,
    read_location_input,
    render_location_picker,
)
from lowcode.spec.maps import ServiceAreaSpec

KANAZAWA = ServiceAreaSpec(name={"ja": "金沢市", "en": "Kanazawa"}, bbox=(136.4, 36.3, 136.9, 36.8))
# A rough quadrilateral around central Kanazawa: points in its bounding box but outside it exist.
POLYGON = {
    "type": "FeatureCollection",
    "features": [{"type": "Feature", "properties": {"name": "中心部"}, "geometry": {"type": "Polygon", "coordinates": [
        [[136.60, 36.52], [136.70, 36.52], [136.70, 36.60], [136.60, 36.52]],
    ]}}],
}


def test_the_inputs_work_without_javascript() -> None:
    html = render_location_picker("place", (136.6562, 36.5613), label="場所", lang="ja")
    assert input_names("place") == ("place_lat", "place_lon")
    assert 'name="place_lat" id="place_lat" value="36.561300"' in html
    assert 'name="place_lon" id="place_lon" value="136.656200"' in html
    assert '<div class="lowcode-picker-map" data-role="map" hidden></div>' in html  # shown by the script only
    assert "<legend>場所</legend>" in html and "緯度" in html and "経度" in html


def test_the_picker_is_told_its_geocoder_and_area() -> None:
    html = render_location_picker(
        "place", None, label="Place", lang="en", basemap="gsi_std", geocode_url="/town/api/geocode", area=KANAZAWA,
    )
    config = json.loads(unescape(str(html).split('data-config="')[1].split('"')[0]))
    assert config["geocodeUrl"] == "/town/api/geocode"
    assert config["bounds"] == [[36.3, 136.4], [36.8, 136.9]]  # Leaflet's [lat, lon]
    assert config["tiles"]["url"] == "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
    assert 'data-role="query"' in html and ">Use my location</button>" in html


def test_what_was_typed_comes_back_with_the_error() -> None:
    html = render_location_picker(
        "place", None, label="<b>場所</b>", lang="ja", typed=("136.65", "36.56"), error="緯度と経度が入れ替わっているようです。",
    )
    assert 'value="136.65"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="place-location-error"' in html
    assert "&lt;b&gt;場所&lt;/b&gt;" in html


def test_assets_are_local() -> None:
    head = picker_assets(lambda path: "/static/" + path)
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in head
    assert "http" not in head.replace("/static/", "")
    assert "leaflet.js" not in picker_assets(lambda path: "/static/" + path, include_leaflet=False)


@pytest.mark.parametrize(("lat", "lon", "expected"), [
    ("36.5613", "136.6562", ((136.6562, 36.5613), None)),
    ("３６．５６１３", "１３６．６５６２", ((136.6562, 36.5613), None)),  # typed with a Japanese IME
    ("", "", (None, None)),
    ("36.5", "", (None, "E_LOCATION_INCOMPLETE")),
    ("north", "136.6", (None, "E_LOCATION_NOT_NUMBER")),
    ("136.6562", "36.5613", (None, "E_LOCATION_SWAPPED")),
    ("36.5", "200", (None, "E_LOCATION_RANGE")),
])
def test_reading_the_inputs(lat: str, lon: str, expected: tuple) -> None:
    assert read_location_input(lat, lon) == expected


def test_point_in_a_bbox_area(tmp_path: Path) -> None:
    assert check_point_in_service_area(136.6562, 36.5613, KANAZAWA, tmp_path) is None
    assert check_point_in_service_area(139.7671, 35.6812, KANAZAWA, tmp_path) == "E_LOCATION_OUTSIDE_AREA"
    assert check_point_in_service_area(36.5613, 136.6562, KANAZAWA, tmp_path) == "E_LOCATION_SWAPPED"
    assert check_point_in_service_area(139.7671, 35.6812, None, tmp_path) is None


def test_point_in_a_polygon_area(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "area.geojson").write_text(json.dumps(POLYGON), encoding="utf-8")
    area = ServiceAreaSpec(file="data/area.geojson")
    assert check_point_in_service_area(136.68, 36.53, area, tmp_path) is None
    assert check_point_in_service_area(136.61, 36.59, area, tmp_path) == "E_LOCATION_OUTSIDE_AREA"  # in the box, not the polygon


def test_messages_in_both_languages() -> None:
    assert location_message("E_LOCATION_OUTSIDE_AREA", "en", KANAZAWA) == (
        "This point is outside Kanazawa. Move the marker inside the area, or search for the address again."
    )
    assert location_message("E_LOCATION_OUTSIDE_AREA", "ja", KANAZAWA) == (
        "この地点は金沢市の外です。区域の中に印を動かすか、住所をもう一度検索してください。"
    )
    assert location_message("E_LOCATION_OUTSIDE_AREA", "ja") == (
        "この地点はこのサービスの区域の外です。区域の中に印を動かすか、住所をもう一度検索してください。"
    )
    assert location_message("E_LOCATION_SWAPPED", "en") == (
        "The latitude and longitude look swapped. The latitude (north–south, e.g. 36.56) goes in the first box, "
        "the longitude (east–west, e.g. 136.65) in the second."
    )


def test_the_picker_is_told_where_to_ask_for_the_town_name() -> None:
    html = render_location_picker("place", None, label="場所", lang="ja", reverse_url="/town/api/reverse")
    config = json.loads(unescape(str(html).split('data-config="')[1].split('"')[0]))
    assert config["reverseUrl"] == "/town/api/reverse"
    assert config["text"]["near"] == "近くの町名: {name}"
    assert 'data-role="status" role="status" aria-live="polite"' in html  # where the name appears
    english = render_location_picker("place", None, label="Place", lang="en")
    assert json.loads(unescape(str(english).split('data-config="')[1].split('"')[0]))["reverseUrl"] is None
