"""Hostile files (issue 10, Checks): each refused with a clear message, nothing stored — or, for formulas, stored as
the text they are, never run, and neutralised again by the export."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import Workbook
from test_import_csv import stored_rows

FIXTURE_ROWS = 2  # the `app` fixture's rows


def refused(lowcode: Any, file: Path, *args: str) -> str:
    result = lowcode("import", "APP", "hazards", str(file), "--lang", "en", *args)
    assert result.exit_code == 1, result.output
    return str(result.output)


def test_formulas_are_stored_as_text_never_run_and_the_export_neutralises_them(app: Flask, lowcode: Any,
                                                                              tmp_path: Path) -> None:
    formulas = ['=1+1', '+SUM(A1:A9)', '-2+3', '@cmd', '=HYPERLINK("http://evil.example","x")']
    file = tmp_path / "formulas.csv"
    with file.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([["件名", "詳しく", "学校"], formulas[:3], formulas[3:] + ["=A1"]])
    done = lowcode("import", "APP", "hazards", str(file), "--lang", "en")
    assert done.exit_code == 0, done.output
    rows = stored_rows(app, "demo")[FIXTURE_ROWS:]
    assert [(r["title"], r["details"], r["school"]) for r in rows] == [tuple(formulas[:3]), (*formulas[3:], "=A1")]
    exported = tmp_path / "again.csv"
    assert lowcode("export", "APP", "hazards", "--output", str(exported)).exit_code == 0
    text = exported.read_text(encoding="utf-8-sig")
    assert "'=1+1,'+SUM(A1:A9),'-2+3" in text and "'@cmd" in text and "'=A1" in text


def test_formulas_where_numbers_dates_and_choices_belong_are_each_reported(app: Flask, lowcode: Any,
                                                                            tmp_path: Path) -> None:
    file = tmp_path / "formulas.csv"
    file.write_text("件名,台数,見つけた日,種類,緯度,経度\n=1+1,=2*3,=TODAY(),=A1,=36,=136\n", encoding="utf-8")
    output = refused(lowcode, file)
    for column in ("台数", "見つけた日", "種類", "緯度"):
        assert f"Row 2, column {column}:" in output
    assert len(stored_rows(app, "demo")) == FIXTURE_ROWS


def test_an_excel_formula_is_never_evaluated(app: Flask, lowcode: Any, tmp_path: Path) -> None:
    """A formula Excel computed is read as the value it saved; one never computed (openpyxl, other tools save no
    value) is refused naming its cell, neither run nor read as empty."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["件名", "台数"])
    sheet.append(["=1+1", "=1+1"])
    file = tmp_path / "formula.xlsx"
    book.save(file)
    output = refused(lowcode, file)
    assert "Cell A2 holds a formula (=1+1) with no value saved: formulas are never run here." in output
    assert len(stored_rows(app, "demo")) == FIXTURE_ROWS
    saved = tmp_path / "saved.xlsx"  # as Excel saves it: the formula and its value
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(saved, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = part.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
                assert b"<v>2</v>" in part, part
            target.writestr(item, part)
    done = lowcode("import", "APP", "hazards", str(saved), "--lang", "en")
    assert done.exit_code == 0, done.output
    assert stored_rows(app, "demo")[-1]["title"] == "2" and stored_rows(app, "demo")[-1]["cars"] == 2


def test_a_100_mb_file_is_refused_before_it_is_read(app: Flask, lowcode: Any, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as out:
        out.write("件名\n".encode())
        out.truncate(100 * 1024 * 1024)  # sparse: 100 MB on paper, nothing on the disk
    opened: list[str] = []
    real_open = Path.open

    def watched_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        stream = real_open(self, *args, **kwargs)
        if self == huge:
            opened.append("read")
            stream.read = lambda *a: pytest.fail("the file was read")  # type: ignore[method-assign]
        return stream

    monkeypatch.setattr(Path, "open", watched_open)
    output = refused(lowcode, huge)
    assert "huge.csv is larger than 50 MB: split it into smaller files, or raise the limit with --max-size." in output
    small_cap = tmp_path / "two_mb.csv"
    small_cap.write_bytes(("件名\n" + "あ\n" * 700_000).encode())
    assert "is larger than 1 MB" in refused(lowcode, small_cap, "--max-size", "1")
    assert len(stored_rows(app, "demo")) == FIXTURE_ROWS


def test_a_file_with_10000_columns_is_refused_naming_the_limit(app: Flask, lowcode: Any, tmp_path: Path) -> None:
    file = tmp_path / "wide.csv"
    file.write_text(",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("x" * 10_000) + "\n", encoding="utf-8")
    output = refused(lowcode, file)
    assert "Line 1 has 10,000 columns: this table takes at most 40. Is it the right file?" in output
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["件名"])
    sheet.append(["a"] * 10_000)  # a row wider than the header: refused on its own line
    wide_book = tmp_path / "wide.xlsx"
    book.save(wide_book)
    assert "Line 2 has 10,000 columns" in refused(lowcode, wide_book)
    assert len(stored_rows(app, "demo")) == FIXTURE_ROWS


@pytest.mark.parametrize(("name", "content", "message"), [
    ("unicode.txt", "件名\n".encode("utf-16"), "The file is UTF-16 text (Excel's \"Unicode text\"): save it as"),
    ("broken.csv", "件名\n".encode()[:7] + b"\x80\xfd\xfe", "neither CSV text in UTF-8 or Shift_JIS nor an Excel"),
    ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither CSV text in UTF-8 or Shift_JIS nor an Excel"),
    ("fake.xlsx", None, "The file is a ZIP archive but not an Excel .xlsx workbook"),
    ("empty.csv", b"", "The file is empty: the first line must name the columns."),
    ("bom.csv", b"\xef\xbb\xbf\r\n\r\n", "The file is empty: the first line must name the columns."),
    ("header.csv", "件名,学校\r\n\r\n".encode(), "The file names its columns but has no rows below them"),
    ("header.xlsx", "header-only workbook", "The file names its columns but has no rows below them"),
    ("quote.csv", b'\xe4\xbb\xb6\xe5\x90\x8d\n"' + b"x" * 200_000 + b"\n", "Line 2 cannot be read as CSV"),
    ("not.geojson", b'{"type": "FeatureCollection", "features": [', "starts like GeoJSON but is not valid JSON"),
    ("list.geojson", b'{"type": "Topology"}', "not a GeoJSON FeatureCollection"),
    ("deep.geojson", b'{"a":' + b"[" * 100_000, "not a GeoJSON FeatureCollection"),
    ("line.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"件名": "a"}, "geometry": {"type": "LineString", "coordinates": [[1, 2]]}},
    ]}).encode(), "Feature 1 is not a Point"),
])
def test_files_that_cannot_be_read_say_why_and_store_nothing(app: Flask, lowcode: Any, tmp_path: Path, name: str,
                                                             content: bytes | str | None, message: str) -> None:
    file = tmp_path / name
    if content is None:
        with zipfile.ZipFile(file, "w") as archive:
            archive.writestr("hello.txt", "a ZIP, not a workbook")
    elif isinstance(content, str):
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["件名", "学校"])
        buffer = io.BytesIO()
        book.save(buffer)
        file.write_bytes(buffer.getvalue())
    else:
        file.write_bytes(content)
    output = refused(lowcode, file)
    assert message in output and "nothing was imported" in output, output
    assert len(stored_rows(app, "demo")) == FIXTURE_ROWS


