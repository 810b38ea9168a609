"""A staff form's confirmation step names a referenced row as the staff writer may see it; a public form's names
only rows the public may see (issue 9: confirm.py used the public rule for both)."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import csrf_token, staff_client

from lowcode.staff.accounts import RoleGrant, create_user

YAML = """
title: Hazards
roles:
  clerk:
    tables: {hazards: [create], schools: [view]}
tables:
  schools:
    title_field: name
    fields:
      name: {type: text}
      closed: {type: boolean}
    seed: {file: data/schools.csv}
  hazards:
    fields:
      what: {type: text, required: true}
      school: {type: reference, to: schools}
forms:
  report: {table: hazards, fields: [what, school], confirm: true}
  intake: {table: hazards, access: staff, fields: [what, school], confirm: true}
lists:
  schools: {table: schools, where: {closed: false}}
"""
FILES = {"data/schools.csv": "name,closed\n長町小学校,false\n旧芳斎小学校,true\n"}
PASSWORD = "correct horse battery"
CLOSED = "旧芳斎小学校"


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, files=FILES, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        create_user(built.extensions["lowcode"].db.engine, "clerk", PASSWORD, [RoleGrant("demo", "clerk")])
    return built


def closed_school_id(app: Flask) -> int:
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT id FROM demo__schools WHERE name = :n"), {"n": CLOSED}).scalar_one())


def confirm_page(client: Any, url: str, school: int) -> str:
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "what": "穴", "school": str(school)})
    assert response.status_code == 200
    text = str(response.get_data(as_text=True))
    assert 'name="_step"' in text  # the confirmation step, not the form again
    return text


def test_a_staff_forms_confirmation_names_a_row_the_public_may_not_see(app: Flask) -> None:
    school = closed_school_id(app)
    assert CLOSED in confirm_page(staff_client(app, "clerk", PASSWORD), "/demo/forms/intake", school)


def test_a_public_forms_confirmation_does_not(app: Flask) -> None:
    client = app.test_client()
    response = client.post("/demo/forms/report", data={"csrf_token": csrf_token(client, "/demo/forms/report"),
                                                       "what": "穴", "school": str(closed_school_id(app))})
    assert response.status_code in (200, 422)
    assert CLOSED not in response.get_data(as_text=True)
