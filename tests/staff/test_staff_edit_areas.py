"""Issue 9 (K): `area` fields on the staff edit page, over HTTP on SQLite and PostgreSQL. A role that may `edit`
and `manage_areas` the table redraws a 町会's boundary (the GeoJSON text box with its map); the stored polygon
changes and the derived 町会 of a report follows it. A role that may only `edit` is not offered the field and a
forged value is not read; a crossing outline is refused with the text kept."""
from __future__ import annotations

import json
import re
from typing import Any

import pytest
import sqlalchemy as sa
from area_app import AREA_APP, INSIDE, SQUARE
from flask import Flask
from markupsafe import escape
from support import app_engine, app_runtime, csrf_token, staff_client

from lowcode.audit import Actor
from lowcode.records import FieldNotChangeable, submit, update
from lowcode.roles import role_audience
from lowcode.staff.accounts import RoleGrant, create_user

PASSWORD = "correct horse battery"
ROLES = """roles:
  mapper:
    tables: {chokai: [view, edit, manage_areas], reports: [view]}
  editor:
    tables: {chokai: [view, edit], reports: [view]}
  clerk:
    tables: {chokai: [create, view], reports: [create, view]}
"""
YAML = AREA_APP.replace("""roles:
  clerk:
    tables: {chokai: [create, view], reports: [create, view]}
""", ROLES)
EAST = [[lon + 0.02, lat] for lon, lat in SQUARE]  # the same square 0.02° east, apart from the first one
EAST_INSIDE = (INSIDE[0] + 0.02, INSIDE[1])
BOW_TIE = [[136.65, 36.555], [136.66, 36.565], [136.66, 36.555], [136.65, 36.565], [136.65, 36.555]]


@pytest.fixture
def app(make_app: Any) -> Flask:
    assert "manage_areas" in YAML
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = app_engine(built)
        create_user(engine, "mapper", PASSWORD, [RoleGrant("demo", "mapper")])
        create_user(engine, "editor", PASSWORD, [RoleGrant("demo", "editor")])
        values = {"name": "広坂町会", "boundary": {"type": "Polygon", "coordinates": [SQUARE]}}
        assert submit(app_runtime(built), engine, "chokai", values, lang="en", actor=Actor("setup")).stored
    return built


def stored(app: Flask, table: str) -> list[dict[str, Any]]:
    with app.app_context(), app_engine(app).connect() as conn:
        found = [dict(r) for r in conn.execute(sa.text(f"SELECT * FROM demo__{table} ORDER BY id")).mappings()]
    for row in found:
        if isinstance(row.get("boundary"), str):
            row["boundary"] = json.loads(row["boundary"])  # SQLite hands JSON back as text
    return found


def edit_url(app: Flask) -> str:
    return f"/demo/staff/tables/chokai/{stored(app, 'chokai')[0]['id']}/edit"


def save(client: Any, app: Flask, name: str, boundary: str | None, lang: str = "en") -> Any:
    url = edit_url(app) + f"?lang={lang}"
    page = client.get(url).get_data(as_text=True)
    since = re.search(r'name="unchanged_since" value="([^"]*)"', page)
    assert since is not None
    data = {"csrf_token": csrf_token(client, url), "unchanged_since": since.group(1), "name": name}
    if boundary is not None:
        data["boundary"] = boundary
    return client.post(url, data=data)


def report_at(app: Flask, where: tuple[float, float]) -> Any:
    resident = app.test_client()
    data = {"csrf_token": csrf_token(resident, "/demo/forms/report"), "what": "x",
            "spot_lon": str(where[0]), "spot_lat": str(where[1])}
    assert resident.post("/demo/forms/report", data=data).status_code == 303
    return stored(app, "reports")[-1]["chokai"]


