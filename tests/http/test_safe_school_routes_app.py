"""The safe school-route sample app as shipped (issue 11), on SQLite and PostgreSQL: its demo data loads and is marked
demo everywhere, every public page answers and shows only public rows and fields, and each staff role does what the
通学路交通安全プログラム gives it — a school sees only its own hazards and countermeasures, a road manager records a
countermeasure, the public never meets the staff form."""
from __future__ import annotations

import csv
import json
import math
import re
import runpy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime, csrf_token, staff_client

from lowcode.app import create_app
from lowcode.audit import Actor
from lowcode.records import change_status, submit
from lowcode.roles import role_audience
from lowcode.seed_check import seed_problems
from lowcode.spec.loader import load_app_spec
from lowcode.staff.accounts import RoleGrant, create_user

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "apps" / "safe_school_routes"
APP = "safe_school_routes"
PASSWORD = "correct horse battery"
PUBLIC_STATUSES = {"published", "inspected", "planned", "in_progress", "done", "referred"}
HIROSAKA = (136.6578, 36.560745)
LINK_RE = re.compile(r"""href="(/safe_school_routes/[^"#]*)\"""")


def demo_rows(name: str) -> list[dict[str, str]]:
    with (FOLDER / "data" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


HAZARDS = demo_rows("demo_hazards.csv")
MEASURES = demo_rows("demo_countermeasures.csv")
SCHOOLS = demo_rows("schools.csv")


@pytest.fixture
def app(tmp_path: Path, database: str) -> Iterator[Flask]:
    shutil.copytree(FOLDER, tmp_path / "apps" / APP)
    built = create_app(tmp_path / "apps" / APP, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                                                 "DATABASE_URL": database, "LOWCODE_RATE_LIMITS": "0"})
    yield built
    with built.app_context():
        app_engine(built).dispose()


def count(app: Flask, table: str, *where: Any) -> int:
    store = app_runtime(app, APP).stores[table]
    with app.app_context(), app_engine(app).connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(store.table).where(*where)).scalar_one())


def account(app: Flask, role: str, scope: str | None = None) -> Any:
    username = f"p-{role}-{scope or 'all'}"
    with app.app_context():
        create_user(app_engine(app), username, PASSWORD, [RoleGrant(APP, role, scope)])
    return staff_client(app, username, PASSWORD, APP)


def public_features(app: Flask) -> list[dict[str, Any]]:
    """Every hazard of the map's theme layers, as the public GeoJSON API gives them."""
    features: list[dict[str, Any]] = []
    client = app.test_client()
    for layer in range(3):
        response = client.get(f"/{APP}/api/hazards.geojson?map=hazards&layer={layer}")
        assert response.status_code == 200
        features += response.get_json()["features"]
    return features


# --- the shipped files ------------------------------------------------------------------------------------------


def test_the_app_and_its_seed_files_have_no_problem_at_all() -> None:
    spec = load_app_spec(FOLDER)
    assert spec.problems == []  # warnings too: the sample validates with zero warnings
    assert seed_problems(spec) == []


def test_the_demo_data_is_large_plausible_and_marked_demo() -> None:
    assert len(HAZARDS) >= 200 and len(MEASURES) >= 140
    for row in HAZARDS + MEASURES:
        assert row["title"].startswith("【デモ】") and row["demo"] == "1", row
    statuses = [row["status"] for row in HAZARDS]
    assert sum(s in PUBLIC_STATUSES for s in statuses) > 0.85 * len(statuses)  # mostly public, a few not yet
    assert {"received", "done", "declined", "hidden"} <= set(statuses)
    assert {row["theme"] for row in HAZARDS} == {"traffic", "crime", "disaster"}
    assert len({row["reason"] for row in HAZARDS}) == 10
    assert all(row["decline_reason"] for row in HAZARDS if row["status"] == "declined")


def test_the_committed_demo_files_are_what_the_generator_writes() -> None:
    generator = runpy.run_path(str(ROOT / "tools" / "make_safe_school_routes_demo.py"))
    hazards, measures = generator["demo_rows"]()
    assert [{k: str(v) for k, v in row.items()} for row in hazards] == HAZARDS
    assert [{k: str(v) for k, v in row.items()} for row in measures] == MEASURES


