"""Geometry in one place (lowcode/geo): the same flattening, bounds and polygons for the spec, maps and places."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from lowcode.geo.area import AreaFileError, load_service_area
from lowcode.geo.files import read_kml
from lowcode.geo.geometry import (
    bbox_contains,
    features_bounds,
    has_polygon,
    is_proper_box,
    iter_geometries,
    iter_positions,
    looks_swapped,
)
from lowcode.geo.shapes import polygonal_part

SQUARE = {"type": "Polygon", "coordinates": [[[136.6, 36.5], [136.7, 36.5], [136.7, 36.6], [136.6, 36.6], [136.6, 36.5]]]}
POINT = {"type": "Point", "coordinates": [136.9, 36.9]}
NESTED = {"type": "GeometryCollection", "geometries": [POINT, {"type": "GeometryCollection", "geometries": [SQUARE]}]}
# KML's MultiGeometry: one placemark, two polygons (two islands of one town), read as a GeometryCollection.
MULTI_KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>市域</name><MultiGeometry>
<Polygon><outerBoundaryIs><LinearRing><coordinates>
136.60,36.50 136.70,36.50 136.70,36.60 136.60,36.60 136.60,36.50
</coordinates></LinearRing></outerBoundaryIs></Polygon>
<Polygon><outerBoundaryIs><LinearRing><coordinates>
136.80,36.50 136.90,36.50 136.90,36.60 136.80,36.60 136.80,36.50
</coordinates></LinearRing></outerBoundaryIs></Polygon>
</MultiGeometry></Placemark></Document></kml>
"""


def test_collections_are_opened_however_nested() -> None:
    assert list(iter_geometries(NESTED)) == [POINT, SQUARE]
    assert list(iter_geometries(None)) == []
    assert has_polygon(NESTED) and not has_polygon(POINT)


def test_positions_and_bounds_reach_inside_collections() -> None:
    assert list(iter_positions(NESTED))[:2] == [(136.9, 36.9), (136.6, 36.5)]
    assert features_bounds([{"geometry": NESTED}]) == (136.6, 36.5, 136.9, 36.9)
    assert features_bounds([{"geometry": None}]) is None


def test_swapped_points_are_noticed_in_a_box_and_in_the_world() -> None:
    swapped = [{"geometry": {"type": "Point", "coordinates": [36.56, 136.65]}}]
    assert looks_swapped(swapped, (136.4, 36.3, 136.9, 36.8))
    assert looks_swapped(swapped, None)  # latitude 136.65 is off the globe
    assert not looks_swapped([{"geometry": POINT}], None)


def test_polygonal_part_keeps_polygons_and_repairs_a_bow_tie() -> None:
    bow_tie = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    shape = polygonal_part({"type": "GeometryCollection", "geometries": [POINT, bow_tie]})
    assert shape is not None and shape.is_valid and shape.geom_type in ("Polygon", "MultiPolygon")
    assert polygonal_part(POINT) is None


def test_a_kml_service_area_drawn_as_multigeometry_is_used(tmp_path: Path) -> None:
    # The named areas of `areas:` always accepted MultiGeometry; the service area used to refuse it.
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "area.kml").write_text(MULTI_KML, encoding="utf-8")
    assert has_polygon(read_kml(MULTI_KML.encode())[0]["geometry"])
    area = load_service_area(SimpleNamespace(bbox=None, file="data/area.kml"), tmp_path)
    assert area.bounds == (136.6, 36.5, 136.9, 36.6)
    assert area.contains(136.65, 36.55) and area.contains(136.85, 36.55)
    assert not area.contains(136.75, 36.55)  # in the box, between the two polygons
    assert area.contains(136.6, 36.55)  # on the boundary line: inside


def test_a_service_area_file_without_polygon_is_refused(tmp_path: Path) -> None:
    (tmp_path / "points.geojson").write_text('{"type": "Point", "coordinates": [136.6, 36.5]}', encoding="utf-8")
    with pytest.raises(AreaFileError, match="no Polygon or MultiPolygon"):
        load_service_area(SimpleNamespace(bbox=None, file="points.geojson"), tmp_path)


@pytest.mark.parametrize(
    ("box", "proper"),
    [
        ((136.4, 36.3, 136.9, 36.8), True),
        ((136.9, 36.3, 136.4, 36.8), False),  # west east of east
        ((136.4, 36.3, 136.4, 36.8), False),  # no width
        ((136.4, 36.3, 186.9, 36.8), False),  # off the globe
    ],
)
def test_a_proper_box_lies_on_the_globe_and_has_an_area(box: tuple[float, float, float, float], proper: bool) -> None:
    assert is_proper_box(box) is proper


def test_a_box_contains_its_edges() -> None:
    box = (136.4, 36.3, 136.9, 36.8)
    assert bbox_contains(box, 136.4, 36.8) and bbox_contains(box, 136.6, 36.5)
    assert not bbox_contains(box, 36.5, 136.6)
