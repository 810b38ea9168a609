"""The records layer (lowcode/records/): every read and write of app rows, on SQLite and PostgreSQL.

submit / update / change_status check, derive, publish photos, store and bump the table version; query_page and
query_points read as an audience may see. No page calls update or change_status yet (the staff side will).
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image

from lowcode.audience import PUBLIC, STAFF, snap_to_grid
from lowcode.messages import value_message
from lowcode.records import (
    FieldNotChangeable,
    PageRequest,
    RowNotFound,
    change_status,
    query_page,
    query_points,
    submit,
    table_version,
    update,
)
from lowcode.runtime import AppRuntime
from lowcode.uploads import pending_folder, receive_photo

MakeApp = Callable[..., Flask]

YAML = """
title: 通報
service_area:
  name: 金沢市
  bbox: [136.50, 36.35, 136.85, 36.70]
tables:
  towns:
    fields:
      town: {type: text, required: true}
      kouka: {type: text}
    seed: {file: data/towns.csv}
  schools:
    fields:
      name: {type: text, required: true}
      open: {type: boolean}
    seed: {file: data/schools.csv}
  reports:
    fields:
      title: {type: text, required: true, max_length: 20}
      code: {type: text, unique: true}
      status:
        type: choice
        default: received
        choices: [{key: received, label: 受付}, {key: done, label: 完了}]
      town: {type: text}
      kouka: {type: text, derive: {from: town, lookup: towns}}
      school: {type: reference, to: schools}
      place: {type: location}
      photo: {type: image}
      note: {type: text, visibility: private}
forms:
  report: {table: reports}
lists:
  schools: {table: schools, where: {open: "true"}}
  reports: {table: reports, columns: [title, status, school], search: [title], filters: [status, school], page_size: 2}
maps:
  reports: {layers: [{table: reports, popup: [title]}]}
