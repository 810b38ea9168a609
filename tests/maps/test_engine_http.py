"""Maps through the engine, over HTTP: the GeoJSON API, map pages of every layer kind, the picker in a form.

Storage is involved in most of these, so they run on SQLite and on PostgreSQL (`make_app`); pages that only
read files use `sqlite_make_app`.
"""
from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from flask import Flask
from support import csrf_token

MakeApp = Callable[..., Flask]

HAZARDS = """
title: {ja: 通学路の危険箇所, en: School-route hazards}
service_area:
  name: {ja: 金沢市, en: Kanazawa}
  bbox: [136.50, 36.35, 136.85, 36.70]
tables:
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      title: {type: text, required: true, label: {ja: 件名, en: Title}}
      theme:
        type: choice
        label: {ja: 分類, en: Theme}
        choices:
          - {key: traffic, label: {ja: 交通安全, en: Traffic}, color: "#d62728"}
          - {key: crime, label: {ja: 防犯, en: Crime}}
      status:
        type: choice
        default: new
        choices: [{key: new}, {key: checked}]
      place: {type: location, label: {ja: 場所, en: Place}, public_precision_m: 0}
      note: {type: textarea, visibility: staff}
      email: {type: email, visibility: private}
    seed: {file: data/hazards.csv}
forms:
  report: {table: hazards, fields: [title, theme, place, email]}
lists:
  hazards: {table: hazards}
maps:
  all:
    basemap: none
    layers: [{table: hazards, color_by: theme, popup: [title, theme]}]
  public:
    layers: [{table: hazards, where: {status: checked}, popup: [title]}]
"""
SEED = """\
title,theme,status,lat,lon,note,email
Crossing,traffic,checked,36.5613,136.6562,secret note,a@example.jp
Dark lane,crime,new,36.6,136.7,,b@example.jp
<script>alert(1)</script>,crime,checked,36.58,136.62,,
"""
API = "/demo/api/hazards.geojson"


def hazards_app(make_app: MakeApp, **config: Any) -> Flask:
    return make_app(HAZARDS, files={"data/hazards.csv": SEED}, **config)


