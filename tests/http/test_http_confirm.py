"""`confirm: true`: a confirmation page (確認画面) between the form and the stored row (issue 7, item 28)."""
from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Callable
from html import unescape
from typing import Any

from flask import Flask

APP = """
title: {ja: 粗大ごみの申込み, en: Bulky waste collection}
tables:
  requests:
    fields:
      item: {type: text, required: true, max_length: 30, label: {ja: 品目, en: Item}}
      size:
        type: choice
        label: {ja: 大きさ, en: Size}
        choices:
          - {key: small, label: {ja: 小, en: Small}}
          - {key: large, label: {ja: 大, en: Large}}
      kinds:
        type: multichoice
        label: {ja: 材質, en: Material}
        choices: [{key: wood, label: {ja: 木, en: Wood}}, {key: metal, label: {ja: 金属, en: Metal}}]
      photo: {type: image, label: {ja: 写真, en: Photo}}
      name: {type: text, visibility: private, label: {ja: お名前, en: Name}}
      agree: {type: boolean, required: true, label: {ja: 同意する, en: I agree}}
forms:
  apply: {table: requests, title: {ja: 申し込む, en: Apply}, confirm: true}
"""
FORM = "/demo/forms/apply"
GOOD = {"item": "<b>たんす</b>", "size": "large", "kinds": ["wood", "metal"], "name": "金沢太郎", "agree": "y"}


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x10\x20\x00\x30\x40")) + chunk(b"IEND", b"")


def hidden_inputs(html: str) -> list[tuple[str, str]]:
    """The name/value pairs the confirmation page sends back, as a browser would (the token included)."""
    tags = re.findall(r'<input[^>]*type="hidden"[^>]*>', html)
    return [(unescape(re.findall(r'name="([^"]*)"', tag)[0]), unescape(re.findall(r'value="([^"]*)"', tag)[0])) for tag in tags]


def press(client: Any, html: str, step: str) -> Any:
    data: dict[str, list[str]] = {}
    for name, value in hidden_inputs(html):
        data.setdefault(name, []).append(value)
    return client.post(FORM, data={**data, "_step": step}, content_type="multipart/form-data")


def first_post(client: Any, csrf_token: Callable[[Any, str], str], **extra: Any) -> Any:
    data = {"csrf_token": csrf_token(client, FORM), **GOOD, **extra}
    return client.post(FORM, data=data, content_type="multipart/form-data")


def confirmation_of(make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str]) -> tuple[Flask, Any, str]:
    """A new app, a browser, and the confirmation page of its first (valid) POST."""
    app = make_app(APP)
    client = app.test_client()
    return app, client, first_post(client, csrf_token).get_data(as_text=True)


def test_a_valid_first_post_shows_the_answers_and_stores_nothing(
    make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str], rows: Callable[..., int]
) -> None:
    app = make_app(APP)
    client = app.test_client()

    response = first_post(client, csrf_token)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>入力内容の確認</h1>" in page
    assert "&lt;b&gt;たんす&lt;/b&gt;" in page and "<b>たんす</b>" not in page  # escaped, never HTML
    assert "<dd>大</dd>" in page and "木、金属" in page and "金沢太郎" in page
    assert 'value="edit"' in page and ">修正する</button>" in page and ">送信する</button>" in page
    assert rows(app, "requests") == 0


def test_the_send_button_stores_the_answers(
    make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str], rows: Callable[..., int], stored: Callable[..., list[dict[str, Any]]]
) -> None:
    app, client, confirmation = confirmation_of(make_app, csrf_token)

    response = press(client, confirmation, "send")

    assert response.status_code == 303 and "/sent/" in response.headers["Location"]
    [row] = stored(app, "requests")
    assert (row["item"], row["size"], row["kinds"], row["name"], row["agree"]) == ("<b>たんす</b>", "large", ["wood", "metal"], "金沢太郎", True)


def test_the_back_button_shows_the_form_with_every_answer(
    make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str], rows: Callable[..., int]
) -> None:
    app, client, confirmation = confirmation_of(make_app, csrf_token)

    response = press(client, confirmation, "edit")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'error-summary' not in page
    assert 'value="&lt;b&gt;たんす&lt;/b&gt;"' in page and 'value="金沢太郎"' in page
    assert re.search(r'checked[^>]*value="large"|value="large"[^>]*checked', page)
    assert re.search(r'checked[^>]*value="metal"|value="metal"[^>]*checked', page)
    assert rows(app, "requests") == 0


def test_the_send_button_checks_the_answers_again(
    make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str], rows: Callable[..., int]
) -> None:
    app, client, confirmation = confirmation_of(make_app, csrf_token)
    tampered = confirmation.replace('name="item" value="', 'name="item" value="' + "長" * 40)

    response = press(client, tampered, "send")

    assert response.status_code == 422
    assert 'id="error-summary"' in response.get_data(as_text=True)
    assert rows(app, "requests") == 0


def test_an_invalid_first_post_comes_back_with_messages_not_the_confirmation(
    make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str], rows: Callable[..., int]
) -> None:
    app = make_app(APP)
    client = app.test_client()

    response = first_post(client, csrf_token, item="")

    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="error-summary"' in page and "入力内容の確認" not in page
    assert rows(app, "requests") == 0


def test_a_photo_is_shown_to_its_sender_kept_and_stored(
    make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str], stored: Callable[..., list[dict[str, Any]]]
) -> None:
    app = make_app(APP)
    client = app.test_client()
    confirmation = first_post(client, csrf_token, photo=(io.BytesIO(png()), "IMG_1.PNG")).get_data(as_text=True)

    [src] = re.findall(r'<img src="([^"]+)" alt="写真"', confirmation)
    with client.get(src) as preview:
        assert (preview.status_code, preview.mimetype, preview.headers["Cache-Control"]) == (200, "image/png", "private, no-store")
    with app.test_client().get(src) as elsewhere:
        assert elsewhere.status_code == 404  # another browser cannot see a photo not yet sent
    [kept] = [value for name, value in hidden_inputs(confirmation) if name == "photo_kept"]
    response = press(client, confirmation, "send")

    assert response.status_code == 303
    assert stored(app, "requests")[0]["photo"] == kept


def test_a_form_without_confirm_stores_on_the_first_post(
    make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str], rows: Callable[..., int]
) -> None:
    app = make_app(APP.replace(", confirm: true", ""))
    client = app.test_client()

    response = first_post(client, csrf_token)

    assert response.status_code == 303
    assert rows(app, "requests") == 1


def test_going_back_keeps_the_photo(make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str]) -> None:
    app = make_app(APP)
    client = app.test_client()
    confirmation = first_post(client, csrf_token, photo=(io.BytesIO(png()), "IMG_2.PNG")).get_data(as_text=True)
    [kept] = [value for name, value in hidden_inputs(confirmation) if name == "photo_kept"]

    corrected = press(client, confirmation, "edit").get_data(as_text=True)

    assert ("photo_kept", kept) in hidden_inputs(corrected)  # 修正する: the photo need not be chosen again
    assert "写真を受け取りました。" in corrected
