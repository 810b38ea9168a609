"""Staff login, logout and the staff home, over HTTP, on SQLite and PostgreSQL."""
from __future__ import annotations

import re
import time
from typing import Any

import pytest
from flask import Flask
from support import csrf_token

from lowcode.staff.accounts import LOCK_MINUTES, MAX_FAILURES, RoleGrant, create_user, set_password

YAML = """
title: Hazards
tables:
  hazards:
    label: {en: Hazards, ja: 危険箇所}
    fields:
      what: {type: text, required: true}
      email: {type: email, visibility: private}
forms:
  report: {table: hazards, fields: [what, email]}
lists:
  hazards: {table: hazards, columns: [what]}
"""
PASSWORD = "correct horse battery"
LOGIN = "/demo/staff/login"
WRONG = "ユーザー名またはパスワードが違います"  # the pages speak Japanese first


def add_account(app: Flask, username: str = "tanaka", password: str = PASSWORD, app_name: str = "demo") -> None:
    with app.app_context():
        create_user(app.extensions["lowcode"].db.engine, username, password, [RoleGrant(app_name, "admin")])


def log_in(client: Any, username: str, password: str, next_url: str | None = None) -> Any:
    data = {"csrf_token": csrf_token(client, LOGIN), "username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post(LOGIN, data=data)


def without_token(page: str) -> str:
    """The page without its CSRF token, which carries the second it was made in."""
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", page)


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMIT_LOGIN="1000/minute")
    add_account(built)
    return built


def test_login_opens_the_staff_home_with_counts(app: Flask) -> None:
    client = app.test_client()
    client.post("/demo/forms/report", data={"csrf_token": csrf_token(client, "/demo/forms/report"), "what": "hole"})
    response = log_in(client, "tanaka", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/demo/staff/"
    home = client.get("/demo/staff/?lang=en")
    text = home.get_data(as_text=True)
    assert home.status_code == 200 and home.headers["Cache-Control"] == "no-store"
    assert "tanaka" in text and re.search(r"<th scope=\"row\">Hazards</th><td>1</td>", text)


def test_staff_home_without_login_goes_to_the_login_page(app: Flask) -> None:
    response = app.test_client().get("/demo/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/demo/staff/login?next=/demo/staff/")


def test_unknown_user_and_wrong_password_get_the_same_page(app: Flask) -> None:
    client = app.test_client()
    unknown = log_in(client, "nobody", "whatever-it-is").get_data(as_text=True)
    wrong = log_in(client, "tanaka", "whatever-it-is").get_data(as_text=True)
    assert without_token(unknown).replace("nobody", "NAME") == without_token(wrong).replace("tanaka", "NAME")
    assert WRONG in wrong and 'value="tanaka"' in wrong  # the name typed is kept
    assert "whatever-it-is" not in wrong


def test_lockout_after_repeated_failures_refuses_even_the_right_password(app: Flask) -> None:
    client = app.test_client()
    for _ in range(MAX_FAILURES):
        assert log_in(client, "tanaka", "not the password").status_code == 200
    assert log_in(client, "tanaka", PASSWORD).status_code == 200  # locked: the form again
    assert client.get("/demo/staff/").status_code == 302
    with app.app_context():  # a new password (lowcode user passwd) unlocks the account
        set_password(app.extensions["lowcode"].db.engine, "tanaka", "another good password")
    assert log_in(client, "tanaka", "another good password").status_code == 302


def test_the_lock_ends_after_its_minutes(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from lowcode.staff import accounts

    client = app.test_client()
    for _ in range(MAX_FAILURES):
        log_in(client, "tanaka", "not the password")
    later = accounts.utcnow() + accounts.dt.timedelta(minutes=LOCK_MINUTES + 1)
    monkeypatch.setattr(accounts, "utcnow", lambda: later)
    assert log_in(client, "tanaka", PASSWORD).status_code == 302


def test_login_attempts_are_throttled_per_client(make_app: Any) -> None:
    app = make_app(YAML, LOWCODE_RATE_LIMIT_LOGIN="3/minute")
    add_account(app)
    client = app.test_client()
    answers = [log_in(client, f"user{n}", "not the password").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]
    page = log_in(client, "tanaka", PASSWORD)
    assert page.status_code == 429 and 'value="tanaka"' in page.get_data(as_text=True)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.9"  # another client is not held back
    assert log_in(other, "tanaka", PASSWORD).status_code == 302


def test_logout_ends_the_session(app: Flask) -> None:
    client = app.test_client()
    log_in(client, "tanaka", PASSWORD)
    assert client.get("/demo/staff/").status_code == 200
    token = csrf_token(client, LOGIN)
    assert client.post("/demo/staff/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/demo/staff/").status_code == 302


def test_logout_needs_the_csrf_token(app: Flask) -> None:
    client = app.test_client()
    log_in(client, "tanaka", PASSWORD)
    client.post("/demo/staff/logout", data={})
    assert client.get("/demo/staff/").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "/other/staff/",
                                    "javascript:alert(1)", "/demo/staff/\r\nX: y"])
def test_login_refuses_to_return_anywhere_but_this_app(app: Flask, target: str) -> None:
    response = log_in(app.test_client(), "tanaka", PASSWORD, next_url=target)
    assert response.headers["Location"] == "/demo/staff/"


def test_login_returns_to_the_page_that_asked(app: Flask) -> None:
    response = log_in(app.test_client(), "tanaka", PASSWORD, next_url="/demo/staff/?lang=ja")
    assert response.headers["Location"] == "/demo/staff/?lang=ja"


def test_the_session_ends_after_its_hours(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    client = app.test_client()
    log_in(client, "tanaka", PASSWORD)
    hours = app.config["LOWCODE_STAFF_SESSION_HOURS"]
    assert hours == 8.0
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + hours * 3600 - 60)
    assert client.get("/demo/staff/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: now + hours * 3600 + 60)
    assert client.get("/demo/staff/").status_code == 302


def test_login_starts_a_new_session_and_a_permanent_cookie(app: Flask) -> None:
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    log_in(client, "tanaka", PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session and session.permanent


def test_a_password_change_ends_open_sessions(app: Flask) -> None:
    client = app.test_client()
    log_in(client, "tanaka", PASSWORD)
    with app.app_context():
        set_password(app.extensions["lowcode"].db.engine, "tanaka", "a brand new password")
    assert client.get("/demo/staff/").status_code == 302


def test_an_account_without_a_role_in_this_app_cannot_log_in(app: Flask) -> None:
    add_account(app, "sato", app_name="other_app")
    response = log_in(app.test_client(), "sato", PASSWORD)
    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)


def test_secure_cookie_under_https(make_app: Any) -> None:
    app = make_app(YAML, LOWCODE_HTTPS="1")
    add_account(app)
    client = app.test_client()
    page = client.get(LOGIN, base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    response = client.post(LOGIN, base_url="https://localhost", headers={"Referer": f"https://localhost{LOGIN}"},
                           data={"csrf_token": token.group(1), "username": "tanaka", "password": PASSWORD})
    assert response.status_code == 302 and "Secure" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]


def test_usernames_and_passwords_are_never_logged(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    client = app.test_client()
    log_in(client, "tanaka", "not the password")
    log_in(client, "tanaka", PASSWORD)
    assert "tanaka" not in caplog.text and "password" not in caplog.text.lower()
