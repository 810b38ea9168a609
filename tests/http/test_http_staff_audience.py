"""The audience test extended to staff roles and the private link (issue 9): on SQLite and PostgreSQL, for both
sample apps and a test app with private and staff fields —

- every staff page a role reaches from its staff home (queues, records and their history, edit and export pages:
  found by following links, so pages added later are walked too) carries no private value to a role without
  `see_private`, and a scoped role meets no row outside its scope (queue, record by id → 404, photo → 404, search);
- the resident's private link shows no private field but the resident's own answers, no staff field, no actor name
  or address, and no internal note.

Rows are planted with every text-like private/staff field filled with a marker, and each gets an `edit` audit entry
holding those values and a `note` entry, so a history that forgot to cut values would show them.
"""
from __future__ import annotations

import io
import re
import secrets
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from PIL import Image
from support import app_engine, app_runtime, csrf_token, write_app

from lowcode import audit
from lowcode.app import create_app
from lowcode.roles import app_roles
from lowcode.spec.workflow import role_spec
from lowcode.staff.accounts import RoleGrant, create_user
from lowcode.tracking import TRACK_COLUMN, token_digest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
MAX_PAGES = 80
TEXTLIKE = {"text": "t", "textarea": "a", "email": "@example.jp", "phone": "", "postal_code": "", "url": ""}
LINK_RE = re.compile(r"""href\s*=\s*["']([^"'#]+)["']""")
STAFF_ACTOR = audit.Actor("zqclerk", "192.0.2.77")

TEST_APP = """
title: Reports
roles:
  admin: {all: true}
  viewer: {tables: {reports: [view]}}
  editor: {tables: {reports: [view, edit, export]}}
  ward: {tables: {reports: [view, edit]}, scope: {reports: ward}}
tables:
  reports:
    title_field: title
    fields:
      title: {type: text, required: true, label: {en: Title, ja: 件名}}
      ward: {type: text, label: {en: Ward, ja: 区}}
      name: {type: text, visibility: private, label: {en: Name, ja: 氏名}}
      email: {type: email, visibility: private, label: {en: E-mail, ja: メール}}
      phone: {type: phone, visibility: private, label: {en: Phone, ja: 電話}}
      memo: {type: textarea, visibility: staff, label: {en: Memo, ja: メモ}}
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
        - {from: received, to: published, roles: [editor, ward]}
forms:
  report: {table: reports, fields: [title, ward, name, email, phone, photo]}
lists:
  reports: {table: reports, columns: [title]}
"""


@dataclass
class Planted:
    """Markers by kind, the planted rows per table (in scope / out of scope) and the photo of an out-of-scope row."""

    private: set[str] = field(default_factory=set)
    staff: set[str] = field(default_factory=set)
    out_of_scope: set[str] = field(default_factory=set)
    rows: dict[str, list[int]] = field(default_factory=dict)
    hidden_rows: dict[str, list[int]] = field(default_factory=dict)
    hidden_photos: list[str] = field(default_factory=list)
    notes: set[str] = field(default_factory=set)


def marker(kind: str, number: int, type_name: str) -> str:
    if type_name == "phone":
        return f"0{7100000000 + number}"
    if type_name == "postal_code":
        return f"9{number % 100:02d}-{7000 + number % 1000}"
    if type_name == "url":
        return f"https://zq{number:04d}{kind}.example.jp/"
    return f"zq{number:04d}{kind}{TEXTLIKE[type_name]}"


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def scope_values(flask_app: Flask, app_name: str, table_name: str, field_name: str) -> tuple[Any, Any]:
    """Two values of a scope field: the account's, and another's."""
    runtime = app_runtime(flask_app, app_name)
    spec = runtime.spec.tables[table_name].fields[field_name]
    if spec.type == "reference" and spec.to:
        store = runtime.stores[spec.to]
        with flask_app.app_context(), app_engine(flask_app).connect() as conn:
            ids = [row.id for row in conn.execute(store.table.select().order_by(store.table.c.id).limit(2))]
        if len(ids) < 2:
            with flask_app.app_context(), app_engine(flask_app).begin() as conn:
                ids += [store.insert(conn, {})[0] for _ in range(2 - len(ids))]
        return ids[0], ids[1]
    if spec.type == "choice" and spec.choices and len(spec.choices) > 1:
        return spec.choices[0].key, spec.choices[1].key
    return "zqscopein", "zqscopeout"


