"""The first GeoJSON body of a big layer: built without the cycle collector running over it again and again, and
the same body as feature by feature (issue 8: 50,000 points took twice as long after issue 7)."""
from __future__ import annotations

import gc
import json
import math
import random
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from lowcode.audience import (
    DEFAULT_PUBLIC_PRECISION_M,
    METRES_PER_DEGREE,
    PUBLIC,
    STAFF,
    Point,
    grid_snapper,
    snap_to_grid,
)
from lowcode.fields.builtin import LocationType
from lowcode.maps import geojson
from lowcode.maps.geojson import FeatureQuery, encode_feature_collection, json_value
from lowcode.records import queries, query_points

POINTS = 3000  # enough new containers for several collections if the collector were running
YAML = """
title: t
tables:
  spots:
    fields:
      title: {type: text}
      kind: {type: choice, choices: [{key: a}, {key: b}]}
      place: {type: location}
    seed: {file: data/spots.csv}
forms:
  add: {table: spots}
maps:
  spots:
    layers: [{table: spots, popup: [title, kind]}]
"""


def spot_rows(count: int) -> list[dict[str, Any]]:
    rng = random.Random(count)
    return [{"id": i, "title": f"場所 {i}", "kind": "ab"[i % 2], "place": (136.5 + rng.random() / 5, 36.5 + rng.random() / 5)}
            for i in range(1, count + 1)]


def test_a_big_body_is_encoded_without_the_cycle_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = spot_rows(20_000)
    query = FeatureQuery("spots", "place", ("title", "kind"))
    collector_on: set[bool] = set()  # while each feature was made and encoded
    make_feature, encode = geojson._feature, geojson._ENCODE

    def making(row: Mapping[str, Any], query: FeatureQuery) -> dict[str, Any]:
        collector_on.add(gc.isenabled())
        return make_feature(row, query)

    def encoding(batch: Any) -> str:
        collector_on.add(gc.isenabled())
        return encode(batch)

    monkeypatch.setattr(geojson, "_feature", making)
    monkeypatch.setattr(geojson, "_ENCODE", encoding)
    body = encode_feature_collection(rows, query)
    assert collector_on == {False} and gc.isenabled()
    features = json.loads(body)["features"]
    assert [f["id"] for f in features] == [r["id"] for r in rows]
    first, row = features[0], rows[0]
    assert first["geometry"]["coordinates"] == [round(c, 6) for c in row["place"]]
    assert first["properties"] == {"title": json_value(row["title"]), "kind": row["kind"]}


def test_the_collector_is_back_on_when_encoding_fails() -> None:
    unencodable = {"id": 1, "place": (136.6, 36.5), "title": [object()]}
    with pytest.raises(TypeError):
        encode_feature_collection([unencodable], FeatureQuery("spots", "place", ("title",)))
    assert gc.isenabled()


def test_points_are_read_and_snapped_without_the_cycle_collector(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    csv = "title,kind,lat,lon\n" + "".join(
        f"{r['title']},{r['kind']},{r['place'][1]:.6f},{r['place'][0]:.6f}\n" for r in spot_rows(POINTS))
    app = make_app(YAML, files={"data/spots.csv": csv})
    runtime = app.extensions["lowcode"].runtimes["demo"]
    collector_on: set[bool] = set()  # while each point was read and while it was snapped
    read_point, make_snapper = LocationType.from_row, queries.grid_snapper

    def reading(kind: LocationType, name: str, row: Mapping[str, Any]) -> Any:
        collector_on.add(gc.isenabled())
        return read_point(kind, name, row)

    def snapping(metres: float) -> Callable[[Point], Point]:
        snap = make_snapper(metres)

        def watched(point: Point) -> Point:
            collector_on.add(gc.isenabled())
            return snap(point)

        return watched

    with app.app_context():
        engine: sa.Engine = app.extensions["lowcode"].db.engine
        stored = query_points(runtime, engine, "spots", "place", ["title", "kind"], audience=STAFF)
        monkeypatch.setattr(LocationType, "from_row", reading)
        monkeypatch.setattr(queries, "grid_snapper", snapping)
        public = query_points(runtime, engine, "spots", "place", ["title", "kind"], audience=PUBLIC)
    assert collector_on == {False} and gc.isenabled()
    assert len(public) == len(stored) == POINTS
    assert public[0].keys() == stored[0].keys() >= {"id", "title", "kind", "place"}
    # Asked in a public form: the public sees every point on the default grid, as snap_to_grid puts one point.
    assert [r["place"] for r in public] == [snap_to_grid(r["place"], DEFAULT_PUBLIC_PRECISION_M) for r in stored]
    assert [(r["title"], r["kind"]) for r in public] == [(r["title"], r["kind"]) for r in stored]


def snapped_alone(point: tuple[float, float], metres: float) -> tuple[float, float]:
    """The grid of audience.py's docstring, one point at a time: rows `metres` tall, cells `metres` wide at the row's
    centre latitude, a point published as its cell's centre."""
    lat_step = metres / METRES_PER_DEGREE
    lat = (math.floor(point[1] / lat_step) + 0.5) * lat_step
    lon_step = lat_step / max(math.cos(math.radians(lat)), 0.01)
    return round((math.floor(point[0] / lon_step) + 0.5) * lon_step, 6), round(lat, 6)


def test_a_grid_snapper_puts_each_point_in_its_own_cell() -> None:
    rng = random.Random(8)
    points = [(rng.uniform(-180, 180), rng.uniform(-89.9, 89.9)) for _ in range(2000)]
    points += [(136.6 + rng.random() / 100, 36.5 + rng.random() / 100) for _ in range(2000)]  # many in one row
    for metres in (10.0, 100.0, 2500.0):
        snap = grid_snapper(metres)
        assert [snap(p) for p in points] == [snapped_alone(p, metres) for p in points]
        assert [snap_to_grid(p, metres) for p in points[:50]] == [snapped_alone(p, metres) for p in points[:50]]
