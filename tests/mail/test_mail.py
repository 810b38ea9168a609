"""E-mail through the outbox (lowcode/mail/): queued with the change that causes it, delivered to a real local SMTP
server (aiosmtpd) with retry and back-off; on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask
from support import app_engine, app_runtime, free_port

from lowcode.mail import outbox
from lowcode.mail.notify import notify_transition
from lowcode.mail.outbox import BACKOFF, MAX_ATTEMPTS, OUTBOX, queued_and_failed
from lowcode.mail.sender import send_due
from lowcode.mail.smtp import SmtpSettings
from lowcode.records import submit
from lowcode.runtime import AppRuntime
from lowcode.staff.accounts import AccountError, RoleGrant, create_user, find_user, set_email
from lowcode.staff.tables import USERS
from lowcode.storage import utcnow

MakeApp = Callable[..., Flask]
PASSWORD = "correct horse battery"

YAML = """
title: {ja: 通学路の危険箇所, en: School routes}
contact: {ja: 金沢市 道路管理課 076-000-0000, en: Road office 076-000-0000}
roles:
  admin: {all: true}
  school:
    tables: {reports: [view]}
    scope: {reports: school}
tables:
  reports:
    label: {ja: 危険箇所の報告, en: hazard report}
    fields:
      title: {type: text, required: true}
      school: {type: text}
      email: {type: email, visibility: private}
forms:
  report: {table: reports}