def test_the_edit_page_offers_the_stored_area_as_geojson_with_its_map(app: Flask) -> None:
    page = staff_client(app, "mapper", PASSWORD).get(edit_url(app) + "?lang=ja")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    box = re.search(r'<textarea[^>]*name="boundary"[^>]*>(.*?)</textarea>', html, re.DOTALL)
    assert box is not None
    assert json.loads(box.group(1).replace("&#34;", '"').replace("&quot;", '"')) == {"type": "Polygon", "coordinates": [SQUARE]}
    assert 'data-lowcode-area data-field="boundary"' in html and ">区域を描く</button>" in html


def test_a_redrawn_area_is_stored_and_the_derived_association_follows_it(app: Flask) -> None:
    assert report_at(app, EAST_INSIDE) is None  # outside every area before the edit
    client = staff_client(app, "mapper", PASSWORD)
    moved = {"type": "Feature", "properties": {"x": 1}, "geometry": {"type": "Polygon", "coordinates": [EAST]}}
    response = save(client, app, "広坂町会", json.dumps(moved))
    assert response.status_code == 303, response.get_data(as_text=True)
    assert stored(app, "chokai")[0]["boundary"] == {"type": "Polygon", "coordinates": [EAST]}
    assert report_at(app, EAST_INSIDE) == "広坂町会"
    assert report_at(app, INSIDE) is None  # the old place is no longer in it


def test_a_role_that_may_not_manage_areas_cannot_change_one(app: Flask) -> None:
    client = staff_client(app, "editor", PASSWORD)
    html = client.get(edit_url(app) + "?lang=en").get_data(as_text=True)
    assert 'name="boundary"' not in html and "data-lowcode-area" not in html
    forged = json.dumps({"type": "Polygon", "coordinates": [EAST]})
    assert save(client, app, "広坂町会(新)", forged).status_code == 303
    [row] = stored(app, "chokai")
    assert row["name"] == "広坂町会(新)"  # what it may edit is saved…
    assert row["boundary"] == {"type": "Polygon", "coordinates": [SQUARE]}  # …the area is not read


@pytest.mark.parametrize("lang, message", [
    ("en", "The outline of the area crosses itself."), ("ja", "区域の輪郭が交差しています"),
])
def test_a_crossing_outline_is_refused_and_the_text_kept(app: Flask, lang: str, message: str) -> None:
    typed = json.dumps({"type": "Polygon", "coordinates": [BOW_TIE], "note": "<b>x</b>"})
    response = save(staff_client(app, "mapper", PASSWORD), app, "広坂町会", typed, lang)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert str(escape(typed)) in html and "<b>x</b>" not in html
    assert stored(app, "chokai")[0]["boundary"] == {"type": "Polygon", "coordinates": [SQUARE]}


def test_a_save_meanwhile_shows_the_stored_area_and_keeps_the_drawn_one(app: Flask) -> None:
    client = staff_client(app, "mapper", PASSWORD)
    url = edit_url(app) + "?lang=en"
    drawn = json.dumps({"type": "Polygon", "coordinates": [EAST]})
    data = {"csrf_token": csrf_token(client, url), "unchanged_since": "2000-01-01T00:00:00", "name": "広坂町会",
            "boundary": drawn}
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Stored now" in html
    assert str(escape(drawn)) in html  # what was drawn is kept in the text box
    assert stored(app, "chokai")[0]["boundary"] == {"type": "Polygon", "coordinates": [SQUARE]}


def test_the_records_layer_refuses_an_area_change_without_manage_areas(app: Flask) -> None:
    """Not only the edit form: any caller of records.update (an import, the API) with such a role is refused."""
    runtime = app_runtime(app)
    redrawn = {"boundary": {"type": "Polygon", "coordinates": [EAST]}}
    with app.app_context():
        engine = app_engine(app)
        editor, mapper = (role_audience(runtime.spec, name) for name in ("editor", "mapper"))
        with pytest.raises(FieldNotChangeable):
            update(runtime, engine, "chokai", 1, redrawn, audience=editor, lang="en")
        assert update(runtime, engine, "chokai", 1, redrawn, audience=mapper, lang="en").stored
    assert stored(app, "chokai")[0]["boundary"] == {"type": "Polygon", "coordinates": [EAST]}
