"""The staff queue and record page over HTTP, on SQLite and PostgreSQL: what each role sees, the status filter,
the exact point and private values, transitions (publishing, a required reason, a role refused), the history and
the resident's mail in the outbox."""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from PIL import Image
from support import app_engine, app_runtime, csrf_token

from lowcode.audit import Actor
from lowcode.mail.outbox import OUTBOX
from lowcode.records import submit
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
      kind:
        type: choice
        label: {en: Kind, ja: 種類}
        choices: [{key: road, label: {en: Road, ja: 道路}}, {key: park, label: {en: Park, ja: 公園}}]
      spot: {type: location, label: {en: Spot, ja: 場所}}
      email: {type: email, visibility: private, label: {en: E-mail, ja: メール}}
      reason: {type: textarea, visibility: staff, label: {en: Reason, ja: 理由}}
      photo: {type: image, label: {en: Photo, ja: 写真}}
      status:
        type: choice
        label: {en: Status, ja: 状態}
        choices:
          - {key: received, label: {en: Received, ja: 受付}}
          - {key: published, label: {en: Published, ja: 公開}, public: true}
          - {key: declined, label: {en: Declined, ja: 対応しない}, closed: true}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published, action: {en: Publish, ja: 公開する}, roles: [admin]}
        - {from: received, to: declined, action: {en: Decline, ja: 対応しない}, roles: [admin, school], require: [reason]}
forms:
  report: {table: hazards, fields: [title, school, kind, spot, email]}
lists:
  hazards: {table: hazards, columns: [title]}
maps:
  hazards:
    layers: [{table: hazards, field: spot, popup: [title]}]
