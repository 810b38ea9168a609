"""An `area` field's text: Polygon and MultiPolygon GeoJSON (a geometry, a Feature or a FeatureCollection) is
stored as a plain geometry; empty, crossing, off-the-globe or oversized outlines are refused with their reason."""
from __future__ import annotations

import json
from typing import Any

import pytest

from lowcode.geo.drawn_area import MAX_AREA_POINTS, parse_area
from lowcode.spec.words import value_reason
from lowcode.values import InvalidValue, parse_field_text

SQUARE = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
OTHER = [[2.0, 0.0], [3.0, 0.0], [3.0, 1.0], [2.0, 0.0]]
BOW_TIE = [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]


def refusal(raw: Any) -> InvalidValue:
    with pytest.raises(InvalidValue) as caught:
        parse_field_text("area", raw)
    return caught.value


def test_a_polygon_is_stored_as_its_geometry() -> None:
    text = json.dumps({"type": "Polygon", "coordinates": [SQUARE]})
    assert parse_field_text("area", text) == {"type": "Polygon", "coordinates": [SQUARE]}


def test_a_feature_keeps_its_geometry_and_drops_its_properties() -> None:
    feature = {"type": "Feature", "properties": {"name": "<script>"}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}
    assert parse_field_text("area", json.dumps(feature)) == {"type": "Polygon", "coordinates": [SQUARE]}


def test_several_polygons_become_one_multipolygon() -> None:
    collection = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [[OTHER]]}},
    ]}
    assert parse_area(collection) == {"type": "MultiPolygon", "coordinates": [[SQUARE], [OTHER]]}
    assert parse_area({"type": "MultiPolygon", "coordinates": [[SQUARE]]}) == {"type": "Polygon", "coordinates": [SQUARE]}


def test_an_open_ring_is_closed_and_a_hole_is_kept() -> None:
    hole = [[0.2, 0.2], [0.4, 0.2], [0.4, 0.4], [0.2, 0.2]]
    value = parse_area({"type": "Polygon", "coordinates": [SQUARE[:-1], hole]})
    assert value == {"type": "Polygon", "coordinates": [SQUARE, hole]}


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_nothing_given_is_no_value(raw: Any) -> None:
    assert parse_field_text("area", raw) is None


@pytest.mark.parametrize("raw", [
    "not json", "[1, 2]", '{"type": "Point", "coordinates": [136.6, 36.5]}',
    '{"type": "LineString", "coordinates": [[0, 0], [1, 1]]}', '{"type": "Polygon", "coordinates": [[["a", 0]]]}',
    '{"type": "Polygon", "coordinates": [[[0, 0], [1, NaN], [1, 1], [0, 0]]]}', '{"type": "Polygon"}',
    '{"type": "Polygon", "coordinates": [[[true, 0], [1, 0], [1, 1], [0, 0]]]}', "[" * 100_000,
])
def test_what_is_not_a_polygon_is_refused(raw: str) -> None:
    assert refusal(raw).key == "not_area"


@pytest.mark.parametrize("coordinates", [[], [[]], [[[0, 0], [1, 1], [0, 0]]], [[[0, 0], [1, 0], [2, 0], [0, 0]]]])
def test_an_outline_that_encloses_nothing_is_refused(coordinates: Any) -> None:
    assert refusal(json.dumps({"type": "Polygon", "coordinates": coordinates})).key == "area_empty"


def test_an_outline_that_crosses_itself_is_refused() -> None:
    assert refusal(json.dumps({"type": "Polygon", "coordinates": [BOW_TIE]})).key == "area_crosses_itself"
    assert refusal({"type": "MultiPolygon", "coordinates": [[SQUARE], [BOW_TIE]]}).key == "area_crosses_itself"


def test_a_point_off_the_globe_is_refused() -> None:
    swapped = [[36.5, 136.6], [36.6, 136.6], [36.6, 136.7], [36.5, 136.6]]  # latitude first
    assert refusal({"type": "Polygon", "coordinates": [swapped]}).key == "area_out_of_range"


def test_too_many_points_are_refused_with_the_limit() -> None:
    ring = [[0.001 * i, 0.0] for i in range(MAX_AREA_POINTS)] + [[5.0, 5.0], [0.0, 0.0]]
    refused = refusal({"type": "Polygon", "coordinates": [ring]})
    assert (refused.key, refused.params) == ("area_too_many_points", {"limit": "10,000"})
    assert parse_area({"type": "Polygon", "coordinates": [ring[: MAX_AREA_POINTS - 2] + [[5.0, 5.0], [0.0, 0.0]]]})


def test_each_refusal_has_its_reason_for_seed_files_in_both_languages() -> None:
    keys = ("not_area", "area_empty", "area_crosses_itself", "area_out_of_range", "area_too_many_points")
    reasons = [value_reason(key) for key in keys]
    assert all(reason["en"] != key and reason["ja"] != key for reason, key in zip(reasons, keys))
    assert "10,000" in value_reason("area_too_many_points")["ja"]
