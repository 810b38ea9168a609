"""A staff export is finished in a spooled temporary file, then sent in blocks (issue 10, X): the memory it takes stays
about the same whatever the number of rows, the file is the one `run_export` writes, its headers are those of an
attachment that is never cached, and a failure half way is an error page, never half a file."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import IO, Any

import pytest
from flask import Flask
from support import app_engine, app_runtime, csrf_token

from lowcode.audience import STAFF
from lowcode.audit import Actor
from lowcode.exports import ExportOptions, ExportRequest, run_export, spooled
from lowcode.staff.accounts import RoleGrant, create_user
from lowcode.storage import new_reference
from lowcode.words import words_for

PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 12, 1, 3, 0)
YAML = """
title: Notes
roles:
  admin: {all: true}
tables:
  notes:
    label: {en: Notes, ja: メモ}
    fields:
      title: {type: text, label: {en: Title, ja: 件名}}
      body: {type: textarea, max_length: 2000, label: {en: Body, ja: 本文}}
      kind:
        type: choice
        label: {en: Kind, ja: 種類}
        choices: [{key: road, label: {en: Road, ja: 道路}}, {key: park, label: {en: Park, ja: 公園}}]
"""
BODY = "通学路の見守り、" * 40  # 320 characters, 960 bytes of UTF-8


@pytest.fixture
def notes(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with app.app_context():
        create_user(app_engine(app), "admin", PASSWORD, [RoleGrant("demo", "admin")])
    return app


def add_notes(app: Flask, count: int) -> None:
    store = app_runtime(app).stores["notes"]
    with app.app_context(), app_engine(app).begin() as conn:
        for start in range(0, count, 1000):
            conn.execute(store.table.insert(), [
                {**store.to_columns({"title": f"=メモ {n}", "body": f"{n} {BODY}", "kind": ("road", "park")[n % 2]}),
                 "ref": new_reference(), "created_at": NOW, "updated_at": NOW} for n in range(start, min(count, start + 1000))])


def logged_in(app: Flask) -> Any:
    client = app.test_client()
    token = csrf_token(client, "/demo/staff/login")
    client.post("/demo/staff/login", data={"csrf_token": token, "username": "admin", "password": PASSWORD})
    return client


def download(client: Any, url: str) -> tuple[Any, bytes, int]:
    """The response, the file's bytes (read block by block, as a server sends them) and the peak of memory allocated
    by Python while the view ran and the file was read (the file's own bytes are counted apart: not held)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        response = client.get(url, buffered=False)
        digest, size = hashlib.sha256(), 0
        for block in response.response:
            digest.update(block)
            size += len(block)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    response.close()
    return response, digest.digest() + size.to_bytes(8, "big"), peak


def written_by_run_export(app: Flask, fmt: str) -> bytes:
    """The same export written by `run_export` into memory, as the view did before."""
    out = io.BytesIO()
    with app.test_request_context("/"):
        request = ExportRequest("notes", fmt, ExportOptions("en", "labels", words_for("en")), from_queue=True)
        run_export(app_runtime(app), app_engine(app), request, STAFF, out, Actor("test"))
    return out.getvalue()


def fingerprint(data: bytes) -> bytes:
    return hashlib.sha256(data).digest() + len(data).to_bytes(8, "big")


def test_a_large_export_takes_about_the_same_memory_as_a_small_one(notes: Flask,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spooled, "SPOOL_BYTES", 512 * 1024)  # the files below are larger: they move to disk
    client = logged_in(notes)
    add_notes(notes, 3000)
    _, _, small_peak = download(client, "/demo/staff/tables/notes/export.csv?lang=en")
    add_notes(notes, 9000)
    response, large_file, large_peak = download(client, "/demo/staff/tables/notes/export.csv?lang=en")
    size = int(response.headers["Content-Length"])
    assert size > 12_000 * 960  # 12,000 rows of a kilobyte each
    print(f"peak {small_peak / 2**20:.1f} MiB for 3,000 rows, {large_peak / 2**20:.1f} MiB for 12,000 "
          f"({size / 2**20:.1f} MiB file)")
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)  # four times the rows, about the same memory
    assert large_peak < size / 3, (large_peak, size)  # the file is not held in memory (it was, twice, before)
    assert large_file == fingerprint(written_by_run_export(notes, "csv"))


def test_the_file_is_what_run_export_writes_with_the_headers_of_a_private_attachment(notes: Flask) -> None:
    add_notes(notes, 1500)
    client = logged_in(notes)
    for fmt, media in (("csv", "text/csv; charset=utf-8"), ("xlsx", "application/vnd.openxmlformats")):
        response = client.get(f"/demo/staff/tables/notes/export.{fmt}?lang=en")
        assert response.status_code == 200 and response.headers["Content-Type"].startswith(media)
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Disposition"].startswith('attachment; filename="demo-notes-')
        assert int(response.headers["Content-Length"]) == len(response.data)
        expected = written_by_run_export(notes, fmt)
        if fmt == "csv":
            assert response.data == expected
        else:  # the same sheets; the workbook's properties name the second it was written
            assert zip_members(response.data) == zip_members(expected)


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def test_an_export_failing_half_way_is_an_error_page_and_its_file_is_closed(
        notes: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    add_notes(notes, 2500)
    notes.config["TESTING"] = False  # a failure answers as it would in production: the error page
    opened: list[IO[bytes]] = []
    spool = spooled.tempfile.SpooledTemporaryFile

    def watched(*args: Any, **kwargs: Any) -> IO[bytes]:
        opened.append(spool(*args, **kwargs))
        return opened[-1]

    def failing(columns: Any, batches: Any, out: IO[bytes]) -> int:
        out.write(b"half a file")
        raise RuntimeError("the database went away")

    monkeypatch.setattr(spooled.tempfile, "SpooledTemporaryFile", watched)
    monkeypatch.setattr("lowcode.exports.run.write_csv", failing)
    response = logged_in(notes).get("/demo/staff/tables/notes/export.csv?lang=en")
    assert response.status_code == 500
    assert "Content-Disposition" not in response.headers and response.mimetype == "text/html"
    assert b"half a file" not in response.data
    assert len(opened) == 1 and opened[0].closed