"""
FILES = {
    "data/towns.csv": "town,kouka\n広坂一丁目,菊川町\n長町二丁目,長町\n",
    "data/schools.csv": "name,open\n菊川町小学校,true\n閉校した小学校,false\n",
}
HIROSAKA = (136.6562, 36.5613)


@pytest.fixture
def app(make_app: MakeApp) -> Iterator[Flask]:
    flask_app = make_app(YAML, files=FILES)
    with flask_app.test_request_context("/?lang=ja"):
        yield flask_app


def runtime(app: Flask) -> AppRuntime:
    return app.extensions["lowcode"].runtimes["demo"]


def engine(app: Flask) -> sa.Engine:
    return app.extensions["lowcode"].db.engine


def school_id(app: Flask, name: str) -> int:
    store = runtime(app).stores["schools"]
    with engine(app).connect() as conn:
        return int(conn.execute(sa.select(store.table.c.id).where(store.table.c.name == name)).scalar_one())


def stored_rows(app: Flask) -> list[dict[str, Any]]:
    store = runtime(app).stores["reports"]
    with engine(app).connect() as conn:
        return [store.to_record(row) for row in conn.execute(sa.select(store.table).order_by(store.table.c.id)).mappings()]


def version(app: Flask) -> Any:
    return table_version(runtime(app), engine(app), "reports")


def send(app: Flask, values: dict[str, Any], **options: Any) -> Any:
    return submit(runtime(app), engine(app), "reports", values, lang="ja", **options)


def test_submit_checks_derives_stores_and_bumps_the_version(app: Flask) -> None:
    before = version(app)
    result = send(app, {"title": "穴", "code": "A-1", "town": "広坂一丁目", "school": school_id(app, "菊川町小学校"),
                        "place": HIROSAKA})
    assert result.stored and result.errors == {}
    [row] = stored_rows(app)
    assert (row["id"], row["ref"]) == (result.row_id, result.ref)
    assert row["kouka"] == "菊川町"  # derived from the town through the `towns` lookup
    assert row["status"] == "received"  # a field not answered starts with its default
    assert row["place"] == HIROSAKA
    assert version(app) != before


def test_submit_refuses_every_problem_at_once_and_stores_nothing(app: Flask) -> None:
    assert send(app, {"title": "先", "code": "A-1"}).stored
    before, rows = version(app), stored_rows(app)
    result = send(app, {"title": "", "code": "A-1", "school": school_id(app, "閉校した小学校"), "town": "x" * 300},
                  known_errors={"town": "読めません"})
    assert not result.stored
    assert result.errors == {
        "title": value_message("required"),
        "town": "読めません",  # refused while its text was read: kept, not checked again
    }
    # The database's checks come after the others pass: a taken value and a hidden row (a closed school).
    result = send(app, {"title": "穴", "code": "A-1", "school": school_id(app, "閉校した小学校")})
    assert result.errors == {"code": value_message("not_unique"), "school": value_message("not_reference")}
    assert stored_rows(app) == rows and version(app) == before


def test_submit_refuses_a_point_outside_the_service_area(app: Flask) -> None:
    result = send(app, {"title": "穴", "place": (139.69, 35.69)})  # Tokyo
    assert set(result.errors) == {"place"} and not stored_rows(app)


def tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_photo_is_served_only_once_its_row_is_stored(app: Flask, tmp_path: Path) -> None:
    uploads = tmp_path / "uploads" / "demo"
    assert send(app, {"title": "先", "code": "A-1"}).stored
    photo = receive_photo(tiny_png(), uploads)
    refused = send(app, {"title": "穴", "code": "A-1", "photo": photo}, upload_dir=uploads)
    assert not refused.stored
    assert (pending_folder(uploads) / photo).exists() and not (uploads / photo).exists()  # kept for the retry
    stored = send(app, {"title": "穴", "code": "A-2", "photo": photo}, upload_dir=uploads)
    assert stored.stored and (uploads / photo).exists() and not (pending_folder(uploads) / photo).exists()


def test_update_checks_the_changed_fields_derives_again_and_bumps_the_version(app: Flask) -> None:
    first = send(app, {"title": "先", "code": "A-1", "town": "広坂一丁目"})
    second = send(app, {"title": "後", "code": "A-2"})
    before = version(app)
    changed = update(runtime(app), engine(app), "reports", first.row_id, {"town": "長町二丁目", "code": "A-1"})
    assert changed.stored and changed.errors == {}  # its own unique value is not "taken"
    row = stored_rows(app)[0]
    assert (row["town"], row["kouka"], row["title"]) == ("長町二丁目", "長町", "先")
    assert version(app) != before
    before = version(app)
    refused = update(runtime(app), engine(app), "reports", second.row_id, {"code": "A-1", "title": ""})
    assert refused.errors == {"title": value_message("required")} and not refused.stored
    refused = update(runtime(app), engine(app), "reports", second.row_id, {"code": "A-1"})
    assert refused.errors == {"code": value_message("not_unique")}
    assert stored_rows(app)[1]["code"] == "A-2" and version(app) == before


def test_update_refuses_what_the_audience_may_not_change_or_see(app: Flask) -> None:
    row_id = send(app, {"title": "先"}).row_id
    with pytest.raises(FieldNotChangeable):
        update(runtime(app), engine(app), "reports", row_id, {"note": "x"}, audience=PUBLIC)
    with pytest.raises(FieldNotChangeable):  # computed from its source, never set by hand
        update(runtime(app), engine(app), "reports", row_id, {"kouka": "x"})
    with pytest.raises(RowNotFound):
        update(runtime(app), engine(app), "reports", row_id + 100, {"title": "x"})


def test_change_status_sets_a_choice_through_update(app: Flask) -> None:
    row_id = send(app, {"title": "先"}).row_id
    before = version(app)
    assert change_status(runtime(app), engine(app), "reports", row_id, "status", "done").stored
    assert stored_rows(app)[0]["status"] == "done" and version(app) != before
    update(runtime(app), engine(app), "reports", row_id, {"title": "後"})
    assert stored_rows(app)[0]["status"] == "done"  # an edit leaves the fields it does not name alone (no defaults)
    refused = change_status(runtime(app), engine(app), "reports", row_id, "status", "lost")
    assert refused.errors == {"status": value_message("not_choice")}
    with pytest.raises(ValueError, match="not a choice"):
        change_status(runtime(app), engine(app), "reports", row_id, "title", "done")


def test_query_page_searches_filters_sorts_and_names_references_for_the_audience(app: Flask) -> None:
    open_school = school_id(app, "菊川町小学校")
    for number, title in enumerate(["穴 北", "穴 南", "街灯", "穴 東"]):
        send(app, {"title": title, "code": f"C-{number}", "school": open_school})
    change_status(runtime(app), engine(app), "reports", stored_rows(app)[1]["id"], "status", "done")
    spec = runtime(app).spec.lists["reports"]
    found = query_page(runtime(app), engine(app), spec, PageRequest("穴", {"status": "received"}, "-code", 1), PUBLIC)
    assert [r["title"] for r in found.page.rows] == ["穴 東", "穴 北"] and found.page.total == 2  # C-3, C-0
    assert found.columns == ["title", "status", "school"] and "ref" not in found.page.rows[0]
    assert found.titles == {"school": {open_school: "菊川町小学校"}}
    assert found.filter_options == {"school": [(str(open_school), "菊川町小学校")]}  # the closed school is hidden
    second = query_page(runtime(app), engine(app), spec, PageRequest(sort="code", page=2))
    assert [r["title"] for r in second.page.rows] == ["街灯", "穴 東"] and second.page.pages == 2
    unsortable = query_page(runtime(app), engine(app), spec, PageRequest(sort="note"))
    assert unsortable.sort == spec.sort  # a private field is no sort for the public


def test_query_points_reads_a_box_for_the_audience(app: Flask) -> None:
    send(app, {"title": "中", "place": HIROSAKA})
    send(app, {"title": "外", "place": (136.80, 36.65)})
    send(app, {"title": "無"})
    box = (136.60, 36.50, 136.70, 36.60)
    public = query_points(runtime(app), engine(app), "reports", "place", ["title"], bbox=box)
    assert [(r["title"], r["place"]) for r in public] == [("中", snap_to_grid(HIROSAKA, 100.0))]  # asked in a public form
    staff = query_points(runtime(app), engine(app), "reports", "place", ["title"], bbox=box, audience=STAFF)
    assert [(r["title"], r["place"]) for r in staff] == [("中", HIROSAKA)]
    every = query_points(runtime(app), engine(app), "reports", "place", ["title"], conditions=[{"title": ["外", "無"]}])
    assert [r["title"] for r in every] == ["外"]  # a row without a point is no point


def test_seed_rows_are_derived_and_counted_once(app: Flask) -> None:
    store = runtime(app).stores["towns"]
    with engine(app).connect() as conn:
        assert store.version(conn)[1] == "1"  # two rows, one write
        assert store.count(conn) == 2
