"""The audit log page `/<app>/staff/audit`, its CSV and `lowcode audit export`, on SQLite and PostgreSQL: who may
read it, newest first, each filter, the per-user view, paging, bad filters, formula cells and the `export` entry."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask
from support import app_engine, app_runtime, staff_client

from lowcode import audit
from lowcode.audience import PUBLIC
from lowcode.audit_export import csv_chunks, neutralise, parse_day
from lowcode.cli import main
from lowcode.records import submit
from lowcode.records.audit_log import PER_PAGE
from lowcode.roles import role_audience
from lowcode.staff.accounts import RoleGrant, create_user
from lowcode.views.audit_entries import visible_values

YAML = """
title: Hazards
roles:
  admin: {all: true}
  office: {tables: {hazards: [view, see_private]}}
  viewer: {tables: {hazards: [view]}}
tables:
  hazards:
    title_field: title
    fields:
      title: {type: text, required: true, label: {en: Title, ja: 件名}}
      email: {type: email, visibility: private, label: {en: E-mail, ja: メール}}
      reason: {type: textarea, visibility: staff, label: {en: Reason, ja: 理由}}
forms:
  report: {table: hazards, fields: [title, email]}
lists:
  hazards: {table: hazards, columns: [title]}
"""
PASSWORD = "correct horse battery"


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, LOWCODE_RATE_LIMITS="0")
    with built.app_context():
        engine = app_engine(built)
        create_user(engine, "chief", PASSWORD, [RoleGrant("demo", "admin")])
        create_user(engine, "=SUM(1+1)", PASSWORD, [RoleGrant("demo", "admin")])
        create_user(engine, "office", PASSWORD, [RoleGrant("demo", "office")])
        runtime = app_runtime(built)
        for title in ("North crossing", "South park"):
            values = {"title": title, "email": f"{title.split()[0].lower()}@home.example"}
            assert submit(runtime, engine, "hazards", values, lang="en", actor=audit.Actor("resident", "10.0.0.9")).stored
    return built


def entries(app: Flask, **wanted: Any) -> list[audit.AuditEntry]:
    with app.app_context(), app_engine(app).connect() as conn:
        return audit.search(conn, audit.AuditFilter(app="demo", **wanted), limit=1000)


def plant(app: Flask, **values: Any) -> None:
    with app.app_context(), app_engine(app).begin() as conn:
        audit.record(conn, app="demo", **values)


def page(client: Any, query: str = "") -> str:
    response = client.get(f"/demo/staff/audit?lang=en{query}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return str(response.get_data(as_text=True))


def test_only_an_unscoped_all_role_reads_the_audit(app: Flask) -> None:
    assert app.test_client().get("/demo/staff/audit").status_code == 302
    office = staff_client(app, "office", PASSWORD)
    assert office.get("/demo/staff/audit").status_code == 403
    assert office.get("/demo/staff/audit.csv").status_code == 403
    assert "/demo/staff/audit" not in office.get("/demo/staff/").get_data(as_text=True)
    home = staff_client(app, "chief", PASSWORD).get("/demo/staff/?lang=en").get_data(as_text=True)
    assert 'href="/demo/staff/audit"' in home and 'href="/demo/staff/outbox"' in home


def test_entries_newest_first_with_who_what_where_and_values(app: Flask) -> None:
    text = page(staff_client(app, "chief", PASSWORD))
    assert text.index("South park") < text.index("North crossing")  # newest first
    assert "north@home.example" in text and "10.0.0.9" in text  # admin sees private values, and from where
    assert 'href="/demo/staff/audit?actor=resident"' in text  # the per-user view, linked from the actor's name
    row = re.search(r'href="(/demo/staff/tables/hazards/\d+)"', text)
    assert row is not None  # each entry links to its record


def test_filters_by_actor_action_table_and_days(app: Flask) -> None:
    client = staff_client(app, "chief", PASSWORD)
    plant(app, action="edit", actor=audit.Actor("office"), table="hazards", row_id=1,
          before={"title": "North crossing"}, after={"title": "North crossing (fixed)"})
    mine = page(client, "&actor=office")
    assert "North crossing (fixed)" in mine and "South park" not in mine
    assert "1 results" in mine and "Audit log: office" in mine
    logins = page(client, "&action=login")
    assert "chief" in logins and "South park" not in logins
    assert "South park" in page(client, "&table=hazards")
    today = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=9))).date()
    assert "South park" in page(client, f"&since={today}&until={today}")
    assert "South park" not in page(client, f"&until={today - dt.timedelta(days=1)}")
    assert "South park" not in page(client, f"&since={today + dt.timedelta(days=1)}")


def test_bad_filters_are_said_and_nothing_breaks(app: Flask) -> None:
    client = staff_client(app, "chief", PASSWORD)
    text = page(client, "&action=drop&table=nope&since=2026-13-45&until=99999-01-01&page=-3")
    assert "There is no action drop." in text and "There is no table nope." in text
    assert text.count("Write the date as YYYY-MM-DD") == 2 and 'value="2026-13-45"' in text  # what was typed is kept
    assert "South park" not in text  # no entries under a filter that could not be read
    assert client.get("/demo/staff/audit.csv?since=yesterday").status_code == 400
    escaped = page(client, "&actor=<script>alert(1)</script>")
    assert "<script>alert(1)" not in escaped and "&lt;script&gt;" in escaped
    assert page(client, "&since=9998-12-31&until=1900-01-01").count("0 results") == 1
    for nasty in ("%00", "x%00y", "%C0", "a" * 5000, "%E2%80%AE"):  # NUL (PostgreSQL refuses it), bad UTF-8, long
        assert client.get(f"/demo/staff/audit?actor={nasty}&table={nasty}&since={nasty}").status_code == 200
        assert client.get(f"/demo/staff/audit.csv?actor={nasty}").status_code == 200


def test_pages_of_fifty(app: Flask) -> None:
    for number in range(PER_PAGE + 3):
        plant(app, action="export", actor=audit.Actor(f"clerk{number:02d}"))
    client = staff_client(app, "chief", PASSWORD)
    first, second = page(client, "&action=export"), page(client, "&action=export&page=2")
    shown = "?actor=clerk{:02d}\""  # the entry's link (the name is also in the filter's suggestions)
    assert shown.format(52) in first and shown.format(0) not in first and 'rel="next"' in first
    assert shown.format(0) in second and shown.format(52) not in second and "page 2 of 2" in second
    assert shown.format(0) in page(client, "&action=export&page=999")  # past the last: the last


def test_an_entry_of_a_table_the_yaml_no_longer_has_shows_no_values(app: Flask) -> None:
    plant(app, action="edit", table="old_table", row_id=3, before={"secret": "Kept-Away"}, after={"secret": "x"})
    assert "Kept-Away" not in page(staff_client(app, "chief", PASSWORD))


def test_values_are_cut_to_the_readers_fields(app: Flask) -> None:
    runtime = app_runtime(app)
    entry = audit.AuditEntry(1, dt.datetime(2026, 1, 1), "demo", "hazards", 1, "edit", "x", None,
                             {"title": "a", "email": "e@x", "reason": "r"}, {"@message": "m", "email": "f@x"})
    viewer = role_audience(runtime.spec, "viewer")
    assert visible_values(runtime, entry, viewer) == ({"title": "a", "reason": "r"}, {"@message": "m"})
    assert visible_values(runtime, entry, PUBLIC) == ({"title": "a"}, {"@message": "m"})
    assert visible_values(runtime, entry, role_audience(runtime.spec, "admin"))[1] == {"@message": "m", "email": "f@x"}


def read_csv(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_has_the_filters_a_bom_neutral_cells_and_is_itself_audited(app: Flask) -> None:
    client = staff_client(app, "=SUM(1+1)", PASSWORD)
    response = client.get("/demo/staff/audit.csv?action=login")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"].startswith("text/csv") and "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response.get_data())
    assert rows[0] == ["id", "at", "app", "table", "row_id", "action", "actor", "client", "before", "after"]
    assert [row[6] for row in rows[1:]] == ["'=SUM(1+1)"]  # a formula-looking name is text in a spreadsheet
    exported = entries(app, action="export")
    assert len(exported) == 1 and exported[0].actor == "=SUM(1+1)"
    assert exported[0].after == {"@audit_export": "csv", "@action": "login"}
    everything = read_csv(client.get("/demo/staff/audit.csv").get_data())
    created = [row for row in everything if row[5] == "create"]
    assert len(created) == 2 and json.loads(created[0][9])["email"] == "north@home.example"


def test_neutralise() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("North") == "North" and neutralise("") == ""
    assert parse_day("2026-02-30") is None and parse_day("9999-12-31") is None and parse_day("2026-04-01") is not None


def test_a_big_csv_comes_in_chunks() -> None:
    entry = audit.AuditEntry(1, dt.datetime(2026, 1, 1), "demo", None, None, "login", "a", None, None, None)
    chunks = list(csv_chunks([entry] * 1200))
    assert len(chunks) == 3 and sum(chunk.count("\r\n") for chunk in chunks) == 1201


def run_cli(database: str, tmp_path: Path, *args: str) -> Any:
    env = {"DATABASE_URL": database, "LOWCODE_INSTANCE": str(tmp_path / "instance"), "LANG": "C.UTF-8",
           "LC_ALL": None, "LC_MESSAGES": None}
    return CliRunner().invoke(main, list(args), env=env)


def test_the_command_exports_csv_and_jsonl_and_leaves_an_export_entry(app: Flask, database: str, tmp_path: Path) -> None:
    apps = tmp_path / "apps"
    out = tmp_path / "audit.jsonl"
    result = run_cli(database, tmp_path, "audit", "export", str(apps), "--actor", "resident", "--format", "jsonl",
                     "--output", str(out))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["after"]["title"] for line in lines] == ["North crossing", "South park"]  # oldest first
    assert {line["actor"] for line in lines} == {"resident"}
    cli_entry = entries(app, action="export")
    assert len(cli_entry) == 1 and cli_entry[0].actor.startswith("cli") and cli_entry[0].after is not None
    assert cli_entry[0].after["@actor"] == "resident"
    printed = run_cli(database, tmp_path, "audit", "export", str(apps), "--app", "demo", "--since", "2000-01-01")
    assert printed.exit_code == 0 and printed.output.startswith("\ufeffid,at,app")
    assert ",export,cli" in printed.output  # the first export is in the second
    assert run_cli(database, tmp_path, "audit", "export", str(apps), "--app", "nope").exit_code == 1
    bad = run_cli(database, tmp_path, "audit", "export", str(apps), "--since", "April")
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output


def test_the_audit_table_is_read_only_here(app: Flask) -> None:
    """The page and the export only add entries: every entry that was there is there afterwards, unchanged."""
    before = entries(app)
    client = staff_client(app, "chief", PASSWORD)
    client.get("/demo/staff/audit.csv")
    after = {e.id: e for e in entries(app)}
    assert all(after[e.id] == e for e in before)
    with app.app_context(), app_engine(app).connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(audit.AUDIT)).scalar_one() == len(after)


def test_a_note_shows_escaped_on_the_audit_page(app: Flask) -> None:
    plant(app, action="note", actor=audit.Actor("office"), table="hazards", row_id=1,
          after={"@note": "<script>alert('n')</script> call back"})
    text = page(staff_client(app, "chief", PASSWORD), "&action=note")
    assert "&lt;script&gt;alert(" in text and "<script>alert(" not in text and "call back" in text


def test_every_action_can_be_chosen(app: Flask) -> None:
    text = page(staff_client(app, "chief", PASSWORD))
    menu = text[text.index('<select id="audit-action"'):]
    menu = menu[:menu.index("</select>")]
    assert sorted(re.findall(r'<option value="([a-z_]+)"', menu)) == sorted(audit.ACTIONS)
