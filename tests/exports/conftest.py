"""An app with every kind of value an export writes, roles that may and may not export, rows in two statuses."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from support import app_engine, app_runtime, csrf_token

from lowcode.audit import Actor
from lowcode.cli import main
from lowcode.records import change_status, submit
from lowcode.staff.accounts import RoleGrant, create_user

YAML = """
title: Hazards
roles:
  admin: {all: true}
  board: {tables: {hazards: [view, see_private, export]}}
  school:
    tables: {hazards: [view, export]}
    scope: {hazards: school}
  office: {tables: {hazards: [view]}}
tables:
  hazards:
    label: {en: Hazards, ja: 危険箇所}
    title_field: title
    fields:
      title: {type: text, required: true, label: {en: Title, ja: 件名}}
      details: {type: textarea, label: {en: Details, ja: 詳しく}}
      school: {type: text, label: {en: School, ja: 学校}}
      kind:
        type: choice
        label: {en: Kind, ja: 種類}
        choices: [{key: road, label: {en: Road, ja: 道路}}, {key: park, label: {en: Park, ja: 公園}}]
      times:
        type: multichoice
        label: {en: When, ja: 時間帯}
        choices: [{key: morning, label: {en: Morning, ja: 朝}}, {key: evening, label: {en: Evening, ja: 夕方}}]
      found_on: {type: date, label: {en: Found on, ja: 見つけた日}}
      seen_at: {type: datetime, label: {en: Seen at, ja: 見た時刻}}
      cars: {type: integer, label: {en: Cars, ja: 台数}}
      spot: {type: location, label: {en: Spot, ja: 場所}}
      email: {type: email, visibility: private, label: {en: E-mail, ja: メール}}
      reason: {type: textarea, visibility: staff, label: {en: Reason, ja: 理由}}
      status:
        type: choice
        label: {en: Status, ja: 状態}
        choices:
          - {key: received, label: {en: Received, ja: 受付}}
          - {key: published, label: {en: Published, ja: 公開}, public: true}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published, action: {en: Publish, ja: 公開する}, roles: [admin]}
  schools:
    fields:
      name: {type: text}
forms:
  report: {table: hazards, fields: [title, details, school, kind, times, found_on, seen_at, cars, spot, email]}
lists:
  hazards: {table: hazards, columns: [title]}
maps:
  hazards:
    layers: [{table: hazards, field: spot, popup: [title]}]
"""
PASSWORD = "correct horse battery"
SPOT = (136.6543219, 36.5612349)
ROWS = [
    {"title": "=HYPERLINK(\"http://evil.example\")", "details": "一行目\n二行目", "school": "North", "kind": "road",
     "times": ["morning", "evening"], "found_on": dt.date(2026, 12, 1),
     "seen_at": dt.datetime(2026, 11, 30, 23, 30),  # stored in UTC: 08:30 in Japan
     "cars": 12,
     "spot": SPOT, "email": "north@home.example"},
    {"title": "南公園の遊具", "details": "", "school": "South", "kind": "park", "times": [], "found_on": None,
     "seen_at": None, "cars": -3, "spot": None, "email": "south@home.example"},
]


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = app_engine(built)
        for name, role, scope in (("admin@city.example", "admin", None), ("board", "board", None),
                                  ("north", "school", "North"), ("office", "office", None)):
            create_user(engine, name, PASSWORD, [RoleGrant("demo", role, scope)])
        runtime = app_runtime(built)
        for values in ROWS:
            result = submit(runtime, engine, "hazards", values, lang="en", actor=Actor("resident"))
            assert result.stored, result.errors
    return built


def publish(app: Flask, title: str) -> None:
    """Move one row to the public status (the second stays in `received`, seen by staff only)."""
    import sqlalchemy as sa

    from lowcode.audience import STAFF

    with app.app_context():
        runtime, engine = app_runtime(app), app_engine(app)
        store = runtime.stores["hazards"]
        with engine.connect() as conn:
            row_id = conn.execute(sa.select(store.table.c.id).where(store.table.c.title == title)).scalar_one()
        change_status(runtime, engine, "hazards", row_id, "status", "published", audience=STAFF, lang="en",
                      actor=Actor("admin@city.example"))


def logged_in(app: Flask, username: str) -> Any:
    client = app.test_client()
    token = csrf_token(client, "/demo/staff/login")
    response = client.post("/demo/staff/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def lowcode(database: str, tmp_path: Path) -> Callable[..., Result]:
    """`lowcode …` on the app the `app` fixture built (same folder, same database)."""
    def invoke(*args: str) -> Result:
        env = {"DATABASE_URL": database, "LOWCODE_INSTANCE": str(tmp_path / "instance"), "LANG": "C.UTF-8",
               "LC_ALL": None, "LC_MESSAGES": None}
        result = CliRunner().invoke(main, [a.replace("APP", str(tmp_path / "apps" / "demo")) for a in args], env=env)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    return invoke
