"""Read geographic files (GeoJSON, KML, CSV with lat/lon columns) into GeoJSON features.

Every coordinate stays in GeoJSON order, [lon, lat]; only the Folium call turns it round.
"""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .geometry import Feature

KML_NS = "{http://www.opengis.net/kml/2.2}"
FEATURE_FILE_SUFFIXES = (".geojson", ".json", ".csv", ".kml")  # what read_features reads
AREA_FILE_SUFFIXES = (".geojson", ".json", ".kml")  # the formats that can hold polygons: a CSV holds points only


class GeoFileError(ValueError):
    """A file that cannot be read as the format its name says; `reason` is a catalogue-friendly word."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def read_features(path: Path, *, lat: str = "lat", lon: str = "lon", encoding: str = "utf-8") -> list[Feature]:
    suffix = path.suffix.lower()
    if suffix in (".geojson", ".json"):
        return read_geojson(path.read_text(encoding="utf-8-sig"))
    if suffix == ".kml":
        return read_kml(path.read_bytes())
    if suffix == ".csv":
        return read_csv_points(read_text(path, encoding), lat=lat, lon=lon)
    raise GeoFileError("unknown_format", suffix)


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """A text file in the given encoding; a UTF-8 byte-order mark (Excel's habit) is dropped."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        raise GeoFileError("bad_encoding", f"{encoding} (byte {exc.start})") from exc


def read_geojson(text: str) -> list[Feature]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GeoFileError("bad_json", f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    elif isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    elif isinstance(data, dict) and "coordinates" in data:
        features = [{"type": "Feature", "geometry": data, "properties": {}}]
    else:
        raise GeoFileError("not_geojson")
    return [_clean_feature(f) for f in features if isinstance(f, dict)]


def _clean_feature(feature: dict[str, Any]) -> Feature:
    return {"type": "Feature", "geometry": feature.get("geometry"), "properties": dict(feature.get("properties") or {})}


def read_csv_points(text: str, *, lat: str, lon: str) -> list[Feature]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in (lat, lon) if c not in (reader.fieldnames or [])]
    if missing:
        raise GeoFileError("missing_columns", ", ".join(missing))
    features = []
    for number, row in enumerate(reader, start=2):
        point = _csv_point(row, lat, lon, number)
        properties = {k: v for k, v in row.items() if k not in (lat, lon) and k is not None}
        features.append({"type": "Feature", "geometry": point, "properties": properties})
    return features


def _csv_point(row: dict[str, str], lat: str, lon: str, number: int) -> dict[str, Any] | None:
    if not (row.get(lat) or "").strip() and not (row.get(lon) or "").strip():
        return None
    try:
        return {"type": "Point", "coordinates": [float(row[lon]), float(row[lat])]}
    except (TypeError, ValueError) as exc:
        raise GeoFileError("bad_coordinate", f"row {number}") from exc


def read_kml(data: bytes) -> list[Feature]:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise GeoFileError("bad_xml", str(exc)) from exc
    return [_kml_feature(placemark) for placemark in root.iter(f"{KML_NS}Placemark")]


def _kml_feature(placemark: ET.Element) -> Feature:
    properties: dict[str, Any] = {}
    name = placemark.findtext(f"{KML_NS}name")
    if name is not None:
        properties["name"] = name.strip()
    description = placemark.findtext(f"{KML_NS}description")
    if description:
        properties["description"] = description.strip()
    for data in placemark.iter(f"{KML_NS}Data"):
        properties[data.get("name", "")] = (data.findtext(f"{KML_NS}value") or "").strip()
    geometries = list(_kml_geometries(placemark))
    geometry = geometries[0] if len(geometries) == 1 else {"type": "GeometryCollection", "geometries": geometries}
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _kml_geometries(element: ET.Element) -> Iterator[dict[str, Any]]:
    for child in element.iter():
        tag = child.tag.removeprefix(KML_NS)
        if tag == "Point":
            yield {"type": "Point", "coordinates": _kml_coords(child)[0]}
        elif tag == "LineString":
            yield {"type": "LineString", "coordinates": _kml_coords(child)}
        elif tag == "Polygon":
            yield {"type": "Polygon", "coordinates": _kml_rings(child)}


def _kml_rings(polygon: ET.Element) -> list[list[list[float]]]:
    outer = polygon.find(f"{KML_NS}outerBoundaryIs")
    rings = [_kml_coords(outer)] if outer is not None else []
    rings += [_kml_coords(inner) for inner in polygon.findall(f"{KML_NS}innerBoundaryIs")]
    return rings


def _kml_coords(element: ET.Element) -> list[list[float]]:
    text = element.findtext(f".//{KML_NS}coordinates") or ""
    points = []
    for chunk in text.split():
        parts = chunk.split(",")
        try:
            points.append([float(parts[0]), float(parts[1])])
        except (IndexError, ValueError) as exc:
            raise GeoFileError("bad_coordinate", chunk) from exc
    return points
