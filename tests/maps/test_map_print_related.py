"""`print_related:` on a map layer (issue 11): the print view lists each numbered point's rows of another table under
it — a hazard's countermeasures — as the public may see them; the YAML mistakes staff can make, in both languages.
Heat-map layers are not numbered on paper. Storage tests run on SQLite and PostgreSQL (`make_app`)."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape
from typing import Any

from flask import Flask

from lowcode.spec.loader import LoadedApp

LoadApp = Callable[..., LoadedApp]
MakeApp = Callable[..., Flask]

# --- the YAML ---------------------------------------------------------------------------------------------------

# Appended to the fixture's tables (tests/maps/conftest.py: hazards with a location, a staff and a private field).
MEASURES = """
  measures:
    fields:
      name: {type: text}
      hazard: {type: reference, to: hazards}
      other: {type: reference, to: measures}
      who: {type: choice, choices: [{key: road}, {key: police}]}
      memo: {type: textarea, visibility: staff}
"""


def layer(related: str, extra: str = "") -> str:
    return f"maps:\n  m:\n    layers:\n      - table: hazards\n{extra}        print_related: {related}\n"


def codes(loaded: LoadedApp) -> list[str]:
    return [p.code for p in loaded.problems]


def test_a_reference_to_the_layers_table_with_public_columns_is_accepted(load_app: LoadApp) -> None:
    loaded = load_app(MEASURES + layer("{table: measures, field: hazard, columns: [name, who]}"))
    assert loaded.problems == []
    assert loaded.spec is not None
    spec = loaded.spec.maps["m"].layers[0].print_related
    assert spec is not None and (spec.table, spec.field, spec.columns) == ("measures", "hazard", ["name", "who"])


def test_a_misspelt_table_suggests_the_near_name(load_app: LoadApp) -> None:
    loaded = load_app(MEASURES + layer("{table: measure, field: hazard}"))
    [problem] = loaded.problems
    assert problem.code == "E_UNKNOWN_TABLE" and problem.suggestions == ("measures",)


def test_a_field_that_is_not_a_reference_to_the_layers_table_names_the_ones_that_are(load_app: LoadApp) -> None:
    loaded = load_app(MEASURES + layer("{table: measures, field: other}"))
    [problem] = loaded.problems
    assert problem.code == "E_PRINT_RELATED_FIELD"
    assert problem.message("en") == ("`print_related` needs a reference field of 'measures' with `to: hazards`, "
                                     "and 'other' is not one.")
    assert problem.message("ja") == ("`print_related` には 'measures' の `to: hazards` の参照(reference)項目が必要ですが、"
                                     "'other' は違います。")
    assert problem.hint("en") == "Reference fields of 'measures' that name a row of 'hazards': hazard."
    assert codes(load_app(MEASURES + layer("{table: measures, field: hazzard}"))) == ["E_UNKNOWN_FIELD"]


def test_a_staff_column_is_refused_and_a_column_named_twice(load_app: LoadApp) -> None:
    loaded = load_app(MEASURES + layer("{table: measures, field: hazard, columns: [name, memo, name]}"))
    assert codes(loaded) == ["E_NOT_PUBLIC", "E_DUPLICATE_ITEM"]
    assert loaded.problems[0].params["name"] == "memo"


def test_print_related_belongs_to_table_layers_of_points(load_app: LoadApp) -> None:
    heat = load_app(MEASURES + layer("{table: measures, field: hazard}", "        heatmap: true\n"))
    [problem] = heat.problems
    assert problem.code == "E_PRINT_RELATED_HEATMAP"
    assert problem.message("en") == ("A heat map's points are not numbered on the print view, so there is nothing to "
                                     "print `print_related` rows under.")
    on_file = load_app(MEASURES + "maps:\n  m:\n    layers:\n      - file: data/d.geojson\n"
                       "        print_related: {table: measures, field: hazard}\n", files={"data/d.geojson": DISTRICTS},
                       )
    assert codes(on_file) == ["E_MAP_TABLE_OPTION"]


# --- the print view ---------------------------------------------------------------------------------------------

DISTRICTS = ('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "North"}, '
             '"geometry": {"type": "Point", "coordinates": [136.6, 36.6]}}]}')
APP = """
title: {ja: 通学路, en: School routes}
languages: [ja, en]
basemap: none
tables:
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      title: {type: text, label: {ja: 件名, en: Title}}
      school: {type: choice, label: {ja: 学校, en: School}, choices: [{key: east}, {key: west}]}
      status:
        type: choice
        label: {ja: 状況, en: Status}
        choices: [{key: received}, {key: published, public: true}]
      place: {type: location, public_precision_m: 0}
    workflow: {field: status, initial: received, transitions: [{from: received, to: published}]}
    seed: {file: data/hazards.csv}
  measures:
    label: {ja: 対策, en: Countermeasures}
    fields:
      title: {type: text, label: {ja: 対策の名前, en: Countermeasure}}
      hazard: {type: reference, to: hazards, label: {ja: 危険箇所, en: Hazard}}
      actor: {type: choice, label: {ja: 実施する機関, en: Who acts}, choices: [{key: road, label: {ja: 道路管理者, en: Road manager}}, {key: police, label: {ja: 警察, en: Police}}]}
      progress: {type: choice, label: {ja: 進み具合, en: Progress}, choices: [{key: planned, label: {ja: 予定, en: Planned}}, {key: done, label: {ja: 完了, en: Done}}]}
      done_on: {type: date, label: {ja: 完了日, en: Done on}}
      memo: {type: textarea, visibility: staff, label: {ja: 職員メモ, en: Staff memo}}
      state:
        type: choice
        label: {ja: 公開, en: Shown}
        choices: [{key: draft}, {key: shown, public: true}]
    workflow: {field: state, initial: draft, transitions: [{from: draft, to: shown}]}
    seed: {file: data/measures.csv}
