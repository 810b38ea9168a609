"""Map popups and tooltips name a reference by the referenced row's title as the public may see it (issue 12, S):
the GeoJSON answer carries the titles (`titles`, a foreign member), a row the public may not see gives nothing of
itself, a renamed row changes the answer (the cache is keyed on the referenced table too)."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from support import app_engine, app_runtime

from lowcode.records import change_status, update

MakeApp = Callable[..., Flask]

YAML = """
title: {ja: 通学路, en: School routes}
tables:
  schools:
    title_field: name
    fields:
      name: {type: text, required: true, label: {ja: 学校, en: School}}
      status:
        type: choice
        choices: [{key: open, public: true}, {key: closed}]
    workflow: {field: status, initial: open, transitions: [{from: open, to: closed}]}
    seed: {file: data/schools.csv}
  hazards:
    fields:
      title: {type: text, required: true, label: {ja: 件名, en: Title}}
      school: {type: reference, to: schools, label: {ja: 学校, en: School}}
      place: {type: location}
    seed: {file: data/hazards.csv}
lists:
  hazards: {table: hazards}
maps:
  all:
    basemap: none
    layers: [{table: hazards, popup: [title, school], tooltip: school}]
"""
SCHOOLS = "name,status\n<b>East</b> & 東小学校,open\nClosed secret school,closed\n"
HAZARDS = "title,school,lat,lon\nCrossing,1,36.5613,136.6562\nLane,2,36.57,136.66\nNowhere,,36.58,136.67\n"
API = "/demo/api/hazards.geojson?map=all&layer=0"


def build(make_app: MakeApp) -> Flask:
    return make_app(YAML, files={"data/schools.csv": SCHOOLS, "data/hazards.csv": HAZARDS})


def features(app: Flask) -> list[dict[str, Any]]:
    response = app.test_client().get(API)
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(json.loads(response.get_data())["features"])


def test_a_reference_comes_with_the_title_the_public_sees(make_app: MakeApp) -> None:
    app = build(make_app)
    crossing, lane, nowhere = features(app)
    assert crossing["properties"] == {"title": "Crossing", "school": 1}  # the id stays: maps filter by it
    assert crossing["titles"] == {"school": "<b>East</b> & 東小学校"}  # JSON text; the page writes it as text
    # a school the public may not see: neither its title nor its id
    assert lane["properties"]["school"] is None and lane["titles"] == {}
    assert nowhere["properties"]["school"] is None and nowhere["titles"] == {}
    assert "Closed secret school" not in app.test_client().get(API).get_data(as_text=True)


def test_a_filtered_answer_and_a_layer_without_references_keep_their_shape(make_app: MakeApp) -> None:
    app = build(make_app)
    response = app.test_client().get(API + "&school=1")
    assert [f["properties"]["title"] for f in json.loads(response.get_data())["features"]] == ["Crossing"]
    plain = json.loads(app.test_client().get("/demo/api/hazards.geojson?map=all&layer=0&fields=title").get_data())
    assert all("titles" not in f for f in plain["features"])  # no reference asked for: no member added


def test_renaming_or_hiding_the_referenced_row_changes_the_answer(make_app: MakeApp) -> None:
    app = build(make_app)
    assert features(app)[0]["titles"] == {"school": "<b>East</b> & 東小学校"}  # now cached
    runtime = app_runtime(app, "demo")
    with app.test_request_context("/"):
        assert update(runtime, app_engine(app), "schools", 1, {"name": "West school"}).errors == {}
    assert features(app)[0]["titles"] == {"school": "West school"}
    with app.test_request_context("/"):
        assert change_status(runtime, app_engine(app), "schools", 1, "status", "closed").errors == {}
    first = features(app)[0]
    assert first["properties"]["school"] is None and first["titles"] == {}


def test_the_map_page_shows_the_title_never_the_id(make_app: MakeApp) -> None:
    page = build(make_app).test_client().get("/demo/maps/all").get_data(as_text=True)
    config = re.search(r'"popup": ?\[.*?\]', page)
    assert config is not None and '"reference": true' in config.group(0)
    assert "東小学校" not in page  # the page carries no rows: titles come with the GeoJSON, written as text