def test_the_reasons_are_given_in_japanese_too(app: Flask, lowcode: Any, tmp_path: Path) -> None:
    header_only = tmp_path / "header.csv"
    header_only.write_text("件名\n", encoding="utf-8")
    result = lowcode("import", "APP", "hazards", str(header_only), "--lang", "ja")
    assert result.exit_code == 1 and "列の名前だけがあり、その下に行がありません" in result.output, result.output
    swapped = tmp_path / "swapped.csv"
    swapped.write_text("件名,緯度,経度\nA,136.65,36.56\n", encoding="utf-8")
    result = lowcode("import", "APP", "hazards", str(swapped), "--lang", "ja")
    assert result.exit_code == 0 and "列 緯度 と 経度 は、どの行も緯度と経度が逆になっていました" in result.output


def test_a_quote_never_closed_is_refused_even_when_the_process_allows_longer_csv_cells() -> None:
    """Another library (or test) may raise the csv module's process-wide cell limit: the import keeps its own."""
    from lowcode.imports.sources import UnreadableFile, read_rows

    previous = csv.field_size_limit(10_000_000)
    try:
        with pytest.raises(UnreadableFile) as refused:
            read_rows("件名\n\"".encode() + b"x" * 200_000 + b"\n")
    finally:
        csv.field_size_limit(previous)
    assert refused.value.reason.startswith("Line %(line)s cannot be read as CSV") and refused.value.params == {"line": 2}
