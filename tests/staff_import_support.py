"""The app the staff import page's tests share (tests/staff/test_staff_import.py, tests/browser/test_staff_import_phone.py):
spots with Japanese labels, a role that may import, one scoped to its school, one that may only view, and a staff
dashboard counting the spots by kind."""
from __future__ import annotations

from typing import Any

from flask import Flask
from support import app_engine

from lowcode.staff.accounts import RoleGrant, create_user

YAML = """
title: {ja: 通学路, en: School routes}
roles:
  admin: {all: true}
  importer: {tables: {spots: [view, import]}}
  viewer: {tables: {spots: [view]}}
  school:
    tables: {spots: [view, import]}
    scope: {spots: school}
tables:
  spots:
    label: {ja: 危険箇所, en: Spots}
    title_field: title
    fields:
      title: {type: text, required: true, max_length: 40, label: {ja: 件名, en: Title}}
      school: {type: text, label: {ja: 学校, en: School}}
      kind:
        type: choice
        label: {ja: 種類, en: Kind}
        choices:
          - {key: traffic, label: {ja: 交通, en: Traffic}}
          - {key: crime, label: {ja: 防犯, en: Crime}}
      seen_on: {type: date, label: {ja: 確認日, en: Seen on}}
      spot: {type: location, label: {ja: 場所, en: Spot}}
      phone: {type: phone, visibility: private, label: {ja: 電話, en: Phone}}
forms:
  report: {table: spots, fields: [title, kind]}
dashboards:
  counts:
    access: staff
    title: {ja: 危険箇所の数, en: Spot counts}
    charts:
      - {table: spots, by: kind}
"""
PASSWORD = "correct horse battery"
USERS = {"admin": ("admin", None), "importer": ("importer", None), "viewer": ("viewer", None),
         "north": ("school", "North"), "other": ("importer", None)}


def add_users(app: Flask) -> None:
    with app.app_context():
        engine = app_engine(app)
        for username, (role, scope) in USERS.items():
            create_user(engine, username, PASSWORD, [RoleGrant("demo", role, scope)])


def build_import_app(make: Any, **config: Any) -> Flask:
    app: Flask = make(YAML, LOWCODE_RATE_LIMITS="0", **config)
    add_users(app)
    return app


def sjis_csv(lines: list[str]) -> bytes:
    """A CSV file as Excel in Japan saves it: Shift_JIS (CP932), CRLF line ends."""
    return "\r\n".join(lines).encode("cp932") + b"\r\n"


GOOD = ["件名,種類,確認日,場所 (緯度),場所 (経度)", "駅前の交差点,交通,2026/12/1,36.56,136.65",
        "公園の裏,防犯,令和8年12月2日,36.57,136.66", "橋の下,交通,2026-12-03,,"]
BAD = [*GOOD[:2], ",交通,2026/12/1,36.56,136.65", "公園の裏,危ない,2026/12/2,,", GOOD[3]]  # rows 3 and 4 wrong
