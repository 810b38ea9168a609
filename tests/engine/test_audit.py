"""The audit log (lowcode/audit.py): every write of the records layer leaves one entry in its own transaction;
nothing can change or remove an entry. On SQLite and PostgreSQL."""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime

import lowcode
from lowcode import audit
from lowcode.audit import AUDIT, Actor
from lowcode.records import change_status, submit, update
from lowcode.runtime import AppRuntime

MakeApp = Callable[..., Flask]

YAML = """
title: 通報
tables:
  reports:
    fields:
      title: {type: text, required: true}
      code: {type: text, unique: true}
      status:
        type: choice
        default: received
        choices: [{key: received, label: 受付}, {key: done, label: 完了}]
      email: {type: email, visibility: private}
forms:
  report: {table: reports}
"""


@pytest.fixture
def app(make_app: MakeApp) -> Iterator[Flask]:
    flask_app = make_app(YAML)
    with flask_app.test_request_context("/?lang=ja"):
        yield flask_app


runtime: Callable[[Flask], AppRuntime] = app_runtime
engine: Callable[[Flask], sa.Engine] = app_engine


def history(app: Flask, row_id: int) -> list[audit.AuditEntry]:
    with engine(app).connect() as conn:
        return audit.for_row(conn, "demo", "reports", row_id)


def test_each_write_leaves_who_what_before_and_after(app: Flask) -> None:
    result = submit(runtime(app), engine(app), "reports", {"title": "穴", "code": "A", "email": "a@example.jp"},
                    lang="ja", actor=Actor("resident", "192.0.2.7"))
    row_id = result.row_id
    assert row_id is not None
    assert update(runtime(app), engine(app), "reports", row_id, {"title": "大きな穴", "code": "A"},
                  actor=Actor("tanaka", "10.0.0.5")).stored
    assert change_status(runtime(app), engine(app), "reports", row_id, "status", "done",
                         actor=Actor("tanaka"), message="直しました").stored
    create, edit, status = history(app, row_id)
    assert (create.action, create.actor, create.client) == ("create", "resident", "192.0.2.7")
    assert create.before is None and create.after is not None
    assert create.after["email"] == "a@example.jp"  # private values are kept in the audit (staff read it)
    assert (edit.action, edit.actor, edit.client) == ("edit", "tanaka", "10.0.0.5")
    assert (edit.before, edit.after) == ({"title": "穴"}, {"title": "大きな穴"})  # changed fields only, not `code`
    assert (status.action, status.before) == ("status", {"status": "received"})
    assert status.after == {"status": "done", audit.RESIDENT_MESSAGE: "直しました"}
    with engine(app).connect() as conn:
        assert [e.id for e in audit.for_actor(conn, "tanaka")] == [status.id, edit.id]
        assert [e.id for e in audit.export_rows(conn, "demo")] == [create.id, edit.id, status.id]


def test_a_write_that_is_not_stored_leaves_no_entry(app: Flask) -> None:
    assert submit(runtime(app), engine(app), "reports", {"title": "先", "code": "A"}, lang="ja").stored
    taken = submit(runtime(app), engine(app), "reports", {"title": "後", "code": "A"}, lang="ja")
    assert not taken.stored
    with engine(app).connect() as conn:
        assert [e.action for e in audit.export_rows(conn)] == ["create"]


def test_an_insert_that_fails_inside_the_transaction_leaves_no_entry(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """The audit entry is written in the insert's transaction: a failure after it rolls both back."""
    original = audit.record

    def record_then_fail(conn: sa.Connection, **kwargs: object) -> None:
        original(conn, **kwargs)  # type: ignore[arg-type]
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(audit, "record", record_then_fail)
    with pytest.raises(sa.exc.OperationalError):
        submit(runtime(app), engine(app), "reports", {"title": "穴"}, lang="ja")
    store = runtime(app).stores["reports"]
    with engine(app).connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(AUDIT)).scalar_one() == 0
        assert store.count(conn) == 0


def test_private_values_never_reach_the_python_log(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    result = submit(runtime(app), engine(app), "reports", {"title": "穴", "email": "secret@example.jp"}, lang="ja")
    assert result.row_id is not None
    update(runtime(app), engine(app), "reports", result.row_id, {"email": "other@example.jp"})
    assert "example.jp" not in caplog.text


def test_an_unknown_action_is_refused(app: Flask) -> None:
    with engine(app).begin() as conn, pytest.raises(ValueError, match="unknown audit action"):
        audit.record(conn, app="demo", action="delete")


def test_the_audit_module_offers_no_way_to_change_or_remove_an_entry() -> None:
    public = {name for name in dir(audit) if not name.startswith("_") and callable(getattr(audit, name))}
    assert not {name for name in public if re.search(r"update|delete|remove|purge|edit", name, re.IGNORECASE)}
    package = Path(lowcode.__file__).parent
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"AUDIT\s*\.\s*(update|delete)\b|lowcode_audit\W[^\n]*\b(UPDATE|DELETE)\b|"
                             r"\b(UPDATE|DELETE FROM)\s+\"?lowcode_audit", text, re.IGNORECASE), path
