"""Import sources beyond CSV (issue 10): GeoJSON files, coordinates in columns under their usual names, latitude and
longitude swapped (every row: read back with a notice; some rows: each a problem), full-width digits, dates the
Japanese ways, quoted line breaks — on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import YAML
from flask import Flask
from test_import_csv import stored_rows

from lowcode.imports.cells import parse_japanese_date
from lowcode.values import InvalidValue


def test_a_geojson_export_imports_back_into_an_empty_copy_as_the_same_rows(app: Flask, make_app: Any, lowcode: Any,
                                                                          tmp_path: Path) -> None:
    copy = make_app(YAML, name="copy")
    exported = tmp_path / "hazards.geojson"
    assert lowcode("export", "APP", "hazards", "--format", "geojson", "--lang", "ja", "--output",
                   str(exported)).exit_code == 0
    assert json.loads(exported.read_text(encoding="utf-8"))["features"][0]["geometry"]["type"] == "Point"
    done = lowcode("import", str(tmp_path / "apps" / "copy"), "hazards", str(exported), "--lang", "en")
    assert done.exit_code == 0 and "Imported 2 row(s) into hazards." in done.output, done.output
    rows = stored_rows(copy, "copy")
    assert rows == stored_rows(app, "demo")  # Japanese, line breaks, dates, date-times, points, choices, multichoice
    assert rows[0]["spot"] == pytest.approx((136.6543219, 36.5612349)) and rows[0]["times"] == ["morning", "evening"]
    assert rows[0]["details"] == "一行目\n二行目" and rows[1]["title"] == "南公園の遊具"


def feature(properties: dict[str, Any], coordinates: list[Any] | None) -> dict[str, Any]:
    geometry = {"type": "Point", "coordinates": coordinates} if coordinates is not None else None
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def test_a_geojson_file_from_another_tool_with_its_points_written_lat_lon(app: Flask, lowcode: Any,
                                                                          tmp_path: Path) -> None:
    """Labels as property names, full-width digits, a feature without a point, [lat, lon] in every feature."""
    file = tmp_path / "points.geojson"
    file.write_text(json.dumps({"type": "FeatureCollection", "features": [
        feature({"件名": "用水路", "見つけた日": "令和8年12月1日", "台数": "１２", "時間帯": "朝、夕方"}, [36.5, 136.6]),
        feature({"件名": "坂道", "見つけた日": "R8.12.2"}, ["３６．６", 136.7]),
        feature({"件名": "地点なし", "見つけた日": None}, None),
    ]}, ensure_ascii=False), encoding="utf-8")
    done = lowcode("import", "APP", "hazards", str(file), "--lang", "en")
    assert done.exit_code == 0, done.output
    assert "hold longitudes and latitudes the other way round in every row: they were read swapped back" in done.output
    rows = stored_rows(app, "demo")[2:]
    assert [row["spot"] for row in rows] == [(136.6, 36.5), (136.7, 36.6), None]
    assert [row["found_on"] for row in rows] == [dt.date(2026, 12, 1), dt.date(2026, 12, 2), None]
    assert rows[0]["cars"] == 12 and rows[0]["times"] == ["morning", "evening"]


def test_coordinate_columns_by_their_usual_names_full_width_and_quoted_line_breaks(app: Flask, lowcode: Any,
                                                                                   tmp_path: Path) -> None:
    file = tmp_path / "columns.csv"
    file.write_bytes(("件名,詳しく,見つけた日,台数,緯度,経度\r\n"
                      '"踏切","一行目\r\n二行目",２０２６年１２月１日,"１,２００",３６．５６１,１３６．６５４\r\n'
                      "坂道,,平成31年4月30日,－３,36.6,136.7\r\n").encode("cp932"))
    done = lowcode("import", "APP", "hazards", str(file), "--lang", "en")
    assert done.exit_code == 0, done.output
    assert "other way round" not in done.output
    rows = stored_rows(app, "demo")[2:]
    assert rows[0]["details"] == "一行目\r\n二行目" and rows[0]["cars"] == 1200 and rows[1]["cars"] == -3
    assert rows[0]["spot"] == (136.654, 36.561) and rows[1]["spot"] == (136.7, 36.6)
    assert rows[0]["found_on"] == dt.date(2026, 12, 1) and rows[1]["found_on"] == dt.date(2019, 4, 30)
    english = tmp_path / "english.csv"
    english.write_text("title,longitude,latitude\nA,136.1,36.1\n", encoding="utf-8")
    assert lowcode("import", "APP", "hazards", str(english), "--lang", "en").exit_code == 0
    assert stored_rows(app, "demo")[-1]["spot"] == (136.1, 36.1)


def test_swapped_in_every_row_is_read_back_and_said_swapped_in_some_rows_is_a_problem_each(
        app: Flask, lowcode: Any, tmp_path: Path) -> None:
    every = tmp_path / "every.csv"
    every.write_text("件名,lat,lon\nA,136.65,36.56\nB,,\nC,136.70,36.60\n", encoding="utf-8")
    done = lowcode("import", "APP", "hazards", str(every), "--dry-run", "--lang", "en")
    assert done.exit_code == 0 and "Columns lat and lon hold longitudes and latitudes" in done.output, done.output
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("件名,lat,lon\nA,36.56,136.65\nB,136.70,36.60\nC,36.58,136.66\n", encoding="utf-8")
    refused = lowcode("import", "APP", "hazards", str(mixed), "--lang", "en")
    assert refused.exit_code == 1 and "nothing was imported" in refused.output
    assert "Row 3, column lat:" in refused.output and "Row 2" not in refused.output and "Row 4" not in refused.output
    assert "other way round in every row" not in refused.output
    abroad = tmp_path / "abroad.csv"  # a sister city's points: nothing guessed outside Japan
    abroad.write_text("件名,lat,lon\nParis,48.85,2.35\n", encoding="utf-8")
    assert lowcode("import", "APP", "hazards", str(abroad), "--lang", "en").exit_code == 0
    rows = stored_rows(app, "demo")
    assert [row["title"] for row in rows[2:]] == ["Paris"] and rows[-1]["spot"] == (2.35, 48.85)


@pytest.mark.parametrize("text", ["2026/12/1", "2026-12-01", "2026.12.1", "2026年12月1日", "令和8年12月1日", "R8.12.1",
                                  "r8/12/1", "Ｒ８．１２．１", "２０２６／１２／０１", "令和８年１２月１日"])
def test_each_japanese_date_form(text: str) -> None:
    assert parse_japanese_date(text) == dt.date(2026, 12, 1)


@pytest.mark.parametrize("text", ["R2026.12.1", "令和0年1月1日", "X8.12.1", "R8.2.30", "12/1/2026"])
def test_dates_that_are_no_date_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_japanese_date(text)
