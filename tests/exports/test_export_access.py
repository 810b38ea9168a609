"""Who may export what, on SQLite and PostgreSQL: the audience rule decides the rows and fields, the queue's filters
decide the rows of a staff export, a role without `export` gets neither the form nor the file, and every export
is in the audit log."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from conftest import SPOT, logged_in, publish
from flask import Flask
from support import app_engine

from lowcode.audit import AUDIT

EVIL = "'=HYPERLINK(\"http://evil.example\")"  # as a CSV writes it (neutralised)
PARK = "南公園の遊具"


def titles(data: bytes) -> list[str]:
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    column = header.index("Title")
    return sorted(row[column] for row in rows)


def export_entries(app: Flask) -> list[dict[str, Any]]:
    with app.app_context(), app_engine(app).connect() as conn:
        query = AUDIT.select().where(AUDIT.c.action == "export").order_by(AUDIT.c.id)
        return [dict(row) for row in conn.execute(query).mappings()]


def test_a_role_without_export_gets_no_form_and_403(app: Flask) -> None:
    office = logged_in(app, "office")
    page = office.get("/demo/staff/tables/hazards?lang=en").get_data(as_text=True)
    assert "North" in page or "Hazards" in page
    assert "export.csv" not in page and "Export CSV" not in page
    for fmt in ("csv", "xlsx", "geojson"):
        assert office.get(f"/demo/staff/tables/hazards/export.{fmt}").status_code == 403
    assert export_entries(app) == []


def test_not_logged_in_is_sent_to_the_login_page(app: Flask) -> None:
    response = app.test_client().get("/demo/staff/tables/hazards/export.csv")
    assert response.status_code == 302 and "/demo/staff/login" in response.headers["Location"]


def test_the_form_carries_the_queue_filters_and_the_export_follows_them(app: Flask) -> None:
    board = logged_in(app, "board")
    page = board.get("/demo/staff/tables/hazards?lang=en&kind=park&page=1").get_data(as_text=True)
    assert "Export CSV" in page and "Export Excel" in page and "Export GeoJSON" in page
    assert '<input type="hidden" name="kind" value="park">' in page and 'name="page"' not in page.split("export-form")[1]
    assert titles(board.get("/demo/staff/tables/hazards/export.csv?lang=en&kind=park").data) == [PARK]
    assert titles(board.get("/demo/staff/tables/hazards/export.csv?lang=en&q=HYPERLINK").data) == [EVIL]
    assert titles(board.get("/demo/staff/tables/hazards/export.csv?lang=en&kind=nonsense").data) == []  # as the queue
    publish(app, PARK)
    assert titles(board.get("/demo/staff/tables/hazards/export.csv?lang=en&status=published").data) == [PARK]


def test_a_role_without_see_private_exports_no_private_field(app: Flask) -> None:
    north = logged_in(app, "north")  # school: view and export, no see_private, scoped to its school
    data = north.get("/demo/staff/tables/hazards/export.csv?lang=en").data.decode("utf-8-sig")
    assert "home.example" not in data and "E-mail" not in data
    assert "Reason" in data  # a staff field: every role that views the table sees it


def test_a_scoped_role_exports_only_its_scope(app: Flask) -> None:
    north = logged_in(app, "north")
    assert titles(north.get("/demo/staff/tables/hazards/export.csv?lang=en").data) == [EVIL]
    assert titles(north.get("/demo/staff/tables/hazards/export.csv?lang=en&kind=park").data) == []
    collection = north.get("/demo/staff/tables/hazards/export.geojson").get_json(force=True)
    assert [f["properties"]["school"] for f in collection["features"]] == ["North"]


def test_every_export_is_in_the_audit_log(app: Flask) -> None:
    board = logged_in(app, "board")
    board.get("/demo/staff/tables/hazards/export.xlsx?lang=ja&kind=park&choices=keys&page=3")
    [entry] = export_entries(app)
    assert entry["actor"] == "board" and entry["table_name"] == "hazards" and entry["client"]
    after = entry["after"]
    assert '"format": "xlsx"' in after and '"rows": 1' in after and '"kind": "park"' in after
    assert '"choices": "keys"' in after and '"audience": "staff:board"' in after and "page" not in after


def test_the_public_export_holds_public_fields_of_public_rows_on_the_grid(app: Flask, lowcode: Any) -> None:
    assert "0 row(s)" in lowcode("export", "APP", "hazards", "--audience", "public", "--lang", "en").output
    publish(app, EVIL[1:])
    result = lowcode("export", "APP", "hazards", "--audience", "public", "--lang", "en", "--format", "geojson")
    assert result.exit_code == 0, result.output
    body = result.stdout
    assert "HYPERLINK" in body and PARK not in body and "home.example" not in body and '"reason"' not in body and '"ref"' not in body
    assert "received" not in body.lower()
    collection = json.loads(body)
    [feature] = collection["features"]
    assert feature["geometry"]["coordinates"] != [SPOT[0], SPOT[1]]  # a resident's point, on the public grid
    assert abs(feature["geometry"]["coordinates"][1] - SPOT[1]) < 0.01
    csv_text = lowcode("export", "APP", "hazards", "--audience", "public", "--lang", "en").stdout
    assert "Reference number" not in csv_text and "E-mail" not in csv_text and "Reason" not in csv_text


def test_the_command_line_exports_every_field_and_row_and_audits_it(app: Flask, lowcode: Any, tmp_path: Any) -> None:
    target = tmp_path / "out.csv"
    result = lowcode("export", "APP", "hazards", "--lang", "en", "--output", str(target))
    assert result.exit_code == 0 and "Exported 2 row(s) of hazards." in result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"north@home.example" in data
    assert titles(data) == [EVIL, PARK]
    [entry] = export_entries(app)
    assert entry["actor"].startswith("cli:") and '"audience": "staff"' in entry["after"]
    assert not list(tmp_path.glob("*.part"))


def test_where_filters_by_choice_key_or_label_reference_and_text(app: Flask, lowcode: Any) -> None:
    assert titles(lowcode("export", "APP", "hazards", "--lang", "en", "--where", "kind=park").stdout_bytes) == [PARK]
    assert titles(lowcode("export", "APP", "hazards", "--lang", "en", "--where", "kind=道路").stdout_bytes) == [EVIL]
    both = lowcode("export", "APP", "hazards", "--lang", "en", "--where", "kind=road", "--where", "school=South")
    assert titles(both.stdout_bytes) == []
    assert titles(lowcode("export", "APP", "hazards", "--lang", "en", "--where", "times=evening").stdout_bytes) == [EVIL]


def test_command_line_mistakes_are_said_plainly(app: Flask, lowcode: Any, tmp_path: Any) -> None:
    def fails(*args: str) -> str:
        result = lowcode("export", "APP", *args)
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        return result.stderr

    assert "no table hazard. Did you mean 'hazards'? Its tables: hazards, schools." in fails("hazard", "--lang", "en")
    assert "no field kindd you may export. Did you mean 'kind'?" in fails("hazards", "--lang", "en", "--where", "kindd=road")
    assert "rode is not a choice of kind. Did you mean 'road'? Its choices: road, park." in fails(
        "hazards", "--lang", "en", "--where", "kind=rode")
    assert "write it as field=value" in fails("hazards", "--lang", "en", "--where", "kind")
    assert "not a value of a date field" in fails("hazards", "--lang", "en", "--where", "found_on=yesterday")
    assert "cannot be compared" in fails("hazards", "--lang", "en", "--where", "spot=1")
    public = fails("hazards", "--lang", "en", "--audience", "public", "--where", "email=x@y.example")
    assert "no field email you may export" in public
    assert "no location field" in fails("schools", "--lang", "en", "--format", "geojson", "--output", str(tmp_path / "s.json"))
    assert not (tmp_path / "s.json").exists() and not list(tmp_path.glob("*.part"))
    assert "もしかして: kind" in fails("hazards", "--lang", "ja", "--where", "kindd=road")
    assert export_entries(app) == []  # a refused export is not recorded as one


def test_odd_query_strings_never_fail(app: Flask) -> None:
    board = logged_in(app, "board")
    for query in ("sort=-nonexistent", "sort=email", "q=" + "x" * 5000, "q=%00%01", "kind=%00", "area=nowhere",
                  "assignee=nobody", "assignee=" + "a" * 500, "choices=%E2%80%AE", "page=-4", "lang=xx", "status=declined"):
        for fmt in ("csv", "xlsx", "geojson"):
            response = board.get(f"/demo/staff/tables/hazards/export.{fmt}?{query}")
            assert response.status_code == 200, (query, fmt)
    assert board.get("/demo/staff/tables/nonexistent/export.csv").status_code == 403