def plant(flask_app: Flask, app_name: str, scopes: dict[str, tuple[str, Any, Any]]) -> Planted:
    """Per table: one row in every scope's value (or one row), one row outside each scope; audit entries for each."""
    runtime = app_runtime(flask_app, app_name)
    planted = Planted()
    folder = Path(flask_app.config["UPLOAD_FOLDER"]) / app_name
    folder.mkdir(parents=True, exist_ok=True)
    number = 0
    for table_name, table in runtime.spec.tables.items():
        scope = scopes.get(table_name)
        variants: list[tuple[bool, dict[str, Any]]] = [(True, {scope[0]: scope[1]} if scope else {})]
        if scope:
            variants.append((False, {scope[0]: scope[2]}))
        for in_scope, base in variants:
            values = dict(base)
            for name, spec in table.fields.items():
                if name in values or spec.derive is not None:
                    continue
                if spec.type == "image" and not in_scope:
                    number += 1
                    values[name] = f"{number:032x}.jpg"
                    (folder / values[name]).write_bytes(jpeg())
                    planted.hidden_photos.append(values[name])
                    continue
                if spec.type not in TEXTLIKE:
                    continue
                number += 1
                kind = "out" if not in_scope else {"private": "pv", "staff": "sf"}.get(spec.visibility, "")
                if not kind:
                    continue
                values[name] = marker(kind, number, spec.type)
                {"pv": planted.private, "sf": planted.staff, "out": planted.out_of_scope}[kind].add(values[name])
            with flask_app.app_context(), app_engine(flask_app).begin() as conn:
                row_id, ref = runtime.stores[table_name].insert(conn, values)
                note = f"zq{row_id:04d}{table_name}note"
                planted.notes.add(note)
                audit.record(conn, app=app_name, action="edit", actor=STAFF_ACTOR, table=table_name, row_id=row_id,
                             before={k: None for k in values}, after=values)
                audit.record(conn, app=app_name, action="note", actor=STAFF_ACTOR, table=table_name, row_id=row_id,
                             after={"@note": note})
            if not in_scope:
                planted.out_of_scope.add(ref)
            (planted.rows if in_scope else planted.hidden_rows).setdefault(table_name, []).append(row_id)
    return planted


def staff_accounts(flask_app: Flask, app_name: str) -> dict[str, tuple[str, dict[str, tuple[str, Any, Any]]]]:
    """One account per role that is not `all: true`: role → (username, {table: (scope field, its value, another)})."""
    spec = app_runtime(flask_app, app_name).spec
    accounts = {}
    for role in app_roles(spec):
        written = role_spec(spec, role)
        if written is None or written.all:
            continue
        scopes = {table: (name, *scope_values(flask_app, app_name, table, name)) for table, name in written.scope.items()}
        values = {str(v[1]) for v in scopes.values()}
        with flask_app.app_context():
            create_user(app_engine(flask_app), f"zq-{role}", PASSWORD,
                        [RoleGrant(app_name, role, values.pop() if values else None)])
        accounts[role] = (f"zq-{role}", scopes)
    return accounts


def login(flask_app: Flask, app_name: str, username: str) -> Any:
    client = flask_app.test_client()
    url = f"/{app_name}/staff/login"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "username": username, "password": PASSWORD})
    assert response.status_code == 302, username
    return client


def crawl_staff(client: Any, app_name: str) -> Iterator[tuple[str, str]]:
    """Every page under /<app>/staff/ reachable by links from the staff home (GET only), with its body."""
    prefix = f"/{app_name}/staff/"
    seen: set[str] = set()
    todo = [prefix]
    while todo and len(seen) < MAX_PAGES:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        body = readable(response.get_data()) if response.status_code == 200 else ""
        response.close()
        yield url, body
        for link in LINK_RE.findall(body):
            link = link.replace("&amp;", "&")
            if (link.startswith(prefix) and "/logout" not in link and "/login" not in link and "lang=" not in link
                    and link not in seen):  # the same page in the other language says the same
                todo.append(link)


def exports(client: Any, app_name: str, tables: list[str]) -> dict[str, str]:
    """The queue's export files (offered by a form, not a link), each table and format the role gets."""
    found = {}
    for table_name in tables:
        for fmt in ("csv", "xlsx", "geojson"):
            url = f"/{app_name}/staff/tables/{table_name}/export.{fmt}"
            response = client.get(url)
            assert response.status_code < 500, url
            if response.status_code == 200:
                found[url] = readable(response.get_data())
            response.close()
    return found


def readable(data: bytes) -> str:
    """A page, a CSV or GeoJSON as text; an Excel file (a zip) as the text of its parts."""
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return data.decode("utf-8", "replace")


def found_in(bodies: dict[str, str], markers: set[str]) -> list[tuple[str, str]]:
    return [(url, m) for url, body in bodies.items() for m in markers if m in body]


