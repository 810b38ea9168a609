"""Residents' photos are published as pixels only: no GPS position, no camera serial, upright, not too large;
files that are not images, or are decompression bombs, are refused; photos of failed posts do not pile up."""
from __future__ import annotations

import io
import os
import re
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from PIL import Image, ImageCms, PngImagePlugin

Send = Callable[..., Any]
Stored = Callable[..., list[dict[str, Any]]]
Rows = Callable[..., int]

PHOTOS = """
title: 道路の通報
tables:
  reports:
    fields:
      title: {type: text, required: true, label: 件名}
      code: {type: text, unique: true, label: 整理番号}
      photo: {type: image, label: 現場の写真}
      small: {type: image, label: 小さい写真, max_side_px: 800}
forms:
  report: {table: reports}
lists:
  reports: {table: reports}
"""
FORM = "/demo/forms/report"
SERIAL = "BODY-SERIAL-0042"
EARLIER = 3 * 3600  # seconds: longer ago than any retry window


def phone_jpeg(width: int = 60, height: int = 40, orientation: int = 6) -> bytes:
    """What a phone sends: GPS position, make, model, body serial, a comment, XMP and an ICC profile."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model 15"
    exif[0x0112] = orientation  # 6: the camera was held upright; the pixels are stored turned 90°
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (36.0, 33.0, 40.0), 3: "E", 4: (136.0, 39.0, 21.0)})
    exif.get_ifd(0x8769)[0xA431] = SERIAL
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(
        out, "JPEG", exif=exif, comment=b"taken at home", icc_profile=srgb, xmp=b"<x:xmpmeta>home</x:xmpmeta>"
    )
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Kanazawa, 1-1 Hirosaka, my home")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 36.56</x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 0, 255, 128)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small file whose header claims a huge picture, like the 437 KB PNG of 60,000×60,000 px."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (width + 1) * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 10)).save(out, "JPEG")
    return out.getvalue()


def upload(data: bytes, filename: str, mimetype: str = "image/jpeg") -> tuple[io.BytesIO, str, str]:
    return io.BytesIO(data), filename, mimetype


def upload_folder(app: Flask) -> Path:
    return Path(app.config["UPLOAD_FOLDER"]) / "demo"


def photo_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if re.fullmatch(r"[0-9a-f]{32}\.\w+", p.name)] if folder.exists() else []


def age_files(folder: Path, seconds: int) -> None:
    then = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (then, then))


def fetch(client: Any, url: str) -> Any:
    """The response with its body read and its file closed."""
    with client.get(url) as response:
        response.get_data()
        return response


def served_photo(app: Flask, stored: Stored, field: str = "photo") -> Any:
    [row] = stored(app, "reports")
    return fetch(app.test_client(), f"/demo/uploads/{row[field]}")


def test_a_phone_photo_is_published_without_gps_camera_or_any_metadata(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(PHOTOS)
    original = phone_jpeg()
    assert SERIAL.encode() in original and b"home" in original

    assert send(app.test_client(), FORM, {"title": "穴", "photo": upload(original, "IMG_0001.JPG")}).status_code == 303

    served = served_photo(app, stored)
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    for trace in (b"Exif", SERIAL.encode(), b"PhoneMaker", b"home", b"ICC_PROFILE", b"xmpmeta"):
        assert trace not in served.data
    with Image.open(io.BytesIO(served.data)) as image:
        assert not image.getexif()
        assert image.size == (40, 60)  # turned upright as the phone was held, and the orientation tag is gone


def test_png_text_chunks_are_removed(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(PHOTOS)

    send(app.test_client(), FORM, {"title": "穴", "photo": upload(png_with_text(), "map.png", "image/png")})

    served = served_photo(app, stored)
    assert served.mimetype == "image/png"
    for trace in (b"tEXt", b"iTXt", b"Hirosaka", b"GPS"):
        assert trace not in served.data
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.size == (30, 20) and image.getpixel((0, 0)) == (0, 0, 255, 128)


def test_a_decompression_bomb_is_refused_with_a_message(make_app: Callable[..., Flask], send: Send, rows: Rows) -> None:
    app = make_app(PHOTOS)
    bomb = png_claiming(60_000, 60_000)
    assert len(bomb) < 10_000

    response = send(app.test_client(), FORM, {"title": "穴", "photo": upload(bomb, "bomb.png", "image/png")})

    assert response.status_code == 422
    assert "写真の画素数が多すぎます(50 メガピクセルまで)。小さくした写真を送ってください。" in response.get_data(as_text=True)
    assert rows(app, "reports") == 0
    assert photo_files(upload_folder(app)) == []


def test_a_picture_with_too_many_pixels_below_pillows_own_limit_is_refused(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(PHOTOS)

    response = send(app.test_client(), FORM, {"title": "穴", "photo": upload(png_claiming(8000, 7000), "big.png", "image/png")})

    assert response.status_code == 422
    assert "写真の画素数が多すぎます(50 メガピクセルまで)。小さくした写真を送ってください。" in response.get_data(as_text=True)


def test_a_gif_header_followed_by_html_is_refused(make_app: Callable[..., Flask], send: Send, rows: Rows) -> None:
    app = make_app(PHOTOS)
    forged = b"GIF89a<html><body><script>alert(document.cookie)</script></body></html>"

    response = send(app.test_client(), FORM, {"title": "穴", "photo": upload(forged, "cat.gif", "image/gif")})

    assert response.status_code == 422
    assert "JPEG・PNG・WebP・GIF 形式の写真を選んでください。" in response.get_data(as_text=True)
    assert rows(app, "reports") == 0
    assert photo_files(upload_folder(app)) == []


def test_a_large_photo_is_shrunk_to_2048_px_or_the_fields_max_side(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(PHOTOS)

    send(app.test_client(), FORM, {"title": "穴", "photo": upload(jpeg(5000, 2500), "a.jpg"), "small": upload(jpeg(1000, 4000), "b.jpg")})

    with Image.open(io.BytesIO(served_photo(app, stored).data)) as image:
        assert image.size == (2048, 1024)
    with Image.open(io.BytesIO(served_photo(app, stored, "small").data)) as image:
        assert image.size == (200, 800)


def test_photos_of_failed_posts_are_never_served_and_are_removed_once_abandoned(
    make_app: Callable[..., Flask], send: Send, rows: Rows
) -> None:
    app = make_app(PHOTOS)
    client = app.test_client()
    for attempt in range(3):
        response = send(client, FORM, {"title": "", "photo": upload(jpeg(400, 300), f"IMG_{attempt}.JPG")})
        assert response.status_code == 422
    names = [p.name for p in photo_files(upload_folder(app))]
    assert len(names) == 3
    assert not any((upload_folder(app) / name).exists() for name in names)  # kept aside, not in the served folder
    assert all(fetch(client, f"/demo/uploads/{name}").status_code == 404 for name in names)

    age_files(upload_folder(app), EARLIER)
    make_app(PHOTOS)  # a restart (or the next upload after the sweep interval) sweeps abandoned photos

    assert rows(app, "reports") == 0
    assert photo_files(upload_folder(app)) == []


def test_a_retry_within_the_window_still_finds_the_kept_photo(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(PHOTOS)
    client = app.test_client()
    first = send(client, FORM, {"title": "", "photo": upload(jpeg(400, 300), "IMG_1.JPG")})
    kept = re.search(r'name="photo_kept" value="([0-9a-f]{32}\.jpg)"', first.get_data(as_text=True))
    assert kept
    age_files(upload_folder(app), 600)  # ten minutes over the form
    make_app(PHOTOS)

    second = send(client, FORM, {"title": "穴", "photo_kept": kept.group(1)})

    assert second.status_code == 303
    assert fetch(client, f"/demo/uploads/{kept.group(1)}").status_code == 200
    assert [p.name for p in photo_files(upload_folder(app))] == [kept.group(1)]
    assert [r["photo"] for r in stored(app, "reports")] == [kept.group(1)]


def test_a_photo_refused_by_the_database_stays_kept_for_the_retry(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(PHOTOS)
    client = app.test_client()
    assert send(client, FORM, {"title": "一件目", "code": "A-1"}).status_code == 303

    taken = send(client, FORM, {"title": "二件目", "code": "A-1", "photo": upload(jpeg(40, 30), "IMG_2.JPG")})

    assert taken.status_code == 422
    kept = re.search(r'name="photo_kept" value="([0-9a-f]{32}\.jpg)"', taken.get_data(as_text=True))
    assert kept and not (upload_folder(app) / kept.group(1)).exists()
    again = send(client, FORM, {"title": "二件目", "code": "A-2", "photo_kept": kept.group(1)})
    assert again.status_code == 303
    assert fetch(client, f"/demo/uploads/{kept.group(1)}").status_code == 200
