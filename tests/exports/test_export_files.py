"""The files an export writes, on SQLite and PostgreSQL: CSV opens in Excel (BOM, Japanese, line breaks, no
formula), the .xlsx reads back with real dates, numbers and no formula, the GeoJSON is RFC 7946."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import jsonschema
from conftest import SPOT, logged_in
from flask import Flask
from openpyxl import load_workbook

# RFC 7946 as far as an export needs it: a FeatureCollection of Features, Points as [longitude, latitude] in range.
GEOJSON_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "not": {"required": ["crs"]},
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": {
            "type": "object",
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"const": "Feature"},
                "properties": {"type": ["object", "null"]},
                "geometry": {"oneOf": [{"type": "null"}, {
                    "type": "object", "required": ["type", "coordinates"],
                    "properties": {"type": {"const": "Point"}, "coordinates": {
                        "type": "array", "minItems": 2, "maxItems": 3,
                        "prefixItems": [{"type": "number", "minimum": -180, "maximum": 180},
                                        {"type": "number", "minimum": -90, "maximum": 90}]}},
                }]},
            },
        }},
    },
}


def download(app: Flask, path: str, user: str = "admin@city.example") -> Any:
    response = logged_in(app, user).get(path)
    assert response.status_code == 200, response.status_code
    return response


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel in Japan needs to read UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_opens_in_excel_with_japanese_labels_line_breaks_and_no_formula(app: Flask) -> None:
    response = download(app, "/demo/staff/tables/hazards/export.csv?lang=ja")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="demo-hazards-' in response.headers["Content-Disposition"]
    header, *rows = csv_rows(response.data)
    assert header[:5] == ["受付番号", "送信日時", "件名", "詳しく", "学校"]
    assert "場所 (緯度)" in header and "場所 (経度)" in header and "メール" in header and "理由" in header
    by_title = {row[2]: dict(zip(header, row)) for row in rows}
    evil = by_title["'=HYPERLINK(\"http://evil.example\")"]  # neutralised: Excel shows the text, runs nothing
    assert evil["詳しく"] == "一行目\n二行目"  # the quoted line break survives
    assert evil["種類"] == "道路" and evil["時間帯"] == "朝、夕方" and evil["状態"] == "受付"
    assert evil["見つけた日"] == "2026-12-01" and evil["見た時刻"] == "2026-12-01 08:30:00"  # the city's time
    assert float(evil["場所 (緯度)"]) == SPOT[1] and float(evil["場所 (経度)"]) == SPOT[0]
    assert evil["メール"] == "north@home.example" and evil["台数"] == "12"
    park = by_title["南公園の遊具"]
    assert park["台数"] == "-3"  # a number is not text: no quote in front of its sign
    assert park["場所 (緯度)"] == "" and park["見つけた日"] == ""


def test_csv_writes_choice_keys_when_asked(app: Flask) -> None:
    header, *rows = csv_rows(download(app, "/demo/staff/tables/hazards/export.csv?lang=en&choices=keys").data)
    first = {row[2]: dict(zip(header, row)) for row in rows}["南公園の遊具"]
    assert first["Kind"] == "park" and first["Status"] == "received"
    assert header[:2] == ["Reference number", "Sent at"]


def test_formula_neutralisation_covers_every_dangerous_start() -> None:
    from lowcode.exports import neutralise

    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(text) == "'" + text
    assert neutralise("安全な文") == "安全な文" and neutralise("") == ""


def test_xlsx_has_a_bold_frozen_header_real_dates_numbers_and_no_formula(app: Flask) -> None:
    response = download(app, "/demo/staff/tables/hazards/export.xlsx?lang=ja")
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    book = load_workbook(io.BytesIO(response.data))
    sheet = book.active
    assert sheet.title == "危険箇所" and sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    assert header[2] == "件名" and all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["C"].width >= 8
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    rows = {row[2]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    evil = rows["'=HYPERLINK(\"http://evil.example\")"]
    assert evil["見つけた日"] == dt.datetime(2026, 12, 1)  # an Excel date (openpyxl reads dates back as datetimes)
    assert evil["見た時刻"] == dt.datetime(2026, 12, 1, 8, 30)  # the city's wall-clock time
    assert isinstance(evil["送信日時"], dt.datetime)
    assert evil["台数"] == 12 and rows["南公園の遊具"]["台数"] == -3
    assert evil["詳しく"] == "一行目\n二行目" and evil["時間帯"] == "朝、夕方"
    assert evil["場所 (緯度)"] == SPOT[1]


def test_geojson_is_rfc_7946_with_longitude_first(app: Flask) -> None:
    response = download(app, "/demo/staff/tables/hazards/export.geojson?lang=en")
    assert response.headers["Content-Type"] == "application/geo+json"
    collection = json.loads(response.data)
    jsonschema.validate(collection, GEOJSON_SCHEMA)
    features = {f["properties"]["title"]: f for f in collection["features"]}
    north = features["=HYPERLINK(\"http://evil.example\")"]  # GeoJSON is not a spreadsheet: the text is as typed
    assert north["geometry"]["coordinates"] == [SPOT[0], SPOT[1]]
    assert north["properties"]["kind"] == "Road" and north["properties"]["email"] == "north@home.example"
    assert north["properties"]["found_on"] == "2026-12-01"
    assert north["properties"]["seen_at"] == "2026-12-01T08:30:00+09:00"
    assert features["南公園の遊具"]["geometry"] is None


def test_geojson_needs_a_location(app: Flask) -> None:
    client = logged_in(app, "admin@city.example")
    assert client.get("/demo/staff/tables/schools/export.geojson").status_code == 404
    assert client.get("/demo/staff/tables/hazards/export.pdf").status_code == 404
    page = client.get("/demo/staff/tables/schools?lang=en").get_data(as_text=True)
    assert "Export CSV" in page and "Export GeoJSON" not in page
