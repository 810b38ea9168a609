"""GeoJSON (RFC 7946): one FeatureCollection, a Feature per row, its Point in [longitude, latitude] order (WGS 84,
no `crs` member), its properties the fields the audience sees by field name (stable, unlike labels); a row
without a point has `"geometry": null`, as the RFC allows. Only for tables with a location field."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from ..records.bulk_reads import RowBatch
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from ..values import SERVICE_TIME_ZONE
from .columns import ExportOptions, Reader, field_reader, local_datetime

Property = tuple[str, Reader]


def geometry_field(table: TableSpec, fields: Sequence[str]) -> str | None:
    """The first location field among `fields`: the features' geometry."""
    return next((name for name in fields if table.fields[name].type == "location"), None)


def feature_properties(
    runtime: AppRuntime, table: TableSpec, fields: Sequence[str], geometry: str, options: ExportOptions,
    with_reference: bool,
) -> list[Property]:
    properties: list[Property] = []
    if with_reference:
        properties += [("ref", lambda row, titles: row.get("ref")),
                       ("sent", lambda row, titles: local_datetime(row.get("created_at")))]
    for name in fields:
        kind = table.fields[name].type
        if name == geometry:
            continue
        if kind in ("location", "area"):
            properties.append((name, geometry_value(name)))  # a second point as [lon, lat]; an area as GeoJSON
        else:
            properties.append((name, field_reader(name, table.fields[name], options)))
    return properties


def geometry_value(name: str) -> Reader:
    def read(row: Mapping[str, Any], titles: Any) -> Any:
        value = row.get(name)
        return list(value) if isinstance(value, tuple) else value

    return read


def write_geojson(properties: list[Property], geometry: str, batches: Iterable[RowBatch], out: IO[bytes]) -> int:
    """Features written one at a time (never the whole collection as one string); the number of rows."""
    out.write(b'{"type":"FeatureCollection","features":[')
    count = 0
    for batch in batches:
        for row in batch.rows:
            out.write((b"," if count else b"") + json.dumps(
                feature(row, batch.titles, properties, geometry), ensure_ascii=False, default=json_value,
            ).encode("utf-8"))
            count += 1
    out.write(b"]}\n")
    return count


def feature(row: Mapping[str, Any], titles: Any, properties: list[Property], geometry: str) -> dict[str, Any]:
    point = row.get(geometry)
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": {"type": "Point", "coordinates": [point[0], point[1]]} if point else None,
        "properties": {name: read(row, titles) for name, read in properties},
    }


def json_value(value: Any) -> Any:
    """Dates as ISO 8601 text; date-times with the city's offset (they were made local by the readers)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=SERVICE_TIME_ZONE).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
