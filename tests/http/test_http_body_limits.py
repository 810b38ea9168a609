"""No text a resident sends is unbounded: every text field has a maximum, and the whole body is capped."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from support import csrf_token
from werkzeug.test import TestResponse, encode_multipart

YAML = """
title: {ja: 意見募集, en: Comments}
tables:
  comments:
    fields:
      title: {type: text, required: true}
      body: {type: textarea}
      email: {type: email, visibility: private}
      short: {type: text, max_length: 5}
forms:
  comment: {table: comments}
"""
FORM = "/demo/forms/comment"


def count(app: Flask) -> int:
    runtime = app.extensions["lowcode"].runtimes["demo"]
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        return runtime.stores["comments"].count(conn)


def post_urlencoded(client, data: dict[str, str], path: str = FORM) -> TestResponse:  # type: ignore[no-untyped-def]
    token = csrf_token(client, FORM)
    return client.post(path, data={"csrf_token": token, **data}, content_type="application/x-www-form-urlencoded")


def test_a_24_mb_urlencoded_post_is_refused_and_nothing_stored(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    response = post_urlencoded(app.test_client(), {"title": "長文", "body": "a" * (24 * 1024 * 1024)})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "送信された内容が大きすぎます" in html  # the app's language, inside the app's frame
    assert "意見募集" in html
    assert count(app) == 0


def test_the_413_page_is_in_english_for_an_english_reader(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    response = post_urlencoded(app.test_client(), {"title": "x", "body": "a" * (2 * 1024 * 1024)}, FORM + "?lang=en")
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)
    assert count(app) == 0


def test_a_text_without_max_length_has_a_default_maximum(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    client = app.test_client()
    response = post_urlencoded(client, {"title": "題" * 201, "body": "本文" * 2001})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "200 文字以内で入力してください。" in html
    assert "4000 文字以内で入力してください。" in html
    assert "題" * 201 in html  # what the resident typed comes back
    assert count(app) == 0
    ok = post_urlencoded(client, {"title": "題" * 200, "body": "本" * 4000, "email": "a@example.jp"})
    assert ok.status_code == 303
    assert count(app) == 1


def test_a_huge_value_is_refused_before_it_is_parsed(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    response = post_urlencoded(app.test_client(), {"title": "t", "email": "a@" + "." * 400_000})
    assert response.status_code == 422
    assert "254 文字以内で入力してください。" in response.get_data(as_text=True)
    assert count(app) == 0


def test_inputs_show_their_maximum(sqlite_make_app: Callable[..., Flask]) -> None:
    html = sqlite_make_app(YAML).test_client().get(FORM).get_data(as_text=True)
    assert 'maxlength="200"' in html and 'name="title"' in html
    assert 'maxlength="4000"' in html
    assert 'maxlength="254"' in html
    assert 'maxlength="5"' in html


def test_a_huge_text_part_of_a_multipart_post_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    client = app.test_client()
    token = csrf_token(client, FORM)
    boundary, body = encode_multipart({"csrf_token": token, "title": "t", "body": "a" * 600_000})
    response = client.post(FORM, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert "送信された内容が大きすぎます" in response.get_data(as_text=True)
    assert count(app) == 0
