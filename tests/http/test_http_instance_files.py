"""The instance folder is the residents' data: nobody but the server's own user may read anything in it."""
from __future__ import annotations

import io
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from PIL import Image

Send = Callable[..., Any]

PHOTOS = """
title: 道路の通報
tables:
  reports:
    fields:
      title: {type: text, label: 件名}
      photo: {type: image, label: 現場の写真}
forms:
  report: {table: reports}
"""


def jpeg() -> tuple[io.BytesIO, str, str]:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "JPEG")
    return io.BytesIO(out.getvalue()), "IMG.JPG", "image/jpeg"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sqlite_files(app: Flask) -> list[Path]:
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not url.drivername.startswith("sqlite"):
        return []
    main = Path(str(url.database))
    return [p for p in (main, main.with_name(main.name + "-wal"), main.with_name(main.name + "-shm")) if p.exists()]


def test_nothing_the_server_writes_is_readable_by_other_users(make_app: Callable[..., Flask], send: Send, tmp_path: Path) -> None:
    app = make_app(PHOTOS)
    client = app.test_client()
    send(client, "/demo/forms/report", {"title": "", "photo": jpeg()})  # a failed post: a pending photo
    assert send(client, "/demo/forms/report", {"title": "穴", "photo": jpeg()}).status_code == 303

    instance = tmp_path / "instance"
    assert mode(instance) == 0o700
    written = [*instance.rglob("*"), *sqlite_files(app)]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert {"test.sqlite3", "test.sqlite3-wal", "test.sqlite3-shm"} <= {p.name for p in written}
    assert {p.name for p in written} >= {"secret_key", "uploads", "demo", "pending"}
    assert len([p for p in written if p.suffix == ".jpg"]) == 2
    for path in written:
        expected = 0o700 if path.is_dir() else 0o600
        assert mode(path) == expected, f"{path} is {oct(mode(path))}"


def test_an_existing_instance_folder_stops_being_world_readable(sqlite_make_app: Callable[..., Flask], tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    instance.chmod(0o755)
    database = tmp_path / "old.sqlite3"
    database.touch()
    database.chmod(0o644)

    app = sqlite_make_app(PHOTOS, DATABASE_URL=f"sqlite:///{database}")

    assert mode(instance) == 0o750  # others lose access; a group the administrator granted keeps it
    for path in sqlite_files(app):
        assert mode(path) & 0o007 == 0, f"{path} is {oct(mode(path))}"
