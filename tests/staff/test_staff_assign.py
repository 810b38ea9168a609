"""Assigning a row to a staff member, on SQLite and PostgreSQL: the `assigned_to` column (new and added to an existing
table, indexed, a reserved name), `records.assign` (who may assign, who may be named, the audit entry) and the record
page's "Assigned to" form."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from staff_assign_support import DISTRICTS, YAML, build_app, logged_in, post, row_id, row_value
from support import app_engine, app_runtime, write_app

from lowcode.audience import PUBLIC
from lowcode.audit import AUDIT, Actor
from lowcode.records import RowNotFound
from lowcode.records.assignment import AssignNotAllowed, NotAssignable, assign, eligible_assignees
from lowcode.roles import role_audience
from lowcode.spec.loader import load_app_spec
from lowcode.staff.accounts import remove_role
from lowcode.staff.tables import USERS


@pytest.fixture
def app(make_app: Any) -> Flask:
    return build_app(make_app)


def assign_as(app: Flask, role: str, title: str, username: str | None, scope: str | None = None) -> str | None:
    with app.app_context():
        runtime = app_runtime(app)
        audience = role_audience(runtime.spec, role, scope)
        return assign(runtime, app_engine(app), "hazards", row_id(app, title), username, audience=audience,
                      actor=Actor("someone", "127.0.0.1"))


def audit_entries(app: Flask, action: str) -> list[Any]:
    with app.app_context(), app_engine(app).connect() as conn:
        return conn.execute(sa.select(AUDIT.c.actor, AUDIT.c.before, AUDIT.c.after).where(AUDIT.c.action == action)).all()


def test_a_workflow_table_gets_an_indexed_assignee_column(app: Flask) -> None:
    with app.app_context():
        table = app_runtime(app).stores["hazards"].table
        indexes = sa.inspect(app_engine(app)).get_indexes(table.name)
    assert any(index["column_names"] == ["assigned_to"] for index in indexes)
    assert row_value(app, "North crossing", "assigned_to") is None


def test_an_existing_table_gets_the_column_and_its_index_when_its_workflow_arrives(make_app: Any) -> None:
    without = YAML.split("    workflow:")[0] + "forms:" + YAML.split("forms:")[1]
    without = without.replace(", public: true", "").replace(", closed: true", "")
    first = make_app(without, files={"districts.geojson": DISTRICTS})
    with first.app_context():
        name = app_runtime(first).stores["hazards"].table.name
        assert "assigned_to" not in {c["name"] for c in sa.inspect(app_engine(first)).get_columns(name)}
    second = build_app(make_app)  # the same database, now with the workflow
    with second.app_context():
        inspector = sa.inspect(app_engine(second))
        assert "assigned_to" in {c["name"] for c in inspector.get_columns(name)}
        assert any(index["column_names"] == ["assigned_to"] for index in inspector.get_indexes(name))
    assert assign_as(second, "admin", "North crossing", "editor") is None
    assert row_value(second, "North crossing", "assigned_to") == "editor"


def test_assigned_to_is_a_reserved_field_name(tmp_path: Path) -> None:
    yaml = YAML.replace("      school: {type: text,", "      assigned_to: {type: text, label: X}\n      school: {type: text,")
    loaded = load_app_spec(write_app(tmp_path / "demo", yaml, {"districts.geojson": DISTRICTS}))
    assert [p.code for p in loaded.problems if p.code == "E_RESERVED_NAME"] == ["E_RESERVED_NAME"]


def test_assign_stores_the_name_and_audits_before_and_after(app: Flask) -> None:
    assert assign_as(app, "admin", "North crossing", "editor") is None
    assert assign_as(app, "editor", "North crossing", "north") == "editor"
    assert row_value(app, "North crossing", "assigned_to") == "north"
    assert assign_as(app, "editor", "North crossing", "north") == "north"  # unchanged: no second entry
    assert assign_as(app, "editor", "North crossing", None) == "north"
    entries = audit_entries(app, "assign")
    assert [(before, after) for _, before, after in entries] == [
        ('{"assigned_to": null}', '{"assigned_to": "editor"}'), ('{"assigned_to": "editor"}', '{"assigned_to": "north"}'),
        ('{"assigned_to": "north"}', '{"assigned_to": null}')]
    assert {actor for actor, _, _ in entries} == {"someone"}


def test_only_accounts_whose_role_sees_the_row_may_be_named(app: Flask) -> None:
    with app.app_context():
        engine = app_engine(app)
        with engine.begin() as conn:
            conn.execute(USERS.update().where(USERS.c.username == "viewer").values(disabled=True))
        eligible = eligible_assignees(app_runtime(app), engine, "hazards", row_id(app, "South park"))
    assert eligible == ["admin", "editor", "south"]  # not north (another school), not disabled, not another app's
    for name in ("north", "viewer", "elsewhere", "nobody-at-all"):
        with pytest.raises(NotAssignable):
            assign_as(app, "admin", "South park", name)
    assert row_value(app, "South park", "assigned_to") is None and audit_entries(app, "assign") == []


def test_only_a_role_that_may_edit_assigns_and_only_rows_it_sees(app: Flask) -> None:
    with pytest.raises(AssignNotAllowed):
        assign_as(app, "viewer", "North crossing", "viewer")
    with pytest.raises(RowNotFound):
        assign_as(app, "school", "South park", "north", scope="North")
    assert assign_as(app, "school", "North crossing", "north", scope="North") is None
    with app.app_context(), pytest.raises(AssignNotAllowed):
        runtime = app_runtime(app)
        assign(runtime, app_engine(app), "hazards", row_id(app, "North crossing"), None, audience=PUBLIC,
               actor=Actor("resident"))


def record(app: Flask, title: str) -> str:
    return f"/demo/staff/tables/hazards/{row_id(app, title)}"


def test_the_record_page_offers_eligible_accounts_and_assign_to_me(app: Flask) -> None:
    page = logged_in(app, "editor").get(record(app, "North crossing") + "?lang=en").get_data(as_text=True)
    form = page[page.index('id="assign-title"'):page.index("Assign to me")]
    assert "Assigned to" in page and "Nobody" in form
    assert '<option value="north">' in form and '<option value="south">' not in form  # the row is North's
    assert '<option value="viewer">' in form  # a view-only role may hold a row, not give one


def test_assigning_on_the_record_page_shows_in_the_queue_and_history(app: Flask) -> None:
    client = logged_in(app, "editor")
    url = record(app, "North crossing")
    response = post(client, url + "/assign", {"assignee": "@me"}, url)
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    page = client.get(url + "?lang=en").get_data(as_text=True)
    history = page[page.index(">History</h2>"):]
    assert "Assigned" in history and "editor" in history and "Assign to me" not in page
    queue = client.get("/demo/staff/tables/hazards?lang=en").get_data(as_text=True)
    assert 'data-label="Assigned to">editor<' in queue
    assert post(client, url + "/assign", {"assignee": "north"}, url).status_code == 303
    assert row_value(app, "North crossing", "assigned_to") == "north"
    assert post(client, url + "/assign", {"assignee": "@nobody"}, url).status_code == 303
    assert row_value(app, "North crossing", "assigned_to") is None


def test_the_assign_route_refuses_what_the_form_never_offers(app: Flask) -> None:
    url = record(app, "South park")
    viewer = logged_in(app, "viewer")
    assert "Give this record to" not in viewer.get(url + "?lang=en").get_data(as_text=True)
    assert post(viewer, url + "/assign", {"assignee": "@me"}, url).status_code == 403
    north = logged_in(app, "north")
    assert post(north, url + "/assign", {"assignee": "@me"}, record(app, "North crossing")).status_code == 404
    editor = logged_in(app, "editor")
    refused = post(editor, url + "/assign?lang=en", {"assignee": "north<script>"}, url)
    assert refused.status_code == 422 and "north&lt;script&gt; cannot be given this record" in refused.get_data(as_text=True)
    assert post(editor, "/demo/staff/tables/hazards/99999/assign", {"assignee": "@me"}, url).status_code == 404
    assert post(editor, "/demo/staff/tables/hazards/99999999999/assign", {"assignee": "@me"}, url).status_code == 404
    assert row_value(app, "South park", "assigned_to") is None


def test_the_assignee_never_reaches_a_public_page(app: Flask) -> None:
    assign_as(app, "admin", "North crossing", "editor")
    client = logged_in(app, "editor")
    url = record(app, "North crossing")
    post(client, url, {"to": "published"}, url)
    public = app.test_client()
    assert "North crossing" in public.get("/demo/lists/hazards").get_data(as_text=True)
    detail = public.get(f"/demo/lists/hazards/{row_id(app, 'North crossing')}").get_data(as_text=True)
    assert "North crossing" in detail and "editor" not in detail


def test_a_holder_no_longer_eligible_stays_shown_and_is_not_dropped_by_saving_the_form(app: Flask) -> None:
    assign_as(app, "admin", "North crossing", "north")
    with app.app_context():
        remove_role(app_engine(app), "north", "demo", "school")
    client = logged_in(app, "editor")
    url = record(app, "North crossing")
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert '<option value="north" selected>north</option>' in page
    assert post(client, url + "/assign", {"assignee": "north"}, url).status_code == 303  # unchanged: allowed
    assert row_value(app, "North crossing", "assigned_to") == "north" and len(audit_entries(app, "assign")) == 1
    assert post(client, url + "/assign", {"assignee": "editor"}, url).status_code == 303
    assert post(client, url + "/assign", {"assignee": "north"}, url).status_code == 422  # not given back
