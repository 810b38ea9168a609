"""Internal notes on the staff record page, over HTTP, on SQLite and PostgreSQL: kept as `note` audit entries,
shown (escaped) in the record's history to every role that may view the table, refused when empty or too long
(422, the text kept), and never on the resident's private link nor any public page."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime, csrf_token

from lowcode import audit
from lowcode.audit import Actor
from lowcode.records import change_status, submit
from lowcode.records.notes import NOTE_KEY, NOTE_MAX_LENGTH
from lowcode.staff.accounts import RoleGrant, create_user

YAML = """
title: Hazards
roles:
  admin: {all: true}
  school:
    tables: {hazards: [view]}
    scope: {hazards: school}
  office: {tables: {hazards: [view]}}
tables:
  hazards:
    label: {en: Hazards, ja: 危険箇所}
    title_field: title
    fields:
      title: {type: text, required: true, label: {en: Title, ja: 件名}}
      school: {type: text, label: {en: School, ja: 学校}}
      spot: {type: location, label: {en: Spot, ja: 場所}}
      email: {type: email, visibility: private, label: {en: E-mail, ja: メール}}
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
        - {from: received, to: published, action: {en: Publish, ja: 公開する}, roles: [admin], message: {en: Published, ja: 公開しました}}
forms:
  report: {table: hazards, fields: [title, school, spot, email]}
lists:
  hazards: {table: hazards, columns: [title, school]}
maps:
  hazards:
    layers: [{table: hazards, field: spot, popup: [title]}]
