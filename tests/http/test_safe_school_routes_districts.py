"""The school-route app's 校区 (issue 11): demo polygons made from the real school points (no public 校区 data exists
for Kanazawa), each saying so; a report's 校区 derived from its place; the board drawing a district that later reports
then get; the public map's outline layer with the demo note. On SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import json
import math
import re
import runpy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from shapely.geometry import Point, shape
from support import app_engine, app_runtime, csrf_token, sample_app, staff_client

from lowcode.audit import Actor
from lowcode.records import submit
from lowcode.roles import role_audience
from lowcode.staff.accounts import RoleGrant, create_user
from lowcode.values import parse_field_text

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "apps" / "safe_school_routes" / "data"
NAME = "safe_school_routes"
NOTE = "(学校の位置から機械的に作った目安・正式な校区ではありません)"


def read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


DISTRICTS = read("demo_school_districts.csv")
SCHOOLS = read("schools.csv")
HAZARDS = read("demo_hazards.csv")


@pytest.fixture
def app(tmp_path: Path, database: str) -> Iterator[Flask]:
    with sample_app(tmp_path, NAME, database, LOWCODE_RATE_LIMITS="0") as built:
        yield built


def open_schools() -> dict[int, dict[str, str]]:
    return {n: row for n, row in enumerate(SCHOOLS, start=1) if row["is_former_school"] == "0"}


def nearest_school(lon: float, lat: float) -> str:
    squeeze = math.cos(math.radians(36.56))  # as the generator measures: lon degrees shrunk to lat-degree lengths
    return min(open_schools().values(),
               key=lambda s: math.hypot((float(s["lon"]) - lon) * squeeze, float(s["lat"]) - lat))["name"]


# --- the shipped files ------------------------------------------------------------------------------------------


def test_the_committed_district_files_are_what_the_generator_writes() -> None:
    generator = runpy.run_path(str(ROOT / "tools" / "make_safe_school_routes_demo.py"))
    districts = generator["demo_districts"]()
    assert [{k: str(v) for k, v in row.items()} for row in districts] == DISTRICTS
    # the public map draws the table's polygons (an `area:` layer): no second copy of them ships as a file
    assert not (DATA / "demo_school_districts.geojson").exists()


def test_one_demo_district_per_open_school_each_saying_it_is_not_the_real_one() -> None:
    schools = open_schools()
    assert sorted(int(d["school"]) for d in DISTRICTS) == sorted(schools)
    for district in DISTRICTS:
        school = schools[int(district["school"])]
        assert district["name"] == f"【デモ】{school['name']}区{NOTE}" and district["demo"] == "1"
        area = parse_field_text("area", district["area"])  # what the area field accepts from staff
        assert shape(area).contains(Point(float(school["lon"]), float(school["lat"])))


def test_the_districts_do_not_overlap() -> None:
    shapes = [shape(json.loads(d["area"])) for d in DISTRICTS]
    total = sum(s.area for s in shapes)
    from shapely.ops import unary_union

    assert unary_union(shapes).area == pytest.approx(total, rel=1e-4)


# --- seeded, on both databases -----------------------------------------------------------------------------------


def derived(app: Flask) -> list[tuple[int, str | None]]:
    store = app_runtime(app, NAME).stores["hazards"]
    with app.app_context(), app_engine(app).connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(store.table.c.id, store.table.c.school_district)
                                               .order_by(store.table.c.id))]  # type: ignore[misc]


def test_each_demo_report_gets_the_district_of_the_school_nearest_its_place(app: Flask) -> None:
    rows = derived(app)
    assert len(rows) == len(HAZARDS)
    for (_, district), hazard in zip(rows, HAZARDS):
        expected = nearest_school(float(hazard["lon"]), float(hazard["lat"]))
        assert district == f"【デモ】{expected}区{NOTE}", hazard["title"]


def test_a_district_the_board_draws_is_given_to_later_reports(app: Flask) -> None:
    runtime = app_runtime(app, NAME)
    box = {"type": "Polygon", "coordinates": [[[136.80, 36.66], [136.84, 36.66], [136.84, 36.69], [136.80, 36.69],
                                               [136.80, 36.66]]]}  # in the service area, north-east of every town
    with app.test_request_context("/?lang=ja"):
        drawn = submit(runtime, app_engine(app), "school_districts", {"name": "テスト校区", "area": json.dumps(box)},
                       lang="ja", audience=role_audience(runtime.spec, "board", None), actor=Actor("board"))
        assert drawn.errors == {}
        report = submit(runtime, app_engine(app), "hazards", {
            "title": "テスト 校区の中", "theme": "traffic", "location": (136.82, 36.675), "consent": True,
        }, lang="ja", actor=Actor("resident"))
        outside = submit(runtime, app_engine(app), "hazards", {
            "title": "テスト 校区の外", "theme": "traffic", "location": (136.845, 36.695), "consent": True,
        }, lang="ja", actor=Actor("resident"))
    values = dict(derived(app))
    assert values[report.row_id] == "テスト校区"  # type: ignore[index]
    assert values[outside.row_id] is None  # type: ignore[index]  # in no district: empty, not a guess


def account(app: Flask, role: str, scope: str | None = None) -> Any:
    username = f"q-{role}-{scope or 'all'}"
    with app.app_context():
        create_user(app_engine(app), username, "correct horse battery", [RoleGrant(NAME, role, scope)])
    return staff_client(app, username, "correct horse battery", NAME)


def test_the_board_draws_a_district_on_its_staff_form_and_schools_and_the_public_cannot(app: Flask) -> None:
    url = f"/{NAME}/forms/school_district"
    board = account(app, "board")
    box = {"type": "Polygon", "coordinates": [[[136.80, 36.66], [136.84, 36.66], [136.84, 36.69], [136.80, 36.66]]]}
    sent = board.post(url, data={"csrf_token": csrf_token(board, url), "name": "テスト 描いた校区",
                                 "area": json.dumps(box)})
    assert sent.status_code in (200, 302, 303)
    assert "テスト 描いた校区" in [name for _, name in districts_named(app)]
    # the public map's 校区 layer shows it on its next request (no file to replace)
    public = app.test_client()
    layer_url = district_layer_url(public.get(f"/{NAME}/maps/hazards?lang=ja").get_data(as_text=True))
    drawn = [f for f in json.loads(public.get(layer_url).get_data())["features"] if f["properties"]["name"] == "テスト 描いた校区"]
    assert [f["geometry"]["coordinates"][0][1] for f in drawn] == [[136.84, 36.66]]
    crossing = {"type": "Polygon", "coordinates": [[[136.80, 36.66], [136.84, 36.69], [136.84, 36.66], [136.80, 36.69],
                                                    [136.80, 36.66]]]}
    refused = board.post(url, data={"csrf_token": csrf_token(board, url), "name": "テスト 交差", "area": json.dumps(crossing)})
    assert refused.status_code == 422  # the form again, with why; nothing stored
    assert "テスト 交差" not in [name for _, name in districts_named(app)]
    school = account(app, "school", "1")
    assert school.get(url).status_code in (403, 404)
    assert school.get(f"/{NAME}/staff/tables/school_districts").status_code in (403, 404)
    assert app.test_client().get(url).status_code == 404
    # the school's own scope is still its school: the first demo hazard of another school is not its to open
    other = next(n for n, h in enumerate(HAZARDS, start=1) if h["school"] != "1")
    assert school.get(f"/{NAME}/staff/tables/hazards/{other}").status_code == 404


def districts_named(app: Flask) -> list[tuple[int, str]]:
    store = app_runtime(app, NAME).stores["school_districts"]
    with app.app_context(), app_engine(app).connect() as conn:
        return [(int(i), str(n)) for i, n in conn.execute(sa.select(store.table.c.id, store.table.c.name))]


def district_layer_url(page: str) -> str:
    found = re.search(r"lowcodeMap\.areaLayer\([^,]+, (\{.*?\})\);", page)
    assert found, "the map has no layer of the school_districts polygons"
    return str(json.loads(found.group(1))["url"])


def test_the_public_map_outlines_the_demo_districts_and_a_report_page_names_its_district(app: Flask) -> None:
    client = app.test_client()
    page = client.get(f"/{NAME}/maps/hazards?lang=ja").get_data(as_text=True)
    assert json.dumps("校区(【デモ】学校の位置から機械的に作った目安・正式な校区ではありません)")[1:-1] in page
    outlines = json.loads(client.get(district_layer_url(page)).get_data())["features"]
    assert [f["properties"]["name"] for f in outlines] == [d["name"] for d in DISTRICTS]
    assert [f["geometry"] for f in outlines] == [json.loads(d["area"]) for d in DISTRICTS]  # as seeded (6 decimals)
    assert {f["titles"]["school"] for f in outlines} == {open_schools()[int(d["school"])]["name"] for d in DISTRICTS}
    number = next(n for n, h in enumerate(HAZARDS, start=1) if h["status"] == "done")
    detail = client.get(f"/{NAME}/lists/hazards/{number}?lang=ja").get_data(as_text=True)
    assert "<dt>校区(地図の位置から)</dt>" in detail and NOTE in detail
    # the list's search finds reports by their district's name (a derived text field)
    district = nearest_school(float(HAZARDS[number - 1]["lon"]), float(HAZARDS[number - 1]["lat"])) + "区"
    found = client.get(f"/{NAME}/lists/hazards?q={district}&lang=ja").get_data(as_text=True)
    assert f'/{NAME}/lists/hazards/{number}"' in found
    english = client.get(f"/{NAME}/maps/hazards?lang=en").get_data(as_text=True)
    assert json.dumps("School districts (DEMO: drawn mechanically from the school sites, not the real districts)") in english