def test_demo_hazards_lie_near_the_open_school_they_name() -> None:
    schools = {number: row for number, row in enumerate(SCHOOLS, start=1)}
    for row in HAZARDS:
        school = schools[int(row["school"])]
        assert school["is_former_school"] == "0"
        dy = (float(row["lat"]) - float(school["lat"])) * 111_320
        dx = (float(row["lon"]) - float(school["lon"])) * 111_320 * math.cos(math.radians(float(school["lat"])))
        assert 100 < math.hypot(dx, dy) < 700, row["title"]


def test_demo_countermeasures_belong_to_acted_on_hazards_of_the_same_school() -> None:
    for row in MEASURES:
        hazard = HAZARDS[int(row["hazard"]) - 1]  # seeded in file order into an empty table: row N is id N
        assert hazard["status"] in {"planned", "in_progress", "done"}
        assert row["school"] == hazard["school"]
        assert bool(row["done_on"]) == (row["progress"] == "done")
        if row["done_on"]:
            assert hazard["inspected_on"] <= row["done_on"] <= "2026-11-30"
    done = {int(row["hazard"]) for row in MEASURES if row["progress"] == "done"}
    assert all(number in done for number, h in enumerate(HAZARDS, start=1) if h["status"] == "done")


# --- seeded, on both databases -----------------------------------------------------------------------------------


def test_the_seeds_load_with_ids_the_countermeasures_point_at(app: Flask) -> None:
    runtime = app_runtime(app, APP)
    hazards, measures = runtime.stores["hazards"].table, runtime.stores["countermeasures"].table
    assert count(app, "hazards") == len(HAZARDS) and count(app, "countermeasures") == len(MEASURES)
    with app.app_context(), app_engine(app).connect() as conn:
        pairs = conn.execute(sa.select(measures.c.title, hazards.c.school, measures.c.school)
                             .join(hazards, hazards.c.id == measures.c.hazard)).all()
        towns = conn.execute(sa.select(sa.func.count()).where(hazards.c.town.is_(None))).scalar_one()
    assert len(pairs) == len(MEASURES) and all(h == m for _, h, m in pairs)
    assert towns == 0  # the town is derived from each demo point on seeding


def test_every_public_page_answers_and_names_the_demo_data(app: Flask) -> None:
    client = app.test_client()
    seen: set[str] = set()
    queue = [f"/{APP}/", f"/{APP}/?lang=en"]
    while queue and len(seen) < 60:
        url = queue.pop(0)
        if url in seen or "/staff" in url or url.endswith((".pdf", ".png", ".csv")):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        queue += [link.replace("&amp;", "&") for link in LINK_RE.findall(response.get_data(as_text=True))]
    assert {f"/{APP}/lists/hazards", f"/{APP}/maps/hazards", f"/{APP}/forms/report"} <= seen
    detail = next(url for url in seen if re.fullmatch(rf"/{APP}/lists/hazards/\d+", url))
    html = client.get(detail).get_data(as_text=True)
    assert "【デモ】" in html and "デモデータ(架空の報告)" in html
    assert "【デモ】" in client.get(f"/{APP}/lists/hazards").get_data(as_text=True)
    assert all(str(f["properties"]["title"]).startswith("【デモ】") for f in public_features(app))


def test_the_public_sees_only_public_rows_and_no_staff_or_private_field(app: Flask) -> None:
    features = public_features(app)
    assert {f["properties"]["status"] for f in features} <= PUBLIC_STATUSES
    assert len(features) == sum(row["status"] in PUBLIC_STATUSES for row in HAZARDS)
    client = app.test_client()
    for number, row in enumerate(HAZARDS, start=1):
        expected = 200 if row["status"] in PUBLIC_STATUSES else 404
        assert client.get(f"/{APP}/lists/hazards/{number}").status_code == expected, row["status"]
    declined = next(n for n, row in enumerate(HAZARDS, start=1) if row["status"] == "declined")
    assert "私有地内" not in json.dumps(features, ensure_ascii=False)
    assert client.get(f"/{APP}/lists/hazards/{declined}").status_code == 404


def test_a_reporters_contact_never_reaches_a_public_page(app: Flask) -> None:
    marker = "zqpname"
    with app.app_context():
        result = submit(app_runtime(app, APP), app_engine(app), "hazards", {
            "title": "見通しの悪い角", "theme": "traffic", "reason": "blind_crossing", "location": HIROSAKA,
            "school": 1, "reporter_type": "parent", "reporter_name": marker, "reporter_email": "zq@example.jp",
            "reporter_phone": "076-220-2111", "consent": True,
        }, lang="ja", actor=Actor("resident"))
    assert result.errors == {} and result.row_id is not None
    with app.test_request_context("/?lang=ja"):
        change_status(app_runtime(app, APP), app_engine(app), "hazards", result.row_id, "status", "published",
                      audience=role_audience(app_runtime(app, APP).spec, "board", None), actor=Actor("board"))
    client = app.test_client()
    pages = [f"/{APP}/lists/hazards/{result.row_id}", f"/{APP}/lists/hazards?q=見通しの悪い角"]
    bodies = [client.get(url).get_data(as_text=True) for url in pages] + [json.dumps(public_features(app))]
    assert "見通しの悪い角" in bodies[0] and "保護者" in bodies[0]
    for body in bodies:
        assert marker not in body and "zq@example.jp" not in body and "220-2111" not in body


