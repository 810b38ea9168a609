"""Editing a stored row on the staff side, over HTTP, on SQLite and PostgreSQL: the change and its audit entry,
the same checks as the form (422 with the input kept), who may edit (403, no link), the workflow's status and a
scoped role's scope field not editable, another staff member's save meanwhile (409, nothing lost), photos kept."""
from __future__ import annotations

import html
import io
import re
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image
from support import app_engine, app_runtime, csrf_token

from lowcode import audit
from lowcode.audit import Actor
from lowcode.records import RowChanged, submit, update, writes
from lowcode.staff.accounts import RoleGrant, create_user

YAML = """
title: Hazards
roles:
  admin: {all: true}
  school:
    tables: {hazards: [view, edit]}
    scope: {hazards: school}
  clerk: {tables: {hazards: [view, edit]}}
  office: {tables: {hazards: [view]}}
tables:
  hazards:
    label: {en: Hazards, ja: 危険箇所}
    title_field: title
    fields:
      title: {type: text, required: true, max_length: 40, label: {en: Title, ja: 件名}}
      school: {type: text, label: {en: School, ja: 学校}}
      kind:
        type: choice
        label: {en: Kind, ja: 種類}
        choices: [{key: road, label: {en: Road, ja: 道路}}, {key: other, label: {en: Other, ja: その他}}]
      kind_other: {type: text, show_if: {kind: other}, required: true, label: {en: Which kind, ja: 種類(その他)}}
      count: {type: integer, label: {en: Count, ja: 件数}}
      found_on: {type: date, label: {en: Found on, ja: 見つけた日}}
      spot: {type: location, label: {en: Spot, ja: 場所}}
      email: {type: email, visibility: private, label: {en: E-mail, ja: メール}}
      photo: {type: image, label: {en: Photo, ja: 写真}}
      status:
        type: choice
        label: {en: Status, ja: 状態}
        choices:
          - {key: received, label: {en: Received, ja: 受付}}
          - {key: published, label: {en: Published, ja: 公開}, public: true}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published, action: {en: Publish, ja: 公開する}, roles: [admin]}
forms:
  report: {table: hazards, fields: [title, school, kind, kind_other, spot, email]}
lists:
  hazards: {table: hazards, columns: [title]}
"""
PASSWORD = "correct horse battery"
SPOT = (136.6543219, 36.5612349)


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = app_engine(built)
        create_user(engine, "admin", PASSWORD, [RoleGrant("demo", "admin")])
        create_user(engine, "north", PASSWORD, [RoleGrant("demo", "school", "North")])
        create_user(engine, "clerk", PASSWORD, [RoleGrant("demo", "clerk")])
        create_user(engine, "office", PASSWORD, [RoleGrant("demo", "office")])
        runtime = app_runtime(built)
        for title, school in (("North crossing", "North"), ("South park", "South")):
            values = {"title": title, "school": school, "kind": "road", "spot": SPOT, "email": f"{school.lower()}@home.example"}
            assert submit(runtime, engine, "hazards", values, lang="en", actor=Actor("resident")).stored
    return built