"""


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(message)
        return "250 OK"


@contextmanager
def smtp_server(port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def app(make_app: MakeApp) -> Iterator[Flask]:
    flask_app = make_app(YAML)
    with flask_app.test_request_context("/?lang=ja"):
        yield flask_app


runtime: Callable[[Flask], AppRuntime] = app_runtime
engine: Callable[[Flask], sa.Engine] = app_engine


def settings(port: int) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, sender="noreply@city.example.jp")


def report(app: Flask, **values: Any) -> int:
    result = submit(runtime(app), engine(app), "reports", {"title": "ガードレールが壊れている", **values}, lang="ja")
    assert result.row_id is not None
    return result.row_id


def outbox_rows(app: Flask) -> list[outbox.Mail]:
    with engine(app).connect() as conn:
        return [outbox.to_mail(row) for row in conn.execute(OUTBOX.select().order_by(OUTBOX.c.id)).mappings()]


def test_a_new_submission_is_mailed_to_the_staff_responsible_in_japanese(app: Flask) -> None:
    create_user(engine(app), "douro@city.example.jp", PASSWORD, [RoleGrant("demo", "admin")])
    create_user(engine(app), "kikugawa@school.example.jp", PASSWORD, [RoleGrant("demo", "school", "菊川町小")])
    create_user(engine(app), "nagamachi@school.example.jp", PASSWORD, [RoleGrant("demo", "school", "長町小")])
    create_user(engine(app), "no-address", PASSWORD, [RoleGrant("demo", "admin")])  # no address: no mail
    report(app, school="菊川町小", email="parent@example.jp")
    port = free_port()
    with smtp_server(port) as inbox:
        assert send_due(engine(app), settings(port)).sent == 2
    recipients = sorted(m["To"] for m in inbox.messages)
    assert recipients == ["douro@city.example.jp", "kikugawa@school.example.jp"]  # 長町小's account: not its row
    message = inbox.messages[0]
    assert message["Subject"].startswith("[通学路の危険箇所] 新しい危険箇所の報告が届きました(")
    body = message.get_content()
    assert "受付番号: " in body and "parent@example.jp" not in body and "ガードレール" not in body
    assert [m.status for m in outbox_rows(app)] == ["sent", "sent"]


def test_a_server_that_is_down_keeps_the_mail_queued_until_it_comes_up(app: Flask) -> None:
    create_user(engine(app), "douro@city.example.jp", PASSWORD, [RoleGrant("demo", "admin")])
    report(app)
    port = free_port()  # nothing listens there yet
    now = utcnow()
    assert send_due(engine(app), settings(port), now).retrying == 1
    [mail] = outbox_rows(app)
    assert (mail.status, mail.attempts, mail.next_attempt_at) == ("queued", 1, now + BACKOFF[0])
    assert mail.last_error and "douro" not in mail.last_error
    with smtp_server(port) as inbox:
        assert send_due(engine(app), settings(port), now + dt.timedelta(seconds=30)).sent == 0  # not due yet
        assert send_due(engine(app), settings(port), now + BACKOFF[0]).sent == 1
    assert len(inbox.messages) == 1 and outbox_rows(app)[0].status == "sent"


def test_a_mail_fails_after_the_last_attempt_and_is_listed(app: Flask) -> None:
    create_user(engine(app), "douro@city.example.jp", PASSWORD, [RoleGrant("demo", "admin")])
    report(app)
    down = settings(free_port())
    when = utcnow()
    for attempt in range(MAX_ATTEMPTS):
        outcome = send_due(engine(app), down, when)
        assert (outcome.retrying, outcome.failed) == ((1, 0) if attempt < MAX_ATTEMPTS - 1 else (0, 1))
        if attempt < MAX_ATTEMPTS - 1:
            when += BACKOFF[attempt]
    [mail] = queued_and_failed(engine(app), "demo")
    assert (mail.status, mail.attempts, mail.next_attempt_at) == ("failed", MAX_ATTEMPTS, None)
    assert send_due(engine(app), down, when + dt.timedelta(days=1)).failed == 0  # never tried again


def test_a_transition_message_reaches_the_resident_who_left_an_address(app: Flask) -> None:
    with_address, without = report(app, email="parent@example.jp"), report(app)
    store = runtime(app).stores["reports"]
    with engine(app).begin() as conn:
        rows = {r["id"]: store.to_record(r) for r in conn.execute(store.table.select()).mappings()}
        message = {"ja": "6月3日に補修しました。", "en": "Repaired on 3 June."}
        assert notify_transition(conn, runtime(app), "reports", rows[with_address], message)
        assert not notify_transition(conn, runtime(app), "reports", rows[without], message)
    port = free_port()
    with smtp_server(port) as inbox:
        send_due(engine(app), settings(port))
    [mail] = inbox.messages
    assert mail["To"] == "parent@example.jp" and mail["From"] == "noreply@city.example.jp"
    assert mail["Subject"] == f"[通学路の危険箇所] お送りいただいた内容について({rows[with_address]['ref']})"
    assert "6月3日に補修しました。" in mail.get_content() and "金沢市 道路管理課" in mail.get_content()


def test_a_mail_is_queued_only_when_its_row_is_stored(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    create_user(engine(app), "douro@city.example.jp", PASSWORD, [RoleGrant("demo", "admin")])
    original = outbox.enqueue

    def enqueue_then_fail(conn: sa.Connection, **kwargs: Any) -> int:
        original(conn, **kwargs)
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr("lowcode.mail.notify.enqueue", enqueue_then_fail)
    with pytest.raises(sa.exc.OperationalError):
        report(app)
    assert outbox_rows(app) == []


def test_without_an_smtp_host_nothing_is_attempted(app: Flask) -> None:
    create_user(engine(app), "douro@city.example.jp", PASSWORD, [RoleGrant("demo", "admin")])
    report(app)
    assert send_due(engine(app), SmtpSettings(host=None)).sent == 0
    assert [(m.status, m.attempts) for m in outbox_rows(app)] == [("queued", 0)]


# Staff accounts' own address (lowcode_users.email, `lowcode user email`).

def test_new_submission_mail_goes_to_the_account_address_else_to_a_username_that_is_one(app: Flask) -> None:
    create_user(engine(app), "tanaka", PASSWORD, [RoleGrant("demo", "admin")], email="tanaka@city.example.jp")
    create_user(engine(app), "sato@city.example.jp", PASSWORD, [RoleGrant("demo", "admin")])
    create_user(engine(app), "suzuki@old.example.jp", PASSWORD, [RoleGrant("demo", "admin")],
                email="suzuki@new.example.jp")  # the address given wins over the name
    create_user(engine(app), "no-address", PASSWORD, [RoleGrant("demo", "admin")])
    report(app, school="菊川町小")
    port = free_port()
    with smtp_server(port) as inbox:
        assert send_due(engine(app), settings(port)).sent == 3
    assert sorted(m["To"] for m in inbox.messages) == [
        "sato@city.example.jp", "suzuki@new.example.jp", "tanaka@city.example.jp"]


def test_set_email_changes_and_clears_the_address(app: Flask) -> None:
    create_user(engine(app), "tanaka", PASSWORD, [RoleGrant("demo", "admin")])
    set_email(engine(app), "tanaka", " tanaka@city.example.jp ")
    found = find_user(engine(app), "tanaka")
    assert found is not None and found.email == "tanaka@city.example.jp"
    set_email(engine(app), "tanaka", None)
    found = find_user(engine(app), "tanaka")
    assert found is not None and found.email is None


def test_an_address_that_is_not_one_is_refused(app: Flask) -> None:
    create_user(engine(app), "tanaka", PASSWORD, [RoleGrant("demo", "admin")])
    for wrong in ("tanaka", "tanaka@city", "a b@city.example.jp"):
        try:
            set_email(engine(app), "tanaka", wrong)
        except AccountError as error:
            assert "e-mail address" in str(error)
        else:
            raise AssertionError(f"{wrong!r} was accepted")


def test_a_database_made_before_the_email_column_gets_it_at_start_up(make_app: MakeApp, database: str) -> None:
    old = sa.MetaData()
    sa.Table("lowcode_users", old, *[sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
                                     for c in USERS.columns if c.name != "email"])
    before = sa.create_engine(database)
    old.create_all(before)
    before.dispose()
    built = make_app(YAML)
    with built.app_context():
        create_user(engine(built), "tanaka", PASSWORD, [RoleGrant("demo", "admin")], email="tanaka@city.example.jp")
        found = find_user(engine(built), "tanaka")
    assert found is not None and found.email == "tanaka@city.example.jp"
