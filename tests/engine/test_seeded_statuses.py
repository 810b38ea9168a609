"""Seed rows of a moderated table (issue 9): a status the file gives is kept (demo data already published), and a
row without one starts in the workflow's `initial` status, where staff can move it — never a row with no status."""
from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime

YAML = """
title: 危険箇所
tables:
  hazards:
    fields:
      title: {type: text, required: true}
      status:
        type: choice
        choices:
          - {key: received, label: 受付}
          - {key: published, label: 公開, public: true}
    workflow:
      field: status
      initial: received
      transitions: [{from: received, to: published}]
    seed: {file: data/hazards.csv}
lists:
  hazards: {table: hazards}
"""
SEED = """
title,status
公開済みの危険箇所,published
状態のない危険箇所,
"""


def test_seed_rows_keep_their_status_or_start_in_the_initial_one(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML, files={"data/hazards.csv": SEED})
    with app.app_context():
        store = app_runtime(app).stores["hazards"]
        with app_engine(app).connect() as conn:
            stored = dict(conn.execute(sa.select(store.table.c.title, store.table.c.status)).all())

    assert stored == {"公開済みの危険箇所": "published", "状態のない危険箇所": "received"}
    html = app.test_client().get("/demo/lists/hazards").get_data(as_text=True)
    assert "公開済みの危険箇所" in html and "状態のない危険箇所" not in html
