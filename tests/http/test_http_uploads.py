"""Photos: a real image is stored and shown, anything else is refused, a private photo is never served."""
from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

Rows = Callable[..., int]
Stored = Callable[..., list[dict[str, Any]]]
Send = Callable[..., Any]

PHOTOS = """
title: 道路の通報
tables:
  reports:
    fields:
      title: {type: text, required: true, label: 件名}
      photo: {type: image, label: 現場の写真}
      id_card: {type: image, visibility: private, label: 本人確認書類}
forms:
  report: {table: reports}
lists:
  reports: {table: reports}
"""
FORM = "/demo/forms/report"


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A small but complete PNG (grey pixels), as a phone camera would send a much larger one."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")


def same_pixels(first: bytes, second: bytes) -> bool:
    from PIL import Image, ImageChops

    with Image.open(io.BytesIO(first)) as a, Image.open(io.BytesIO(second)) as b:
        return a.size == b.size and ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None


def upload(data: bytes, filename: str, mimetype: str = "image/png") -> tuple[io.BytesIO, str, str]:
    return io.BytesIO(data), filename, mimetype


def upload_folder(app: Flask) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "demo"


def test_a_photo_is_stored_and_shown_on_the_detail_page(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(PHOTOS)
    client = app.test_client()
    image = png_bytes()

    response = send(client, FORM, {"title": "穴", "photo": upload(image, "IMG_0001.PNG")})

    assert response.status_code == 303
    [row] = stored(app, "reports")
    assert re.fullmatch(r"[0-9a-f]{32}\.png", row["photo"])
    detail = client.get(f"/demo/lists/reports/{row['id']}").get_data(as_text=True)
    assert f'<img src="/demo/uploads/{row["photo"]}" alt="現場の写真"' in detail
    with client.get(f"/demo/uploads/{row['photo']}") as served:
        assert served.status_code == 200
        assert same_pixels(served.data, image)  # re-encoded (without metadata), the picture unchanged
        assert served.mimetype == "image/png"


def test_a_file_that_is_not_an_image_is_refused(make_app: Callable[..., Flask], send: Send, rows: Rows) -> None:
    app = make_app(PHOTOS)

    response = send(app.test_client(), FORM, {"title": "穴", "photo": upload(b"%PDF-1.7 not a photo", "photo.png")})

    assert response.status_code == 422
    assert "JPEG・PNG・WebP・GIF 形式の写真を選んでください。" in response.get_data(as_text=True)
    assert rows(app, "reports") == 0
    assert not upload_folder(app).exists() or list(upload_folder(app).iterdir()) == []


def test_a_photo_is_kept_when_the_form_comes_back(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(PHOTOS)
    client = app.test_client()

    first = send(client, FORM, {"title": "", "photo": upload(png_bytes(), "IMG_0002.PNG")})

    assert first.status_code == 422
    html = first.get_data(as_text=True)
    assert "写真を受け取りました。差し替えるときだけ別のファイルを選んでください。" in html
    kept = re.search(r'<input type="hidden" name="photo_kept" value="([0-9a-f]{32}\.png)">', html)
    assert kept

    second = send(client, FORM, {"title": "穴", "photo_kept": kept.group(1)})

    assert second.status_code == 303
    assert [r["photo"] for r in stored(app, "reports")] == [kept.group(1)]


def test_a_made_up_kept_photo_name_is_ignored(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(PHOTOS)
    client = app.test_client()

    send(client, FORM, {"title": "穴", "photo_kept": "../../secret_key"})
    send(client, FORM, {"title": "穴", "photo_kept": "0" * 32 + ".png"})

    assert [r["photo"] for r in stored(app, "reports")] == [None, None]


def test_a_private_photo_is_never_served_nor_shown(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(PHOTOS)
    client = app.test_client()
    send(client, FORM, {"title": "穴", "id_card": upload(png_bytes(3, 3), "license.png")})
    [row] = stored(app, "reports")
    assert (upload_folder(app) / row["id_card"]).is_file()

    served = client.get(f"/demo/uploads/{row['id_card']}")
    detail = client.get(f"/demo/lists/reports/{row['id']}").get_data(as_text=True)
    listing = client.get("/demo/lists/reports").get_data(as_text=True)

    assert served.status_code == 404
    assert row["id_card"] not in detail and row["id_card"] not in listing
    assert "本人確認書類" not in detail and "本人確認書類" not in listing


def test_an_upload_name_that_was_never_stored_is_not_found(sqlite_make_app: Callable[..., Flask]) -> None:
    client = sqlite_make_app(PHOTOS).test_client()

    assert client.get("/demo/uploads/" + "a" * 32 + ".png").status_code == 404
    assert client.get("/demo/uploads/..%2Fsecret_key").status_code == 404
