"""`lowcode clean-photos`: photos stored before photos were cleaned lose their metadata, where they lie."""
from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from flask import Flask
from PIL import Image

from lowcode.cli import main

Send = Callable[..., Any]
Stored = Callable[..., list[dict[str, Any]]]

PHOTOS = """
title: 道路の通報
tables:
  reports:
    fields:
      title: {type: text, label: 件名}
      photo: {type: image, label: 現場の写真, max_side_px: 1000}
forms:
  report: {table: reports}
"""
SERIAL = b"BODY-SERIAL-0042"


def gps_jpeg(width: int, height: int) -> bytes:
    """A photo as an earlier version stored it: the phone's GPS position and serial number inside."""
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (36.0, 33.0, 40.0), 3: "E", 4: (136.0, 39.0, 21.0)})
    exif.get_ifd(0x8769)[0xA431] = SERIAL.decode()
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 90, 200)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def small_jpeg() -> tuple[io.BytesIO, str, str]:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), "white").save(out, "JPEG")
    return io.BytesIO(out.getvalue()), "IMG.JPG", "image/jpeg"


def clean_photos(apps: Path, database: str, instance: Path) -> str:
    env = {"DATABASE_URL": database, "LOWCODE_INSTANCE": str(instance), "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
    result = CliRunner().invoke(main, ["clean-photos", str(apps)], env=env)
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_clean_photos_removes_gps_from_stored_photos_and_clears_leftovers(
    make_app: Callable[..., Flask], send: Send, stored: Stored, database: str, tmp_path: Path
) -> None:
    app = make_app(PHOTOS)
    client = app.test_client()
    for _ in range(2):
        assert send(client, "/demo/forms/report", {"title": "穴", "photo": small_jpeg()}).status_code == 303
    photo, forged = (row["photo"] for row in stored(app, "reports"))
    folder = Path(app.config["UPLOAD_FOLDER"]) / "demo"
    (folder / photo).write_bytes(gps_jpeg(3000, 2000))  # planted as stored by an earlier version
    (folder / forged).write_bytes(b"GIF89a<html><script>alert(1)</script></html>")
    leftover, fresh = folder / ("a" * 32 + ".jpg"), folder / ("b" * 32 + ".jpg")
    leftover.write_bytes(gps_jpeg(10, 10))  # a failed attempt's photo from before, hours ago
    then = time.time() - 3 * 3600
    os.utime(leftover, (then, then))
    fresh.write_bytes(gps_jpeg(10, 10))  # just written: may belong to a row being stored right now

    first = clean_photos(tmp_path / "apps", database, tmp_path / "instance")
    second = clean_photos(tmp_path / "apps", database, tmp_path / "instance")

    assert first == ("demo: 1 photo(s) cleaned, 0 already clean, 1 file(s) that are not images moved to refused/, "
                     "1 unused photo(s) removed.")
    assert second == ("demo: 0 photo(s) cleaned, 1 already clean, 0 file(s) that are not images moved to refused/, "
                      "0 unused photo(s) removed.")
    data = (folder / photo).read_bytes()
    assert SERIAL not in data and b"Exif" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1000, 667) and not image.getexif()
    assert (folder / "refused" / forged).is_file() and not (folder / forged).exists()
    assert not leftover.exists() and fresh.exists()
    with client.get(f"/demo/uploads/{photo}") as served:
        assert served.status_code == 200 and served.get_data() == data