"""
PASSWORD = "correct horse battery"
SPOT = (136.6543219, 36.5612349)


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = app_engine(built)
        create_user(engine, "admin@city.example", PASSWORD, [RoleGrant("demo", "admin")])
        create_user(engine, "north", PASSWORD, [RoleGrant("demo", "school", "North")])
        create_user(engine, "office", PASSWORD, [RoleGrant("demo", "office")])
        runtime = app_runtime(built)
        for title, school, kind in (("North crossing", "North", "road"), ("South park", "South", "park")):
            values = {"title": title, "school": school, "kind": kind, "spot": SPOT, "email": f"{school.lower()}@home.example"}
            assert submit(runtime, engine, "hazards", values, lang="en", actor=Actor("resident")).stored
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


def act(client: Any, url: str, **data: str) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def test_the_queue_shows_private_values_to_admin_only(app: Flask) -> None:
    admin = logged_in(app, "admin@city.example").get("/demo/staff/tables/hazards?lang=en")
    office = logged_in(app, "office").get("/demo/staff/tables/hazards?lang=en").get_data(as_text=True)
    assert admin.status_code == 200 and admin.headers["Cache-Control"] == "no-store"
    assert "north@home.example" in admin.get_data(as_text=True)
    assert "North crossing" in office and "South park" in office and "home.example" not in office


def test_a_scoped_role_sees_only_its_rows(app: Flask) -> None:
    client = logged_in(app, "north")
    page = client.get("/demo/staff/tables/hazards?lang=en").get_data(as_text=True)
    assert "North crossing" in page and "South park" not in page
    assert client.get(record_url(app, "South park")).status_code == 404


def test_the_queue_filters_by_status_and_counts_each(app: Flask) -> None:
    client = logged_in(app, "admin@city.example")
    act(client, record_url(app, "South park"), to="published")
    published = client.get("/demo/staff/tables/hazards?lang=en&status=published").get_data(as_text=True)
    received = client.get("/demo/staff/tables/hazards?lang=en&status=received").get_data(as_text=True)
    assert "South park" in published and "North crossing" not in published
    assert "North crossing" in received and "South park" not in received
    assert "Received: 1" in received and "Published: 1" in received and "Declined: 0" in received


def test_the_queue_searches_and_filters_by_a_choice_field(app: Flask) -> None:
    client = logged_in(app, "admin@city.example")
    parks = client.get("/demo/staff/tables/hazards?lang=en&kind=park").get_data(as_text=True)
    found = client.get("/demo/staff/tables/hazards?lang=en&q=crossing").get_data(as_text=True)
    assert "South park" in parks and "North crossing" not in parks
    assert "North crossing" in found and "South park" not in found


def test_the_staff_home_links_to_the_queue(app: Flask) -> None:
    page = logged_in(app, "office").get("/demo/staff/?lang=en").get_data(as_text=True)
    assert 'href="/demo/staff/tables/hazards"' in page


def test_the_record_page_shows_the_exact_point_and_the_private_email_to_admin(app: Flask) -> None:
    page = logged_in(app, "admin@city.example").get(record_url(app, "North crossing") + "?lang=en").get_data(as_text=True)
    assert "north@home.example" in page
    assert "36.5612349" in page and "136.6543219" in page  # not the public grid
    office = logged_in(app, "office").get(record_url(app, "North crossing") + "?lang=en").get_data(as_text=True)
    assert "home.example" not in office


def test_queue_and_record_need_a_login(app: Flask) -> None:
    client = app.test_client()
    for url in ("/demo/staff/tables/hazards", record_url(app, "North crossing")):
        response = client.get(url)
        assert response.status_code == 302 and "/demo/staff/login" in response.headers["Location"]
    assert logged_in(app, "office").get("/demo/staff/tables/nothing").status_code == 403


def test_publishing_puts_the_row_on_the_public_list_and_geojson(app: Flask) -> None:
    public = app.test_client()
    geojson = "/demo/api/hazards.geojson?map=hazards&layer=0"
    assert "North crossing" not in public.get("/demo/lists/hazards").get_data(as_text=True)
    assert public.get(geojson).get_json(force=True)["features"] == []
    url = record_url(app, "North crossing")
    response = act(logged_in(app, "admin@city.example"), url, to="published")
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    assert "North crossing" in public.get("/demo/lists/hazards").get_data(as_text=True)
    assert [f["properties"].get("title") for f in public.get(geojson).get_json(force=True)["features"]] == ["North crossing"]


def test_a_required_reason_left_empty_is_refused_and_the_message_kept(app: Flask) -> None:
    client = logged_in(app, "admin@city.example")
    url = record_url(app, "North crossing")
    response = act(client, url + "?lang=en", to="declined", reason="  ", message="We <looked> at it")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'role="alert"' in page and "Reason" in page
    assert "We &lt;looked&gt; at it" in page  # kept, escaped
    assert "Declined: 0" in client.get("/demo/staff/tables/hazards?lang=en").get_data(as_text=True)


def test_a_role_not_in_the_transitions_roles_gets_403(app: Flask) -> None:
    north = logged_in(app, "north")
    url = record_url(app, "North crossing")
    assert "Publish" not in north.get(url + "?lang=en").get_data(as_text=True)
    assert act(north, url, to="published").status_code == 403
    assert act(logged_in(app, "office"), url, to="declined", reason="dup").status_code == 403


def test_the_scoped_role_may_decline_with_a_reason_and_history_lists_it(app: Flask) -> None:
    north = logged_in(app, "north")
    url = record_url(app, "North crossing")
    assert act(north, url, to="declined", reason="Already fixed").status_code == 303
    page = north.get(url + "?lang=en").get_data(as_text=True)
    history = page[page.index("<h2>History</h2>"):]
    assert "north" in history and "Status changed" in history and "Declined" in history and "Already fixed" in history


def test_history_hides_private_values_from_a_role_without_see_private(app: Flask) -> None:
    office = logged_in(app, "office").get(record_url(app, "North crossing") + "?lang=en").get_data(as_text=True)
    admin = logged_in(app, "admin@city.example").get(record_url(app, "North crossing") + "?lang=en").get_data(as_text=True)
    assert "north@home.example" in admin[admin.index("<h2>History</h2>"):]
    assert "home.example" not in office


def test_a_message_to_the_resident_lands_in_the_outbox(app: Flask) -> None:
    url = record_url(app, "North crossing")
    assert act(logged_in(app, "admin@city.example"), url, to="published", message="Thank you, fixed soon").status_code == 303
    with app.app_context(), app_engine(app).connect() as conn:
        mails = conn.execute(sa.select(OUTBOX.c.to, OUTBOX.c.body)).all()
    to_resident = [body for to, body in mails if to == "north@home.example"]
    assert len(to_resident) == 1 and "Thank you, fixed soon" in to_resident[0]
    page = logged_in(app, "admin@city.example").get(url + "?lang=en").get_data(as_text=True)
    assert re.search(r"Message to the resident:\s*Thank you, fixed soon", page)


def test_an_action_on_a_page_left_open_too_long_tells_where_the_row_is_now(app: Flask) -> None:
    url = record_url(app, "North crossing")
    first, second = logged_in(app, "admin@city.example"), logged_in(app, "admin@city.example")
    token = csrf_token(second, url)  # the second page is opened before the first acts
    assert act(first, url, to="published").status_code == 303
    response = second.post(url + "?lang=en", data={"csrf_token": token, "to": "declined", "reason": "dup"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "changed this record" in page and "Published" in page


def test_staff_see_the_photo_of_a_row_not_yet_public_and_others_do_not(app: Flask) -> None:
    name = "0123456789abcdef0123456789abcdef.jpg"
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    (Path(app.config["UPLOAD_FOLDER"]) / "demo").mkdir(parents=True, exist_ok=True)
    (Path(app.config["UPLOAD_FOLDER"]) / "demo" / name).write_bytes(out.getvalue())
    with app.app_context(), app_engine(app).begin() as conn:
        row, _ = app_runtime(app).stores["hazards"].insert(conn, {"title": "Photo spot", "school": "South",
                                                                "status": "received", "photo": name})
    admin = logged_in(app, "admin@city.example")
    page = admin.get(f"/demo/staff/tables/hazards/{row}").get_data(as_text=True)
    photo = admin.get(f"/demo/staff/photos/{name}")
    served = photo.data
    photo.close()
    assert f'src="/demo/staff/photos/{name}"' in page
    assert photo.status_code == 200 and photo.headers["Cache-Control"] == "no-store" and served == out.getvalue()
    assert logged_in(app, "north").get(f"/demo/staff/photos/{name}").status_code == 404  # not its school's row
    assert app.test_client().get(f"/demo/staff/photos/{name}").status_code == 302
    assert app.test_client().get(f"/demo/uploads/{name}").status_code == 404


def test_the_queue_pages_keep_its_filters(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lowcode.staff.queue.QUEUE_PAGE_SIZE", 1)
    client = logged_in(app, "admin@city.example")
    first = client.get("/demo/staff/tables/hazards?lang=en&q=o").get_data(as_text=True)
    assert "South park" in first and "North crossing" not in first  # newest first, one a page
    next_url = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert next_url is not None and "q=o" in next_url.group(1) and "page=2" in next_url.group(1)
    second = client.get(next_url.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "North crossing" in second and 'rel="prev"' in second and 'rel="next"' not in second
