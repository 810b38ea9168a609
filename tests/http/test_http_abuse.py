"""Abuse does not take the service down: rate limits, a honeypot, and form tokens that expire."""
from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from flask import Flask
from itsdangerous import TimestampSigner
from support import csrf_token

from lowcode.honeypot import HONEYPOT_NAME

YAML = """
title: {ja: 落とし物, en: Lost property}
tables:
  items:
    fields:
      what: {type: text, required: true}
      location: {type: location}
forms:
  report: {table: items}
maps:
  items:
    layers: [{table: items}]
"""
FORM = "/demo/forms/report"


def count(app: Flask) -> int:
    runtime = app.extensions["lowcode"].runtimes["demo"]
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        return runtime.stores["items"].count(conn)


def test_a_client_over_the_submission_limit_gets_its_form_back_with_a_429(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML, LOWCODE_RATE_LIMIT_SUBMIT="3/minute")
    client = app.test_client()
    token = csrf_token(client, FORM)
    for n in range(3):
        assert client.post(FORM, data={"csrf_token": token, "what": f"傘{n}"}).status_code == 303
    refused = client.post(FORM, data={"csrf_token": token, "what": "四本目の<傘>"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "数分待ってから、もう一度送信してください。" in html
    assert 'value="四本目の&lt;傘&gt;"' in html  # the answer is kept, escaped
    assert refused.headers["Retry-After"]
    assert count(app) == 3
    other = app.test_client()  # another resident, another address
    other_token = csrf_token(other, FORM)
    answer = other.post(FORM, data={"csrf_token": other_token, "what": "財布"}, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert answer.status_code == 303
    assert client.get(FORM).status_code == 200  # reading the form is never limited


def test_the_default_submission_limit_is_ten_a_minute(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    client = app.test_client()
    token = csrf_token(client, FORM)
    codes = [client.post(FORM, data={"csrf_token": token, "what": f"傘{n}"}).status_code for n in range(11)]
    assert codes == [303] * 10 + [429]
    assert count(app) == 10


def test_api_calls_are_limited_with_a_json_answer(make_app: Callable[..., Flask]) -> None:
    client = make_app(YAML, LOWCODE_RATE_LIMIT_API="5/minute").test_client()
    codes = [client.get("/demo/api/items.geojson").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    refused = client.get("/demo/api/items.geojson")
    assert refused.get_json() == {"error": "お使いの接続からのアクセスが多すぎます。1分ほど待ってから、もう一度お試しください。"}
    assert client.get("/demo/").status_code == 200  # pages are not limited


def test_limits_can_be_turned_off(sqlite_make_app: Callable[..., Flask]) -> None:
    client = sqlite_make_app(YAML, LOWCODE_RATE_LIMIT_API="1/minute", LOWCODE_RATE_LIMITS="0").test_client()
    assert [client.get("/demo/api/items.geojson").status_code for _ in range(3)] == [200] * 3


def test_limits_are_shared_through_redis_when_redis_url_is_set(sqlite_make_app: Callable[..., Flask]) -> None:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    first = sqlite_make_app(YAML, REDIS_URL=url, LOWCODE_RATE_LIMIT_API="3/minute")
    second = sqlite_make_app(YAML, REDIS_URL=url, LOWCODE_RATE_LIMIT_API="3/minute")  # another worker
    codes = [app.test_client().get("/demo/api/items.geojson").status_code for app in (first, second, first, second)]
    redis.Redis.from_url(url).flushdb()
    assert codes == [200, 200, 200, 429]


def test_a_filled_honeypot_is_answered_like_success_and_stores_nothing(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    client = app.test_client()
    token = csrf_token(client, FORM)
    response = client.post(FORM, data={"csrf_token": token, "what": "spam", HONEYPOT_NAME: "http://spam.example"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/demo/"
    assert count(app) == 0
    assert client.post(FORM, data={"csrf_token": token, "what": "傘", HONEYPOT_NAME: ""}).status_code == 303
    assert count(app) == 1


def test_the_honeypot_is_hidden_from_people_and_their_browsers(sqlite_make_app: Callable[..., Flask]) -> None:
    html = sqlite_make_app(YAML).test_client().get(FORM).get_data(as_text=True)
    wrapper = re.search(r'<div class="lc-extra" aria-hidden="true">.*?</div>', html)
    assert wrapper
    assert f'name="{HONEYPOT_NAME}"' in wrapper.group(0)
    assert 'tabindex="-1"' in wrapper.group(0) and 'autocomplete="off"' in wrapper.group(0)
    css = sqlite_make_app(YAML, name="css").test_client().get("/static/lowcode.css")
    assert ".lc-extra { display: none !important; }" in css.get_data(as_text=True)
    css.close()


def test_a_token_older_than_two_hours_brings_the_form_back_with_the_answers(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(YAML)
    client = app.test_client()
    token = csrf_token(client, FORM)
    later = int(time.time()) + 2 * 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = client.post(FORM, data={"csrf_token": token, "what": "古い<傘>"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "フォームの有効期限が切れました。入力内容は残っています。" in html
    assert 'value="古い&lt;傘&gt;"' in html
    assert count(app) == 0
    fresh = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert fresh
    assert client.post(FORM, data={"csrf_token": fresh.group(1), "what": "古い傘"}).status_code == 303
    assert count(app) == 1


def test_a_token_younger_than_two_hours_is_accepted(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(YAML)
    client = app.test_client()
    token = csrf_token(client, FORM)
    later = int(time.time()) + 2 * 3600 - 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert client.post(FORM, data={"csrf_token": token, "what": "傘"}).status_code == 303
