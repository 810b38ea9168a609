"""A small app with dashboards, written as staff would write it, and a way to put rows in with chosen dates."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from support import app_engine, app_runtime

from lowcode.storage import new_reference

HAZARDS = """\
title: {ja: 危険箇所, en: Hazards}
roles:
  school: {label: {ja: 学校, en: School}, tables: {hazards: [view]}}
  parks: {label: {ja: 公園課, en: Parks}, tables: {parks: [view]}}
tables:
  parks:
    fields:
      name: {type: text}
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      name: {type: text, label: {ja: 名前, en: Name}}
      kind:
        type: choice
        label: {ja: 種類, en: Kind}
        choices:
          - {key: traffic, label: {ja: 交通, en: Traffic}, color: "#d33"}
          - {key: crime, label: {ja: 防犯, en: Crime}}
          - {key: odd, label: "<script>alert(1)</script>"}
      seen_on: {type: date, label: {ja: 確認日, en: Seen on}}
      reporter_phone: {type: phone, label: {ja: 電話, en: Phone}, visibility: private}
      note: {type: text, label: {ja: メモ, en: Note}, visibility: staff}
      fixed: {type: boolean, label: {ja: 対策済み, en: Fixed}}
      status:
        type: choice
        label: {ja: 状態, en: Status}
        choices:
          - {key: received, label: {ja: 受付, en: Received}}
          - {key: published, label: {ja: 公開, en: Published}, public: true}
          - {key: done, label: {ja: 対応済み, en: Done}, public: true}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published}
        - {from: published, to: done}
lists:
  hazards: {table: hazards}
dashboards:
  overview:
    title: {ja: 危険箇所の状況, en: Hazards at a glance}
    intro: {ja: 公開中の危険箇所を数えています。, en: Counts of the published hazards.}
    charts:
      - {table: hazards, by: kind}
      - {table: hazards, by: seen_on, per: month}
      - {table: hazards, by: created_at, per: week}
      - {table: hazards, share: {field: status, in: [done]}}
      - {table: hazards, by: kind, share: {field: status, in: [done]}, where: {fixed: true}}
  office:
    title: {ja: 事務室, en: Office}
    access: staff
    charts:
      - {table: hazards, by: status}
"""


def add_rows(app: Flask, rows: list[dict[str, Any]], table: str = "hazards") -> None:
    """Insert rows as stored: `created_at` (naive UTC) may be given, else now."""
    with app.app_context():
        store = app_runtime(app).stores[table]
        engine = app_engine(app)
        now = dt.datetime(2026, 12, 1, 12, 0)
        payload = []
        for row in rows:
            values = {k: v for k, v in row.items() if k != "created_at"}
            created = row.get("created_at", now)
            payload.append({**store.to_columns(values), "ref": new_reference(), "created_at": created, "updated_at": created})
        with engine.begin() as conn:
            for line in payload:  # one by one: the rows name different fields
                conn.execute(store.table.insert().values(**line))
