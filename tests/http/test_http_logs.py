"""A database error during a submission is logged without what the resident typed (issue 7, item 5).

The failing statement carries the private answers as parameters, and PostgreSQL quotes one in its own message
(`invalid input syntax for type integer: "…"`): neither reaches the log, on SQLite and on PostgreSQL.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from lowcode.storage import TableStore

CONSULTATION = """
title: 子育て相談
tables:
  questions:
    fields:
      topic: {type: text, required: true}
      name: {type: text, visibility: private}
      phone: {type: phone, visibility: private}
      address: {type: text, visibility: private}
forms:
  ask: {table: questions}
"""
PRIVATE = {"name": "金沢花子", "phone": "090-1234-5678", "address": "広坂1丁目1-1"}


def failing_insert(self: TableStore, conn: sa.Connection, values: Mapping[str, Any], system: Mapping[str, Any] | None = None) -> tuple[int, str]:
    """The database refuses a statement that carries the answers: as a driver bug or a bad migration would."""
    answers = (values["name"], values["phone"], values["address"])
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT CAST(%s AS INTEGER), %s, %s", answers)  # the message quotes the name
    else:
        conn.exec_driver_sql("SELECT ?", answers)  # wrong number of bindings: the parameters are in the error
    raise AssertionError("the statement above fails")


def test_a_failed_submission_is_logged_without_the_residents_answers(
    make_app: Callable[..., Flask], send: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(CONSULTATION)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page, and the error in the log
    monkeypatch.setattr(TableStore, "insert", failing_insert)

    with caplog.at_level(logging.ERROR):
        response = send(app.test_client(), "/demo/forms/ask", {"topic": "夜泣き", **PRIVATE})

    assert response.status_code == 500
    logged = caplog.text
    assert "Exception on /demo/forms/ask [POST]" in logged and "failing_insert" in logged  # where it happened
    assert "ProgrammingError (" in logged or "(SQLSTATE 22P02)" in logged  # what failed, without the values
    assert "in: SELECT" in logged
    for value in ("金沢花子", "090-1234-5678", "広坂", "1234"):
        assert value not in logged


def test_the_engine_hides_statement_parameters_from_error_texts(make_app: Callable[..., Flask]) -> None:
    app = make_app(CONSULTATION)
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn, pytest.raises(sa.exc.DBAPIError) as caught:
        conn.execute(sa.text("SELECT * FROM no_such_table WHERE x = :secret"), {"secret": "金沢花子"})

    assert "金沢花子" not in str(caught.value)


def test_the_access_log_of_lowcode_run_leaves_out_query_strings(caplog: pytest.LogCaptureFixture) -> None:
    """The werkzeug server logs each request line: an address typed into the picker's search must not be in it."""
    from werkzeug.serving import _log

    from lowcode.logsafe import install_log_redaction

    install_log_redaction()
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        _log("info", '127.0.0.1 - - [02/Dec/2026 02:00:00] "%s" %s %s', "GET /demo/api/geocode?q=広坂1丁目1-1 HTTP/1.1", "200", "-")

    assert '"GET /demo/api/geocode?… HTTP/1.1" 200 -' in caplog.text and "広坂" not in caplog.text
