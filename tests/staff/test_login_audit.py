"""Logins, failed logins and logouts in the audit log, on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from support import csrf_token
from test_staff_login import LOGIN, PASSWORD, YAML, add_account, log_in

from lowcode import audit


@pytest.fixture
def staff_app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMIT_LOGIN="1000/minute")
    add_account(built)
    return built


def entries(staff_app: Flask, actor: str) -> list[audit.AuditEntry]:
    with staff_app.app_context(), staff_app.extensions["lowcode"].db.engine.connect() as conn:
        return audit.for_actor(conn, actor, app="demo")


def test_a_login_and_a_logout_are_recorded_with_the_client_address(staff_app: Flask) -> None:
    client = staff_app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    log_in(client, "tanaka", PASSWORD)
    client.post("/demo/staff/logout", data={"csrf_token": csrf_token(client, LOGIN)})
    found = entries(staff_app, "tanaka")
    assert [(e.action, e.client, e.table, e.row_id) for e in found] == [
        ("logout", "192.0.2.44", None, None), ("login", "192.0.2.44", None, None)]


def test_a_wrong_password_is_recorded_for_the_account_without_the_password(staff_app: Flask) -> None:
    log_in(staff_app.test_client(), "ｔａｎａｋａ", "a wrong password typed")  # full-width: the same account
    [entry] = entries(staff_app, "tanaka")
    assert entry.action == "login_failed" and entry.before is None and entry.after is None


def test_a_name_that_is_no_account_is_not_recorded(staff_app: Flask) -> None:
    # A password pasted into the name field by mistake must not end up in the log.
    log_in(staff_app.test_client(), "correct horse battery", "x")
    log_in(staff_app.test_client(), "nobody", "a wrong password typed")
    with staff_app.app_context(), staff_app.extensions["lowcode"].db.engine.connect() as conn:
        assert list(audit.export_rows(conn)) == []


def test_a_logout_without_a_login_records_nothing(staff_app: Flask) -> None:
    client = staff_app.test_client()
    client.post("/demo/staff/logout", data={"csrf_token": csrf_token(client, LOGIN)})
    with staff_app.app_context(), staff_app.extensions["lowcode"].db.engine.connect() as conn:
        assert list(audit.export_rows(conn)) == []
