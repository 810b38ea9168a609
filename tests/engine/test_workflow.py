"""Roles and workflow from the YAML (lowcode/roles.py, lowcode/records/workflow.py), on SQLite and PostgreSQL:
a submission starts in the initial status; a status changes only along a transition the role may take, from the
row's status, with its required fields; rows in a non-public status reach no public reader; a permission matrix of
role × action × table, scoped rows included, through the audience objects every channel asks."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime

from lowcode import audit
from lowcode.audience import PUBLIC, STAFF, resident_audience
from lowcode.messages import value_message
from lowcode.records import FieldNotChangeable, RowNotFound, TransitionNotAllowed, change_status, submit, update
from lowcode.references import visible_rows_clause
from lowcode.roles import UnknownRole, allowed_transitions, app_roles, role_audience
from lowcode.runtime import AppRuntime

MakeApp = Callable[..., Flask]

YAML = """
title: 通学路
roles:
  admin: {label: {ja: 管理者, en: Administrator}, all: true}
  office: {tables: {hazards: [view, see_private, export], schools: [view, import, manage_areas]}}
  school: {tables: {hazards: [view, edit]}, scope: {hazards: school}}
  viewer: {tables: {hazards: [view]}}
tables:
  schools:
    fields:
      name: {type: text, required: true}
  hazards:
    fields:
      title: {type: text, required: true}
      school: {type: text}
      reason: {type: textarea, visibility: staff}
      email: {type: email, visibility: private}
      status:
        type: choice
        choices:
          - {key: received, label: 受付}
          - {key: published, label: 公開, public: true}
          - {key: declined, label: 対応しない, closed: true}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published, action: {ja: 公開する, en: Publish}, roles: [office],
           message: {ja: 公開しました, en: Published}}
        - {from: [received, published], to: declined, roles: [office, school], require: [reason]}
forms:
  report: {table: hazards, fields: [title, school, email]}
lists:
  hazards: {table: hazards, columns: [title]}
