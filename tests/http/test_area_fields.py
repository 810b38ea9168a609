"""An `area` field in an `access: staff` form: the GeoJSON text box with its drawing map, the checks of what is
sent (in the page's language, keeping what was typed), and the stored area deriving a report's 町会."""
from __future__ import annotations

import json
import re
from typing import Any

import pytest
import sqlalchemy as sa
from area_app import AREA_APP, INSIDE, SQUARE
from flask import Flask
from markupsafe import escape
from support import csrf_token, staff_client

from lowcode.fields.builtin import AreaType
from lowcode.maps.assets import external_urls
from lowcode.staff.accounts import RoleGrant, create_user

PASSWORD = "correct horse battery"
DRAW = "/demo/forms/draw_area"
REPORT = "/demo/forms/report"
BOW_TIE = [[136.65, 36.555], [136.66, 36.565], [136.66, 36.555], [136.65, 36.565], [136.65, 36.555]]


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(AREA_APP, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        create_user(built.extensions["lowcode"].db.engine, "clerk", PASSWORD, [RoleGrant("demo", "clerk")])
    return built


def rows(app: Flask, table: str) -> list[dict[str, Any]]:
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text(f"SELECT * FROM demo__{table} ORDER BY id")).mappings()]


def stored_area(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value  # SQLite hands JSON back as text


def draw(client: Any, name: str, boundary: str, lang: str = "en") -> Any:
    url = f"{DRAW}?lang={lang}"
    return client.post(url, data={"csrf_token": csrf_token(client, url), "name": name, "boundary": boundary})


def test_the_staff_form_shows_the_text_box_and_its_drawing_map_in_the_page_language(app: Flask) -> None:
    client = staff_client(app, "clerk", PASSWORD)
    for lang, draw_label in (("en", "Draw an area"), ("ja", "区域を描く")):
        page = client.get(f"{DRAW}?lang={lang}")
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert re.search(r'<textarea[^>]*id="boundary"[^>]*name="boundary"', html)  # the field itself, without JS
        assert 'data-lowcode-area data-field="boundary"' in html and f">{draw_label}</button>" in html
        assert '<script src="/static/lowcode-area.js" defer></script>' in html
        config = json.loads(re.search(r'data-config="([^"]*)"', html.split("data-lowcode-area")[1]).group(1).replace("&#34;", '"'))
        assert config["bounds"] == [[36.5, 136.6], [36.62, 136.72]]  # opens on the service area
        assert config["assets"]["geoman"] == "/static/vendor/leaflet-geoman/leaflet-geoman.min.js"
        assert config["tiles"] is None  # `basemap: none`, as the picker would use
        assert external_urls(html) == []
    for path in ("lowcode-area.js", "lowcode-area.css", "vendor/leaflet-geoman/leaflet-geoman.min.js"):
        assert client.get(f"/static/{path}").status_code == 200


def test_a_drawn_area_is_stored_and_names_the_association_of_a_report_inside_it(app: Flask) -> None:
    client = staff_client(app, "clerk", PASSWORD)
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}
    assert draw(client, "広坂町会", json.dumps(feature)).status_code == 303
    [chokai] = rows(app, "chokai")
    assert stored_area(chokai["boundary"]) == {"type": "Polygon", "coordinates": [SQUARE]}

    resident = app.test_client()
    for what, (lon, lat) in (("inside", INSIDE), ("outside", (136.70, 36.60))):
        data = {"csrf_token": csrf_token(resident, REPORT), "what": what, "spot_lat": str(lat), "spot_lon": str(lon)}
        assert resident.post(REPORT, data=data).status_code == 303
    assert [(r["what"], r["chokai"]) for r in rows(app, "reports")] == [("inside", "広坂町会"), ("outside", None)]


@pytest.mark.parametrize("lang, message", [
    ("en", "The outline of the area crosses itself."), ("ja", "区域の輪郭が交差しています"),
])
def test_a_crossing_outline_is_refused_in_the_page_language_and_the_text_is_kept(app: Flask, lang: str, message: str) -> None:
    client = staff_client(app, "clerk", PASSWORD)
    typed = json.dumps({"type": "Polygon", "coordinates": [BOW_TIE], "note": "<b>x</b>"})
    page = draw(client, "広坂町会", typed, lang)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and message in html
    assert str(escape(typed)) in html and "<b>x</b>" not in html
    assert rows(app, "chokai") == []


def test_too_many_points_say_the_limit(app: Flask) -> None:
    client = staff_client(app, "clerk", PASSWORD)
    ring = [[136.6 + 0.00001 * i, 36.55] for i in range(10_001)] + [[136.6, 36.56], [136.6, 36.55]]
    html = draw(client, "大きな町会", json.dumps({"type": "Polygon", "coordinates": [ring]})).get_data(as_text=True)
    assert "more than 10,000 points" in html and rows(app, "chokai") == []


def test_a_stored_area_shows_as_geojson_text_in_its_text_box() -> None:
    value = {"type": "Polygon", "coordinates": [SQUARE]}
    assert json.loads(AreaType().form_data(value)) == value
    assert AreaType().form_data("typed text") == "typed text"