maps:
  routes:
    title: {ja: 危険箇所マップ, en: Hazard map}
    layers:
      - table: hazards
        label: {ja: 危険箇所, en: Hazards}
        popup: [title]
        print_related: {table: measures, field: hazard, columns: [title, actor, progress, done_on]}
      - {table: hazards, label: {ja: 集まり, en: Heat}, heatmap: true}
"""
# Hazard 1 (north) and 2 are public; 3 is not. Measures: two public ones of hazard 1, a draft of hazard 2, a public
# one of the non-public hazard 3.
HAZARDS_CSV = """title,school,status,lat,lon
North crossing,east,published,36.60,136.62
South lane,west,published,36.55,136.65
Not yet checked,east,received,36.58,136.64
"""
MEASURES_CSV = """title,hazard,actor,progress,done_on,memo,state
Traffic mirror,1,road,done,2026-11-02,staff only words,shown
Zone 30,1,police,planned,,,shown
Secret plan,2,police,planned,,,draft
Hidden hazard's measure,3,road,planned,,,shown
"""
FILES = {"data/hazards.csv": HAZARDS_CSV, "data/measures.csv": MEASURES_CSV}
URL = "/demo/maps/routes/print"


def print_page(app: Flask, query: str) -> str:
    response = app.test_client().get(URL + query)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return str(response.get_data(as_text=True))


def related_lines(html: str) -> dict[str, list[str]]:
    """The related rows printed after each numbered row: "No. n" caption → one line of text per related row."""
    found: dict[str, list[str]] = {}
    for block in re.findall(r'<tr class="print-related">(.*?)</tr>', html, re.DOTALL):
        caption = unescape(re.search(r'<span class="print-related-name">(.*?)</span>', block).group(1))  # type: ignore[union-attr]
        items = re.findall(r"<li>(.*?)</li>", block, re.DOTALL)
        found[caption] = [" ".join(unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]
    return found


def markers(html: str) -> list[dict[str, Any]]:
    found = re.search(r"lowcodeMap\.numberedMarkers\(\w+, (\[.*?\]), (?:true|false)\);", html)
    assert found
    return list(json.loads(found.group(1)))


def test_each_point_lists_its_public_related_rows_with_public_columns_only(make_app: MakeApp) -> None:
    html = print_page(make_app(APP, files=FILES), "?lang=en")

    assert related_lines(html) == {
        "Countermeasures for No. 1:": [
            "Traffic mirror Who acts: Road manager Progress: Done Done on: Nov 2, 2026",
            "Zone 30 Who acts: Police Progress: Planned",
        ],
    }
    for secret in ("Secret plan", "Hidden hazard", "staff only words", "Staff memo"):
        assert secret not in html  # a draft row, a row of a non-public point, a staff field and its heading


def test_the_related_rows_are_worded_in_japanese_too(make_app: MakeApp) -> None:
    html = print_page(make_app(APP, files=FILES), "?lang=ja")
    assert related_lines(html)["番号 1 の対策:"][0] == "Traffic mirror 実施する機関: 道路管理者 進み具合: 完了 完了日: 2026/11/02"


def test_a_related_row_made_public_is_printed_under_its_point(make_app: MakeApp) -> None:
    app = make_app(APP, files=FILES)
    from support import app_engine, app_runtime

    store = app_runtime(app, "demo").stores["measures"]
    with app.app_context(), app_engine(app).begin() as conn:
        conn.execute(store.table.update().where(store.table.c.title == "Secret plan").values(state="shown"))
        store.bump_version(conn)
    lines = related_lines(print_page(app, "?lang=en"))
    assert lines["Countermeasures for No. 2:"] == ["Secret plan Who acts: Police Progress: Planned"]


def test_a_heat_map_layer_is_drawn_but_not_numbered(make_app: MakeApp) -> None:
    app = make_app(APP, files=FILES)
    both = print_page(app, "?lang=en&chosen=1&layers=0&layers=1")
    assert [m["n"] for m in markers(both)] == [1, 2]  # the two public hazards once, not again for the heat map
    assert both.count('<table class="print-list">') == 1
    assert re.search(r'"/demo/api/hazards\.geojson\?[^"]*layer=1', both)  # the heat layer is still drawn, from the API
    heat_only = print_page(app, "?lang=en&chosen=1&layers=1")
    assert markers(heat_only) == [] and '<table class="print-list">' not in heat_only


def test_the_heat_map_on_a_narrowed_sheet_fetches_only_that_schools_points(make_app: MakeApp) -> None:
    html = print_page(make_app(APP, files=FILES), "?lang=en&chosen=1&layers=0&layers=1&school=east")
    heat_urls = [unescape(u) for u in re.findall(r'"(/demo/api/hazards\.geojson\?[^"]*layer=1[^"]*)"', html)]
    assert heat_urls and all("school=east" in u for u in heat_urls)
    assert [m["n"] for m in markers(html)] == [1]
