"""In Chromium: clusters drawn from the GeoJSON API, popups as text, no request outside the app, the picker.

The page, the static files and the API are served from memory through Playwright's routing, so no server runs.
"""
from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from lowcode.maps.picker import picker_assets, render_location_picker
from lowcode.maps.render import MapUrls, render_map
from lowcode.spec.loader import LoadedApp

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ORIGIN = "http://lowcode.test"
STATIC = Path(__file__).resolve().parents[2] / "lowcode" / "static"
TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}
LoadApp = Callable[..., LoadedApp]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def hazard_points(count: int) -> bytes:
    rng = random.Random(3)
    features = [
        {"type": "Feature", "id": i, "geometry": {"type": "Point", "coordinates": [136.55 + rng.random() * 0.2, 36.5 + rng.random() * 0.15]},
         "properties": {"title": f"<img src=x onerror=window.hacked=1> {i}", "theme": rng.choice(["traffic", "crime"])}}
        for i in range(count)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def open_page(browser: object, html: str, api: dict[str, bytes], **context: object) -> tuple[object, list[str]]:
    outside: list[str] = []
    page = browser.new_context(**context).new_page()  # type: ignore[attr-defined]

    def serve(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        path = url.removeprefix(ORIGIN).split("?")[0]
        if not url.startswith(ORIGIN):
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]
        elif path == "/":
            route.fulfill(body=html, content_type="text/html; charset=utf-8")  # type: ignore[attr-defined]
        elif path.startswith("/static/") and (STATIC / path[8:]).is_file():
            route.fulfill(body=(STATIC / path[8:]).read_bytes(), content_type=TYPES.get(Path(path).suffix, "application/octet-stream"))  # type: ignore[attr-defined]
        elif path in api:
            route.fulfill(body=api[path], content_type="application/geo+json")  # type: ignore[attr-defined]
        else:
            route.fulfill(status=404, body="")  # type: ignore[attr-defined]

    page.route("**/*", serve)
    page.goto(ORIGIN + "/")
    return page, outside


def test_clustered_points_popups_and_no_outside_request(browser: object, load_app: LoadApp) -> None:
    loaded = load_app("maps:\n  m:\n    basemap: none\n    layers: [{table: hazards, color_by: theme, popup: [title, theme]}]\n")
    urls = MapUrls(static=lambda p: "/static/" + p, geojson=lambda table, params: f"/town/api/{table}.geojson?map=m&layer=0")
    html = render_map(loaded.spec, "m", app_dir=loaded.folder, lang="en", urls=urls).page("map")
    page, outside = open_page(browser, html, {"/town/api/hazards.geojson": hazard_points(5000)})
    page.wait_for_selector(".marker-cluster", timeout=10_000)
    assert page.get_attribute(".lowcode-map", "data-lowcode-points") == "5000"
    popup = page.evaluate("""() => new Promise(resolve => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        map.eachLayer(group => {
            if (!(group instanceof L.MarkerClusterGroup)) return;
            const marker = group.getLayers()[0];
            group.zoomToShowLayer(marker, () => {
                marker.fire('click', {latlng: marker.getLatLng()}, true);
                resolve(document.querySelector('.leaflet-popup-content').textContent);
            });
        });
    })""")
    assert popup.startswith("Title<img src=x onerror=window.hacked=1>")
    assert page.evaluate("() => window.hacked") is None
    assert "Traffic" in page.inner_text(".lowcode-legend")
    assert outside == []


def test_a_reference_shows_its_title_as_text_and_a_hidden_one_nothing(browser: object, load_app: LoadApp) -> None:
    yaml = """\
tables:
  schools:
    fields: {name: {type: text}}
  spots:
    fields:
      title: {type: text, label: Title}
      school: {type: reference, to: schools, label: School}
      place: {type: location}
maps:
  m:
    basemap: none
    layers: [{table: spots, cluster: false, popup: [title, school], tooltip: school}]
"""
    loaded = load_app(yaml, tables=False)
    urls = MapUrls(static=lambda p: "/static/" + p, geojson=lambda table, params: f"/town/api/{table}.geojson?map=m&layer=0")
    html = render_map(loaded.spec, "m", app_dir=loaded.folder, lang="en", urls=urls).page("map")
    point = {"type": "Point", "coordinates": [136.65, 36.56]}
    body = json.dumps({"type": "FeatureCollection", "features": [  # as the API answers (lowcode/maps/geojson.py)
        {"type": "Feature", "id": 1, "geometry": point, "properties": {"title": "Seen", "school": 7},
         "titles": {"school": "<img src=x onerror=window.hacked=1>East"}},
        {"type": "Feature", "id": 2, "geometry": {**point, "coordinates": [136.7, 36.6]},
         "properties": {"title": "Hidden", "school": None}, "titles": {}},
    ]}).encode()
    page, outside = open_page(browser, html, {"/town/api/spots.geojson": body})
    page.wait_for_function("() => document.querySelector('.lowcode-map').dataset.lowcodePoints === '2'", timeout=10_000)
    texts = page.evaluate("""() => {
        const map = Object.values(window).find(v => v instanceof L.Map);
        const shown = [];
        map.eachLayer(layer => {
            if (!(layer instanceof L.CircleMarker)) return;
            map.closePopup();
            layer.fire('click', {latlng: layer.getLatLng()}, true);
            shown.push(layer.getPopup().getContent().textContent);
        });
        return shown;
    }""")
    # the title as text (not markup), and for a row the public may not see neither a label nor an id
    assert sorted(texts) == ["TitleHidden", "TitleSeenSchool<img src=x onerror=window.hacked=1>East"]
    assert page.evaluate("() => window.hacked") is None
    assert outside == []


def test_the_picker_sets_the_inputs_from_a_tap_and_a_search(browser: object) -> None:
    picker = render_location_picker("place", None, label="Place", lang="en", basemap="none", geocode_url="/town/api/geocode")
    html = f"<!DOCTYPE html><html><head>{picker_assets(lambda p: '/static/' + p)}</head><body><form>{picker}</form></body></html>"
    # As /<app>/api/geocode answers: one place, {lon, lat, name, source}.
    answer = json.dumps({"lon": 136.6562, "lat": 36.5613, "name": "金沢市広坂一丁目", "source": "gazetteer"}).encode()
    page, outside = open_page(browser, html, {"/town/api/geocode": answer})
    page.wait_for_selector(".lowcode-picker-map:not([hidden])")
    box = page.query_selector(".lowcode-picker-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.input_value("#place_lat") != "" and page.input_value("#place_lon") != ""
    page.fill("[data-role=query]", "city hall")
    page.press("[data-role=query]", "Enter")
    page.wait_for_function("() => document.querySelector('#place_lat').value === '36.561300'")
    assert page.input_value("#place_lon") == "136.656200"
    assert outside == []
