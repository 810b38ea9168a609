"""Rows from a CSV or GeoJSON file in `data/` are loaded on the first start, and only then."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

Rows = Callable[..., int]
Stored = Callable[..., list[dict[str, Any]]]
Send = Callable[..., Any]

SCHOOLS = """
title: 通学路の安全
tables:
  schools:
    fields:
      name: {type: text, required: true, label: 学校名}
      pupils: {type: integer, label: 児童数}
      kind: {type: choice, label: 種別, choices: [{key: elementary, label: 小学校}, {key: junior, label: 中学校}]}
      place: {type: location, label: 所在地}
    seed: {file: data/schools.csv, columns: {name: 学校名, pupils: 児童数, kind: 種別}, lat: 緯度, lon: 経度}
lists:
  schools: {table: schools, columns: [name, pupils, kind], sort: name}
"""
SCHOOLS_CSV = """
学校名,児童数,種別,緯度,経度
長町小学校,"412",elementary,36.5613,136.6490
兼六中学校,３９０,junior,36.5625,136.6650
明成小学校,,elementary,36.5790,136.6340
"""
SHELTERS = """
title: 避難所の案内
tables:
  shelters:
    fields:
      name: {type: text, required: true, label: 名称}
      capacity: {type: integer, label: 収容人数}
      point: {type: location, label: 場所}
    seed: {file: data/shelters.geojson}
lists:
  shelters: {table: shelters, sort: name}
"""
SHELTERS_GEOJSON = json.dumps({
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [136.6562, 36.5611]},
         "properties": {"name": "広坂体育館", "capacity": 300}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [136.6479, 36.5780]},
         "properties": {"name": "金沢駅東広場", "capacity": "1,200"}},
    ],
}, ensure_ascii=False)


def delete_all(app: Flask, table: str) -> None:
    state = app.extensions["lowcode"]
    store = next(iter(state.runtimes.values())).stores[table]
    with app.app_context(), state.db.engine.begin() as conn:
        conn.execute(store.table.delete())


def test_a_csv_file_is_loaded_on_first_start(make_app: Callable[..., Flask], stored: Stored) -> None:
    app = make_app(SCHOOLS, files={"data/schools.csv": SCHOOLS_CSV})

    rows = stored(app, "schools")

    assert [(r["name"], r["pupils"], r["kind"]) for r in rows] == [
        ("長町小学校", 412, "elementary"), ("兼六中学校", 390, "junior"), ("明成小学校", None, "elementary"),
    ]
    assert rows[0]["place"] == pytest.approx((136.6490, 36.5613))  # GeoJSON order: lon, lat
    html = app.test_client().get("/demo/lists/schools").get_data(as_text=True)
    assert "3 件" in html and ">中学校</td>" in html


def test_a_geojson_file_is_loaded_on_first_start(make_app: Callable[..., Flask], stored: Stored) -> None:
    app = make_app(SHELTERS, files={"data/shelters.geojson": SHELTERS_GEOJSON})

    rows = stored(app, "shelters")

    assert [(r["name"], r["capacity"]) for r in rows] == [("広坂体育館", 300), ("金沢駅東広場", 1200)]
    assert rows[1]["point"] == pytest.approx((136.6479, 36.5780))
    detail = app.test_client().get(f"/demo/lists/shelters/{rows[0]['id']}").get_data(as_text=True)
    assert re.search(r'<dt>場所</dt><dd><div class="point-map"[^>]*></div><span class="point-coordinates">36\.561100, 136\.656200</span></dd>', detail)


def test_a_restart_does_not_load_the_file_again(make_app: Callable[..., Flask], rows: Rows) -> None:
    files = {"data/schools.csv": SCHOOLS_CSV}
    make_app(SCHOOLS, files=files)

    restarted = make_app(SCHOOLS, files=files)
    again = make_app(SCHOOLS, files=files)

    assert rows(restarted, "schools") == 3
    assert rows(again, "schools") == 3


def test_rows_deleted_by_staff_do_not_come_back_after_a_restart(make_app: Callable[..., Flask], rows: Rows) -> None:
    files = {"data/shelters.geojson": SHELTERS_GEOJSON}
    first = make_app(SHELTERS, files=files)
    delete_all(first, "shelters")

    restarted = make_app(SHELTERS, files=files)

    assert rows(restarted, "shelters") == 0
    assert "0 件" in restarted.test_client().get("/demo/lists/shelters").get_data(as_text=True)


def test_rows_sent_through_the_form_survive_a_restart_next_to_the_seed(make_app: Callable[..., Flask], send: Send, rows: Rows) -> None:
    yaml = SCHOOLS + "forms:\n  add: {table: schools}\n"
    files = {"data/schools.csv": SCHOOLS_CSV}
    app = make_app(yaml, files=files)
    assert send(app.test_client(), "/demo/forms/add", {"name": "新設小学校", "kind": "elementary"}).status_code == 303

    restarted = make_app(yaml, files=files)

    assert rows(restarted, "schools") == 4


def test_a_csv_without_coordinates_loads_when_the_location_is_optional(make_app: Callable[..., Flask], stored: Stored) -> None:
    # Issue 7, item 38: an optional field may be missing from a seed file, the location too.
    yaml = SCHOOLS.replace(", lat: 緯度, lon: 経度", "")
    csv_text = "学校名,児童数,種別\n長町小学校,412,elementary\n兼六中学校,390,junior\n"

    app = make_app(yaml, files={"data/schools.csv": csv_text})

    rows = stored(app, "schools")
    assert [(r["name"], r["pupils"], r["place"]) for r in rows] == [("長町小学校", 412, None), ("兼六中学校", 390, None)]
    assert "2 件" in app.test_client().get("/demo/lists/schools").get_data(as_text=True)

