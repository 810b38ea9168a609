"""An import checks references with the importer's role, as its forms do: a scoped role may not name a row it
cannot see (a school importing hazards for another school's row), on SQLite and PostgreSQL; the command line
imports as staff and may."""
from __future__ import annotations

from typing import Any

from support import app_engine, app_runtime

from lowcode.audit import Actor
from lowcode.imports import check_import
from lowcode.records import submit
from lowcode.roles import role_audience

YAML = """
title: Scoped import
roles:
  north:
    tables: {schools: [view], reports: [view, import]}
    scope: {schools: name}
tables:
  schools:
    title_field: name
    fields:
      name: {type: text, required: true}
  reports:
    fields:
      title: {type: text, required: true}
      school: {type: reference, to: schools}
"""


def test_a_scoped_role_may_not_import_a_reference_to_a_row_it_cannot_see(make_app: Any) -> None:
    app = make_app(YAML)
    runtime = app_runtime(app)
    with app.test_request_context():
        engine = app_engine(app)
        for name in ("North", "South"):
            assert submit(runtime, engine, "schools", {"name": name}, lang="en", actor=Actor("setup")).stored
        north = role_audience(runtime.spec, "north", "North")
        data = b"title,school\nown school,1\nother school,2\n"
        as_north = check_import(runtime, engine, "reports", data, {}, "en", audience=north)
        assert len(as_north.problems) == 1 and as_north.problems[0].startswith("Row 3, column school:"), as_north.problems
        assert check_import(runtime, engine, "reports", data, {}, "en").ok  # staff (the command line) sees both
