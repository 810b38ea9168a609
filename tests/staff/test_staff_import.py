"""The staff import page (issue 10) on SQLite and PostgreSQL, through the test client: who gets it, a Shift_JIS CSV
with Japanese headers matched to the fields, every bad row listed with nothing stored, apply storing all rows with
an audit entry, uploads bound to their account, a scoped role's rows in its scope, and files that are too big or
broken refused with a message."""
from __future__ import annotations

import io
import json
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from staff_import_support import BAD, GOOD, PASSWORD, build_import_app, sjis_csv
from support import app_engine, app_runtime, csrf_token, staff_client

from lowcode.audit import AUDIT
from lowcode.views.imports_upload import KEEP_SECONDS
from lowcode.views.staff_imports import MAX_IMPORT_BYTES

PAGE = "/demo/staff/tables/spots/import"
QUEUE = "/demo/staff/tables/spots"


@pytest.fixture
def app(make_app: Any) -> Flask:
    return build_import_app(make_app)


def login(app: Flask, username: str) -> Any:
    return staff_client(app, username, PASSWORD)


def upload(client: Any, data: bytes, name: str = "spots.csv", lang: str = "en") -> Any:
    return client.post(f"{PAGE}?lang={lang}", content_type=f"multipart/form-data; boundary={BOUNDARY}",
                       data=multipart(csrf_token(client, PAGE), data, name))


BOUNDARY = "lowcode-test-boundary"


def multipart(token: str, data: bytes, name: str) -> bytes:
    """The body a browser sends, built in memory (werkzeug's test client leaves a big one in an unclosed file)."""
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def token_of(html: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', html)
    assert match, "no upload token on the page"
    return match.group(1)


def selected_columns(html: str) -> dict[str, str]:
    """Each column select's chosen value (`column-N` → field, "" for do not import)."""
    chosen = {}
    for name, body in re.findall(r'<select id="(column-\d+)" name="column-\d+">(.*?)</select>', html, re.DOTALL):
        match = re.search(r'<option value="([^"]*)" selected>', body)
        chosen[name] = match.group(1) if match else ""
    return chosen


def send(client: Any, step: str, token: str, columns: dict[str, str], lang: str = "en") -> Any:
    return client.post(f"{PAGE}/{step}?lang={lang}", data={"csrf_token": csrf_token(client, PAGE), "token": token,
                                                            **columns})


def stored(app: Flask) -> list[dict[str, Any]]:
    with app.app_context(), app_engine(app).connect() as conn:
        table = app_runtime(app).stores["spots"].table
        return [dict(row._mapping) for row in conn.execute(sa.select(table).order_by(table.c.id))]


def kept_files(app: Flask) -> list[Path]:
    folder = Path(app.instance_path) / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def checked(app: Flask, username: str, data: bytes) -> tuple[Any, str, dict[str, str], str]:
    """Upload and preview with the preselected columns: (client, token, columns, preview page)."""
    client = login(app, username)
    page = upload(client, data).get_data(as_text=True)
    token, columns = token_of(page), selected_columns(page)
    return client, token, columns, send(client, "preview", token, columns).get_data(as_text=True)


def test_only_a_role_that_may_import_gets_the_page_and_the_queue_link(app: Flask) -> None:
    assert app.test_client().get(PAGE).status_code == 302  # not logged in: the login page
    viewer = login(app, "viewer")
    assert viewer.get(PAGE).status_code == 403
    assert 'href="/demo/staff/tables/spots/import"' not in viewer.get(f"{QUEUE}?lang=en").get_data(as_text=True)
    assert viewer.post(f"{PAGE}/preview", data={"csrf_token": csrf_token(viewer, QUEUE), "token": "x"}).status_code == 403
    importer = login(app, "importer")
    assert 'href="/demo/staff/tables/spots/import"' in importer.get(f"{QUEUE}?lang=en").get_data(as_text=True)
    page = importer.get(f"{PAGE}?lang=ja")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "20 MB" in html and 'type="file"' in html and 'name="csrf_token"' in html and "lowcode-import.js" in html


def test_a_post_without_the_csrf_token_is_refused(app: Flask) -> None:
    client = login(app, "importer")
    response = client.post(PAGE, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(sjis_csv(GOOD)), "a.csv")})
    assert response.status_code == 400 and kept_files(app) == []