"""


@pytest.fixture
def app(make_app: MakeApp) -> Iterator[Flask]:
    flask_app = make_app(YAML)
    with flask_app.test_request_context("/?lang=ja"):
        yield flask_app


def runtime(app: Flask) -> AppRuntime:
    return app_runtime(app)


def engine(app: Flask) -> sa.Engine:
    return app_engine(app)


def report(app: Flask, title: str, school: str = "A", **options: Any) -> int:
    result = submit(runtime(app), engine(app), "hazards", {"title": title, "school": school}, lang="ja", **options)
    assert result.stored, result.errors
    assert result.row_id is not None
    return result.row_id


def row(app: Flask, row_id: int) -> dict[str, Any]:
    store = runtime(app).stores["hazards"]
    with engine(app).connect() as conn:
        return store.to_record(conn.execute(sa.select(store.table).where(store.table.c.id == row_id)).mappings().one())


def seen_titles(app: Flask, audience: Any, table: str = "hazards") -> set[str]:
    """What the one row rule every channel uses (`visible_rows_clause`) lets the audience see."""
    store = runtime(app).stores[table]
    column = store.table.c.title if table == "hazards" else store.table.c.name
    query = sa.select(column).where(visible_rows_clause(runtime(app), table, audience))
    with engine(app).connect() as conn:
        return {value for (value,) in conn.execute(query)}


def move(app: Flask, row_id: int, key: str, role: str, scope: str | None = None, **options: Any) -> Any:
    audience = role_audience(runtime(app).spec, role, scope)
    return change_status(runtime(app), engine(app), "hazards", row_id, "status", key, audience=audience, **options)


def test_a_submission_starts_in_the_initial_status_whatever_it_sent(app: Flask) -> None:
    sent = submit(runtime(app), engine(app), "hazards", {"title": "穴", "status": "published"}, lang="ja",
                  fields=["title", "status"])
    assert sent.stored
    assert row(app, sent.row_id)["status"] == "received"  # type: ignore[arg-type]
    # A staff writer (a role) may give another status; without one, it starts in `initial` too.
    admin = role_audience(runtime(app).spec, "admin")
    assert row(app, report(app, "職員", audience=admin))["status"] == "received"
    given = submit(runtime(app), engine(app), "hazards", {"title": "職員2", "status": "published"}, lang="ja",
                   audience=admin)
    assert row(app, given.row_id)["status"] == "published"  # type: ignore[arg-type]


def test_allowed_transitions_depend_on_the_role_and_the_status(app: Flask) -> None:
    spec = runtime(app).spec

    def actions(role: str, status: str) -> list[str]:
        return [t.to for t in allowed_transitions(spec, "hazards", {"status": status}, role_audience(spec, role, "A"))]

    assert actions("office", "received") == ["published", "declined"]
    assert actions("school", "received") == ["declined"]
    assert actions("school", "published") == ["declined"]
    assert actions("viewer", "received") == []
    assert actions("admin", "published") == ["declined"]  # `all: true` takes every transition there is, no more
    assert actions("office", "declined") == []  # closed: nothing leaves it
    assert allowed_transitions(spec, "hazards", {"status": "received"}, PUBLIC) == []
    assert [t.to for t in allowed_transitions(spec, "hazards", {"status": "received"}, STAFF)] == ["published", "declined"]


def test_a_transition_is_refused_to_a_role_it_does_not_name_and_from_a_status_it_does_not_leave(app: Flask) -> None:
    row_id = report(app, "穴")
    with pytest.raises(TransitionNotAllowed):
        move(app, row_id, "published", "school", "A")
    with pytest.raises(TransitionNotAllowed):
        move(app, row_id, "published", "viewer")
    assert row(app, row_id)["status"] == "received"
    assert move(app, row_id, "published", "office").stored
    assert row(app, row_id)["status"] == "published"
    with pytest.raises(TransitionNotAllowed):
        move(app, row_id, "received", "admin")  # no transition leads back
    with pytest.raises(RowNotFound):
        move(app, row_id, "declined", "school", "B", values={"reason": "x"})  # another school's report


def test_a_transitions_message_is_kept_for_the_resident_unless_staff_write_their_own(app: Flask) -> None:
    first, second = report(app, "穴"), report(app, "柵")
    assert move(app, first, "published", "office").stored
    assert move(app, second, "published", "office", message="明日直します").stored
    with engine(app).connect() as conn:
        said = {row_id: audit.for_row(conn, "demo", "hazards", row_id)[-1] for row_id in (first, second)}
    assert said[first].action == "status"
    assert (said[first].after or {})[audit.RESIDENT_MESSAGE] == {"ja": "公開しました", "en": "Published"}
    assert (said[second].after or {})[audit.RESIDENT_MESSAGE] == "明日直します"


def test_a_transition_asks_for_its_required_fields_and_sets_only_those(app: Flask) -> None:
    row_id = report(app, "穴")
    refused = move(app, row_id, "declined", "school", "A")
    assert not refused.stored
    assert refused.errors == {"reason": value_message("required")}
    assert row(app, row_id)["status"] == "received"
    blank = move(app, row_id, "declined", "school", "A", values={"reason": " \u3000\n"})  # spaces are no reason
    assert not blank.stored and blank.errors == {"reason": value_message("required")}
    assert row(app, row_id)["status"] == "received"
    with pytest.raises(FieldNotChangeable):
        move(app, row_id, "declined", "school", "A", values={"reason": "私有地です", "title": "書き換え"})
    done = move(app, row_id, "declined", "school", "A", values={"reason": "私有地です"})
    assert done.stored
    assert (row(app, row_id)["status"], row(app, row_id)["reason"]) == ("declined", "私有地です")


def test_the_status_is_changed_only_through_a_transition(app: Flask) -> None:
    row_id = report(app, "穴")
    with pytest.raises(FieldNotChangeable):
        update(runtime(app), engine(app), "hazards", row_id, {"status": "published"})
    assert row(app, row_id)["status"] == "received"


def test_rows_in_a_status_that_is_not_public_reach_no_public_reader(app: Flask) -> None:
    waiting, shown = report(app, "審査中"), report(app, "公開済み")
    assert move(app, shown, "published", "office").stored
    assert seen_titles(app, PUBLIC) == {"公開済み"}
    # The resident's private link opens their own report, whatever its status; no one else's.
    spec = runtime(app).spec
    assert seen_titles(app, resident_audience(spec, "hazards", waiting)) == {"審査中", "公開済み"}
    assert seen_titles(app, STAFF) == {"審査中", "公開済み"}


# --- the permission matrix: role × action × table, scoped rows ---------------------------------------------------

ACTIONS = ("view", "create", "edit", "see_private", "export", "import", "manage_areas")
MATRIX = {
    ("admin", "hazards"): set(ACTIONS),
    ("admin", "schools"): set(ACTIONS),
    ("office", "hazards"): {"view", "see_private", "export"},
    ("office", "schools"): {"view", "import", "manage_areas"},
    ("school", "hazards"): {"view", "edit"},
    ("school", "schools"): set(),
    ("viewer", "hazards"): {"view"},
    ("viewer", "schools"): set(),
}
# Rows each role sees, for an account of school A: the scope limits `school` to its own school's reports.
ROWS = {
    "admin": {"A 審査中", "A 公開", "B 審査中"},
    "office": {"A 審査中", "A 公開", "B 審査中"},
    "school": {"A 審査中", "A 公開"},
    "viewer": {"A 審査中", "A 公開", "B 審査中"},
}


def test_the_permission_matrix_of_every_role_action_and_table(app: Flask) -> None:
    spec = runtime(app).spec
    assert set(app_roles(spec)) == {"admin", "office", "school", "viewer"}
    report(app, "A 審査中", "A")
    assert move(app, report(app, "A 公開", "A"), "published", "office").stored
    report(app, "B 審査中", "B")
    assert submit(runtime(app), engine(app), "schools", {"name": "菊川町小学校"}, lang="ja").stored
    for role in ("admin", "office", "school", "viewer"):
        audience = role_audience(spec, role, "A")
        for table in ("hazards", "schools"):
            allowed = {action for action in ACTIONS if audience.may(spec.tables[table], action)}
            assert allowed == MATRIX[role, table], (role, table)
            assert ("email" in audience.visible_fields(spec.tables[table])) == (
                table == "hazards" and "see_private" in MATRIX[role, table])
            assert bool(audience.changeable_fields(spec.tables[table])) == ("edit" in MATRIX[role, table])
        assert seen_titles(app, audience) == ROWS[role], role
        assert seen_titles(app, audience, "schools") == ({"菊川町小学校"} if MATRIX[role, "schools"] else set())
    # A scoped role without a value for its account sees none of that table; an unknown role is refused.
    assert seen_titles(app, role_audience(spec, "school", None)) == set()
    with pytest.raises(UnknownRole):
        role_audience(spec, "mayor")


def test_admin_exists_when_the_yaml_does_not_write_it(make_app: MakeApp) -> None:
    flask_app = make_app(YAML.replace("  admin: {label: {ja: 管理者, en: Administrator}, all: true}\n", ""))
    spec = flask_app.extensions["lowcode"].runtimes["demo"].spec
    assert "admin" not in spec.roles
    admin = role_audience(spec, "admin")
    assert all(admin.may(spec.tables["hazards"], action) for action in ACTIONS)


def test_a_scoped_writer_stores_rows_in_its_own_scope_only(app: Flask) -> None:
    school_a = role_audience(runtime(app).spec, "school", "A")
    sent = submit(runtime(app), engine(app), "hazards", {"title": "段差", "school": "B"}, lang="ja",
                  fields=["title", "school"], audience=school_a)
    assert sent.stored and sent.row_id is not None
    assert row(app, sent.row_id)["school"] == "A"  # not another school's report, which it could then never see
    assert "段差" in seen_titles(app, school_a)
