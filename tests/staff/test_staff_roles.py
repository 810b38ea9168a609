"""Roles from the app's YAML decide what a logged-in account may do and which rows its staff home counts."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from support import csrf_token

from lowcode.staff.accounts import RoleGrant, create_user
from lowcode.staff.auth import require_staff

YAML = """
title: Hazards
tables:
  hazards:
    label: {en: Hazards, ja: 危険箇所}
    fields:
      what: {type: text, required: true}
      school: {type: text}
  schools:
    label: {en: Schools, ja: 学校}
    fields:
      name: {type: text}
forms:
  report: {table: hazards, fields: [what, school]}
roles:
  school:
    tables: {hazards: [view]}
    scope: {hazards: school}
  board:
    tables: {hazards: [view, edit], schools: [view]}
"""
PASSWORD = "correct horse battery"


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = built.extensions["lowcode"].db.engine
        create_user(engine, "north", PASSWORD, [RoleGrant("demo", "school", "North")])
        create_user(engine, "board", PASSWORD, [RoleGrant("demo", "board")])
    runtime = built.extensions["lowcode"].runtimes["demo"]

    def probe(table: str, action: str) -> Any:
        return require_staff(runtime, table, action) or "allowed"

    built.add_url_rule("/demo/staff/probe/<table>/<action>", view_func=probe)
    return built


def logged_in(app: Flask, username: str) -> Any:
    client = app.test_client()
    for school in ("North", "North", "South"):
        client.post("/demo/forms/report", data={"csrf_token": csrf_token(client, "/demo/forms/report"),
                                                "what": "hole", "school": school})
    token = csrf_token(client, "/demo/staff/login")
    response = client.post("/demo/staff/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_scoped_role_counts_only_its_rows_and_sees_only_its_tables(app: Flask) -> None:
    page = logged_in(app, "north").get("/demo/staff/?lang=en").get_data(as_text=True)
    assert '<th scope="row">Hazards</th><td>2</td>' in page and "Schools" not in page


def test_an_unscoped_role_counts_every_row(app: Flask) -> None:
    page = logged_in(app, "board").get("/demo/staff/?lang=en").get_data(as_text=True)
    assert '<th scope="row">Hazards</th><td>3</td>' in page and '<th scope="row">Schools</th><td>0</td>' in page


@pytest.mark.parametrize(("user", "table", "action", "status"), [
    ("north", "hazards", "view", 200), ("north", "hazards", "edit", 403), ("north", "schools", "view", 403),
    ("board", "hazards", "edit", 200), ("board", "hazards", "see_private", 403), ("board", "nothing", "view", 403),
])
def test_require_staff_answers_per_table_and_action(app: Flask, user: str, table: str, action: str, status: int) -> None:
    assert logged_in(app, user).get(f"/demo/staff/probe/{table}/{action}").status_code == status


def test_require_staff_sends_a_visitor_to_the_login_page(app: Flask) -> None:
    response = app.test_client().get("/demo/staff/probe/hazards/view")
    assert response.status_code == 302
    assert response.headers["Location"] == "/demo/staff/login?next=/demo/staff/probe/hazards/view"
