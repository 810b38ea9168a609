"""The staff queue's assignee and area filters and its assignee column, on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from staff_assign_support import YAML, build_app, logged_in, post, row_id
from support import app_engine, app_runtime

from lowcode.audit import Actor
from lowcode.records.area_filter import area_clauses
from lowcode.records.assignment import assign
from lowcode.roles import role_audience

QUEUE = "/demo/staff/tables/hazards?lang=en"
TITLES = ("North crossing", "South park", "North bridge")


@pytest.fixture
def app(make_app: Any) -> Flask:
    return build_app(make_app)


def shown(page: str) -> set[str]:
    return {title for title in TITLES if title in page}


def give(app: Flask, title: str, username: str) -> None:
    with app.app_context():
        runtime = app_runtime(app)
        assign(runtime, app_engine(app), "hazards", row_id(app, title), username,
               audience=role_audience(runtime.spec, "admin"), actor=Actor("admin"))


def test_the_queue_filters_by_assignee(app: Flask) -> None:
    give(app, "North crossing", "editor")
    give(app, "South park", "south")
    editor = logged_in(app, "editor")
    assert shown(editor.get(QUEUE).get_data(as_text=True)) == set(TITLES)
    assert shown(editor.get(QUEUE + "&assignee=@me").get_data(as_text=True)) == {"North crossing"}
    assert shown(editor.get(QUEUE + "&assignee=@nobody").get_data(as_text=True)) == {"North bridge"}
    assert shown(editor.get(QUEUE + "&assignee=south").get_data(as_text=True)) == {"South park"}
    assert shown(editor.get(QUEUE + "&assignee=nobody-at-all").get_data(as_text=True)) == set()
    menu = editor.get(QUEUE + "&assignee=south").get_data(as_text=True)
    assert '<option value="south" selected>south</option>' in menu and "Anyone" in menu and "Me" in menu


def test_the_queue_shows_the_assignee_column(app: Flask) -> None:
    give(app, "South park", "south")
    page = logged_in(app, "viewer").get(QUEUE).get_data(as_text=True)
    assert '<th scope="col" role="columnheader">Assigned to</th>' in page
    assert 'data-label="Assigned to">south<' in page and 'data-label="Assigned to">—<' in page


def test_the_queue_filters_by_area_with_the_areas_named_in_its_menu(app: Flask) -> None:
    editor = logged_in(app, "editor")
    page = editor.get(QUEUE).get_data(as_text=True)
    assert '<optgroup label="District">' in page
    assert '<option value="districts:East">East</option>' in page
    assert '<option value="districts:West &lt;1&gt;">West &lt;1&gt;</option>' in page  # escaped
    assert shown(editor.get(QUEUE + "&area=districts:East").get_data(as_text=True)) == {"North crossing"}
    west = editor.get(QUEUE + "&area=districts:West%20%3C1%3E").get_data(as_text=True)
    assert shown(west) == {"South park"} and '<option value="districts:West &lt;1&gt;" selected>' in west
    assert shown(editor.get(QUEUE + "&area=districts:Nowhere").get_data(as_text=True)) == set()
    east_published = editor.get(QUEUE + "&area=districts:East&status=published").get_data(as_text=True)
    assert shown(east_published) == set()


def test_malformed_filters_are_no_error(app: Flask) -> None:
    editor = logged_in(app, "editor")
    for value in ("", "districts", ":East", "nosuchset:East", "districts:", "x" * 5000, "\x00\x01", "@", "districts:East:x"):
        response = editor.get("/demo/staff/tables/hazards", query_string={"lang": "en", "area": value, "assignee": value})
        assert response.status_code == 200, value


def test_a_scoped_role_filtering_by_area_sees_only_its_rows(app: Flask) -> None:
    north = logged_in(app, "north")
    assert shown(north.get(QUEUE + "&area=districts:West%20%3C1%3E").get_data(as_text=True)) == set()
    assert shown(north.get(QUEUE + "&area=districts:East").get_data(as_text=True)) == {"North crossing"}


def test_a_derived_area_field_is_filtered_by_its_stored_value(make_app: Any) -> None:
    yaml = YAML.replace("      email: {type: email,",
                        "      district: {type: text, label: {en: District, ja: 地区}, derive: {from: spot, area: districts}}\n"
                        "      email: {type: email,")
    app = build_app(make_app, yaml)
    with app.app_context():
        runtime = app_runtime(app)
        clauses = area_clauses(runtime, app_engine(app), "hazards", "districts:East", role_audience(runtime.spec, "editor"))
    assert [str(c) for c in clauses] == [f"{runtime.stores['hazards'].table.name}.district = :district_1"]
    editor = logged_in(app, "editor")
    assert shown(editor.get(QUEUE + "&area=districts:East").get_data(as_text=True)) == {"North crossing"}


def test_no_area_filter_on_a_location_the_role_may_not_see(make_app: Any) -> None:
    app = build_app(make_app, YAML.replace("spot: {type: location,", "spot: {type: location, visibility: private,"))
    viewer = logged_in(app, "viewer")
    assert 'id="filter-area"' not in viewer.get(QUEUE).get_data(as_text=True)
    assert shown(viewer.get(QUEUE + "&area=districts:East").get_data(as_text=True)) == set(TITLES)  # ignored
    assert 'id="filter-area"' in logged_in(app, "admin").get(QUEUE).get_data(as_text=True)


def test_filters_are_kept_after_a_bulk_change(app: Flask) -> None:
    editor = logged_in(app, "editor")
    answer = post(editor, "/demo/staff/tables/hazards/bulk?lang=en&area=districts:East",
                  {"row": [str(row_id(app, "North crossing"))], "op": "assign", "assignee": "@me"}).get_data(as_text=True)
    assert "Done: 1" in answer and shown(answer) == {"North crossing"}
