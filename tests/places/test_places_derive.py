from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import shapely

from lowcode.geo.geometry import point_of
from lowcode.places.base import GeocodeUnavailable
from lowcode.places.derive import Deriver, derivation_order
from lowcode.places.gazetteer import Gazetteer
from lowcode.spec.models import AppSpec, TableSpec

KANAIWA = {"type": "Point", "coordinates": [136.5975, 36.6046]}  # by 金石北一丁目, inside 金石 on the 2013 map
SQUARE = shapely.geometry.mapping(shapely.box(136.59, 36.60, 136.60, 36.61))


class FakeTables:
    """What the web engine lends: rows from the database and a version that changes on every edit."""

    def __init__(self) -> None:
        self.data: dict[str, list[Mapping[str, Any]]] = {
            "towns": [{"town": "金石北一丁目", "kouka": "金石"}, {"town": "広坂一丁目", "kouka": "長町"}],
            "chokai": [{"name": "金石北町会", "boundary": json.dumps(SQUARE)}],
        }
        self.edits = 0
        self.reads: list[str] = []

    def version(self, table: str) -> object:
        return self.edits

    def rows(self, table: str) -> list[Mapping[str, Any]]:
        self.reads.append(table)
        return self.data[table]


@pytest.fixture
def app(load_yaml_app, hazards_yaml: str) -> tuple[AppSpec, Path]:
    loaded = load_yaml_app(hazards_yaml)
    assert loaded.spec is not None, [p.render() for p in loaded.problems]
    return loaded.spec, loaded.folder


def test_sources_come_before_the_fields_built_on_them() -> None:
    table = TableSpec.model_validate(
        {
            "fields": {
                "kouka": {"type": "text", "derive": {"from": "town", "lookup": "towns"}},
                "district": {"type": "text", "derive": {"from": "location", "area": "districts"}},
                "town": {"type": "text", "derive": {"from": "location", "nearest_town": True}},
                "location": {"type": "location"},
            }
        }
    )
    assert derivation_order(table) == ["town", "kouka", "district"]


def test_a_saved_row_gets_every_derived_field(app, gazetteer: Gazetteer) -> None:
    spec, folder = app
    deriver = Deriver(spec, folder, tables=FakeTables(), geocoder=gazetteer)
    row = deriver.derive("hazards", {"title": "見通しが悪い", "location": KANAIWA})
    assert row == {
        "title": "見通しが悪い",
        "location": KANAIWA,
        "town": "金石北一丁目",
        "kouka": "金石",
        "district": "金石",
        "chokai": "金石北町会",
    }


def test_no_point_no_derived_values(app, gazetteer: Gazetteer) -> None:
    spec, folder = app
    row = Deriver(spec, folder, tables=FakeTables(), geocoder=gazetteer).derive("hazards", {"title": "x", "location": None})
    assert (row["town"], row["kouka"], row["district"], row["chokai"]) == (None, None, None, None)


def test_tables_are_read_again_only_after_an_edit(app, gazetteer: Gazetteer) -> None:
    spec, folder = app
    tables = FakeTables()
    deriver = Deriver(spec, folder, tables=tables, geocoder=gazetteer)
    for _ in range(3):
        deriver.derive("hazards", {"location": KANAIWA})
    assert sorted(tables.reads) == ["chokai", "towns"]
    tables.data["towns"] = [{"town": "金石北一丁目", "kouka": "金石校下"}]
    tables.edits += 1
    assert deriver.derive("hazards", {"location": KANAIWA})["kouka"] == "金石校下"


def test_a_geocoder_outage_leaves_the_town_empty(app) -> None:
    class Down:
        def geocode(self, address: str) -> None:
            raise GeocodeUnavailable("timeout")

        def reverse(self, lon: float, lat: float) -> None:
            raise GeocodeUnavailable("timeout")

    spec, folder = app
    row = Deriver(spec, folder, tables=FakeTables(), geocoder=Down()).derive("hazards", {"location": KANAIWA})
    assert row["town"] is None and row["district"] == "金石"


@pytest.mark.parametrize(
    "stored",
    [
        {"type": "Point", "coordinates": [136.6, 36.5]},
        '{"type": "Point", "coordinates": [136.6, 36.5]}',
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [136.6, 36.5]}, "properties": {}},
        [136.6, 36.5],
        {"lon": 136.6, "lat": 36.5},
    ],
)
def test_point_of_reads_the_ways_a_location_is_stored(stored: object) -> None:
    assert point_of(stored) == (136.6, 36.5)


@pytest.mark.parametrize("stored", [None, "", "not json", {"type": "Point"}, ["a", "b"]])
def test_point_of_rejects_what_is_not_a_point(stored: object) -> None:
    assert point_of(stored) is None
