"""A map layer of a table's `area` polygons (issue 11, Q2): `{table: districts, area: area}` is checked like a table
layer (the polygon itself must be public), served by the GeoJSON API as the public may see it (rows of a public
status only, public fields only), redrawn polygons shown on the next request (the table's version), drawn on the
print view without numbers, in the legend. On SQLite and PostgreSQL."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from support import app_engine, app_runtime

from lowcode.records import update
from lowcode.roles import role_audience
from lowcode.spec.loader import LoadedApp

MakeApp = Callable[..., Flask]
LoadApp = Callable[..., LoadedApp]

BODY = """
basemap: none
roles:
  board: {tables: {districts: [view, edit, manage_areas], schools: [view]}}
tables:
  schools:
    title_field: name
    fields:
      name: {type: text, required: true, label: {ja: 学校, en: School}}
    seed: {file: data/schools.csv}
  districts:
    label: {ja: 校区, en: Districts}
    title_field: name
    fields:
      name: {type: text, required: true, label: {ja: 校区名, en: District}}
      school: {type: reference, to: schools, label: {ja: 小学校, en: School}}
      kind:
        type: choice
        label: {ja: 種類, en: Kind}
        choices: [{key: primary, label: {ja: 小学校区, en: Primary}, color: "#1f618d"}, {key: joint, label: {ja: 共同, en: Joint}}]
      area: {type: area, label: {ja: 区域, en: Area}}
      memo: {type: text, visibility: staff}
      status:
        type: choice
        choices: [{key: draft}, {key: published, public: true}]
    workflow: {field: status, initial: draft, transitions: [{from: draft, to: published, roles: [board]}]}
    seed: {file: data/districts.csv}
  reports:
    fields:
      title: {type: text, required: true}
      place: {type: location, public_precision_m: 0}
    seed: {file: data/reports.csv}
maps:
  districts:
    basemap: none
    filters: [school]
    layers:
      - {table: reports, popup: [title]}
      - table: districts
        area: area
        label: {ja: 校区(デモ), en: Districts (demo)}
        style: {color: "#5d6d7e", weight: 2, fill_opacity: 0.1}
        label_property: school
        popup: [name, kind]
        tooltip: name
