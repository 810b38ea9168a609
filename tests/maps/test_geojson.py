"""The GeoJSON API's helpers: RFC 7946 output in [lon, lat], public fields only, filters, bbox, ETag, gzip."""
from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable

import pytest

from lowcode.maps.geojson import (
    QueryError,
    compute_etag,
    encode_feature_collection,
    feature_collection,
    geocode_results,
    gzip_body,
    parse_bbox,
    parse_feature_query,
)
from lowcode.spec.loader import LoadedApp

LoadApp = Callable[..., LoadedApp]
MAP = (
    "maps:\n  m:\n    layers:\n      - {table: hazards, where: {status: [checked, done]}, popup: [title], color_by: theme}\n"
    "  all:\n    layers:\n      - {table: hazards, heatmap: true}\n"
)
ROWS = [
    {"id": 1, "ref": "A-1", "title": "Crossing", "theme": "traffic", "status": "done", "place": (136.6562, 36.5613),
     "note": "staff only", "email": "a@example.jp"},
    {"id": 2, "ref": "A-2", "title": "Dark lane", "theme": "crime", "status": "new", "place": (136.7, 36.6),
     "note": "", "email": "b@example.jp"},
    {"id": 3, "ref": "A-3", "title": "No place", "theme": "crime", "status": "done", "place": None, "note": "", "email": ""},
]


@pytest.fixture
def app(load_app: LoadApp):
    loaded = load_app(MAP)
    assert loaded.errors == []
    return loaded.spec


def test_features_are_points_in_lon_lat_with_public_fields_only(app) -> None:
    query = parse_feature_query(app, "hazards", {})
    collection = feature_collection(ROWS, query)
    assert collection["type"] == "FeatureCollection"
    first = collection["features"][0]
    assert first == {
        "type": "Feature", "id": 1,
        "geometry": {"type": "Point", "coordinates": [136.6562, 36.5613]},
        "properties": {"title": "Crossing", "theme": "traffic", "status": "done"},
    }
    assert len(collection["features"]) == 2  # the row without a place is left out
    assert b"staff only" not in encode_feature_collection(ROWS, query) and b"example.jp" not in encode_feature_collection(ROWS, query)


def test_a_map_layer_brings_its_where_and_its_fields(app) -> None:
    query = parse_feature_query(app, "hazards", {"map": ["m"], "layer": ["0"]})
    assert query.properties == ("title", "theme")
    kept = [row["id"] for row in ROWS if query.matches(row)]
    assert kept == [1]  # status new is not on the public map; row 3 has no place


def test_rows_a_map_filters_out_stay_out(load_app: LoadApp) -> None:
    only_checked = load_app("maps:\n  m:\n    layers:\n      - {table: hazards, where: {status: done}}\n").spec
    with pytest.raises(QueryError) as caught:
        parse_feature_query(only_checked, "hazards", {})
    assert caught.value.code == "layer_needed"
    no_map = load_app("forms: {report: {table: hazards}}\n").spec
    with pytest.raises(QueryError) as caught:
        parse_feature_query(no_map, "hazards", {"bbox": ["136,36,137,37"]})
    assert caught.value.code == "not_on_a_map"


def test_non_public_fields_are_refused_with_the_answer_an_unknown_field_gets(app) -> None:
    """Private field names cannot be found by trying: "not public" and "no such field" read the same."""
    answers = []
    for args in ({"fields": ["title,email"]}, {"fields": ["title,no_such_field"]}, {"note": ["x"]},
                 {"no_such_filter": ["x"]}, {"location": ["email"]}, {"location": ["<b>nowhere</b>"]}):
        with pytest.raises(QueryError) as caught:
            parse_feature_query(app, "hazards", args)
        answers.append(caught.value.as_json())
    assert answers == [{"error": "unknown_field", "message": "The request names a field or filter that is not available."}] * 6


def test_field_filters_and_bbox_narrow_the_rows(app) -> None:
    query = parse_feature_query(app, "hazards", {"theme": ["crime", "traffic"], "bbox": ["136.65,36.55,136.66,36.57"]})
    assert [row["id"] for row in ROWS if query.matches(row)] == [1]
    query = parse_feature_query(app, "hazards", {"status": ["new"]})
    assert [row["id"] for row in ROWS if query.matches(row)] == [2]


@pytest.mark.parametrize("text", ["1,2,3", "a,b,c,d", "136.9,36.3,136.4,36.8", "0,-91,1,1", "nan,0,1,1"])
def test_bad_bbox(text: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_bbox(text)
    assert caught.value.code == "bad_bbox"


def test_bbox_order_is_west_south_east_north() -> None:
    assert parse_bbox("136.4,36.3,136.9,36.8") == (136.4, 36.3, 136.9, 36.8)


def test_values_become_json() -> None:
    from lowcode.maps.geojson import json_value

    assert json_value(dt.date(2026, 4, 1)) == "2026-04-01"
    assert json_value((136.6, 36.5)) == [136.6, 36.5]


def test_coordinates_are_rounded_to_six_decimals(app) -> None:
    query = parse_feature_query(app, "hazards", {})
    row = dict(ROWS[0], place=(136.656212345678, 36.561298765432))
    assert feature_collection([row], query)["features"][0]["geometry"]["coordinates"] == [136.656212, 36.561299]


def test_etag_and_gzip_are_stable() -> None:
    body = b'{"type":"FeatureCollection","features":[]}'
    assert compute_etag(body) == compute_etag(body) != compute_etag(body + b" ")
    assert compute_etag(body).startswith('"') and compute_etag(body).endswith('"')
    assert gzip_body(body) == gzip_body(body)
    assert gzip.decompress(gzip_body(body)) == body


def test_unknown_table_and_layer(app) -> None:
    with pytest.raises(QueryError, match="There is no table 'hazard'"):
        parse_feature_query(app, "hazard", {})
    with pytest.raises(QueryError) as caught:
        parse_feature_query(app, "hazards", {"map": ["m"], "layer": ["7"]})
    assert caught.value.code == "unknown_layer"


def test_geocode_results_for_the_picker() -> None:
    assert json.loads(json.dumps(geocode_results([("金沢市役所", 136.6562, 36.5613)]))) == {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [136.6562, 36.5613]},
                      "properties": {"label": "金沢市役所"}}],
    }
