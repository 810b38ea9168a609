from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from lowcode.geo.files import read_features
from lowcode.places.areas import (
    AreaIndex,
    VersionedCache,
    areas_from_features,
    build_lookup_table,
    load_area_file,
    lookup_value,
    naive_lookup,
)
from lowcode.places.gazetteer import Gazetteer


@pytest.fixture(scope="module")
def areas(areas_kml: Path) -> AreaIndex:
    return load_area_file(areas_kml, "name")


def test_kml_areas_are_read_in_file_order(areas: AreaIndex) -> None:
    assert areas.names == ["額", "西南部", "押野", "米泉", "米丸", "粟崎", "大野", "金石", "浅野川", "鞍月"]


@pytest.mark.parametrize(
    ("address", "area"),
    [
        ("金沢市金石北１丁目", "金石"),
        ("金沢市大野町二丁目", "大野"),
        ("金沢市粟崎町", "粟崎"),
        ("金沢市押野1-5", "押野"),
        ("金沢市鞍月5丁目", "鞍月"),
        ("金沢市米泉町3丁目", "米泉"),
        ("金沢市広坂1丁目", None),  # the 2013 map does not cover the city centre
    ],
)
def test_a_geocoded_address_falls_in_its_area(gazetteer: Gazetteer, areas: AreaIndex, address: str, area: str | None) -> None:
    point = gazetteer.geocode(address)
    assert point is not None
    assert areas.lookup(point.lon, point.lat) == area


def test_index_agrees_with_the_naive_loop(areas: AreaIndex, gazetteer: Gazetteer) -> None:
    points = [(p.lon, p.lat) for p in (gazetteer.geocode(n) for n in ("金石北一丁目", "大野町一丁目", "広坂一丁目", "鞍月一丁目"))]
    assert all(points)
    expected = [naive_lookup(areas.areas, lon, lat) for lon, lat in points]
    assert [areas.lookup(lon, lat) for lon, lat in points] == expected
    assert areas.lookup_many([p[0] for p in points], [p[1] for p in points]) == expected


def test_overlapping_areas_give_the_first_in_file_order() -> None:
    square = shapely.box(0, 0, 2, 2)
    index = AreaIndex([("first", square), ("second", shapely.box(1, 1, 3, 3))])
    assert index.lookup(1.5, 1.5) == "first"
    assert index.lookup_many([1.5, 2.5, 9.0], [1.5, 2.5, 9.0]) == ["first", "second", None]


def test_a_point_on_the_boundary_belongs_to_the_area() -> None:
    assert AreaIndex([("a", shapely.box(0, 0, 1, 1))]).lookup(1.0, 0.5) == "a"


def test_points_lines_and_unnamed_features_are_not_areas() -> None:
    features = [
        {"type": "Feature", "properties": {"name": "pin"}, "geometry": {"type": "Point", "coordinates": [0, 0]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
        {"type": "Feature", "properties": {"name": "a"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
    ]
    assert [name for name, _ in areas_from_features(features, "name")] == ["a"]


def test_a_self_crossing_polygon_is_repaired() -> None:
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    index = AreaIndex.from_features([{"type": "Feature", "properties": {"name": "x"}, "geometry": bowtie}], "name")
    assert index.lookup(0.2, 1.0) == "x" and index.lookup(1.0, 1.9) is None


def test_kml_reader_is_shared_with_the_maps(areas: AreaIndex, areas_kml: Path) -> None:
    assert len(read_features(areas_kml)) == len(areas) == 10


def test_versioned_cache_builds_once_per_version() -> None:
    built: list[int] = []
    cache: VersionedCache[int] = VersionedCache()

    def build() -> int:
        built.append(1)
        return len(built)

    assert [cache.get("a", 1, build), cache.get("a", 1, build), cache.get("a", 2, build)] == [1, 1, 2]


def test_lookup_table_matches_how_people_type() -> None:
    table = build_lookup_table(
        [{"town": "広坂一丁目", "kouka": "長町"}, {"town": "広坂一丁目", "kouka": "other"}, {"town": "", "kouka": "x"}],
        "town",
        "kouka",
    )
    assert lookup_value(table, "広坂１丁目") == "長町"
    assert lookup_value(table, " 広坂一丁目 ") == "長町"
    assert lookup_value(table, "片町") is None
    assert lookup_value(table, None) is None
