"""The resident's private link (`/<app>/track/<token>`): shown once on the sent page, it shows the submission's
public status, its public history and messages, and the resident's own answers; on SQLite and PostgreSQL."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask
from werkzeug.test import TestResponse

from lowcode.audit import Actor
from lowcode.records import change_status
from lowcode.tracking import TRACK_COLUMN, token_digest

Send = Callable[..., TestResponse]

YAML = """
title: 通報
tables:
  reports:
    fields:
      title: {type: text, required: true}
      status:
        type: choice
        default: received
        choices: [{key: received, label: 受付}, {key: done, label: 完了}]
      email: {type: email, visibility: private}
      memo: {type: text, visibility: staff}
forms:
  report: {table: reports, fields: [title, email]}
lists:
  reports: {table: reports}
"""


def track_url(response: TestResponse) -> str:
    match = re.search(r'id="track-link" href="https?://[^/"]+(/[^"]+)"', response.get_data(as_text=True))
    assert match, "no private link on the sent page"
    return match.group(1)


def send_report(client: Any, send: Send, **answers: str) -> TestResponse:
    posted = send(client, "/demo/forms/report", answers)
    assert posted.status_code == 303, posted.get_data(as_text=True)
    return client.get(posted.headers["Location"])


def stored_digests(app: Flask) -> list[str | None]:
    state = app.extensions["lowcode"]
    table = state.runtimes["demo"].stores["reports"].table
    with app.app_context(), state.db.engine.connect() as conn:
        return list(conn.execute(sa.select(table.c[TRACK_COLUMN]).order_by(table.c.id)).scalars())


def test_the_sent_page_gives_a_private_link_that_only_its_digest_is_stored_of(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(YAML)
    client = app.test_client()
    sent = send_report(client, send, title="穴があいている", email="me@example.jp")
    url = track_url(sent)
    token = url.rsplit("/", 1)[1]
    assert len(token) >= 22 and url == f"/demo/track/{token}"  # ≥ 128 bits of secrets.token_urlsafe
    assert stored_digests(app) == [token_digest(token)]  # the database holds no link
    page = app.test_client().get(url + "?lang=ja")  # another browser (no session): the link alone is enough
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="track-status">受け付けました<' in html  # no workflow: received, with the date it was sent
    assert "穴があいている" in html and "me@example.jp" in html  # the resident's own answers, private ones too
    assert page.headers["Referrer-Policy"] == "no-referrer" and "no-store" in page.headers["Cache-Control"]


def test_an_unknown_or_malformed_token_is_not_found(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(YAML)
    client = app.test_client()
    url = track_url(send_report(client, send, title="穴"))
    token = url.rsplit("/", 1)[1]
    other = token[:-1] + ("A" if token[-1] != "A" else "B")
    for path in (f"/demo/track/{other}", "/demo/track/short", f"/demo/track/{token_digest(token)}", "/demo/track/%00" + token):
        assert client.get(path).status_code == 404, path


def test_a_second_report_link_shows_only_its_own_row(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(YAML)
    first = track_url(send_report(app.test_client(), send, title="一つ目", email="one@example.jp"))
    second = track_url(send_report(app.test_client(), send, title="二つ目", email="two@example.jp"))
    html = app.test_client().get(second).get_data(as_text=True)
    assert "二つ目" in html and "two@example.jp" in html
    assert "一つ目" not in html and "one@example.jp" not in html and first.rsplit("/", 1)[1] not in html


def test_messages_to_the_resident_appear_without_who_sent_them(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(YAML)
    url = track_url(send_report(app.test_client(), send, title="穴"))
    state = app.extensions["lowcode"]
    with app.test_request_context("/"):
        change_status(state.runtimes["demo"], state.db.engine, "reports", 1, "status", "done",
                      actor=Actor("tanaka", "10.1.2.3"), message="6月3日に補修しました。")
    html = app.test_client().get(url + "?lang=ja").get_data(as_text=True)
    assert "6月3日に補修しました。" in html
    assert "tanaka" not in html and "10.1.2.3" not in html
