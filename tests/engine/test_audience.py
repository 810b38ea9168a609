"""The audience rule on its own: which fields, rows and points the public sees (lowcode/audience.py)."""
from __future__ import annotations

import textwrap
from typing import Any

import pytest
import yaml

from lowcode.audience import (
    PUBLIC,
    STAFF,
    STAFF_ROLE,
    Role,
    TablePermission,
    resident_audience,
    snap_to_grid,
    staff_audience,
    widen_bounds,
)
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


# --- issue 8: every audience — the resident's own link and staff roles ---------------------------------------------

REPORTS = """
title: x
tables:
  reports:
    fields:
      title: {type: text}
      status: {type: choice, choices: [new, checked]}
      school: {type: text, visibility: staff}
      note: {type: textarea, visibility: staff}
      name: {type: text, visibility: private}
      town: {type: text, derive: {from: name, nearest_town: true}, visibility: private}
  schools:
    fields:
      name: {type: text}
lists:
  reports: {table: reports, where: {status: checked}}
"""


def test_the_resident_sees_their_own_answers_on_their_row_only() -> None:
    app = spec(REPORTS)
    table = app.tables["reports"]
    resident = resident_audience(app, "reports", 7)

    assert resident.visible_fields(table, row_id=7) == ["title", "status", "name", "town"]  # no staff notes
    assert resident.visible_fields(table, row_id=8) == PUBLIC.visible_fields(table) == ["title", "status"]
    assert resident.visible_fields(table) == ["title", "status"]  # "every row it sees": the public's answer
    assert resident.row_conditions(app, "reports") == PUBLIC.row_conditions(app, "reports") == ({"status": "checked"},)
    assert resident.own_row_id(app, "reports") == 7 and resident.own_row_id(app, "schools") is None
    assert PUBLIC.own_row_id(app, "reports") is None
    assert resident.visible_fields(app.tables["schools"], row_id=7) == ["name"]  # row 7 of another table is not theirs
    assert not resident.sees_reference_numbers and resident.changeable_fields(table, row_id=7) == []


def test_a_role_sees_and_changes_only_what_its_permissions_give() -> None:
    app = spec(REPORTS)
    reports, schools = app.tables["reports"], app.tables["schools"]
    clerk = staff_audience(app, Role("clerk", tables=(("reports", TablePermission(change=True)),)))

    assert clerk.visible_fields(reports) == ["title", "status", "school", "note"]  # staff fields, no personal data
    assert clerk.changeable_fields(reports) == ["title", "status", "school", "note"]
    assert clerk.row_conditions(app, "reports") is None  # every row, the unchecked ones too
    assert clerk.visible_fields(schools) == [] and clerk.row_conditions(app, "schools") == ()  # a table it lacks
    assert clerk.title_field(schools) is None


def test_a_scoped_role_sees_only_the_rows_of_its_accounts_value() -> None:
    app = spec(REPORTS)
    school = Role("school", tables=(("reports", TablePermission(see_private=True, scope_field="school")),))

    assert staff_audience(app, school, "kodatsuno").row_conditions(app, "reports") == ({"school": "kodatsuno"},)
    assert staff_audience(app, school, "kodatsuno").visible_fields(app.tables["reports"])[-2:] == ["name", "town"]
    assert staff_audience(app, school, "kodatsuno").changeable_fields(app.tables["reports"]) == []  # view only
    assert staff_audience(app, school).row_conditions(app, "reports") == ()  # an account without a school: none


def test_staff_is_the_role_that_may_do_everything() -> None:
    app = spec(REPORTS + "maps: {m: {layers: [{table: reports, where: {status: new}}]}}\n")
    as_role = staff_audience(app, STAFF_ROLE)

    for name, table in app.tables.items():
        assert as_role.visible_fields(table) == STAFF.visible_fields(table) == list(table.fields)
        assert as_role.row_conditions(app, name) is None is STAFF.row_conditions(app, name)
    # Derived fields are computed from their source, never typed: not even staff change them.
    assert as_role.changeable_fields(app.tables["reports"]) == STAFF.changeable_fields(app.tables["reports"])
    assert "town" not in STAFF.changeable_fields(app.tables["reports"])
    assert PUBLIC.changeable_fields(app.tables["reports"]) == []