def features(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return json.loads(response.get_data())["features"]


def answer(response: Any) -> dict[str, Any]:
    """A JSON answer (an error's `{error, message}`, a reverse lookup's `{name}`)."""
    assert response.mimetype == "application/json", response.mimetype
    return dict(json.loads(response.get_data()))


def titles(response: Any) -> list[str]:
    return [f["properties"]["title"] for f in features(response)]


def post_report(client: Any, data: dict[str, str], lang: str = "ja") -> Any:
    token = csrf_token(client, f"/demo/forms/report?lang={lang}")
    return client.post("/demo/forms/report", data={"csrf_token": token, **data})


# --- the GeoJSON API ---


def test_the_api_answers_an_rfc_7946_feature_collection_in_lon_lat_order(make_app: MakeApp) -> None:
    response = hazards_app(make_app).test_client().get(API)
    assert response.mimetype == "application/geo+json"
    body = json.loads(response.get_data())
    assert set(body) == {"type", "features"}  # no `crs` (RFC 7946 §4): positions are WGS 84 longitude, latitude
    assert body["type"] == "FeatureCollection"
    first = body["features"][0]
    assert first == {
        "type": "Feature", "id": 1,
        "geometry": {"type": "Point", "coordinates": [136.6562, 36.5613]},  # [lon, lat]
        "properties": {"title": "Crossing", "theme": "traffic", "status": "checked"},
    }
    assert [f["geometry"]["coordinates"] for f in body["features"]] == [[136.6562, 36.5613], [136.7, 36.6], [136.62, 36.58]]


def test_bbox_and_field_filters_narrow_the_points(make_app: MakeApp) -> None:
    client = hazards_app(make_app).test_client()
    assert titles(client.get(API, query_string={"bbox": "136.65,36.55,136.66,36.57"})) == ["Crossing"]
    assert titles(client.get(API, query_string={"bbox": "136.60,36.55,136.80,36.65"})) == [
        "Crossing", "Dark lane", "<script>alert(1)</script>",
    ]
    assert titles(client.get(API, query_string={"bbox": "139.0,35.0,140.0,36.0"})) == []
    assert titles(client.get(API, query_string={"theme": "crime"})) == ["Dark lane", "<script>alert(1)</script>"]
    assert titles(client.get(f"{API}?theme=crime&theme=traffic&status=checked")) == ["Crossing", "<script>alert(1)</script>"]
    assert titles(client.get(API, query_string={"theme": "crime", "bbox": "136.69,36.59,136.71,36.61"})) == ["Dark lane"]
    assert answer(client.get(API, query_string={"colour": "red"}))["error"] == "unknown_field"


def test_a_map_layer_brings_its_where_and_only_its_fields(make_app: MakeApp) -> None:
    client = hazards_app(make_app).test_client()
    public = features(client.get(API, query_string={"map": "public", "layer": "0"}))
    assert [(f["id"], f["properties"]) for f in public] == [(1, {"title": "Crossing"}), (3, {"title": "<script>alert(1)</script>"})]
    coloured = features(client.get(API, query_string={"map": "all", "layer": "0"}))
    assert coloured[1]["properties"] == {"title": "Dark lane", "theme": "crime"}
    assert answer(client.get(API, query_string={"map": "public", "layer": "5"}))["error"] == "unknown_layer"


def test_rows_a_map_leaves_out_cannot_be_fetched_without_the_layer(make_app: MakeApp) -> None:
    only_checked = HAZARDS.replace("    basemap: none\n    layers: [{table: hazards, color_by", "    layers: [{table: hazards, where: {status: checked}, color_by")
    client = make_app(only_checked, files={"data/hazards.csv": SEED}).test_client()
    refused = client.get(API)
    assert refused.status_code == 400 and answer(refused)["error"] == "layer_needed"
    assert "Dark lane" not in refused.get_data(as_text=True)
    assert "Dark lane" not in titles(client.get(API, query_string={"map": "all", "layer": "0"}))


@pytest.mark.parametrize("query", [
    {"fields": "title,email"}, {"fields": "note"}, {"email": "a@example.jp"}, {"note": "secret note"},
    {"map": "all", "layer": "0", "fields": "email"},
])
def test_private_and_staff_fields_never_leave_even_when_asked_for(make_app: MakeApp, query: dict[str, str]) -> None:
    client = hazards_app(make_app).test_client()
    refused = client.get(API, query_string=query)
    assert refused.status_code == 400
    assert answer(refused)["error"] == "unknown_field"
    assert "example.jp" not in refused.get_data(as_text=True) and "secret" not in refused.get_data(as_text=True)
    for asked in ({}, {"map": "all", "layer": "0"}, {"map": "public", "layer": "0"}):
        body = client.get(API, query_string=asked).get_data(as_text=True)
        assert "example.jp" not in body and "secret note" not in body and '"email"' not in body and '"note"' not in body


def test_markup_in_a_value_comes_back_as_a_json_string(make_app: MakeApp) -> None:
    response = hazards_app(make_app).test_client().get(API, query_string={"map": "public", "layer": "0"})
    assert response.mimetype == "application/geo+json"  # never text/html: a browser does not render it
    assert features(response)[1]["properties"]["title"] == "<script>alert(1)</script>"
    assert '"title":"<script>alert(1)</script>"' in response.get_data(as_text=True)


def test_gzip_when_the_browser_accepts_it(make_app: MakeApp) -> None:
    client = hazards_app(make_app).test_client()
    plain = client.get(API)
    zipped = client.get(API, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Vary"] == plain.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert zipped.mimetype == "application/geo+json"


def test_a_new_report_changes_the_etag(make_app: MakeApp) -> None:
    client = hazards_app(make_app).test_client()
    first = client.get(API)
    etag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag) and first.headers["Cache-Control"] == "no-cache"
    assert client.get(API).headers["ETag"] == etag  # the same rows, the same tag (and the cached body)

    sent = post_report(client, {"title": "New crossing", "theme": "traffic", "place_lat": "36.57", "place_lon": "136.64"})
    assert sent.status_code == 303
    changed = client.get(API, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert titles(changed)[-1] == "New crossing"


def test_an_unchanged_answer_is_not_sent_twice(make_app: MakeApp) -> None:
    client = hazards_app(make_app).test_client()
    etag = client.get(API).headers["ETag"]
    again = client.get(API, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b"" and again.headers["ETag"] == etag
    assert client.get(API, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"}).status_code == 304
    assert client.get(API, headers={"If-None-Match": '"something-else"'}).status_code == 200
    sent = post_report(client, {"title": "New crossing", "theme": "traffic", "place_lat": "36.57", "place_lon": "136.64"})
    assert sent.status_code == 303
    assert client.get(API, headers={"If-None-Match": etag}).status_code == 200


def test_the_worker_cache_is_bounded_by_bytes_and_answers_stay_right(make_app: MakeApp) -> None:
    """Issue 7 item 12: 40 bbox values grew workers by 300 MB; now raw and gzip bodies share a byte budget."""
    app = hazards_app(make_app, LOWCODE_GEOJSON_CACHE_MB=0.004)  # 4,194 bytes: a few answers of this table
    client = app.test_client()
    points = {"Crossing": (136.6562, 36.5613), "Dark lane": (136.7, 36.6), "<script>alert(1)</script>": (136.62, 36.58)}
    for n in range(40):
        west = 136.60 + n * 0.0025
        bbox = f"{west:.4f},36.5,136.8,36.7"
        expected = [t for t, (lon, _) in points.items() if lon >= west]
        response = client.get(API, query_string={"bbox": bbox}, headers={"Accept-Encoding": "gzip"})
        assert [f["properties"]["title"] for f in json.loads(gzip.decompress(response.get_data()))["features"]] == expected
        assert titles(client.get(API, query_string={"bbox": bbox})) == expected  # the raw body of the same entry
        cache = app.extensions["lowcode_geojson_cache"]
        assert 0 < cache.total_bytes <= cache.max_bytes == 4194
    assert 2 <= len(cache) < 40 and cache.order()[-1][2] == f"bbox={bbox}".encode()  # the last asked, kept last


def test_an_answer_larger_than_the_cache_is_served_but_not_kept(make_app: MakeApp) -> None:
    app = hazards_app(make_app, LOWCODE_GEOJSON_CACHE_MB=0)
    client = app.test_client()
    first = client.get(API)
    assert titles(first) == ["Crossing", "Dark lane", "<script>alert(1)</script>"]
    assert client.get(API, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert len(app.extensions["lowcode_geojson_cache"]) == 0


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "136.9,36.3,136.4,36.8", "0,-91,1,1", "nan,0,1,1", ""])
def test_a_bad_bbox_is_a_400_with_a_json_reason(make_app: MakeApp, bbox: str) -> None:
    response = hazards_app(make_app).test_client().get(f"{API}?bbox={bbox}")
    if bbox == "":
        assert response.status_code == 200  # an empty bbox= is no bbox
        return
    assert response.status_code == 400
    reason = answer(response)
    assert set(reason) == {"error", "message"} and reason["error"] == "bad_bbox"
    assert reason["message"].startswith("bbox must be")


def test_unknown_tables_are_not_found(make_app: MakeApp) -> None:
    client = hazards_app(make_app).test_client()
    assert client.get("/demo/api/nothing.geojson").status_code == 404


# --- map pages ---


def call_args(page: str, function: str) -> list[list[Any]]:
    """The JSON arguments of every `lowcodeMap.<function>(mapVar, …)` call in the page's script."""
    decoder, calls = json.JSONDecoder(), []
    for match in re.finditer(rf"lowcodeMap\.{function}\(\s*map_\w+,\s*", page):
        position, args = match.end(), []
        while page[position] not in ")":
            value, position = decoder.raw_decode(page, position)
            args.append(value)
            position = len(page) - len(page[position:].lstrip(", \n"))
        calls.append(args)
    return calls


def unescaped(page: str) -> str:
    """The page with JSON's \\uXXXX escapes read (folium writes its options with tojson, which uses them)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def outside_hosts(page: str) -> set[str]:
    return set(re.findall(r"(?:https?:)?//([\w-]+(?:\.[\w-]+)+)", unescaped(page)))


def seed_rows(count: int) -> str:
    lines = ["title,theme,status,lat,lon"]
    lines += [f"危険箇所{i:05d},{('traffic', 'crime')[i % 2]},checked,{36.5 + i / 40000:.6f},{136.6 + i / 40000:.6f}" for i in range(count)]
    return "\n".join(lines) + "\n"


def test_a_table_layer_page_carries_no_rows_and_does_not_grow_with_them(make_app: MakeApp) -> None:
    pages = {}
    for name, count in (("small", 10), ("large", 2000)):
        app = make_app(HAZARDS, name=name, files={"data/hazards.csv": seed_rows(count)})
        client = app.test_client()
        assert len(features(client.get(f"/{name}/api/hazards.geojson"))) == count
        pages[name] = client.get(f"/{name}/maps/all?lang=en").get_data(as_text=True)
    small, large = pages["small"], pages["large"]
    assert "危険箇所0000" not in unescaped(small) and "危険箇所0" not in unescaped(large)
    assert "136.6" not in large  # not a single coordinate of a row
    [[config]] = call_args(large, "tableLayer")
    assert config["url"] == "/large/api/hazards.geojson?map=all&layer=0"
    assert len(large.encode()) == len(small.encode()) < 100_000


NOTES = "tables:\n  notes:\n    fields: {text: {type: text}}\n"  # an app needs a table; these maps draw files only
FILE_LAYERS = """
title: Files
basemap: none
maps:
  files:
    layers:
      - {file: data/routes.geojson, label: 通学路, popup: [name], style: {color: "#1f77b4", weight: 5}}
      - {file: data/shelters.csv, label: 避難所, popup: [施設名], tooltip: 施設名}
      - {file: data/districts.kml, label: 校下, label_property: name, show: false}
""" + NOTES
ROUTES = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"name": "長町ルート", "unused": "not in the page"},
    "geometry": {"type": "LineString", "coordinates": [[136.650, 36.560], [136.655, 36.565]]},
}]}
SHELTERS = "施設名,lat,lon\n長町小学校,36.5627,136.6480\n<b>体育館</b>,36.5700,136.6400\n"
DISTRICTS = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>長町校下</name>
<Polygon><outerBoundaryIs><LinearRing><coordinates>136.64,36.55 136.67,36.55 136.67,36.58 136.64,36.55</coordinates>
</LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>
"""


def test_file_layers_are_written_into_the_page(sqlite_make_app: MakeApp) -> None:
    app = sqlite_make_app(FILE_LAYERS, files={
        "data/routes.geojson": json.dumps(ROUTES, ensure_ascii=False), "data/shelters.csv": SHELTERS,
        "data/districts.kml": DISTRICTS,
    })
    page = app.test_client().get("/demo/maps/files?lang=en").get_data(as_text=True)
    routes, shelters, districts = call_args(page, "fileLayer")
    assert routes[1]["features"] == [{
        "type": "Feature", "properties": {"name": "長町ルート"},  # only the properties the layer shows
        "geometry": {"type": "LineString", "coordinates": [[136.65, 36.56], [136.655, 36.565]]},
    }]
    assert routes[0]["style"]["color"] == "#1f77b4" and routes[0]["style"]["weight"] == 5
    assert [f["geometry"]["coordinates"] for f in shelters[1]["features"]] == [[136.648, 36.5627], [136.64, 36.57]]
    assert [f["properties"]["施設名"] for f in shelters[1]["features"]] == ["長町小学校", "<b>体育館</b>"]
    assert "<b>体育館" not in page  # written with tojson: `<` is \u003c, it cannot open a tag or close the script
    assert shelters[0]["tooltip"]["name"] == "施設名"
    assert districts[1]["features"][0]["properties"] == {"name": "長町校下"}
    assert districts[1]["features"][0]["geometry"]["type"] == "Polygon" and districts[0]["label"] == "name"
    assert "not in the page" not in unescaped(page) and ".geojson?" not in page


def test_a_heatmap_layer(make_app: MakeApp) -> None:
    heat = HAZARDS.replace("layers: [{table: hazards, color_by: theme, popup: [title, theme]}]", "layers: [{table: hazards, heatmap: true}]")
    page = make_app(heat, files={"data/hazards.csv": SEED}).test_client().get("/demo/maps/all").get_data(as_text=True)
    [[config]] = call_args(page, "tableLayer")
    assert config["heatmap"] is True and config["cluster"] is False
    assert '<script src="/static/vendor/leaflet.heat/leaflet_heat.min.js"></script>' in page
    assert "markercluster" not in page and call_args(page, "legend") == []


def test_color_by_colours_the_points_and_adds_a_legend(make_app: MakeApp) -> None:
    client = hazards_app(make_app).test_client()
    page = client.get("/demo/maps/all?lang=en").get_data(as_text=True)
    [[config]] = call_args(page, "tableLayer")
    assert config["colorBy"]["name"] == "theme" and config["colorBy"]["colors"]["traffic"] == "#d62728"
    [[sections]] = call_args(page, "legend")
    assert sections == [{"title": "Theme", "items": [
        {"label": "Traffic", "color": "#d62728"}, {"label": "Crime", "color": config["colorBy"]["colors"]["crime"]},
    ]}]
    japanese = call_args(client.get("/demo/maps/all?lang=ja").get_data(as_text=True), "legend")
    assert [item["label"] for item in japanese[0][0][0]["items"]] == ["交通安全", "防犯"]


BASEMAP_APP = """
title: Basemaps
basemap: {basemap}
maps:
  m:
    center: {{lat: 36.5613, lon: 136.6562}}
    layers: [{{file: data/points.csv}}]
""" + NOTES.replace("{", "{{").replace("}", "}}")
POINTS = "name,lat,lon\n広坂,36.5607,136.6578\n"


@pytest.mark.parametrize(("basemap", "tile_host", "attribution"), [
    ("osm", "tile.openstreetmap.org", ["&copy;", "OpenStreetMap", "contributors", "https://www.openstreetmap.org/copyright"]),
    ("gsi_std", "cyberjapandata.gsi.go.jp", ["出典：国土地理院", "地理院タイル", "https://maps.gsi.go.jp/development/ichiran.html"]),
    ("gsi_pale", "cyberjapandata.gsi.go.jp", ["出典：国土地理院", "地理院タイル", "/xyz/pale/"]),
])
def test_basemap_presets_carry_their_attribution(
    sqlite_make_app: MakeApp, basemap: str, tile_host: str, attribution: list[str]
) -> None:
    app = sqlite_make_app(BASEMAP_APP.format(basemap=basemap), files={"data/points.csv": POINTS})
    page = unescaped(app.test_client().get("/demo/maps/m").get_data(as_text=True))
    for text in attribution:
        assert text in page
    assert outside_hosts(page) <= {tile_host, "www.openstreetmap.org", "maps.gsi.go.jp"}
    assert tile_host in outside_hosts(page)


def test_basemap_none_leaves_no_outside_address_in_the_page(sqlite_make_app: MakeApp) -> None:
    app = sqlite_make_app(BASEMAP_APP.format(basemap="none"), files={"data/points.csv": POINTS})
    page = app.test_client().get("/demo/maps/m").get_data(as_text=True)
    assert outside_hosts(page) == set()
    assert "tileLayer" not in page and "lowcode-map-none" in page


def test_a_map_basemap_overrides_the_apps(make_app: MakeApp) -> None:
    # The app's default is osm; the map `all` says none, the map `public` keeps the default.
    client = hazards_app(make_app).test_client()
    assert outside_hosts(client.get("/demo/maps/all").get_data(as_text=True)) == set()
    assert "tile.openstreetmap.org" in outside_hosts(client.get("/demo/maps/public").get_data(as_text=True))


# --- the location picker in a form ---


def picker_config(page: str) -> dict[str, Any]:
    match = re.search(r'data-lowcode-picker data-config="([^"]*)"', page)
    assert match, "no picker in the page"
    return json.loads(unescape(match.group(1)))


def picker_error(page: str) -> str:
    match = re.search(r'<p class="lowcode-picker-error" id="place-location-error">([^<]*)</p>', page)
    assert match, "no message next to the location field"
    return match.group(1)


def stored_places(app: Flask) -> list[tuple[str, Any]]:
    state = app.extensions["lowcode"]
    store = state.runtimes["demo"].stores["hazards"]
    with app.app_context(), state.db.engine.connect() as conn:
        rows = conn.execute(store.table.select().order_by(store.table.c.id)).mappings()
        return [(r["title"], (r["place_lon"], r["place_lat"])) for r in rows]


@pytest.mark.parametrize(("lang", "message"), [
    ("ja", "この地点は金沢市の外です。区域の中に印を動かすか、住所をもう一度検索してください。"),
    ("en", "This point is outside Kanazawa. Move the marker inside the area, or search for the address again."),
])
def test_a_point_outside_the_service_area_comes_back_with_the_area_message(make_app: MakeApp, lang: str, message: str) -> None:
    app = hazards_app(make_app)
    client = app.test_client()
    before = stored_places(app)
    response = post_report(client, {"title": "東京駅", "theme": "traffic", "place_lat": "35.6812", "place_lon": "139.7671"}, lang)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert picker_error(page) == message
    assert 'value="35.6812" data-role="lat"' in page and 'value="139.7671" data-role="lon"' in page  # as typed
    assert 'aria-describedby="place-location-error"' in page
    assert stored_places(app) == before


def test_swapped_latitude_and_longitude_in_japan_are_named_as_such(make_app: MakeApp) -> None:
    app = hazards_app(make_app)
    response = post_report(app.test_client(), {"title": "逆", "theme": "traffic", "place_lat": "136.6562", "place_lon": "36.5613"}, "en")
    assert response.status_code == 422
    assert picker_error(response.get_data(as_text=True)).startswith("The latitude and longitude look swapped.")


def test_swapped_latitude_and_longitude_inside_the_range_are_named_as_such(make_app: MakeApp) -> None:
    # In the Alps both numbers are valid either way round: the area check sees the swap.
    alps = HAZARDS.replace("bbox: [136.50, 36.35, 136.85, 36.70]", "bbox: [10.0, 46.0, 12.0, 48.0]").replace(
        "name: {ja: 金沢市, en: Kanazawa}", "name: {ja: インスブルック, en: Innsbruck}")
    app = make_app(alps, files={"data/hazards.csv": "title,lat,lon\n"})
    response = post_report(app.test_client(), {"title": "逆", "theme": "traffic", "place_lat": "11.39", "place_lon": "47.26"}, "en")
    assert response.status_code == 422
    assert picker_error(response.get_data(as_text=True)) == (
        "The latitude and longitude look swapped. The latitude (north–south, e.g. 36.56) goes in the first box, "
        "the longitude (east–west, e.g. 136.65) in the second."
    )
    assert stored_places(app) == []


def test_a_point_inside_is_stored_and_shown_on_the_detail_page(make_app: MakeApp) -> None:
    app = hazards_app(make_app)
    client = app.test_client()
    response = post_report(client, {"title": "広坂の交差点", "theme": "traffic", "place_lat": "３６．５６０７", "place_lon": "136.6578"})
    assert response.status_code == 303
    assert stored_places(app)[-1] == ("広坂の交差点", (136.6578, 36.5607))  # (lon, lat), typed with a Japanese IME
    new_id = len(stored_places(app))
    detail = client.get(f"/demo/lists/hazards/{new_id}").get_data(as_text=True)
    assert '<span class="point-coordinates">36.560700, 136.657800</span></dd>' in detail  # under its small map
    assert titles(client.get(API))[-1] == "広坂の交差点"


def test_the_picker_asks_for_town_names_only_when_the_app_has_a_geocoder(make_app: MakeApp) -> None:
    towns = "town,lat,lon\n広坂一丁目,36.560745,136.6578\n"
    with_geocoder = HAZARDS.replace("tables:", "geocoder:\n  city: 石川県金沢市\n  gazetteer: {file: data/towns.csv, name: town}\ntables:", 1)
    client = make_app(with_geocoder, files={"data/hazards.csv": SEED, "data/towns.csv": towns}).test_client()
    config = picker_config(client.get("/demo/forms/report?lang=ja").get_data(as_text=True))
    assert (config["geocodeUrl"], config["reverseUrl"]) == ("/demo/api/geocode", "/demo/api/reverse")
    assert config["text"]["near"] == "近くの町名: {name}"
    assert answer(client.get("/demo/api/reverse?lon=136.6578&lat=36.5607")) == {"name": "広坂一丁目"}
    plain = make_app(HAZARDS, name="plain", files={"data/hazards.csv": SEED}).test_client()
    config = picker_config(plain.get("/plain/forms/report").get_data(as_text=True))
    assert (config["geocodeUrl"], config["reverseUrl"]) == (None, None)
