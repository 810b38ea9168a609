"""Rows from a table's seed file (CSV or GeoJSON in the app folder), parsed as the form would parse them."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .geo.files import Feature, GeoFileError, read_csv_points, read_features, read_text
from .geo.geometry import looks_swapped
from .spec.models import SeedSpec, TableSpec
from .spec.words import file_reason, value_reason
from .values import InvalidValue, parse_field_text

# The key a seed row's own creation time travels under (a system column, never a field: the name is reserved).
SEED_CREATED_AT = "created_at"


@dataclass
class SeedError(Exception):
    """A seed file that cannot be loaded; `code` is a spec catalogue code, `params` fill its message."""

    code: str
    params: dict[str, Any]


def read_seed_rows(
    table: TableSpec, seed: SeedSpec, folder: Path, table_name: str = "", bbox: tuple[float, float, float, float] | None = None
) -> list[dict[str, Any]]:
    """The rows of a seed file as stored values; `bbox` (the service area) catches latitude and longitude swapped."""
    features = read_seed_features(table, seed, folder)
    if looks_swapped(features, bbox):
        code = "E_MAP_FILE_SWAPPED_CSV" if seed.file.lower().endswith(".csv") else "E_MAP_FILE_SWAPPED"
        raise SeedError(code, {"name": seed.file, "lat": seed.lat, "lon": seed.lon})
    location = next((n for n, f in table.fields.items() if f.type == "location"), None)
    if location is None and any(f.get("geometry") for f in features):
        raise SeedError("E_NO_LOCATION_FIELD", {"table": table_name})
    available = set().union(*(f["properties"] for f in features)) if features else set()
    columns = {name: seed.columns.get(name, name) for name in table.fields if name != location}
    for column in [*seed.columns.values(), *([seed.created_at] if seed.created_at else [])]:
        if column not in available and features:
            raise SeedError("E_SEED_COLUMN", {"name": column, "options": sorted(available)})
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)  # stored times are naive UTC
    rows = []
    for number, feature in enumerate(features, start=2):
        row = _row(table, columns, location, feature, number)
        if seed.created_at:
            row.update(_created_at(feature["properties"], seed.created_at, number, now))
        rows.append(row)
    return rows


def read_seed_features(table: TableSpec, seed: SeedSpec, folder: Path) -> list[Feature]:
    path = folder / seed.file
    try:
        if path.suffix.lower() == ".csv":
            return _csv_features(table, seed, read_text(path, seed.encoding))
        return read_features(path, lat=seed.lat, lon=seed.lon, encoding=seed.encoding)
    except GeoFileError as exc:
        raise SeedError("E_SEED_UNREADABLE", {"detail": file_reason(exc.reason, exc.detail)}) from exc
    except OSError as exc:
        raise SeedError("E_SEED_UNREADABLE", {"detail": exc.strerror or str(exc)}) from exc


def _csv_features(table: TableSpec, seed: SeedSpec, text: str) -> list[Feature]:
    """Points when the CSV has the lat/lon columns; plain rows when it has none and the table needs none."""
    header = next(csv.reader(io.StringIO(text)), [])
    if seed.lat in header and seed.lon in header:
        return read_csv_points(text, lat=seed.lat, lon=seed.lon)
    if _needs_coordinates(table, seed, header):
        raise SeedError("E_SEED_COLUMN", {"name": f"{seed.lat}/{seed.lon}", "options": header})
    return [{"type": "Feature", "geometry": None, "properties": dict(row)} for row in csv.DictReader(io.StringIO(text))]


def _needs_coordinates(table: TableSpec, seed: SeedSpec, header: list[str]) -> bool:
    """Coordinates are needed for a required location, or when the file has one of the two columns, or names them.

    An optional location may be missing from a seed file like any optional field (a list of offices without points).
    """
    locations = [f for f in table.fields.values() if f.type == "location"]
    if not locations:
        return False
    half_there = seed.lat in header or seed.lon in header
    named = bool({"lat", "lon"} & seed.model_fields_set)
    return any(f.required for f in locations) or half_there or named


def _row(table: TableSpec, columns: dict[str, str], location: str | None, feature: Feature, number: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    properties = feature["properties"]
    for name, column in columns.items():
        field = table.fields[name]
        if column not in properties:
            continue
        try:
            values[name] = parse_field_text(field.type, properties[column])
        except InvalidValue as exc:
            params = {"row": number, "name": column, "value": properties[column], "reason": value_reason(exc.key)}
            raise SeedError("E_SEED_VALUE", params) from exc
    if location:
        values[location] = _point(feature)
    return values


def _created_at(properties: dict[str, Any], column: str, number: int, now: dt.datetime) -> dict[str, dt.datetime]:
    """`{SEED_CREATED_AT: stored time}` from the file's `created_at:` column; nothing for an empty cell."""
    raw = properties.get(column)
    if raw is None or not str(raw).strip():
        return {}
    params = {"row": number, "name": column, "value": raw}
    try:
        made = parse_field_text("datetime", str(raw))
    except InvalidValue as exc:
        raise SeedError("E_SEED_VALUE", {**params, "reason": value_reason(exc.key)}) from exc
    if made > now:  # a count per month would show reports that have not come in yet
        raise SeedError("E_SEED_VALUE", {**params, "reason": value_reason("datetime_in_future")})
    return {SEED_CREATED_AT: made}


def _point(feature: Feature) -> tuple[float, float] | None:
    geometry = feature.get("geometry") or {}
    if geometry.get("type") != "Point":
        return None
    lon, lat = geometry["coordinates"][:2]
    return float(lon), float(lat)
