"""The outbox page `/<app>/staff/outbox` and its "retry now", on SQLite and PostgreSQL: admins see what is queued
or failed (never a body), a failed mail is queued again at once and the retry is audited."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, csrf_token, staff_client

from lowcode import audit
from lowcode.mail import outbox
from lowcode.staff.accounts import RoleGrant, create_user

YAML = """
title: Hazards
roles:
  admin: {all: true}
  office: {tables: {hazards: [view, edit, see_private, export]}}
tables:
  hazards:
    fields:
      title: {type: text}
"""
PASSWORD = "correct horse battery"


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = app_engine(built)
        create_user(engine, "chief", PASSWORD, [RoleGrant("demo", "admin")])
        create_user(engine, "office", PASSWORD, [RoleGrant("demo", "office")])
        with engine.begin() as conn:
            for to, subject in (("a@home.example", "Queued <b>one</b>"), ("b@home.example", "Failed one"),
                                ("c@home.example", "Sent one")):
                outbox.enqueue(conn, app="demo", to=to, subject=subject, body="SECRET-BODY", lang="en")
            outbox.enqueue(conn, app="other", to="d@home.example", subject="Other app", body="x", lang="en")
            conn.execute(outbox.OUTBOX.update().where(outbox.OUTBOX.c.subject == "Failed one").values(
                status="failed", attempts=outbox.MAX_ATTEMPTS, next_attempt_at=None, last_error="550 <no> such user"))
            conn.execute(outbox.OUTBOX.update().where(outbox.OUTBOX.c.subject.in_(["Sent one", "Other app"])).values(
                status="sent"))
    return built


def mail(app: Flask, subject: str) -> outbox.Mail:
    with app.app_context(), app_engine(app).connect() as conn:
        row = conn.execute(outbox.OUTBOX.select().where(outbox.OUTBOX.c.subject == subject)).mappings().one()
        return outbox.to_mail(row)


def retry(client: Any, mail_id: int | str) -> Any:
    token = csrf_token(client, "/demo/staff/outbox")
    return client.post(f"/demo/staff/outbox/{mail_id}/retry", data={"csrf_token": token})


def test_admins_see_queued_and_failed_mails_without_their_bodies(app: Flask) -> None:
    response = staff_client(app, "chief", PASSWORD).get("/demo/staff/outbox?lang=en")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "a@home.example" in text and "Queued &lt;b&gt;one&lt;/b&gt;" in text and "<b>one" not in text
    assert "Failed one" in text and "550 &lt;no&gt; such user" in text
    assert "Sent one" not in text and "Other app" not in text and "SECRET-BODY" not in text
    assert text.count("Retry now") == 1  # only the failed one


def test_other_roles_and_strangers_do_not_see_the_outbox(app: Flask) -> None:
    assert app.test_client().get("/demo/staff/outbox").status_code == 302
    office = staff_client(app, "office", PASSWORD)
    assert office.get("/demo/staff/outbox").status_code == 403
    failed = mail(app, "Failed one")
    token = csrf_token(office, "/demo/staff/")
    assert office.post(f"/demo/staff/outbox/{failed.id}/retry", data={"csrf_token": token}).status_code == 403
    assert mail(app, "Failed one").status == "failed"


def test_retry_now_queues_a_failed_mail_at_once_and_is_audited(app: Flask) -> None:
    client = staff_client(app, "chief", PASSWORD)
    failed = mail(app, "Failed one")
    response = retry(client, failed.id)
    assert response.status_code == 303 and response.headers["Location"].endswith("/demo/staff/outbox?retried=1")
    again = mail(app, "Failed one")
    assert again.status == "queued" and again.attempts == failed.attempts and again.next_attempt_at is not None
    assert "queued again" in client.get("/demo/staff/outbox?lang=en&retried=1").get_data(as_text=True)
    with app.app_context(), app_engine(app).connect() as conn:
        logged = audit.search(conn, audit.AuditFilter(app="demo", action="mail_retry"), limit=10)
        due = outbox.claim_due(app_engine(app), again.next_attempt_at)
    assert [(e.actor, e.after) for e in logged] == [("chief", {"@mail": failed.id})]
    assert [m.subject for m in due] == ["Queued <b>one</b>", "Failed one"]  # the sender picks it up


def test_retry_of_a_mail_that_is_not_failed_here_changes_nothing(app: Flask) -> None:
    client = staff_client(app, "chief", PASSWORD)
    for subject in ("Queued <b>one</b>", "Sent one", "Other app"):
        before = mail(app, subject)
        response = retry(client, before.id)
        assert response.status_code == 409 and "もう再送待ちではありません" in response.get_data(as_text=True)
        assert mail(app, subject) == before
    assert retry(client, 2**31).status_code == 404
    assert retry(client, "abc").status_code == 404
    with app.app_context(), app_engine(app).connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(audit.AUDIT).where(
            audit.AUDIT.c.action == "mail_retry")).scalar_one() == 0


def test_retry_needs_the_csrf_token(app: Flask) -> None:
    client = staff_client(app, "chief", PASSWORD)
    assert client.post(f"/demo/staff/outbox/{mail(app, 'Failed one').id}/retry").status_code == 400
    assert mail(app, "Failed one").status == "failed"


def test_a_long_outbox_shows_the_oldest_and_says_how_many(app: Flask) -> None:
    from lowcode.views.staff_outbox import SHOWN

    with app.app_context(), app_engine(app).begin() as conn:
        for number in range(SHOWN + 5):
            outbox.enqueue(conn, app="demo", to=f"n{number:03d}@home.example", subject="s", body="b", lang="en")
    text = staff_client(app, "chief", PASSWORD).get("/demo/staff/outbox?lang=en").get_data(as_text=True)
    assert f"The oldest {SHOWN} of {SHOWN + 7} mails." in text
    assert "a@home.example" in text and "n197@home.example" in text and "n198@home.example" not in text