def test_the_countermeasure_form_is_for_staff_only(app: Flask) -> None:
    client = app.test_client()
    assert client.get(f"/{APP}/forms/countermeasure").status_code == 404
    assert client.post(f"/{APP}/forms/countermeasure", data={"title": "x"}).status_code in (400, 404)
    assert client.get(f"/{APP}/staff/tables/countermeasures").status_code in (302, 401, 404)
    assert count(app, "countermeasures") == len(MEASURES)


def record_countermeasure(client: Any, hazard: int, school: int, title: str) -> Any:
    url = f"/{APP}/forms/countermeasure"
    return client.post(url, data={
        "csrf_token": csrf_token(client, url), "title": title, "hazard": str(hazard), "school": str(school),
        "actor": "road", "measure": "mirror", "timing": "short", "progress": "done", "notes": "設置しました。",
        "planned_on": "2026-10-01", "done_on": "2026-11-02",
    })


def test_the_road_manager_records_a_countermeasure(app: Flask) -> None:
    road = account(app, "road")
    number = next(n for n, row in enumerate(HAZARDS, start=1) if row["status"] == "inspected")
    school = int(HAZARDS[number - 1]["school"])
    assert road.get(f"/{APP}/forms/countermeasure").status_code == 200
    response = record_countermeasure(road, number, school, "カーブミラーを設置")
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)[:500]
    measures = app_runtime(app, APP).stores["countermeasures"].table
    assert count(app, "countermeasures", measures.c.title == "カーブミラーを設置", measures.c.hazard == number,
                 measures.c.done_on.isnot(None)) == 1
    queue = road.get(f"/{APP}/staff/tables/countermeasures").get_data(as_text=True)
    assert "【デモ】" in queue
    assert road.get(f"/{APP}/staff/tables/hazards/{number}").status_code == 200


def test_a_school_sees_only_its_own_hazards_and_countermeasures(app: Flask) -> None:
    mine = int(HAZARDS[0]["school"])
    school = account(app, "school", str(mine))
    for number, row in enumerate(HAZARDS[:60], start=1):
        expected = 200 if int(row["school"]) == mine else 404
        assert school.get(f"/{APP}/staff/tables/hazards/{number}").status_code == expected
    for number, row in enumerate(MEASURES[:60], start=1):
        expected = 200 if int(row["school"]) == mine else 404
        assert school.get(f"/{APP}/staff/tables/countermeasures/{number}").status_code == expected
    others = {r["title"] for r in HAZARDS if int(r["school"]) != mine} - {r["title"] for r in HAZARDS if int(r["school"]) == mine}
    queue = school.get(f"/{APP}/staff/tables/hazards").get_data(as_text=True)
    assert not [t for t in others if t in queue]
    # Its own countermeasure lands in its scope whatever school the form was sent with.
    other_school = next(int(r["school"]) for r in HAZARDS if int(r["school"]) != mine)
    record_countermeasure(school, 1, other_school, "見守り活動を始めた")
    measures = app_runtime(app, APP).stores["countermeasures"].table
    assert count(app, "countermeasures", measures.c.title == "見守り活動を始めた", measures.c.school == other_school) == 0
    assert count(app, "countermeasures", measures.c.title == "見守り活動を始めた", measures.c.school == mine) == 1


def test_police_and_the_board_reach_the_countermeasures_and_a_private_field_only_for_the_board(app: Flask) -> None:
    board, police = account(app, "board"), account(app, "police")
    for client in (board, police):
        assert client.get(f"/{APP}/staff/tables/countermeasures").status_code == 200
        assert client.get(f"/{APP}/forms/countermeasure").status_code == 200
    assert board.get(f"/{APP}/staff/tables/countermeasures/export.csv").status_code == 200
    assert police.get(f"/{APP}/staff/tables/countermeasures/export.csv").status_code in (403, 404)
