"""The audience rule on its own: which fields, rows and points the public sees (lowcode/audience.py)."""
from __future__ import annotations

import textwrap
from typing import Any

import pytest
import yaml

from lowcode.audience import PUBLIC, STAFF, snap_to_grid, widen_bounds
from lowcode.spec.models import AppSpec


def spec(text: str) -> AppSpec:
    return AppSpec.model_validate(yaml.safe_load(textwrap.dedent(text)))


SCHOOLS = """
title: x
tables:
  schools:
    fields:
      name: {type: text}
      closed: {type: boolean}
      kind: {type: choice, choices: [{key: primary}, {key: junior}]}
      home: {type: location, visibility: private}
      town: {type: text, derive: {from: home, nearest_town: true}}
      near: {type: text, derive: {from: town, nearest_town: true}}
"""


@pytest.mark.parametrize(("lists", "maps", "expected"), [
    ("", "", None),  # shown nowhere: only references name it, every row
    ("lists: {a: {table: schools, where: {closed: false}}}", "", ({"closed": False},)),
    ("lists: {a: {table: schools, where: {closed: false}}, b: {table: schools}}", "", None),  # one list shows all
    ("lists: {a: {table: schools, where: {closed: false}}}",
     "maps: {m: {layers: [{table: schools, where: {kind: junior}}]}}", ({"closed": False}, {"kind": "junior"})),
])
def test_the_public_sees_the_rows_its_lists_and_maps_show(lists: str, maps: str, expected: Any) -> None:
    app = spec(SCHOOLS + lists + "\n" + maps + "\n")

    assert PUBLIC.row_conditions(app, "schools") == expected
    assert STAFF.row_conditions(app, "schools") is None


def test_a_field_derived_from_a_private_one_is_not_public_however_far_back() -> None:
    table = spec(SCHOOLS).tables["schools"]

    assert PUBLIC.visible_fields(table) == ["name", "closed", "kind"]
    assert STAFF.visible_fields(table) == ["name", "closed", "kind", "home", "town", "near"]


def test_a_point_snaps_to_the_same_cell_centre_whatever_its_place_in_the_cell() -> None:
    cell = snap_to_grid((136.65432, 36.56789), 100)
    same_cell = [(136.65432 + dx, 36.56789 + dy) for dx in (-0.0001, 0.0001) for dy in (-0.0001, 0.0001)]

    assert {snap_to_grid(p, 100) for p in same_cell} == {cell}
    assert snap_to_grid(cell, 100) == cell  # a published point stays where it is
    assert snap_to_grid((136.6600, 36.56789), 100) != cell  # 500 m east: another cell


def test_a_widened_box_holds_every_point_whose_cell_centre_is_inside() -> None:
    bounds = (136.65, 36.56, 136.66, 36.57)
    west, south, east, north = widen_bounds(bounds, 100)

    near = [(136.648 + i * 0.00007, 36.558 + j * 0.00007) for i in range(200) for j in range(200)]
    published_inside = [p for p in near if inside(snap_to_grid(p, 100), bounds)]
    assert len(published_inside) > 10_000 and not all(inside(p, bounds) for p in published_inside)  # the edge matters
    assert all(inside(p, (west, south, east, north)) for p in published_inside)
    assert widen_bounds(bounds, None) == bounds


def inside(point: tuple[float, float], bounds: tuple[float, float, float, float]) -> bool:
    return bounds[0] <= point[0] <= bounds[2] and bounds[1] <= point[1] <= bounds[3]
