"""`access: staff` forms: served to a logged-in account whose role may `create` in the table, 404 to everyone else;
what they send is stored with that role's audience and recorded in the audit log under the account's name."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import csrf_token, staff_client

from lowcode import audit
from lowcode.staff.accounts import RoleGrant, create_user

YAML = """
title: Hazards
roles:
  clerk:
    tables: {hazards: [create]}
  viewer:
    tables: {hazards: [view]}
tables:
  hazards:
    label: {en: Hazards, ja: 危険箇所}
    fields:
      what: {type: text, required: true}
      note: {type: text, visibility: staff}
forms:
  report: {table: hazards, fields: [what]}
  intake: {table: hazards, access: staff, fields: [what, note]}
"""
PASSWORD = "correct horse battery"
INTAKE = "/demo/forms/intake"


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = built.extensions["lowcode"].db.engine
        create_user(engine, "clerk", PASSWORD, [RoleGrant("demo", "clerk")])
        create_user(engine, "viewer", PASSWORD, [RoleGrant("demo", "viewer")])
    return built


def logged_in(app: Flask, username: str) -> Any:
    return staff_client(app, username, PASSWORD)


def stored_rows(app: Flask) -> list[dict[str, Any]]:
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.text("SELECT id, what, note FROM demo__hazards ORDER BY id")).mappings()]


def test_a_staff_form_is_not_there_for_the_public_nor_for_a_role_that_may_not_create(app: Flask) -> None:
    assert app.test_client().get(INTAKE).status_code == 404
    assert app.test_client().post(INTAKE, data={"what": "hole"}).status_code in (400, 404)
    assert logged_in(app, "viewer").get(INTAKE).status_code == 404
    assert stored_rows(app) == []


def test_a_role_that_may_create_fills_the_staff_form_with_staff_fields(app: Flask) -> None:
    client = logged_in(app, "clerk")
    page = client.get(INTAKE)
    assert page.status_code == 200 and 'name="note"' in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    sent = client.post(INTAKE, data={"csrf_token": csrf_token(client, INTAKE), "what": "穴", "note": "電話で受付"})
    assert sent.status_code == 303
    [row] = stored_rows(app)
    assert (row["what"], row["note"]) == ("穴", "電話で受付")
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        [entry] = audit.for_row(conn, "demo", "hazards", row["id"])
    assert (entry.action, entry.actor, entry.client) == ("create", "clerk", "192.0.2.7")


def test_a_refused_staff_form_keeps_what_was_typed(app: Flask) -> None:
    client = logged_in(app, "clerk")
    page = client.post(INTAKE, data={"csrf_token": csrf_token(client, INTAKE), "what": "", "note": "<b>残す</b>"})
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "&lt;b&gt;残す&lt;/b&gt;" in text and "<b>残す" not in text
    assert stored_rows(app) == []


def test_after_logout_the_staff_form_is_gone_again(app: Flask) -> None:
    client = logged_in(app, "clerk")
    client.post("/demo/staff/logout", data={"csrf_token": csrf_token(client, "/demo/staff/login")})
    assert client.get(INTAKE).status_code == 404