def test_a_shift_jis_csv_has_its_japanese_headers_matched_to_the_fields(app: Flask) -> None:
    response = upload(login(app, "importer"), sjis_csv(GOOD), lang="ja")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "件名" in html and "場所 (緯度)" in html  # decoded, not mojibake
    assert selected_columns(html) == {"column-0": "title", "column-1": "kind", "column-2": "seen_on",
                                      "column-3": "spot.lat", "column-4": "spot.lon"}
    assert '<option value="phone">' not in html  # a private field: this role does not see it, so it cannot fill it
    files = kept_files(app)
    assert len(files) == 2 and all(path.stat().st_mode & 0o777 == 0o600 for path in files)
    assert stored(app) == []


def test_bad_rows_are_listed_by_row_and_column_and_nothing_is_stored(app: Flask) -> None:
    client, token, columns, html = checked(app, "importer", sjis_csv(BAD))
    assert "Row 3, column 件名:" in html and "Row 4, column 種類:" in html
    assert "Nothing was imported" in html and "Apply" not in html
    assert "4 row(s) read, 2 without a problem, 2 problem(s)." in html
    response = send(client, "apply", token, columns)  # a hand-made apply: checked again, refused
    assert response.status_code == 200 and "Row 3, column 件名:" in response.get_data(as_text=True)
    assert stored(app) == []


def test_the_preview_shows_the_rows_as_stored_and_apply_stores_them_all(app: Flask) -> None:
    client, token, columns, html = checked(app, "importer", sjis_csv(GOOD))
    assert "3 row(s) read, 3 without a problem, 0 problem(s)." in html
    assert "駅前の交差点" in html and "Dec 2, 2026" in html and "Traffic" in html  # 令和8年12月2日, a choice's label
    assert stored(app) == []  # the preview is a dry run
    done = send(client, "apply", token, columns)
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and "Imported 3 row(s) from spots.csv." in page and f'href="{QUEUE}"' in page
    rows = stored(app)
    assert [r["title"] for r in rows] == ["駅前の交差点", "公園の裏", "橋の下"]
    assert [r["kind"] for r in rows] == ["traffic", "crime", "traffic"] and str(rows[1]["seen_on"]) == "2026-12-02"
    with app.app_context(), app_engine(app).connect() as conn:
        entries = conn.execute(sa.select(AUDIT.c.actor, AUDIT.c.table_name).where(AUDIT.c.action == "import")).all()
    assert entries == [("importer", "spots")]
    assert kept_files(app) == []  # the file is gone after apply
    again = send(client, "apply", token, columns)  # a second click, a refresh: nothing twice
    assert again.status_code == 404 and len(stored(app)) == 3


def test_another_accounts_token_is_a_404_and_stores_nothing(app: Flask) -> None:
    _client, token, columns, _html = checked(app, "importer", sjis_csv(GOOD))
    other = login(app, "other")
    for step in ("preview", "apply"):
        response = send(other, step, token, columns)
        assert response.status_code == 404 and "upload it again" in response.get_data(as_text=True)
    assert send(other, "preview", "../../etc/passwd", columns).status_code == 404
    assert stored(app) == []


def test_a_scoped_role_imports_into_its_own_scope(app: Flask) -> None:
    lines = ["件名,学校", "北の坂,South", "北の橋,"]
    client = login(app, "north")
    page = upload(client, sjis_csv(lines)).get_data(as_text=True)
    assert '<option value="school"' not in page  # its scope field is not its to choose
    token, columns = token_of(page), selected_columns(page)
    assert columns == {"column-0": "title", "column-1": ""}
    assert send(client, "preview", token, {**columns, "column-1": "school"}).status_code == 400  # hand-made
    assert "Imported 2 row(s)" in send(client, "apply", token, columns).get_data(as_text=True)
    assert [(r["title"], r["school"]) for r in stored(app)] == [("北の坂", "North"), ("北の橋", "North")]