def check_app(flask_app: Flask, app_name: str) -> None:
    accounts = staff_accounts(flask_app, app_name)
    assert accounts, "the app needs a role that is not all: true"
    scopes: dict[str, tuple[str, Any, Any]] = {}
    for _, role_scopes in accounts.values():
        scopes.update(role_scopes)
    planted = plant(flask_app, app_name, scopes)
    spec = app_runtime(flask_app, app_name).spec
    from lowcode.roles import role_audience

    for role, (username, role_scopes) in accounts.items():
        audience = role_audience(spec, role, next((str(s[1]) for s in role_scopes.values()), None))
        client = login(flask_app, app_name, username)
        bodies = {**dict(crawl_staff(client, app_name)), **exports(client, app_name, list(spec.tables))}
        assert len(bodies) > 1, f"{role}: the staff home links to nothing"
        assert any(re.search(r"/staff/tables/[^/]+/\d+$", url) for url in bodies), f"{role}: no record page reached"
        sees_private = any(audience.may(t, "see_private") for t in spec.tables.values())
        if not sees_private:
            assert found_in(bodies, planted.private) == [], f"{app_name}: {role} sees private values"
        else:  # the control: the walk does reach the planted values where they may be seen
            assert found_in(bodies, planted.private), f"{app_name}: {role} should see private values"
        assert found_in(bodies, planted.staff), f"{app_name}: {role} should see the staff fields of its rows"
        scoped_tables = [t for t in spec.tables if t in role_scopes]
        if scoped_tables:
            assert found_in(bodies, planted.out_of_scope) == [], f"{app_name}: {role} sees rows outside its scope"
        for table_name in scoped_tables:
            for row_id in planted.hidden_rows.get(table_name, []):
                url = f"/{app_name}/staff/tables/{table_name}/{row_id}"
                assert client.get(url).status_code == 404, url
                assert client.get(url + "/edit").status_code in (403, 404, 405), url
            for photo in planted.hidden_photos:
                answer = client.get(f"/{app_name}/staff/photos/{photo}")
                answer.close()
                assert answer.status_code == 404, photo
        for table_name, table in spec.tables.items():
            if not audience.may(table, "view"):
                continue
            for secret in sorted(planted.private)[:3] if not audience.may(table, "see_private") else []:
                page = client.get(f"/{app_name}/staff/tables/{table_name}?q={secret}").get_data(as_text=True)
                assert not re.search(rf"/staff/tables/{table_name}/\d", page), (role, secret)  # no row found
    check_private_link(flask_app, app_name, planted)


def check_private_link(flask_app: Flask, app_name: str, planted: Planted) -> None:
    """A private link on a planted row (every table a form fills): none of the office's side of it shows."""
    runtime = app_runtime(flask_app, app_name)
    tables = {form.table for form in runtime.spec.forms.values() if form.access == "public"}
    assert tables
    client = flask_app.test_client()
    for table_name in tables:
        row_id = (planted.rows.get(table_name) or planted.hidden_rows[table_name])[0]
        token = secrets.token_urlsafe(22)
        store = runtime.stores[table_name]
        with flask_app.app_context(), app_engine(flask_app).begin() as conn:
            conn.execute(store.table.update().where(store.table.c.id == row_id).values({TRACK_COLUMN: token_digest(token)}))
        response = client.get(f"/{app_name}/track/{token}")
        assert response.status_code == 200, table_name
        body = response.get_data(as_text=True)
        for forbidden in (*planted.staff, *planted.notes, STAFF_ACTOR.name, str(STAFF_ACTOR.client)):
            assert forbidden not in body, (table_name, forbidden)
        others = {m for m in planted.private if m in body} - own_values(flask_app, app_name, table_name, row_id)
        assert others == set(), (table_name, others)  # only the resident's own answers


def own_values(flask_app: Flask, app_name: str, table_name: str, row_id: int) -> set[str]:
    store = app_runtime(flask_app, app_name).stores[table_name]
    with flask_app.app_context(), app_engine(flask_app).connect() as conn:
        row = conn.execute(store.table.select().where(store.table.c.id == row_id)).mappings().one()
    return {str(value) for value in row.values() if value is not None}


def built(folder: Path, tmp_path: Path, database: str) -> Flask:
    return create_app(folder, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database,
                               "LOWCODE_RATE_LIMITS": "0"})


def test_staff_roles_and_the_private_link_of_a_test_app(tmp_path: Path, database: str) -> None:
    flask_app = built(write_app(tmp_path / "apps" / "demo", TEST_APP), tmp_path, database)
    try:
        check_app(flask_app, "demo")
    finally:
        with flask_app.app_context():
            app_engine(flask_app).dispose()


@pytest.mark.parametrize("sample", ["safe_school_routes", "neighbourhood_matching"])
def test_staff_roles_and_the_private_link_of_a_sample_app(sample: str, tmp_path: Path, database: str) -> None:
    shutil.copytree(ROOT / "apps" / sample, tmp_path / "apps" / sample)
    flask_app = built(tmp_path / "apps" / sample, tmp_path, database)
    try:
        check_app(flask_app, sample)
    finally:
        with flask_app.app_context():
            app_engine(flask_app).dispose()
