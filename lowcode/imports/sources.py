"""An imported file's rows as lists of cell texts: CSV (UTF-8 with or without BOM, else CP932/Shift_JIS), the
first sheet of an Excel `.xlsx` (read-only, formulas never evaluated: their last computed value, as Excel saved
it), or a GeoJSON FeatureCollection (a column per property, a feature's Point as two columns, `GEOMETRY_LAT` and
`GEOMETRY_LON`, that `columns` gives to the table's location field). Excel's typed cells and JSON values are
written as the text a person would type (a date 2026-12-01, a whole number 12), so the same cell parsers read
every kind of file.

A file that cannot be read raises `UnreadableFile` carrying the reason (a msgid and its values) in plain words:
which encodings were tried, a ZIP that is not a workbook, JSON that is not GeoJSON, more columns than allowed.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from ..words import N_

XLSX_MAGIC = b"PK\x03\x04"
ENCODINGS = ("utf-8-sig", "cp932")  # tried in this order; UTF-8 almost never decodes Shift_JIS text by chance
GEOMETRY_LAT = "geometry (latitude)"  # the columns a feature's Point becomes
GEOMETRY_LON = "geometry (longitude)"
BINARY_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # no text file holds these
NOT_READABLE = N_("The file is neither CSV text in UTF-8 or Shift_JIS nor an Excel .xlsx workbook.")


class UnreadableFile(ValueError):
    """A file that is not one of the kinds read here, or not within the limits: `reason` (a msgid) % `params`
    says why in plain words."""

    def __init__(self, reason: str = NOT_READABLE, **params: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def read_rows(data: bytes, max_columns: int | None = None) -> list[list[str]]:
    """Header and rows; `max_columns` refuses a wider file as soon as its first too-wide row is read."""
    if data.startswith(XLSX_MAGIC):
        rows: Iterable[list[str]] = xlsx_rows(data)
    elif looks_like_json(data):
        rows = geojson_rows(data)
    else:
        rows = csv_rows(data)
    return list(rows if max_columns is None else within_width(rows, max_columns))


def within_width(rows: Iterable[list[str]], max_columns: int) -> Iterator[list[str]]:
    for number, cells in enumerate(rows, start=1):
        width = len(cells)
        while width and not cells[width - 1].strip():
            width -= 1  # Excel pads every row to the widest one; empty cells at the end are no columns
        if width > max_columns:
            raise UnreadableFile(N_("Line %(line)s has %(columns)s columns: this table takes at most %(limit)s. "
                                    "Is it the right file?"), line=number, columns=f"{width:,}", limit=max_columns)
        yield cells[:width] if number > 1 else cells


CSV_CELL_LIMIT = 131_072  # the csv module's own default: a quote never closed swallows the rest of the file


def csv_rows(data: bytes) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    # The limit is the process's, which other code may have raised: then each row's cells are measured here.
    measure = csv.field_size_limit() > CSV_CELL_LIMIT
    try:
        for row in reader:
            if measure and any(len(cell) > CSV_CELL_LIMIT for cell in row):
                raise csv.Error("field larger than field limit")
            yield row
    except csv.Error:
        raise UnreadableFile(N_("Line %(line)s cannot be read as CSV (a cell longer than 100,000 characters, or a "
                                "quote never closed)."), line=reader.line_num) from None


def decode(data: bytes) -> str:
    """UTF-8 (a BOM dropped), else CP932 (Shift_JIS as Windows writes it); never guessed into mojibake: CP932
    decodes many binary files without an error, so text it yields with control characters (NUL, a PNG's bytes)
    is refused too. UTF-16 (Excel's "Unicode text") is named, not read."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(N_("The file is UTF-16 text (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" "
                                "instead."))
    try:
        return data.decode(ENCODINGS[0])
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode(ENCODINGS[1])
    except UnicodeDecodeError:
        raise UnreadableFile() from None
    if BINARY_CHARACTERS.search(text):
        raise UnreadableFile()
    return text


def xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):  # a ZIP that is not a workbook, a broken one
        raise UnreadableFile(N_("The file is a ZIP archive but not an Excel .xlsx workbook (nor a damaged one Excel "
                                "could open): open it in Excel and save it as .xlsx or CSV.")) from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is not None:
            formulas = formula_rows(data) if has_formulas(data) else None
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                written = next(formulas, ()) if formulas is not None else ()
                for column, (value, formula) in enumerate(zip(row, written, strict=False), start=1):
                    if value is None and isinstance(formula, str) and formula.startswith("="):
                        raise UnreadableFile(UNCOMPUTED, cell=f"{column_letter(column)}{number}", formula=formula[:40])
                yield [cell_text(value) for value in row]
    finally:
        book.close()


UNCOMPUTED = N_("Cell %(cell)s holds a formula (%(formula)s) with no value saved: formulas are never run here. Open "
                "the file in Excel and save it (Excel saves each formula's value), or paste the values instead.")


FORMULA_TAGS = (b"<f>", b"<f ", b":f>", b":f ")  # with or without a namespace prefix


def has_formulas(data: bytes) -> bool:
    """Whether any sheet holds a formula (`<f>`): only then is the workbook read a second time for them."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as part:
                    tail = b""
                    while chunk := part.read(1 << 20):
                        seen, tail = tail + chunk, chunk[-3:]  # a tag split between two chunks is found too
                        if any(tag in seen for tag in FORMULA_TAGS):
                            return True
    return False


def formula_rows(data: bytes) -> Iterator[tuple[Any, ...]]:
    """The first sheet's cells as written (a formula as its text), beside the values Excel saved."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        yield from book.worksheets[0].iter_rows(values_only=True)
    finally:
        book.close()


def column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(number))


def looks_like_json(data: bytes) -> bool:
    """A GeoJSON file starts with `{` (after a BOM and spaces); no CSV header does."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def geojson_rows(data: bytes) -> list[list[str]]:
    """A FeatureCollection as rows: the properties in the order first met, then the Point's latitude and longitude
    (RFC 7946 writes [longitude, latitude]; swapped pairs are found later, over the whole column)."""
    features = geojson_features(data)
    names = list(dict.fromkeys(name for feature in features for name in feature_properties(feature)))
    has_points = any(feature.get("geometry") is not None for feature in features)
    header = names + ([GEOMETRY_LAT, GEOMETRY_LON] if has_points else [])
    rows = [header]
    for number, feature in enumerate(features, start=1):
        properties = feature_properties(feature)
        cells = [cell_text(properties.get(name)) for name in names]
        rows.append(cells + (list(point_cells(feature.get("geometry"), number)) if has_points else []))
    return rows


def geojson_features(data: bytes) -> list[dict[str, Any]]:
    try:
        document = json.loads(decode(data))
    except json.JSONDecodeError as error:
        raise UnreadableFile(N_("The file starts like GeoJSON but is not valid JSON (line %(line)s, column "
                                "%(column)s)."), line=error.lineno, column=error.colno) from None
    except RecursionError:  # `{"a":[[[[…` nested deeper than any GeoJSON: refused, not a crash
        raise UnreadableFile(N_("The file is JSON but not a GeoJSON FeatureCollection: the rows are read from its "
                                "\"features\".")) from None
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = {"type": "FeatureCollection", "features": [document]}
    features = document.get("features") if isinstance(document, dict) else None
    if not (isinstance(document, dict) and document.get("type") == "FeatureCollection" and isinstance(features, list)
            and all(isinstance(f, dict) for f in features)):
        raise UnreadableFile(N_("The file is JSON but not a GeoJSON FeatureCollection: the rows are read from its "
                                "\"features\"."))
    return features


def feature_properties(feature: dict[str, Any]) -> dict[str, Any]:
    properties = feature.get("properties")
    return properties if isinstance(properties, dict) else {}


def point_cells(geometry: Any, number: int) -> tuple[str, str]:
    """(latitude, longitude) of a Point; a feature of another shape cannot be a row's location."""
    if geometry is None:
        return "", ""
    coordinates = geometry.get("coordinates") if isinstance(geometry, dict) else None
    if (not isinstance(geometry, dict) or geometry.get("type") != "Point" or not isinstance(coordinates, list)
            or len(coordinates) < 2):
        raise UnreadableFile(N_("Feature %(number)s is not a Point: only points can be imported into a location "
                                "field."), number=number)
    return cell_text(coordinates[1]), cell_text(coordinates[0])


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)  # a second point [lon, lat], an area's GeoJSON
    return str(value)
