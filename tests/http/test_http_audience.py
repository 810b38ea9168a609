"""What the public may see, asked of one rule (lowcode/audience.py) by every channel (issue 7, items 2, 3, 4 and 7).

Hidden rows' titles, private titles, reference numbers and exact points of residents' locations are planted in the
database and looked for on every public page and in the GeoJSON API, on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from lowcode.audience import PUBLIC, STAFF, snap_to_grid
from lowcode.references import reference_options, titles_of_rows

Send = Callable[..., Any]
Stored = Callable[..., list[dict[str, Any]]]
MakeApp = Callable[..., Flask]

SCHOOL_ROUTES = """
title: {ja: 通学路, en: School routes}
tables:
  schools:
    title_field: name
    fields:
      name: {type: text, label: {ja: 学校名, en: School}}
      closed: {type: boolean}
    seed: {file: data/schools.csv}
  hazards:
    title_field: title
    fields:
      title: {type: text, required: true, label: {ja: 件名, en: Title}}
      school: {type: reference, to: schools, label: {ja: 小学校, en: School}}
      place: {type: location, label: {ja: 場所, en: Place}}
      landmark: {type: location, label: {ja: 目印, en: Landmark}, public_precision_m: 0}
      reporter: {type: text, visibility: private, label: {ja: お名前, en: Name}}
  households:
    title_field: head
    fields:
      head: {type: text, visibility: private}
      size: {type: integer}
    seed: {file: data/households.csv}
forms:
  report: {table: hazards, fields: [title, school, place, reporter]}
lists:
  hazards: {table: hazards, columns: [title, school], filters: [school]}
  schools: {table: schools, where: {closed: false}}
maps:
  hazards:
    layers: [{table: hazards, field: place, popup: [title, school]}]
