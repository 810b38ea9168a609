"""`lowcode import` of CSV and .xlsx files on SQLite and PostgreSQL: an export imports back into an empty copy of
the app as the same rows; a file with bad rows lists each (row, column, why) and stores nothing; Shift_JIS is read."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from conftest import YAML
from flask import Flask
from support import app_engine, app_runtime

from lowcode.audit import AUDIT

FIELDS = ["title", "details", "school", "kind", "times", "found_on", "seen_at", "cars", "spot", "email", "reason",
          "status"]


def stored_rows(app: Flask, name: str) -> list[dict[str, Any]]:
    with app.app_context():
        store = app_runtime(app, name).stores["hazards"]
        with app_engine(app).connect() as conn:
            rows = [store.to_record(row) for row in conn.execute(sa.select(store.table).order_by(store.table.c.id)).mappings()]
    return [{f: (row[f] if row[f] not in ("", None, []) else None) for f in FIELDS} for row in rows]


def test_an_export_imports_back_into_an_empty_copy_as_the_same_rows(app: Flask, make_app: Any, lowcode: Any,
                                                                   tmp_path: Path) -> None:
    copy = make_app(YAML, name="copy")
    exported = tmp_path / "hazards.csv"
    assert lowcode("export", "APP", "hazards", "--lang", "ja", "--output", str(exported)).exit_code == 0
    copy_path = str(tmp_path / "apps" / "copy")
    dry = lowcode("import", copy_path, "hazards", str(exported), "--dry-run", "--lang", "en")
    assert dry.exit_code == 0 and "2 row(s) checked, no problem" in dry.output, dry.output
    assert stored_rows(copy, "copy") == []
    done = lowcode("import", copy_path, "hazards", str(exported), "--lang", "en")
    assert done.exit_code == 0 and "Imported 2 row(s) into hazards." in done.output, done.output
    assert stored_rows(copy, "copy") == stored_rows(app, "demo")  # Japanese, line breaks, dates, points, choices
    with copy.app_context(), app_engine(copy).connect() as conn:
        entry = conn.execute(AUDIT.select().where(AUDIT.c.action == "import", AUDIT.c.app == "copy")).mappings().one()
    assert entry["actor"].startswith("cli:") and '"rows": 2' in entry["after"]


def test_an_excel_export_imports_back_too(app: Flask, make_app: Any, lowcode: Any, tmp_path: Path) -> None:
    copy = make_app(YAML, name="copy")
    exported = tmp_path / "hazards.xlsx"
    assert lowcode("export", "APP", "hazards", "--format", "xlsx", "--output", str(exported)).exit_code == 0
    done = lowcode("import", str(tmp_path / "apps" / "copy"), "hazards", str(exported), "--lang", "en")
    assert done.exit_code == 0 and "Imported 2 row(s)" in done.output, done.output
    assert stored_rows(copy, "copy") == stored_rows(app, "demo")


def test_bad_rows_are_listed_and_nothing_is_imported(app: Flask, lowcode: Any, tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_text("件名,種類,見つけた日,台数,場所 (緯度),場所 (経度)\n"
                    "横断歩道,道路,2026/12/1,３,36.56,136.65\n"
                    ",道路,2026-12-01,1,,\n"
                    "公園,森,昨日,many,36.5,\n", encoding="utf-8")
    result = lowcode("import", "APP", "hazards", str(file), "--lang", "en")
    assert result.exit_code == 1 and "nothing was imported" in result.output
    assert "Row 3, column 件名: Please fill in this field." in result.output
    assert "Row 4, column 種類: Please choose one of the options." in result.output
    assert "Row 4, column 見つけた日: Please enter a date" in result.output
    assert "Row 4, column 台数: Please enter a whole number" in result.output
    assert "Row 4, column 場所 (緯度)" in result.output
    assert "Row 2" not in result.output  # 2026/12/1 and a full-width ３ are fine
    assert len(stored_rows(app, "demo")) == 2  # the fixture's rows only


def test_shift_jis_unknown_columns_and_map(app: Flask, lowcode: Any, tmp_path: Path) -> None:
    file = tmp_path / "sjis.csv"
    file.write_bytes("件名,学校名,備考\r\n踏切,東小学校,メモ\r\n".encode("cp932"))
    refused = lowcode("import", "APP", "hazards", str(file), "--lang", "en")
    assert refused.exit_code == 1
    assert "Column 学校名 matches no field." in refused.output and "--map '備考='" in refused.output
    done = lowcode("import", "APP", "hazards", str(file), "--lang", "en", "--map", "学校名=school", "--map", "備考=")
    assert done.exit_code == 0, done.output
    rows = stored_rows(app, "demo")
    assert rows[-1]["title"] == "踏切" and rows[-1]["school"] == "東小学校" and rows[-1]["status"] == "received"
    typo = lowcode("import", "APP", "hazards", str(file), "--lang", "en", "--map", "学校名=schol", "--map", "備考=")
    assert typo.exit_code == 1 and "Did you mean 'school'?" in typo.output
    assert len(stored_rows(app, "demo")) == 3


def test_files_that_are_not_csv_text_are_refused_plainly(app: Flask, lowcode: Any, tmp_path: Path) -> None:
    file = tmp_path / "broken.csv"
    file.write_bytes(b"\x81\xff\xfe\x00garbage")
    result = lowcode("import", "APP", "hazards", str(file), "--lang", "en")
    assert result.exit_code == 1 and "neither CSV text in UTF-8 or Shift_JIS nor an Excel .xlsx" in result.output
    not_a_workbook = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(not_a_workbook, "w") as archive:
        archive.writestr("hello.txt", "a ZIP, not a workbook")
    result = lowcode("import", "APP", "hazards", str(not_a_workbook), "--lang", "en")
    assert result.exit_code == 1 and "a ZIP archive but not an Excel .xlsx workbook" in result.output, result.output
    missing = lowcode("import", "APP", "hazards", str(tmp_path / "nowhere.csv"), "--lang", "en")
    assert missing.exit_code == 1 and "Cannot read" in missing.output
    assert len(stored_rows(app, "demo")) == 2


def test_dates_written_the_japanese_ways() -> None:
    import datetime as dt

    import pytest

    from lowcode.imports.cells import parse_japanese_date
    from lowcode.values import InvalidValue

    for text in ("2026/12/1", "2026-12-01", "2026年12月1日", "令和8年12月1日", "２０２６／１２／１"):
        assert parse_japanese_date(text) == dt.date(2026, 12, 1), text
    assert parse_japanese_date("令和元年5月1日") == dt.date(2019, 5, 1) and parse_japanese_date(" ") is None
    for text in ("2026/13/1", "昨日", "2026/2/30"):
        with pytest.raises(InvalidValue):
            parse_japanese_date(text)


def test_a_unique_value_repeated_in_the_file_is_reported_on_its_row(make_app: Any, database: str,
                                                                     tmp_path: Path) -> None:
    from click.testing import CliRunner

    from lowcode.cli import main

    make_app("""
title: Schools
tables:
  schools:
    fields:
      code: {type: text, unique: true, label: {en: Code, ja: 学校コード}}
""", name="schools")
    file = tmp_path / "schools.csv"
    file.write_text("学校コード\nA1\nB2\nA1\n", encoding="utf-8")
    env = {"DATABASE_URL": database, "LOWCODE_INSTANCE": str(tmp_path / "instance"), "LANG": "C.UTF-8"}
    args = ["import", str(tmp_path / "apps" / "schools"), "schools", str(file), "--lang", "en"]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 1 and "Row 4, column 学校コード:" in result.output, result.output
    assert "Row 2" not in result.output and "Row 3" not in result.output