def test_a_column_left_out_and_a_required_field_missing(app: Flask) -> None:
    client = login(app, "importer")
    page = upload(client, "件名,メモ\nA,<b>note</b>\n".encode()).get_data(as_text=True)
    token, columns = token_of(page), selected_columns(page)
    assert columns["column-1"] == "" and "&lt;b&gt;" not in page  # the cells are not on this step
    html = send(client, "preview", token, {"column-0": "", "column-1": ""}).get_data(as_text=True)
    assert "Row 2, column title:" in html and "Apply" not in html


def test_a_file_over_the_cap_is_refused_and_nothing_is_kept(app: Flask) -> None:
    big = b"title\n" + b"x" * (MAX_IMPORT_BYTES)
    response = upload(login(app, "importer"), big)
    assert response.status_code == 413 and "larger than 20 MB" in response.get_data(as_text=True)
    assert kept_files(app) == [] and stored(app) == []


def test_a_body_over_the_request_cap_is_refused_too(app: Flask) -> None:
    response = upload(login(app, "importer"), b"title\n" + b"x" * (26 * 1024 * 1024))
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and ("larger than 20 MB" in page or "too large" in page)
    assert kept_files(app) == [] and stored(app) == []


@pytest.mark.parametrize(("data", "message"), [
    (b"PK\x03\x04not a workbook at all", "not an Excel .xlsx workbook"),
    (",".join(f"c{n}" for n in range(10_000)).encode() + b"\n", "10,000 columns: this table takes at most"),
    (b"a,b\n\x82\xff\xfd\xfe\n", "neither CSV text"),  # neither UTF-8 nor Shift_JIS reads it
    (b"", "Choose a file"),
    (b"\r\n\r\n", "The file is empty"),
])
def test_a_broken_file_gets_a_clear_message(app: Flask, data: bytes, message: str) -> None:
    response = upload(login(app, "importer"), data, name="broken.xlsx")
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert kept_files(app) == []


def test_header_text_is_escaped(app: Flask) -> None:
    page = upload(login(app, "importer"), "<script>alert(1)</script>,件名\n1,A\n".encode()).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_speaks_japanese(app: Flask) -> None:
    html = login(app, "importer").get(f"{PAGE}?lang=ja").get_data(as_text=True)
    assert "危険箇所に取り込む" in html and "取り込むファイル" in html and "20 MB まで" in html


def test_an_upload_older_than_an_hour_is_gone_and_swept(app: Flask) -> None:
    client, token, columns, _html = checked(app, "importer", sjis_csv(GOOD))
    meta = Path(app.instance_path) / "imports" / f"{token}.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "at": time.time() - KEEP_SECONDS - 1}))
    assert send(client, "preview", token, columns).status_code == 404
    old = time.time() - KEEP_SECONDS - 1
    os.utime(Path(app.instance_path) / "imports" / f"{token}.upload", (old, old))
    upload(client, sjis_csv(GOOD))  # the next upload sweeps the abandoned one
    assert not any(path.name.startswith(token) for path in kept_files(app)) and len(kept_files(app)) == 2


def test_one_header_twice_with_two_fields_is_refused_with_a_message(app: Flask) -> None:
    client = login(app, "importer")
    page = upload(client, "件名,件名\nA,B\n".encode()).get_data(as_text=True)
    response = send(client, "preview", token_of(page), {"column-0": "title", "column-1": "school"})
    assert response.status_code == 400 and "Two columns are named 件名" in response.get_data(as_text=True)
    response = send(client, "preview", token_of(page), {"column-0": "title", "column-1": "no_such_field"})
    assert response.status_code == 400 and "from the list" in response.get_data(as_text=True)