"""
FILES = {
    "data/schools.csv": "name,closed\n長町小学校,false\n旧芳斎小学校,true\n",
    "data/households.csv": "head,size\n金沢花子,3\n",
}
CLOSED = "旧芳斎小学校"
API = "/demo/api/hazards.geojson"
HOME = (136.65432, 36.56789)  # (lon, lat): a resident's home, picked with "use my location"
LANDMARK = (136.66101, 36.57203)


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return make_app(SCHOOL_ROUTES, files=FILES)


def school_ids(app: Flask) -> dict[str, int]:
    state = app.extensions["lowcode"]
    store = next(iter(state.runtimes.values())).stores["schools"]
    with app.app_context(), state.db.engine.connect() as conn:
        return {row.name: row.id for row in conn.execute(store.table.select())}


def plant_hazard(app: Flask, **values: Any) -> tuple[int, str]:
    """A row written as if before the rule (a seed, an import, a staff edit): the public pages must still hide it."""
    state = app.extensions["lowcode"]
    store = next(iter(state.runtimes.values())).stores["hazards"]
    with app.app_context(), state.db.engine.begin() as conn:
        return store.insert(conn, values)


def public_pages(client: Any, row_id: int) -> dict[str, str]:
    urls = ["/demo/", "/demo/forms/report", "/demo/lists/hazards", f"/demo/lists/hazards/{row_id}",
            "/demo/lists/schools", "/demo/maps/hazards", f"{API}?location=place", f"{API}?location=landmark",
            f"{API}?location=place&fields=title,school,landmark", "/demo/lists/hazards?lang=en"]
    return {url: client.get(url).get_data(as_text=True) for url in urls}


# --- item 3: the rows the public may see -----------------------------------------------------------------------


def test_a_row_hidden_from_its_list_is_never_offered_or_named(app: Flask) -> None:
    ids = school_ids(app)
    row_id, _ = plant_hazard(app, title="用水の柵が壊れている", school=ids[CLOSED])
    client = app.test_client()

    for url, html in public_pages(client, row_id).items():
        assert CLOSED not in html, url
    assert f'<option value="{ids["長町小学校"]}">長町小学校</option>' in client.get("/demo/forms/report").get_data(as_text=True)
    filter_html = client.get("/demo/lists/hazards").get_data(as_text=True)
    assert re.findall(r'<option value="(\d+)"', filter_html.split('id="filter-school"')[1].split("</select>")[0]) == [
        str(ids["長町小学校"])]


def test_a_hidden_rows_id_sent_by_hand_is_refused_like_a_missing_one(app: Flask, send: Send, stored: Stored) -> None:
    ids = school_ids(app)
    client = app.test_client()

    refused = send(client, "/demo/forms/report", {"title": "柵", "school": str(ids[CLOSED])})
    accepted = send(client, "/demo/forms/report", {"title": "柵", "school": str(ids["長町小学校"])})

    assert refused.status_code == 422 and accepted.status_code == 303
    assert [row["school"] for row in stored(app, "hazards")] == [ids["長町小学校"]]


# --- item 2: a private title never names a row in public ---------------------------------------------------------


def test_a_private_title_is_replaced_by_the_row_number_for_the_public(app: Flask) -> None:
    runtime = next(iter(app.extensions["lowcode"].runtimes.values()))
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        public = reference_options(runtime, "households", conn)
        public_titles = titles_of_rows(runtime, "households", [1], conn)
        staff = reference_options(runtime, "households", conn, STAFF)

    assert public == [("1", "#1")] and public_titles == {1: "#1"}
    assert staff == [("1", "金沢花子")]  # staff pages (issue 8) will name the household


# --- item 4: the reference number stays with the resident --------------------------------------------------------


def test_the_reference_number_is_on_no_public_page(app: Flask, send: Send, stored: Stored) -> None:
    client = app.test_client()
    assert send(client, "/demo/forms/report", {"title": "横断歩道", "place_lat": "36.56", "place_lon": "136.65"}).status_code == 303
    [row] = stored(app, "hazards")

    for url, html in public_pages(app.test_client(), row["id"]).items():
        assert row["ref"] not in html and "受付番号" not in html and "Reference number" not in html, url


def test_the_sent_page_shows_the_number_only_to_the_browser_that_sent_the_form(app: Flask, send: Send) -> None:
    client = app.test_client()
    sent = send(client, "/demo/forms/report", {"title": "横断歩道"})
    page_url = sent.headers["Location"]
    ref = page_url.rsplit("/", 1)[1]

    assert f'<strong id="reference">{ref}</strong>' in client.get(page_url).get_data(as_text=True)
    assert client.get(page_url).status_code == 200  # a reload in the same session still shows it
    assert app.test_client().get(page_url).status_code == 404  # another browser, or a link passed on
    assert client.get("/demo/forms/report/sent/ABCD-EFGH").status_code == 404
    forged = client.get("/demo/forms/report/sent/%E3%81%82%E3%81%AA%E3%81%9F%E3%81%AE%E7%95%AA%E5%8F%B7")
    assert forged.status_code == 404 and "あなたの番号" not in forged.get_data(as_text=True)


# --- item 7: a resident's point is published on a grid -------------------------------------------------------------


def coordinates(response: Any) -> list[list[float]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [f["geometry"]["coordinates"] for f in json.loads(response.get_data())["features"]]


def test_a_point_residents_enter_is_published_on_a_100_m_grid(app: Flask) -> None:
    row_id, _ = plant_hazard(app, title="家の前", place=HOME, landmark=LANDMARK)
    _neighbour_id, _ = plant_hazard(app, title="となり", place=(HOME[0] + 0.0002, HOME[1] + 0.0001))
    client = app.test_client()
    cell = snap_to_grid(HOME, 100)

    assert coordinates(client.get(API, query_string={"location": "place"})) == [list(cell), list(cell)]  # one cell, one point
    assert abs(cell[0] - HOME[0]) < 0.0007 and abs(cell[1] - HOME[1]) < 0.00046 and cell != HOME
    detail = client.get(f"/demo/lists/hazards/{row_id}").get_data(as_text=True)
    place, landmark = detail.split("<dt>場所</dt>")[1].split("<dt>目印</dt>")
    assert f"{cell[1]:.6f}, {cell[0]:.6f}" in place  # the point residents picked, on its grid (text and map alike)
    assert "36.56789" not in place and "136.65432" not in place
    assert f"{LANDMARK[1]:.6f}, {LANDMARK[0]:.6f}" in landmark  # public_precision_m: 0 publishes it as stored
    as_property = json.loads(client.get(API, query_string={"location": "landmark", "fields": "title,place"}).get_data())
    assert [(f["geometry"]["coordinates"], f["properties"]["place"]) for f in as_property["features"]] == [
        (list(LANDMARK), list(cell))]


def test_a_shrinking_bbox_reveals_only_the_grid_cell(app: Flask) -> None:
    plant_hazard(app, title="家の前", place=HOME)
    client = app.test_client()
    cell = snap_to_grid(HOME, 100)
    around_home = f"{HOME[0] - 1e-5},{HOME[1] - 1e-5},{HOME[0] + 1e-5},{HOME[1] + 1e-5}"
    around_cell = f"{cell[0] - 1e-5},{cell[1] - 1e-5},{cell[0] + 1e-5},{cell[1] + 1e-5}"

    assert coordinates(client.get(API, query_string={"location": "place", "bbox": around_home})) == []
    assert coordinates(client.get(API, query_string={"location": "place", "bbox": around_cell})) == [list(cell)]


def test_staff_see_the_point_as_stored() -> None:
    from lowcode.spec.models import AppSpec

    spec = AppSpec.model_validate({
        "title": "x", "tables": {"t": {"fields": {"place": {"type": "location"}}}}, "forms": {"f": {"table": "t"}},
    })
    table = spec.tables["t"]
    assert STAFF.location(spec, table, "place", HOME) == HOME
    assert PUBLIC.location(spec, table, "place", HOME) == snap_to_grid(HOME, 100)
