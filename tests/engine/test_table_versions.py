"""Every write the engine makes changes the table version that caches (the GeoJSON, derivations) key on.

The version used to be count / newest updated_at / largest id: a write within the clock's resolution, or a
delete and an insert that kept all three, left the map stale. Both databases.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

SPOTS = """
title: 地点
service_area:
  name: 金沢市
  bbox: [136.50, 36.35, 136.85, 36.70]
tables:
  spots:
    fields:
      title: {type: text, required: true}
      place: {type: location, public_precision_m: 0}
    seed: {file: data/spots.csv}
maps:
  spots:
    layers: [{table: spots, popup: [title]}]
"""
SEED = "title,lat,lon\n広坂,36.56,136.65\n長町,36.57,136.64\n"
FROZEN = dt.datetime(2027, 1, 17, 1, 0)


def run_in_store(app: Flask, action: Callable[[Any, Any], Any]) -> Any:
    state = app.extensions["lowcode"]
    store = state.runtimes["demo"].stores["spots"]
    with app.app_context(), state.db.engine.begin() as conn:
        return action(store, conn)


def version(app: Flask) -> Any:
    return run_in_store(app, lambda store, conn: store.version(conn))


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write at the same instant, as two writes within the clock's resolution are."""
    monkeypatch.setattr("lowcode.storage.utcnow", lambda: FROZEN)


def test_an_update_at_the_same_instant_changes_the_version_and_the_map(make_app: Callable[..., Flask], frozen_clock: None) -> None:
    app = make_app(SPOTS, files={"data/spots.csv": SEED})
    client = app.test_client()
    before = client.get("/demo/api/spots.geojson")
    first_version = version(app)

    run_in_store(app, lambda store, conn: store.update(conn, 1, {"title": "広坂（移転）"}))

    after = client.get("/demo/api/spots.geojson")
    assert version(app) != first_version
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "広坂（移転）" in after.get_data(as_text=True)


def test_a_delete_and_an_insert_that_keep_count_and_largest_id_change_the_version(
    make_app: Callable[..., Flask], frozen_clock: None,
) -> None:
    app = make_app(SPOTS, files={"data/spots.csv": SEED})
    client = app.test_client()
    before = client.get("/demo/api/spots.geojson").get_data(as_text=True)
    first_version = version(app)

    def replace_last_row(store: Any, conn: Any) -> None:
        assert store.delete(conn, 2)
        store.insert(conn, {"title": "本町", "place": (136.66, 36.58)})  # SQLite gives it id 2 again

    run_in_store(app, replace_last_row)

    assert version(app) != first_version
    after = client.get("/demo/api/spots.geojson").get_data(as_text=True)
    assert "本町" in after and "長町" not in after and "本町" not in before


def test_a_missing_row_is_neither_updated_nor_deleted_nor_counted(make_app: Callable[..., Flask]) -> None:
    app = make_app(SPOTS, files={"data/spots.csv": SEED})
    first_version = version(app)

    assert run_in_store(app, lambda store, conn: store.update(conn, 99, {"title": "x"})) is False
    assert run_in_store(app, lambda store, conn: store.delete(conn, 99)) is False
    assert version(app) == first_version
