"""The app the assignment, bulk and queue-filter tests share (tests/staff/test_staff_assign.py, test_staff_bulk.py,
test_queue_filters.py): hazards with a workflow, two districts drawn in a GeoJSON file, and roles that may edit,
only view, or edit their own school's rows."""
from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime, csrf_token, staff_client

from lowcode.audit import Actor
from lowcode.records import submit
from lowcode.staff.accounts import RoleGrant, create_user

YAML = """
title: Hazards
roles:
  admin: {all: true}
  editor: {tables: {hazards: [view, edit]}}
  viewer: {tables: {hazards: [view]}}
  school:
    tables: {hazards: [view, edit]}
    scope: {hazards: school}
areas:
  districts: {label: {en: District, ja: 地区}, file: districts.geojson}
tables:
  hazards:
    label: {en: Hazards, ja: 危険箇所}
    title_field: title
    fields:
      title: {type: text, required: true, label: {en: Title, ja: 件名}}
      school: {type: text, label: {en: School, ja: 学校}}
      spot: {type: location, label: {en: Spot, ja: 場所}}
      email: {type: email, visibility: private, label: {en: E-mail, ja: メール}}
      reason: {type: textarea, visibility: staff, label: {en: Reason, ja: 理由}}
      status:
        type: choice
        label: {en: Status, ja: 状態}
        choices:
          - {key: received, label: {en: Received, ja: 受付}}
          - {key: published, label: {en: Published, ja: 公開}, public: true}
          - {key: declined, label: {en: Declined, ja: 対応しない}, closed: true}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published, action: {en: Publish, ja: 公開する}, roles: [editor, school]}
        - {from: received, to: declined, action: {en: Decline, ja: 対応しない}, roles: [admin], require: [reason]}
forms:
  report: {table: hazards, fields: [title, school, spot, email]}
lists:
  hazards: {table: hazards, columns: [title]}
"""
PASSWORD = "correct horse battery"


def square(west: float, south: float, size: float) -> list[list[list[float]]]:
    return [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]]


DISTRICTS = json.dumps({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "East"}, "geometry": {"type": "Polygon", "coordinates": square(136.70, 36.50, 0.05)}},
    {"type": "Feature", "properties": {"name": "West <1>"}, "geometry": {"type": "Polygon", "coordinates": square(136.60, 36.50, 0.05)}},
]})
IN_EAST, IN_WEST, NOWHERE = (136.72, 36.52), (136.62, 36.52), (136.90, 36.90)
# title, school, point, resident's e-mail
ROWS = (("North crossing", "North", IN_EAST, "north@home.example"), ("South park", "South", IN_WEST, "south@home.example"),
        ("North bridge", "North", NOWHERE, None))


def build_app(make_app: Any, yaml: str = YAML) -> Flask:
    built: Flask = make_app(yaml, LOWCODE_RATE_LIMITS="0", files={"districts.geojson": DISTRICTS})
    with built.app_context():
        engine = app_engine(built)
        create_user(engine, "admin", PASSWORD, [RoleGrant("demo", "admin")])
        create_user(engine, "editor", PASSWORD, [RoleGrant("demo", "editor")])
        create_user(engine, "viewer", PASSWORD, [RoleGrant("demo", "viewer")])
        create_user(engine, "north", PASSWORD, [RoleGrant("demo", "school", "North")])
        create_user(engine, "south", PASSWORD, [RoleGrant("demo", "school", "South")])
        create_user(engine, "elsewhere", PASSWORD, [RoleGrant("other", "admin")])  # no role in this app
        runtime = app_runtime(built)
        for title, school, point, email in ROWS:
            values = {"title": title, "school": school, "spot": point, "email": email}
            assert submit(runtime, engine, "hazards", values, lang="en", actor=Actor("resident")).stored
    return built


def logged_in(app: Flask, username: str) -> Any:
    return staff_client(app, username, PASSWORD)


def row_id(app: Flask, title: str) -> int:
    return int(row_value(app, title, "id"))


def row_value(app: Flask, title: str, column: str) -> Any:
    with app.app_context():
        table = app_runtime(app).stores["hazards"].table
        with app_engine(app).connect() as conn:
            return conn.execute(sa.select(table.c[column]).where(table.c.title == title)).scalar_one()


def post(client: Any, url: str, data: dict[str, Any], page: str = "/demo/staff/tables/hazards") -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})