def logged_in(app: Flask, username: str) -> Any:
    client = app.test_client()
    token = csrf_token(client, "/demo/staff/login")
    response = client.post("/demo/staff/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def row_of(app: Flask, title: str) -> dict[str, Any]:
    with app.app_context():
        store = app_runtime(app).stores["hazards"]
        with app_engine(app).connect() as conn:
            return store.to_record(conn.execute(sa.select(store.table).where(store.table.c.title == title)).mappings().one())


def edit_url(app: Flask, title: str) -> str:
    return f"/demo/staff/tables/hazards/{row_of(app, title)['id']}/edit"


def form_fields(page: str) -> dict[str, str]:
    """The edit form as a browser would send it unchanged: every input's value, the checked radio, the textarea."""
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if name is None or (kind and kind.group(1) in ("radio", "checkbox") and "checked" not in tag):
            continue
        if kind and kind.group(1) == "file":
            continue
        fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


def open_form(client: Any, url: str) -> dict[str, str]:
    response = client.get(url + "?lang=en")
    assert response.status_code == 200
    return form_fields(response.get_data(as_text=True))


def entries(app: Flask, title: str, action: str) -> list[audit.AuditEntry]:
    with app.app_context(), app_engine(app).connect() as conn:
        return [e for e in audit.for_row(conn, "demo", "hazards", row_of(app, title)["id"]) if e.action == action]


def test_the_form_is_filled_with_the_stored_values(app: Flask) -> None:
    fields = open_form(logged_in(app, "admin"), edit_url(app, "North crossing"))
    assert fields["title"] == "North crossing" and fields["school"] == "North" and fields["kind"] == "road"
    assert fields["email"] == "north@home.example" and fields["spot_lat"] == str(SPOT[1])
    assert "status" not in fields  # the workflow's status moves only along transitions
    assert fields["unchanged_since"] and fields["csrf_token"]


def test_an_edit_changes_the_value_and_is_audited_with_before_and_after(app: Flask) -> None:
    client = logged_in(app, "admin")
    url = edit_url(app, "North crossing")
    fields = open_form(client, url)
    response = client.post(url, data={**fields, "title": "North crossing, east side", "count": "3", "found_on": "2026-11-30"})
    assert response.status_code == 303
    record = response.headers["Location"]
    assert record.endswith(f"/demo/staff/tables/hazards/{url.split('/')[-2]}?done=edited")
    row = row_of(app, "North crossing, east side")
    assert row["count"] == 3 and str(row["found_on"]) == "2026-11-30" and row["email"] == "north@home.example"
    [entry] = entries(app, "North crossing, east side", "edit")
    assert entry.actor == "admin" and entry.client == "127.0.0.1"
    assert entry.before == {"title": "North crossing", "count": None, "found_on": None}
    assert entry.after == {"title": "North crossing, east side", "count": 3, "found_on": "2026-11-30"}
    page = client.get(record + "&lang=en").get_data(as_text=True)
    assert "Your changes were saved." in page and "Edited" in page and "North crossing, east side" in page


def test_invalid_input_is_refused_with_422_and_everything_typed_kept(app: Flask) -> None:
    client = logged_in(app, "admin")
    url = edit_url(app, "North crossing")
    fields = open_form(client, url)
    sent = {**fields, "title": "", "count": "three", "email": "not an address <b>", "school": "Kept <i>school</i>"}
    response = client.post(url + "?lang=en", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'role="alert"' in page
    for field in ("Title", "Count", "E-mail"):
        assert re.search(rf'href="#field-\w+">{field}:', page), field
    assert 'value="three"' in page and "not an address &lt;b&gt;" in page and "Kept &lt;i&gt;school&lt;/i&gt;" in page
    assert row_of(app, "North crossing")["school"] == "North" and entries(app, "North crossing", "edit") == []


def test_show_if_and_required_apply_as_in_the_form(app: Flask) -> None:
    client = logged_in(app, "admin")
    url = edit_url(app, "North crossing")
    fields = open_form(client, url)
    response = client.post(url + "?lang=en", data={**fields, "kind": "other", "kind_other": ""})
    assert response.status_code == 422 and "Which kind:" in response.get_data(as_text=True)
    assert client.post(url, data={**fields, "kind": "other", "kind_other": "Fallen tree"}).status_code == 303
    assert row_of(app, "North crossing")["kind_other"] == "Fallen tree"


def test_a_role_without_edit_gets_403_and_no_link(app: Flask) -> None:
    office = logged_in(app, "office")
    url = edit_url(app, "North crossing")
    record = url.removesuffix("/edit")
    assert office.get(url).status_code == 403
    assert office.post(url, data={"csrf_token": csrf_token(office, record), "title": "x"}).status_code == 403
    assert 'href="' + url + '"' not in office.get(record + "?lang=en").get_data(as_text=True)
    assert 'href="' + url + '"' in logged_in(app, "admin").get(record + "?lang=en").get_data(as_text=True)
    assert app.test_client().get(url).status_code == 302  # not logged in: to the login page


def test_the_status_field_cannot_be_edited_even_when_sent(app: Flask) -> None:
    client = logged_in(app, "admin")
    url = edit_url(app, "North crossing")
    fields = open_form(client, url)
    assert client.post(url, data={**fields, "status": "published", "title": "Renamed"}).status_code == 303
    row = row_of(app, "Renamed")
    assert row["status"] == "received"
    assert "status" not in (entries(app, "Renamed", "edit")[0].after or {})


def test_a_role_without_see_private_neither_sees_nor_changes_private_fields(app: Flask) -> None:
    clerk = logged_in(app, "clerk")
    url = edit_url(app, "North crossing")
    fields = open_form(clerk, url)
    assert "email" not in fields and "home.example" not in clerk.get(url).get_data(as_text=True)
    assert clerk.post(url, data={**fields, "email": "evil@example.com", "title": "Clerk's title"}).status_code == 303
    assert row_of(app, "Clerk's title")["email"] == "north@home.example"


def test_a_scoped_role_edits_its_rows_only_and_cannot_move_one_out_of_its_scope(app: Flask) -> None:
    north = logged_in(app, "north")
    assert north.get(edit_url(app, "South park")).status_code == 404
    url = edit_url(app, "North crossing")
    fields = open_form(north, url)
    assert "school" not in fields  # its scope field is not offered
    assert north.post(url, data={**fields, "school": "South", "title": "Still north"}).status_code == 303
    assert row_of(app, "Still north")["school"] == "North"
    assert north.get(url).status_code == 200  # it still sees (and edits) the row


def test_a_save_meanwhile_gives_409_with_the_stored_values_and_what_was_typed(app: Flask) -> None:
    first, second = logged_in(app, "admin"), logged_in(app, "clerk")
    url = edit_url(app, "North crossing")
    mine, theirs = open_form(first, url), open_form(second, url)
    time.sleep(0.01)  # updated_at has microseconds; make sure the two saves differ even on a coarse clock
    assert second.post(url, data={**theirs, "title": "Their title"}).status_code == 303
    response = first.post(url + "?lang=en", data={**mine, "title": "My title", "count": "7"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Nothing was saved" in page
    assert 'value="My title"' in page and 'value="7"' in page  # what was typed is kept
    stored = page[page.index("Stored now"):]
    assert "Their title" in stored
    assert row_of(app, "Their title")["count"] is None
    again = form_fields(page)
    assert again["unchanged_since"] != mine["unchanged_since"]
    assert first.post(url, data=again).status_code == 303  # saving again replaces it knowingly
    assert row_of(app, "My title")["count"] == 7


def test_a_missing_or_forged_version_is_a_409_not_a_500(app: Flask) -> None:
    client = logged_in(app, "admin")
    url = edit_url(app, "North crossing")
    fields = open_form(client, url)
    for since in ("", "yesterday", "2020-01-01T00:00:00"):
        assert client.post(url, data={**fields, "unchanged_since": since, "title": "X"}).status_code == 409
    assert row_of(app, "North crossing")["title"] == "North crossing"


def test_unknown_rows_and_tables(app: Flask) -> None:
    client = logged_in(app, "admin")
    assert client.get("/demo/staff/tables/hazards/999999/edit").status_code == 404
    assert client.get("/demo/staff/tables/hazards/99999999999/edit").status_code == 404
    assert client.get("/demo/staff/tables/nothing/1/edit").status_code == 403


def test_a_stored_photo_is_kept_and_can_be_replaced(app: Flask) -> None:
    name = "0123456789abcdef0123456789abcdef.jpg"
    folder = Path(app.config["UPLOAD_FOLDER"]) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(jpeg((200, 30, 30)))
    with app.app_context(), app_engine(app).begin() as conn:
        row_id, _ = app_runtime(app).stores["hazards"].insert(conn, {"title": "Photo spot", "school": "South",
                                                                   "status": "received", "photo": name})
    client = logged_in(app, "admin")
    url = f"/demo/staff/tables/hazards/{row_id}/edit"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert f'src="/demo/staff/photos/{name}"' in page
    fields = form_fields(page)
    assert client.post(url, data={**fields, "title": "Photo spot 2"}).status_code == 303
    assert row_of(app, "Photo spot 2")["photo"] == name
    fields = open_form(client, url)
    upload = {**fields, "photo": (io.BytesIO(jpeg((30, 200, 30))), "new.jpg")}
    assert client.post(url, data=upload, content_type="multipart/form-data").status_code == 303
    new = row_of(app, "Photo spot 2")["photo"]
    assert new != name and (folder / new).exists()


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "JPEG")
    return out.getvalue()


def test_an_expired_token_shows_the_form_again_with_what_was_typed(app: Flask) -> None:
    client = logged_in(app, "admin")
    url = edit_url(app, "North crossing")
    fields = open_form(client, url)
    response = client.post(url + "?lang=en", data={**fields, "csrf_token": "expired", "title": "Typed <title>"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "timed out" in page and 'value="Typed &lt;title&gt;"' in page
    assert row_of(app, "North crossing")["title"] == "North crossing"
    assert client.post(url, data=form_fields(page)).status_code == 303  # its fresh token saves it
    assert row_of(app, "Typed <title>")["school"] == "North"


def test_saving_without_a_change_writes_no_audit_entry(app: Flask) -> None:
    client = logged_in(app, "admin")
    url = edit_url(app, "North crossing")
    response = client.post(url, data=open_form(client, url))
    assert response.status_code == 303 and response.headers["Location"].endswith("?done=unchanged")
    assert entries(app, "North crossing", "edit") == []
    assert "Nothing was changed." in client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)


def test_the_write_itself_refuses_a_row_saved_between_its_read_and_its_transaction(
        app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = row_of(app, "North crossing")
    with app.app_context():
        runtime, engine = app_runtime(app), app_engine(app)
        time.sleep(0.01)
        assert update(runtime, engine, "hazards", stale["id"], {"title": "Colleague's"}, lang="en").stored
        monkeypatch.setattr(writes, "read_row", lambda *args: dict(stale))  # as if read just before that save
        with pytest.raises(RowChanged):
            update(runtime, engine, "hazards", stale["id"], {"title": "Mine"}, lang="en",
                   unchanged_since=stale["updated_at"])
    assert row_of(app, "Colleague's")["id"] == stale["id"]
