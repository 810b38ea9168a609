"""A caller of the records layer (a script, later the open API) may give a date, a number, a yes/no or a reference
as text: it is read as a seed file's text is, on SQLite and PostgreSQL; text that does not read is a message on the
field, never a database error."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from support import app_engine, app_runtime

from lowcode.records import submit

YAML = """
title: Text values
tables:
  visits:
    fields:
      title: {type: text, required: true}
      day: {type: date}
      people: {type: integer}
      urgent: {type: boolean}
      kinds:
        type: multichoice
        choices: [{key: snow, label: 除雪}, {key: patrol, label: 見守り}]
"""


def test_text_values_are_read_as_their_field_types(make_app: Any) -> None:
    app = make_app(YAML)
    with app.test_request_context("/?lang=en"):
        runtime, engine = app_runtime(app), app_engine(app)
        values = {"title": "2027-01-20", "day": "2027-01-20", "people": "3", "urgent": "true", "kinds": "snow,patrol"}
        result = submit(runtime, engine, "visits", values, lang="en")
        assert result.stored, result.errors
        store = runtime.stores["visits"]
        with engine.connect() as conn:
            row = store.to_record(conn.execute(sa.select(store.table)).mappings().one())
        assert row["title"] == "2027-01-20"  # a text field keeps its text
        assert (row["day"], row["people"], row["urgent"]) == (dt.date(2027, 1, 20), 3, True)
        assert sorted(row["kinds"]) == ["patrol", "snow"]


def test_text_that_does_not_read_is_a_message_on_its_field(make_app: Any) -> None:
    app = make_app(YAML)
    with app.test_request_context("/?lang=en"):
        result = submit(app_runtime(app), app_engine(app), "visits", {"title": "x", "day": "tomorrow", "people": "many"},
                        lang="en")
        assert not result.stored and set(result.errors) == {"day", "people"}
