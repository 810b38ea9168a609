"""A resident's phone against the real engine: pick a point, see the town, send it, find it on the public map.

One engine server (SQLite in a temporary folder) serves three apps on 127.0.0.1: `walk` (no basemap, a
gazetteer of Kanazawa's 町丁目), `pale` (the same with 地理院タイル 淡色地図) and `marks` (a row whose title is
markup). Chromium is the system one; every request leaving 127.0.0.1 is recorded and aborted.
"""
from __future__ import annotations

import json
import os
import textwrap
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from lowcode.app import create_app

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = Path(os.environ.get("LOWCODE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TOWNS = Path(__file__).resolve().parents[2] / "apps" / "safe_school_routes" / "data" / "towns.csv"

WALK = """
title: {{ja: 通学路の危険箇所, en: School-route hazards}}
basemap: {basemap}
service_area:
  name: {{ja: 金沢市中心部, en: central Kanazawa}}
  bbox: [136.62, 36.54, 136.69, 36.59]
geocoder:
  city: 石川県金沢市
  gazetteer: {{file: data/towns.csv, name: town, lat: lat, lon: lon}}
tables:
  hazards:
    fields:
      title: {{type: text, required: true, label: {{ja: 件名, en: Title}}}}
      place: {{type: location, required: true, label: {{ja: 場所, en: Place}}}}
    seed: {{file: data/hazards.csv}}
forms:
  report: {{table: hazards, title: {{ja: 危険箇所を報告する, en: Report a hazard}}}}
lists:
  hazards: {{table: hazards}}
maps:
  hazards:
    title: {{ja: 危険箇所マップ, en: Hazard map}}
    layers: [{{table: hazards, popup: [title]}}]
"""
MARKUP_TITLE = "<script>alert(1)</script><b>x</b>"
# Resolves once the page's map has not moved for 300 ms (folium declares the map as a global variable).
SETTLED = """() => new Promise(resolve => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    let timer = setTimeout(resolve, 300);
    map.on("movestart zoomstart", () => clearTimeout(timer));
    map.on("moveend", () => { clearTimeout(timer); timer = setTimeout(resolve, 300); });
})"""


@dataclass
class Server:
    url: str
    host: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("maps_engine")
    towns = TOWNS.read_text(encoding="utf-8")
    seeds = {"walk": "title,lat,lon\n", "pale": "title,lat,lon\n", "marks": f'title,lat,lon\n"{MARKUP_TITLE}",36.5607,136.6578\n'}
    for name, basemap in (("walk", "none"), ("pale", "gsi_pale"), ("marks", "none")):
        folder = root / "apps" / name / "data"
        folder.mkdir(parents=True)
        (folder.parent / "app.yaml").write_text(textwrap.dedent(WALK.format(basemap=basemap)).lstrip(), encoding="utf-8")
        (folder / "towns.csv").write_text(towns, encoding="utf-8")
        (folder / "hazards.csv").write_text(seeds[name], encoding="utf-8")
    app = create_app(root / "apps", {"INSTANCE_PATH": str(root / "instance"), "DATABASE_URL": f"sqlite:///{root / 'maps.sqlite3'}"})
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="lowcode-maps-server", daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{http.server_port}", f"127.0.0.1:{http.server_port}")
    http.shutdown()
    thread.join(timeout=10)
    http.server_close()
    with app.app_context():
        app.extensions["lowcode"].db.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for this module (Playwright's sync API allows one running instance at a time)."""
    if not CHROMIUM.is_file():
        if IN_CI:
            pytest.fail(f"Chromium is not installed at {CHROMIUM} (CI runs every browser test)")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Phone:
    page: Any
    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def phone(browser: Any, server: Server) -> Iterator[Phone]:
    """A fresh phone-sized tab; requests to any host but the server are recorded and aborted."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(8_000)
    phone = Phone(context.new_page())

    def only_local(route: Any, request: Any) -> None:
        if urllib.parse.urlsplit(request.url).netloc == server.host or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            phone.outside.append(request.url)
            route.abort()

    def dismiss(dialog: Any) -> None:  # an alert() would mean markup ran: note it, and do not block the page
        phone.dialogs.append(dialog.message)
        dialog.dismiss()

    context.route("**/*", only_local)
    phone.page.on("dialog", dismiss)
    yield phone
    context.close()


def town_near(server: Server, app: str, lat: str, lon: str) -> str:
    """What the engine's reverse geocoder says for a point, asked directly (the expected text in the picker)."""
    query = urllib.parse.urlencode({"lat": lat, "lon": lon})
    with urllib.request.urlopen(f"{server.url}/{app}/api/reverse?{query}", timeout=5) as response:
        return str(json.load(response)["name"])


def status_text(page: Any) -> str:
    return str(page.text_content(".lowcode-picker [data-role=status]") or "")


def open_popup_of_only_point(page: Any) -> Any:
    """Wait for the layer's one point, tap it and return the popup's content element."""
    page.wait_for_function("() => document.querySelector('.lowcode-map').getAttribute('data-lowcode-points') === '1'")
    # The map then zooms to the point and the cluster layer redraws its marker: tap once it has settled.
    page.evaluate(SETTLED)
    page.locator(".leaflet-overlay-pane path.leaflet-interactive").first.click()
    return page.wait_for_selector(".leaflet-popup-content")


def test_a_resident_picks_a_point_sees_the_town_sends_it_and_finds_it_on_the_map(phone: Phone, server: Server) -> None:
    page = phone.page
    page.goto(f"{server.url}/walk/forms/report?lang=ja")
    page.wait_for_selector(".lowcode-picker-map.leaflet-container")
    box = page.locator(".lowcode-picker-map").bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.querySelector('#place_lat').value !== ''")
    lat, lon = page.input_value("#place_lat"), page.input_value("#place_lon")
    assert 36.54 < float(lat) < 36.59 and 136.62 < float(lon) < 136.69  # the middle of the area the map opened on
    expected = f"近くの町名: {town_near(server, 'walk', lat, lon)}"
    page.wait_for_function("text => document.querySelector('.lowcode-picker [data-role=status]').textContent === text", arg=expected)
    assert page.locator(".leaflet-marker-icon").count() == 1

    page.fill("#title", "見通しの悪い交差点")
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/walk/forms/report/sent/*")

    page.goto(f"{server.url}/walk/maps/hazards?lang=ja")
    popup = open_popup_of_only_point(page)
    assert "見通しの悪い交差点" in popup.text_content()
    assert popup.query_selector("a").get_attribute("href").startswith("/walk/lists/hazards/")
    assert phone.outside == [] and phone.dialogs == []


def test_markup_in_a_title_is_shown_as_text_in_the_popup(phone: Phone, server: Server) -> None:
    page = phone.page
    page.goto(f"{server.url}/marks/maps/hazards?lang=en")
    popup = open_popup_of_only_point(page)
    assert MARKUP_TITLE in popup.text_content()
    assert popup.query_selector_all("b") == [] and popup.query_selector_all("script") == []
    assert phone.dialogs == [] and phone.outside == []


@pytest.mark.parametrize("path", ["maps/hazards", "forms/report"])
def test_with_basemap_none_no_request_leaves_the_app(phone: Phone, server: Server, path: str) -> None:
    page = phone.page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server.url}/walk/{path}")
    page.wait_for_selector(".leaflet-container")
    page.wait_for_load_state("networkidle")
    assert requests and all(urllib.parse.urlsplit(url).netloc == server.host for url in requests)
    assert phone.outside == []


@pytest.mark.parametrize("path", ["maps/hazards", "forms/report"])
def test_with_gsi_tiles_only_the_tile_server_is_asked(phone: Phone, server: Server, path: str) -> None:
    page = phone.page
    page.goto(f"{server.url}/pale/{path}")
    page.wait_for_selector(".leaflet-tile", state="attached")  # aborted, so never visible
    page.wait_for_load_state("networkidle")
    hosts = {urllib.parse.urlsplit(url).netloc for url in phone.outside}
    assert hosts == {"cyberjapandata.gsi.go.jp"}
    assert all("/xyz/pale/" in url for url in phone.outside)
    assert "国土地理院" in page.text_content(".leaflet-control-attribution")


def test_the_search_box_moves_the_pin_to_the_gazetteer_point(phone: Phone, server: Server) -> None:
    page = phone.page
    page.goto(f"{server.url}/walk/forms/report?lang=ja")
    page.fill(".lowcode-picker [data-role=query]", "広坂１丁目")
    page.click(".lowcode-picker [data-role=search]")
    page.wait_for_function("() => document.querySelector('#place_lat').value === '36.560745'")
    assert page.input_value("#place_lon") == "136.657800"  # 広坂一丁目 in towns.csv: 36.560745, 136.6578
    page.wait_for_function(
        "() => document.querySelector('.lowcode-picker [data-role=status]').textContent === '近くの町名: 広坂一丁目'"
    )
    marker = page.evaluate("""() => {
        const icon = document.querySelector('.leaflet-marker-icon').getBoundingClientRect();
        const map = document.querySelector('.lowcode-picker-map').getBoundingClientRect();
        return [icon.left + icon.width / 2 - map.left, icon.bottom - map.top, map.width, map.height];
    }""")
    assert abs(marker[0] - marker[2] / 2) < 2 and abs(marker[1] - marker[3] / 2) < 2  # the map moved to the pin
    assert phone.outside == []


def test_typed_numbers_name_the_town_too_and_no_town_leaves_the_line_empty(phone: Phone, server: Server) -> None:
    page = phone.page
    page.goto(f"{server.url}/walk/forms/report?lang=en")
    page.wait_for_selector(".lowcode-picker-map.leaflet-container")
    with page.expect_response(lambda r: "/walk/api/reverse" in r.url) as asked:
        page.fill("#place_lat", "36.65")  # the sea off Kanazawa: near the service area, no town within 2 km: 404
        page.fill("#place_lon", "136.55")
    assert asked.value.status == 404
    page.wait_for_timeout(100)
    assert status_text(page) == ""
    with page.expect_response(lambda r: "/walk/api/reverse" in r.url) as asked:
        page.fill("#place_lat", "35.6812")  # Tokyo station: far outside the service area, refused with 400
        page.fill("#place_lon", "139.7671")
    assert asked.value.status == 400
    page.wait_for_timeout(100)
    assert status_text(page) == ""
    page.fill("#place_lat", "36.5607")
    page.fill("#place_lon", "136.6578")
    page.wait_for_function(
        "() => document.querySelector('.lowcode-picker [data-role=status]').textContent === 'Near: 広坂一丁目'"
    )
    assert page.locator(".leaflet-marker-icon").count() == 1
