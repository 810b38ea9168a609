"""Issue 9 (K): on the staff edit page an admin (who may `manage_areas`) drags a corner of a stored 町会 area on the
map, saves, and the stored polygon is the one on the map; axe finds nothing serious on the page with the map."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from area_app import AREA_APP, SQUARE
from playwright.sync_api import expect
from support import serving
from test_staff_login_phone import BLOCKING, log_in_as_tanaka, phone_page, run_axe, staff_app

from lowcode.audit import Actor
from lowcode.records import submit


@pytest.fixture
def site(tmp_path: Path) -> Any:
    app = staff_app(tmp_path, AREA_APP)
    with app.app_context():
        runtime, engine = app.extensions["lowcode"].runtimes["hazards"], app.extensions["lowcode"].db.engine
        values = {"name": "広坂町会", "boundary": {"type": "Polygon", "coordinates": [SQUARE]}}
        assert submit(runtime, engine, "chokai", values, lang="ja", actor=Actor("setup")).stored
    with serving(app) as url:
        yield app, url


def stored_boundary(app: Any) -> Any:
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        value = conn.execute(sa.text("SELECT boundary FROM hazards__chokai")).scalar_one()
    return json.loads(value) if isinstance(value, str) else value


@pytest.mark.browser
def test_staff_move_a_corner_of_a_stored_area_on_the_edit_page(browser: Any, site: Any, axe_script: Path) -> None:
    app, url = site
    page = phone_page(browser)
    page.goto(f"{url}/hazards/staff/login?lang=en")
    log_in_as_tanaka(page)
    page.goto(f"{url}/hazards/staff/tables/chokai/1/edit?lang=en")
    expect(page.locator(".lowcode-area-map path.leaflet-interactive")).to_have_count(1)  # the stored area, drawn
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []

    page.get_by_role("button", name="Move corners").click()
    corners = page.locator(".lowcode-area-map .marker-icon:not(.marker-icon-middle)")
    expect(corners).to_have_count(4)
    page.locator(".lowcode-area-map").scroll_into_view_if_needed()  # below the name on a phone: the mouse must reach it
    page.wait_for_timeout(300)
    corner = corners.first.bounding_box()
    assert corner is not None
    x, y = corner["x"] + corner["width"] / 2, corner["y"] + corner["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 30, y - 30, steps=5)
    page.mouse.up()
    page.get_by_role("button", name="Done").click()
    moved = json.loads(page.locator("#boundary").input_value())
    assert moved["coordinates"][0] != SQUARE and moved["coordinates"][0][1:4] == SQUARE[1:4]

    page.locator("form.lc-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/hazards/staff/tables/chokai/1\?done=edited"))
    assert stored_boundary(app) == moved
    page.context.close()
