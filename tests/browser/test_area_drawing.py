"""Staff draw a 町会 area on a phone: tap the corners on the map of an `access: staff` form, send it, and the
stored polygon is the one drawn; a report inside it then derives the 町会. Typing GeoJSON redraws the map.
axe finds nothing serious on the form, with the map shown."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import shapely
import sqlalchemy as sa
from area_app import AREA_APP, SQUARE
from playwright.sync_api import expect
from support import serving
from test_staff_login_phone import BLOCKING, log_in_as_tanaka, phone_page, run_axe, staff_app

from lowcode.audit import Actor
from lowcode.records import submit

CORNERS = [(0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)]  # fractions of the map's width and height
BUTTON = {"draw": {"ja": "区域を描く", "en": "Draw an area"}, "done": {"ja": "完了", "en": "Done"}}


@pytest.fixture
def site(tmp_path: Path) -> Any:
    app = staff_app(tmp_path, AREA_APP)
    with serving(app) as url:
        yield app, url


def stored_boundaries(app: Any) -> list[Any]:
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        values = conn.execute(sa.text("SELECT boundary FROM hazards__chokai ORDER BY id")).scalars().all()
    return [json.loads(v) if isinstance(v, str) else v for v in values]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_staff_draw_an_area_by_tapping_its_corners(browser: Any, site: Any, axe_script: Path, lang: str) -> None:
    app, url = site
    page = phone_page(browser)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
    refused: list[str] = []  # what the Content-Security-Policy blocked: the map's scripts are files of the app
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{url}/hazards/staff/login?lang={lang}")
    log_in_as_tanaka(page)
    page.goto(f"{url}/hazards/forms/draw_area?lang={lang}")
    area_map = page.locator(".lowcode-area-map")
    expect(area_map).to_be_visible()
    expect(page.locator(".lowcode-area-map.leaflet-container")).to_have_count(1)
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []

    page.locator("#name").fill("広坂町会")
    page.get_by_role("button", name=BUTTON["draw"][lang]).click()
    box = area_map.bounding_box()
    assert box is not None
    for fx, fy in [*CORNERS, CORNERS[0]]:  # the first corner again closes the outline
        page.touchscreen.tap(box["x"] + fx * box["width"], box["y"] + fy * box["height"])  # a finger, not a mouse
        page.wait_for_timeout(150)
    drawn = json.loads(page.locator("#boundary").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    expect(page.locator(".lowcode-area-status")).to_contain_text("1")
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []

    page.locator("form.lc-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/hazards/forms/draw_area/sent"))
    [stored] = stored_boundaries(app)
    assert stored == drawn
    polygon = shapely.Polygon(stored["coordinates"][0])
    assert polygon.is_valid and polygon.area > 0
    inside = polygon.representative_point()
    with app.app_context():
        runtime, engine = app.extensions["lowcode"].runtimes["hazards"], app.extensions["lowcode"].db.engine
        result = submit(runtime, engine, "reports", {"what": "穴", "spot": (inside.x, inside.y)}, lang=lang, actor=Actor("resident"))
        assert result.stored
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT chokai FROM hazards__reports")).scalar_one() == "広坂町会"
    assert outside == [] and refused == []
    page.context.close()


@pytest.mark.browser
def test_typing_geojson_redraws_the_map(browser: Any, site: Any) -> None:
    _, url = site
    page = phone_page(browser)
    page.goto(f"{url}/hazards/staff/login?lang=en")
    log_in_as_tanaka(page)
    page.goto(f"{url}/hazards/forms/draw_area?lang=en")
    expect(page.locator(".lowcode-area-map.leaflet-container")).to_have_count(1)
    polygons = page.locator(".lowcode-area-map path.leaflet-interactive")
    expect(polygons).to_have_count(0)
    other = [[lon + 0.02, lat] for lon, lat in SQUARE]
    page.locator("#boundary").fill(json.dumps({"type": "MultiPolygon", "coordinates": [[SQUARE], [other]]}))
    expect(polygons).to_have_count(2)
    expect(page.locator(".lowcode-area-status")).to_have_text("Areas on the map: 2")
    page.locator("#boundary").fill('{"type": "Polygon", "coordinates": [[')
    expect(page.locator(".lowcode-area-status")).to_contain_text("not an area the map can show")
    expect(polygons).to_have_count(2)  # half-typed text leaves the map as it was
    page.locator("#boundary").fill("")
    expect(polygons).to_have_count(0)
    page.context.close()


@pytest.mark.browser
def test_staff_move_a_corner_and_delete_an_area(browser: Any, site: Any) -> None:
    _, url = site
    page = phone_page(browser)
    page.goto(f"{url}/hazards/staff/login?lang=en")
    log_in_as_tanaka(page)
    page.goto(f"{url}/hazards/forms/draw_area?lang=en")
    page.locator("#boundary").fill(json.dumps({"type": "Polygon", "coordinates": [SQUARE]}))
    expect(page.locator(".lowcode-area-map path.leaflet-interactive")).to_have_count(1)

    page.get_by_role("button", name="Move corners").click()
    expect(page.get_by_role("button", name="Move corners")).to_have_attribute("aria-pressed", "true")
    corners = page.locator(".lowcode-area-map .marker-icon:not(.marker-icon-middle)")
    expect(corners).to_have_count(4)
    corner = corners.first.bounding_box()
    assert corner is not None
    x, y = corner["x"] + corner["width"] / 2, corner["y"] + corner["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 30, y - 30, steps=5)
    page.mouse.up()
    moved = json.loads(page.locator("#boundary").input_value())["coordinates"][0]
    assert len(moved) == 5 and moved != SQUARE and moved[1:4] == SQUARE[1:4]  # one corner moved, the ring still closed
    assert moved[0] == moved[-1]

    page.get_by_role("button", name="Delete an area").click()
    map_box = page.locator(".lowcode-area-map").bounding_box()
    assert map_box is not None
    page.touchscreen.tap(map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2)
    expect(page.locator("#boundary")).to_have_value("")
    expect(page.locator(".lowcode-area-status")).to_have_text("Areas on the map: 0")
    page.context.close()