"""
PASSWORD = "correct horse battery"
SECRET = "Caller sounded upset <script>alert(1)</script> & rang twice"


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = app_engine(built)
        create_user(engine, "admin", PASSWORD, [RoleGrant("demo", "admin")])
        create_user(engine, "north", PASSWORD, [RoleGrant("demo", "school", "North")])
        create_user(engine, "office", PASSWORD, [RoleGrant("demo", "office")])
        runtime = app_runtime(built)
        tokens = {}
        for title, school in (("North crossing", "North"), ("South park", "South")):
            values = {"title": title, "school": school, "spot": (136.65, 36.56), "email": f"{school.lower()}@home.example"}
            result = submit(runtime, engine, "hazards", values, lang="en", actor=Actor("resident"))
            assert result.stored
            tokens[title] = result.track_token
        built.config["TEST_TRACK_TOKENS"] = tokens
    return built


def logged_in(app: Flask, username: str) -> Any:
    client = app.test_client()
    token = csrf_token(client, "/demo/staff/login")
    response = client.post("/demo/staff/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def row_id(app: Flask, title: str) -> int:
    with app.app_context():
        store = app_runtime(app).stores["hazards"]
        with app_engine(app).connect() as conn:
            return int(conn.execute(sa.select(store.table.c.id).where(store.table.c.title == title)).scalar_one())


def record_url(app: Flask, title: str) -> str:
    return f"/demo/staff/tables/hazards/{row_id(app, title)}"


def add_note(client: Any, app: Flask, title: str, text: str) -> Any:
    url = record_url(app, title)
    return client.post(url + "/notes?lang=en", data={"csrf_token": csrf_token(client, url), "note": text})


def notes(app: Flask, title: str) -> list[audit.AuditEntry]:
    with app.app_context(), app_engine(app).connect() as conn:
        return [e for e in audit.for_row(conn, "demo", "hazards", row_id(app, title)) if e.action == "note"]


def history(page: str) -> str:
    return page[page.index("<h2>History</h2>"):]


def test_a_note_is_an_audit_entry_shown_escaped_in_the_history(app: Flask) -> None:
    client = logged_in(app, "admin")
    response = add_note(client, app, "North crossing", f"  {SECRET}\n second line  ")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(record_url(app, "North crossing") + "?done=noted")
    [entry] = notes(app, "North crossing")
    assert entry.actor == "admin" and entry.client == "127.0.0.1" and entry.before is None
    assert entry.after == {NOTE_KEY: f"{SECRET}\n second line"}
    page = client.get(record_url(app, "North crossing") + "?lang=en&done=noted").get_data(as_text=True)
    assert "Your note was added." in page
    shown = history(page)
    assert "Note" in shown and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; rang twice" in shown
    assert "<script>alert(1)" not in page


def test_any_role_that_may_view_the_row_adds_and_reads_notes(app: Flask) -> None:
    assert add_note(logged_in(app, "office"), app, "North crossing", "Office: called back").status_code == 303
    assert add_note(logged_in(app, "north"), app, "North crossing", "School: seen it").status_code == 303
    page = logged_in(app, "north").get(record_url(app, "North crossing") + "?lang=en").get_data(as_text=True)
    assert "Office: called back" in history(page) and "School: seen it" in history(page)
    north = logged_in(app, "north")
    token = csrf_token(north, record_url(app, "North crossing"))
    other = north.post(record_url(app, "South park") + "/notes", data={"csrf_token": token, "note": "not my school"})
    assert other.status_code == 404
    assert notes(app, "South park") == []


def test_an_empty_or_overlong_note_is_refused_and_the_text_kept(app: Flask) -> None:
    client = logged_in(app, "admin")
    for empty in ("", "   \n\t "):
        response = add_note(client, app, "North crossing", empty)
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and 'role="alert"' in page and "Write the note" in page
    long = "あ" * (NOTE_MAX_LENGTH + 1) + "<b>"
    response = add_note(client, app, "North crossing", long)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "at most 4,000 characters" in page
    assert "あ" * (NOTE_MAX_LENGTH + 1) + "&lt;b&gt;</textarea>" in page  # nothing lost, still escaped
    assert add_note(client, app, "North crossing", "x" * NOTE_MAX_LENGTH).status_code == 303
    assert len(notes(app, "North crossing")) == 1


def test_control_characters_are_dropped_not_a_500(app: Flask) -> None:
    assert add_note(logged_in(app, "admin"), app, "North crossing", "nul\x00 here\x07").status_code == 303
    assert notes(app, "North crossing")[0].after == {NOTE_KEY: "nul here"}


def test_notes_need_a_login_and_a_known_row(app: Flask) -> None:
    url = record_url(app, "North crossing") + "/notes"
    anonymous = app.test_client()
    assert anonymous.post(url, data={"note": "x"}).status_code in (302, 400)  # no session: login (or CSRF first)
    client = logged_in(app, "admin")
    token = csrf_token(client, record_url(app, "North crossing"))
    assert client.post("/demo/staff/tables/hazards/999999/notes", data={"csrf_token": token, "note": "x"}).status_code == 404
    assert client.post("/demo/staff/tables/nothing/1/notes", data={"csrf_token": token, "note": "x"}).status_code == 403
    assert client.post(url, data={"note": "no token"}).status_code == 400
    assert notes(app, "North crossing") == []


def test_notes_never_reach_the_private_link_nor_public_pages(app: Flask) -> None:
    client = logged_in(app, "admin")
    assert add_note(client, app, "North crossing", SECRET).status_code == 303
    with app.app_context():
        result = change_status(app_runtime(app), app_engine(app), "hazards", row_id(app, "North crossing"), "status",
                               "published", actor=Actor("admin"))
        assert result.stored
    assert add_note(client, app, "North crossing", "After publishing: " + SECRET).status_code == 303
    public = app.test_client()
    token = app.config["TEST_TRACK_TOKENS"]["North crossing"]
    track = public.get(f"/demo/track/{token}?lang=en")
    assert track.status_code == 200 and "Published" in track.get_data(as_text=True)
    pages = [track, public.get("/demo/lists/hazards?lang=en"), public.get(f"/demo/lists/hazards/{row_id(app, 'North crossing')}"),
             public.get("/demo/api/hazards.geojson?map=hazards&layer=0"), public.get("/demo/maps/hazards")]
    assert pages[1].status_code == 200 and "North crossing" in pages[1].get_data(as_text=True)
    for page in pages:
        text = page.get_data(as_text=True)
        assert "Caller sounded upset" not in text and "rang twice" not in text, page.request.path


def test_a_note_sent_with_an_expired_token_is_kept_on_the_page(app: Flask) -> None:
    client = logged_in(app, "admin")
    url = record_url(app, "North crossing")
    response = client.post(url + "/notes?lang=en", data={"csrf_token": "expired", "note": "Long <note> typed"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "timed out" in page and "Long &lt;note&gt; typed</textarea>" in page
    assert notes(app, "North crossing") == []