"""
YAML = "title: {ja: 校区, en: Districts}" + BODY


def square(west: float, south: float, size: float = 0.01) -> dict[str, Any]:
    east, north = round(west + size, 6), round(south + size, 6)  # as the API rounds them
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def cell(value: dict[str, Any]) -> str:
    return '"' + json.dumps(value).replace('"', '""') + '"'


DISTRICTS = (
    "name,school,kind,area,memo,status\n"
    f"<b>東</b>校区,1,primary,{cell(square(136.650000123, 36.560000456))},staff note,published\n"
    f"西校区,2,joint,{cell(square(136.70, 36.60))},,published\n"
    f"下書き校区,1,primary,{cell(square(136.60, 36.50))},secret draft,draft\n"
    "まだ描いていない校区,2,joint,,,published\n"
)
FILES = {"data/schools.csv": "name\n東小学校\n西小学校\n", "data/districts.csv": DISTRICTS,
         "data/reports.csv": "title,lat,lon\nCrossing,36.565,136.655\n"}
API = "/demo/api/districts.geojson?map=districts&layer=1"


def build(make_app: MakeApp) -> Flask:
    return make_app(YAML, files=FILES)


def answer(app: Flask, url: str = API) -> dict[str, Any]:
    response = app.test_client().get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/geo+json"
    return dict(json.loads(response.get_data()))


# --- the YAML ------------------------------------------------------------------------------------------------------


def test_an_area_layer_is_its_own_kind_and_checks_like_a_table_layer(load_app: LoadApp) -> None:
    loaded = load_app(BODY, FILES, tables=False)
    assert loaded.problems == [], [p.render() for p in loaded.problems]
    points, areas = loaded.spec.maps["districts"].layers
    assert (points.kind, areas.kind, areas.area) == ("table", "area", "area")


def problems(load_app: LoadApp, layer: str, fields: str = "") -> LoadedApp:
    yaml = BODY.replace("      memo: {type: text, visibility: staff}\n", "      memo: {type: text, visibility: staff}\n" + fields)
    yaml = yaml.split("  districts:\n    basemap: none")[0] + "  districts:\n    basemap: none\n    layers:\n" + layer
    return load_app(yaml, FILES, tables=False)


def one(loaded: LoadedApp, code: str, lang: str = "en") -> str:
    found = [p for p in loaded.problems if p.code == code]
    assert len(found) == 1, [p.render() for p in loaded.problems]
    return str(found[0].render(lang))


def test_a_staff_or_private_area_is_refused_with_why(load_app: LoadApp) -> None:
    staff = problems(load_app, "      - {table: districts, area: outline}\n",
                     "      outline: {type: area, visibility: staff}\n")
    assert one(staff, "E_NOT_PUBLIC").split("] ", 1)[1] == (
        "The field 'outline' is staff and cannot be shown on a public page. Remove it here, or set "
        "`visibility: public` on the field if residents may see it.")
    private = problems(load_app, "      - {table: districts, area: outline}\n",
                       "      outline: {type: area, visibility: private}\n")
    assert [p.code for p in private.problems] == ["E_PRIVATE_ON_PUBLIC_PAGE"]


def test_the_area_key_names_an_area_field_of_the_table(load_app: LoadApp) -> None:
    misspelt = problems(load_app, "      - {table: districts, area: aera}\n")
    assert "Did you mean 'area'?" in one(misspelt, "E_UNKNOWN_FIELD")
    not_area = problems(load_app, "      - {table: districts, area: name}\n")
    assert one(not_area, "E_MAP_NOT_AREA").split("] ", 1)[1] == (
        "The field 'name' is a text field, not an area field. `area:` names a field with `type: area` of the "
        "layer's table: area.")
    assert "項目 'name' は text 型で、区域(area)の項目ではありません。" in one(not_area, "E_MAP_NOT_AREA", "ja")
    as_field = problems(load_app, "      - {table: districts, field: area}\n")
    assert one(as_field, "E_MAP_FIELD_IS_AREA").endswith("Write `area: area` instead of `field: area`.".replace(
        "Write", "To draw its polygons, write"))
    bare = problems(load_app, "      - {table: districts}\n")
    assert one(bare, "E_MAP_NO_LOCATION_HAS_AREA").endswith("To draw its polygons, add `area: area` to this layer.")


def test_shown_fields_must_be_public_and_point_options_do_not_apply(load_app: LoadApp) -> None:
    loaded = problems(load_app, "      - {table: districts, area: area, popup: [name, memo], label_property: memo,"
                                " cluster: false, color_by: name}\n")
    assert sorted(p.code for p in loaded.problems) == [
        "E_MAP_COLOR_BY_TYPE", "E_MAP_KIND_OPTION", "E_NOT_PUBLIC", "E_NOT_PUBLIC"]
    assert "'cluster' applies only to table layers, and this layer is of the area kind." in one(loaded, "E_MAP_KIND_OPTION")
    on_file = problems(load_app, "      - {file: data/schools.csv, area: area}\n")
    assert "E_MAP_KIND_OPTION" in [p.code for p in on_file.problems]


# --- the GeoJSON API -------------------------------------------------------------------------------------------------


def test_the_api_serves_the_public_polygons_with_public_fields_and_titles(make_app: MakeApp) -> None:
    app = build(make_app)
    features = answer(app)["features"]
    assert [f["properties"]["name"] for f in features] == ["<b>東</b>校区", "西校区"]  # no draft, no empty area
    east = features[0]
    assert east["geometry"]["type"] == "Polygon"
    assert east["geometry"]["coordinates"][0][0] == [136.65, 36.56]  # rounded to 6 decimals, [lon, lat]
    assert set(east["properties"]) == {"name", "kind", "school"}  # popup, tooltip, label: never memo or status
    assert east["titles"] == {"school": "東小学校"}
    body = app.test_client().get(API).get_data(as_text=True)
    assert "secret draft" not in body and "staff note" not in body and "下書き校区" not in body
    # without map= and layer= (a layer without where: draws the table) the same public rows and fields
    plain = answer(app, "/demo/api/districts.geojson")["features"]
    assert [f["properties"]["name"] for f in plain] == ["<b>東</b>校区", "西校区"]
    assert "memo" not in plain[0]["properties"] and "area" not in plain[0]["properties"]
    assert app.test_client().get("/demo/api/districts.geojson?fields=memo").status_code == 400


def test_bbox_and_field_filters_narrow_the_polygons(make_app: MakeApp) -> None:
    app = build(make_app)
    near_west = answer(app, API + "&bbox=136.695,36.595,136.705,36.605")["features"]
    assert [f["properties"]["name"] for f in near_west] == ["西校区"]  # the box meets its corner only
    assert answer(app, API + "&bbox=136.0,35.0,136.1,35.1")["features"] == []
    assert [f["properties"]["name"] for f in answer(app, API + "&school=2")["features"]] == ["西校区"]


def test_a_polygon_redrawn_by_staff_shows_on_the_next_request(make_app: MakeApp) -> None:
    app = build(make_app)
    client = app.test_client()
    first = client.get(API)
    assert answer(app)["features"][1]["geometry"] == square(136.70, 36.60)
    runtime = app_runtime(app, "demo")
    board = role_audience(runtime.spec, "board", None)
    moved = square(136.72, 36.62, 0.02)
    with app.test_request_context("/"):
        result = update(runtime, app_engine(app), "districts", 2, {"area": json.dumps(moved)}, audience=board, lang="ja")
    assert result.errors == {}, result.errors
    again = client.get(API, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and again.headers["ETag"] != first.headers["ETag"]  # the table's version moved
    assert json.loads(again.get_data())["features"][1]["geometry"] == moved


# --- pages ------------------------------------------------------------------------------------------------------------


def layer_config(page: str) -> dict[str, Any]:
    found = re.search(r"lowcodeMap\.areaLayer\([^,]+, (\{.*?\})\);", page)
    assert found, "no area layer in the page"
    return dict(json.loads(found.group(1)))


def test_the_map_page_carries_the_address_style_and_legend_but_no_polygon(make_app: MakeApp) -> None:
    app = build(make_app)
    page = app.test_client().get("/demo/maps/districts?lang=ja").get_data(as_text=True)
    config = layer_config(page)
    assert config["url"] == "/demo/api/districts.geojson?map=districts&layer=1"
    assert config["style"]["color"] == "#5d6d7e" and config["style"]["fillOpacity"] == 0.1
    assert config["label"] == {"name": "school", "label": "小学校", "labels": {}, "reference": True}
    assert [f["name"] for f in config["popup"]] == ["name", "kind"] and config["tooltip"]["name"] == "name"
    assert "136.65" not in page.split("lowcodeMap.areaLayer")[1]  # the rows come from the API, not the page
    narrowed = app.test_client().get("/demo/maps/districts?school=2&lang=ja").get_data(as_text=True)
    assert layer_config(narrowed)["url"] == "/demo/api/districts.geojson?map=districts&layer=1&school=2"  # 西校区 only
    legend = re.search(r"lowcodeMap\.legend\([^,]+, (\[.*?\])\);", page)
    assert legend and json.loads(legend.group(1)) == [
        {"title": "", "items": [{"label": "校区(デモ)", "color": "#5d6d7e"}]}]


def test_the_print_view_draws_the_polygons_unnumbered(make_app: MakeApp) -> None:
    app = build(make_app)
    page = app.test_client().get("/demo/maps/districts/print?lang=en").get_data(as_text=True)
    config = layer_config(page)
    assert config["url"].startswith("/demo/api/districts.geojson?map=districts&layer=1")
    numbered = re.search(r"lowcodeMap\.numberedMarkers\([^,]+, (\[.*?\]), ", page)
    assert numbered and len(json.loads(numbered.group(1))) == 1  # the report only; districts are not numbered
    assert "Districts (demo)" in page  # its legend entry
    narrowed = app.test_client().get("/demo/maps/districts/print?lang=en&school=2")
    assert narrowed.status_code == 400  # no numbered layer has `school`: refused, as before
