"""Rows → RFC 7946 GeoJSON for /<app>/api/<table>.geojson, with the request parsing, filtering and caching helpers.

Only public fields ever leave: whatever the query asks for, a field that is not `visibility: public` is refused.
Positions are [lon, lat] (RFC 7946 §3.1.1), rounded to 6 decimals (about 0.1 m), which is what the RFC advises;
a location residents enter is published on its public grid (`public_precision_m`, see lowcode/audience.py).
"""
from __future__ import annotations

import datetime as dt
import decimal
import gzip
import hashlib
import json
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..audience import PUBLIC, Audience
from ..collector import collector_paused
from ..geo.geometry import Bounds, bbox_contains, iter_positions
from ..spec.fieldtypes import is_comparable
from ..spec.maps import area_fields, layer_geometry_field, location_fields
from ..spec.models import condition_holds
from ..spec.titles import title_field_of
from ..values import InvalidValue, parse_field_text, to_local_datetime

if TYPE_CHECKING:
    from ..spec.maps import LayerSpec
    from ..spec.models import AppSpec, Condition, TableSpec

Row = Mapping[str, Any]
Titles = dict[str, dict[int, str]]  # reference field → row id → title (records.queries.Titles)
MEDIA_TYPE = "application/geo+json"
# Query parameters the endpoint reads itself; every other parameter is a field filter.
RESERVED_PARAMS = ("bbox", "fields", "location", "map", "layer", "lang")  # lang: every address of the site takes it
PRECISION = 6


class QueryError(ValueError):
    """A GeoJSON request the endpoint refuses (answer 400 with `as_json()`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_json(self) -> dict[str, str]:
        return {"error": self.code, "message": self.message}


@dataclass(frozen=True)
class FeatureQuery:
    """What one GeoJSON request asks for, already checked against the table's spec."""

    table: str
    location: str  # the field drawn: a location (points), or an `area` field (polygons) when `is_area`
    properties: tuple[str, ...]
    conditions: tuple[Condition, ...] = ()
    bbox: Bounds | None = None
    # The audience's row rule (Audience.row_conditions: any of these; None: every row), besides the layer's `where:`.
    rows: tuple[Condition, ...] | None = None
    is_area: bool = False

    def matches(self, row: Row) -> bool:
        """For engines that filter in Python; an SQL engine applies `conditions` and `bbox` in its query instead."""
        shape = row.get(self.location)
        if shape is None:
            return False
        if self.is_area:
            if self.bbox is not None and not area_meets_box(shape, self.bbox):
                return False
        elif self.bbox is not None and not bbox_contains(self.bbox, shape[0], shape[1]):
            return False
        values = dict(row)
        visible = self.rows is None or any(condition_holds(c, values) for c in self.rows)
        return visible and all(condition_holds(c, values) for c in self.conditions)


# --- reading the request ---


def parse_feature_query(
    app: AppSpec, table_name: str, args: Mapping[str, Sequence[str]], audience: Audience = PUBLIC,
    unseen: Mapping[str, Collection[str]] | None = None,
) -> FeatureQuery:
    """Check a request's parameters (each name → its list of values, as werkzeug's `args.to_dict(flat=False)`).

    Fields, filters and rows are the audience's (lowcode/audience.py), as on list pages. Its own row (a resident's
    private link) is never added: answers are cached per query string and shared by every reader. `unseen`: the
    reference filter values naming no row the audience may see (records.unseen_filter_rows; see `field_filters`).
    """
    table = app.tables.get(table_name)
    if table is None:
        raise QueryError("unknown_table", f"There is no table '{table_name}'.")
    rows = audience.row_conditions(app, table_name)
    layer_where, layer_fields, layer_location = _layer_defaults(app, table_name, args, audience)
    location = _one(args, "location") or layer_location or _only_location(table_name, table, audience)
    drawn = table.fields.get(location)
    if drawn is None or drawn.type not in ("location", "area") or not audience.can_see_field(table, location):
        raise unknown_field()
    fields_text = _one(args, "fields")
    names = _split_names(fields_text) if fields_text is not None else layer_fields or default_properties(table, audience)
    conditions = tuple(c for c in (layer_where, field_filters(table_name, table, args, audience, unseen)) if c)
    bbox_text = _one(args, "bbox")
    return FeatureQuery(
        table_name, location, check_public_fields(table_name, table, names, audience), conditions,
        parse_bbox(bbox_text) if bbox_text else None, rows, drawn.type == "area",
    )


def _one(args: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = args.get(name) or ()
    return values[-1] if values else None


def _split_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _only_location(table_name: str, table: TableSpec, audience: Audience = PUBLIC) -> str:
    """The table's one location field the audience sees; a table without any: its one area field (polygons)."""
    names = audience.only_visible(table, location_fields(table)) or audience.only_visible(table, area_fields(table))
    if len(names) != 1:
        raise QueryError("location_needed", f"Say which location field with location=: {', '.join(names) or '-'}.")
    return names[0]


def _layer_defaults(
    app: AppSpec, table_name: str, args: Mapping[str, Sequence[str]], audience: Audience = PUBLIC
) -> tuple[Condition | None, list[str], str | None]:
    """The `where`, fields and location field of the map layer named by map= and layer=, if any."""
    map_name, index = _one(args, "map"), _one(args, "layer")
    if map_name is None and index is None:
        _require_unfiltered_layer(app, table_name)
        return None, [], None
    spec = app.maps.get(map_name or "")
    if spec is None or index is None or not index.isdigit() or int(index) >= len(spec.layers):
        raise QueryError("unknown_layer", "map= and layer= must name a layer of one of the app's maps.")
    layer = spec.layers[int(index)]
    if layer.table != table_name:
        raise QueryError("unknown_layer", f"Layer {index} of map '{map_name}' does not draw '{table_name}'.")
    table = app.tables[table_name]
    return layer.where, layer_properties(layer, table, audience), layer_geometry_field(layer, table)


def _require_unfiltered_layer(app: AppSpec, table_name: str) -> None:
    """Without map= and layer=, the API answers only when some map draws every row of the table.

    A channel may show less than the audience's row rule (every answer is also filtered by it, `FeatureQuery.rows`):
    a layer with `where: {status: [checked, done]}` keeps new, unchecked reports off the public map, and asking for
    the table without naming that layer must not bring them back, even where a list shows them.
    """
    layers = [layer for spec in app.maps.values() for layer in spec.layers if layer.table == table_name]
    if not layers:
        raise QueryError("not_on_a_map", f"No map shows '{table_name}'.")
    if all(layer.where for layer in layers):
        raise QueryError("layer_needed", f"Name the map layer that shows '{table_name}' with map= and layer=.")


def layer_properties(layer: LayerSpec, table: TableSpec, audience: Audience = PUBLIC) -> list[str]:
    """The fields a table layer's features need in the browser: popup, tooltip, colour and (an area layer's) label,
    the audience's only."""
    names = [*layer_popup_fields(layer, table, audience), *(n for n in (layer.tooltip, layer.color_by) if n)]
    if layer.area is not None and layer.label_property:
        names.append(layer.label_property)
    return audience.only_visible(table, dict.fromkeys(names))


def layer_popup_fields(layer: LayerSpec, table: TableSpec, audience: Audience = PUBLIC) -> list[str]:
    """The popup's fields: as listed, or the table's title field; never a field the audience may not see."""
    return audience.only_visible(table, layer.popup if layer.popup is not None else [title_field_of(table) or ""])


def default_properties(table: TableSpec, audience: Audience = PUBLIC) -> list[str]:
    return [n for n in audience.visible_fields(table) if table.fields[n].type not in ("location", "area", "image")]


def unknown_field() -> QueryError:
    """One answer for a field that does not exist and one that is not public: the answer must not tell them apart
    (nor echo what was asked), or private field names could be found by trying."""
    return QueryError("unknown_field", "The request names a field or filter that is not available.")


def check_public_fields(table_name: str, table: TableSpec, names: Iterable[str], audience: Audience = PUBLIC) -> tuple[str, ...]:
    names = tuple(names)
    for name in names:
        if not audience.can_see_field(table, name):
            raise unknown_field()
    return tuple(names)


def field_filters(
    table_name: str, table: TableSpec, args: Mapping[str, Sequence[str]], audience: Audience = PUBLIC,
    unseen: Mapping[str, Collection[str]] | None = None,
) -> Condition:
    """`status=open&status=done` → {status: [open, done]}; only fields the audience sees that compare by value.

    A reference value in `unseen` (a row the audience may not see: a closed school) is dropped, so it filters as an
    id that does not exist: `school=<hidden>` matches nothing, as `school=<no such id>` does (an empty list matches
    no row), rather than listing the points of a row whose own property the answer hides.
    """
    condition: Condition = {}
    for name, values in args.items():
        if name in RESERVED_PARAMS:
            continue
        field = table.fields.get(name)
        if field is None or not audience.can_see_field(table, name) or not is_comparable(field.type):
            raise unknown_field()
        require_parsable(field.type, values)
        hidden = (unseen or {}).get(name, ())
        condition[name] = [value for value in values if value not in hidden]
    return condition


def require_parsable(field_type: str, values: Sequence[str]) -> None:
    """Refuse (400) a filter value its field could never hold (`school=abc`, `consent=maybe`), before any SQL."""
    for value in values:
        try:
            parse_field_text(field_type, value)
        except InvalidValue:
            raise QueryError("bad_filter_value", "A filter value is not a possible value of its field.") from None


def parse_bbox(text: str) -> Bounds:
    """`west,south,east,north` in degrees (RFC 7946 §5 order)."""
    try:
        numbers = [float(part) for part in text.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise QueryError("bad_bbox", "bbox must be four numbers: west,south,east,north.")
    west, south, east, north = numbers
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise QueryError("bad_bbox", "bbox must be west,south,east,north with west <= east and south <= north.")
    return west, south, east, north


# --- writing the response ---


def encode_feature_collection(rows: Iterable[Row], query: FeatureQuery, titles: Titles | None = None) -> bytes:
    """The FeatureCollection as compact UTF-8 JSON; rows without a location are left out.

    `titles` (reference field → row id → title, as the audience may see it: lowcode/references.py) names the rows
    the reference properties point to: each feature gets a `titles` member (RFC 7946 §6.1, a foreign member) with
    the title of each reference, for popups and tooltips. The property keeps the row id (maps filter by it), or
    null when the audience may not see the row (then nothing of it is shown, as on lists).

    The features go to json's C encoder a batch at a time: one call per feature cost more in Python than the
    encoding itself, and one call for all 100,000 would hold a second copy of every feature at once.
    """
    plain, has_shape = (_area_feature, _has_area) if query.is_area else (_feature, _has_point)
    feature = partial(_feature_with_titles, titles=titles, plain=plain) if titles is not None else plain
    features = (feature(row, query) for row in rows if has_shape(row, query.location))
    parts = []
    with collector_paused():  # one new container per feature, all alive until the end: see lowcode/collector.py
        while batch := list(islice(features, FEATURES_PER_BATCH)):
            parts.append(_ENCODE(batch)[1:-1])  # the features without the list's brackets
    return ('{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}").encode()


def feature_collection(rows: Iterable[Row], query: FeatureQuery, titles: Titles | None = None) -> dict[str, Any]:
    """The same FeatureCollection as a dict, for tests and callers that add members."""
    return json.loads(encode_feature_collection(rows, query, titles))


def _has_point(row: Row, location: str) -> bool:
    point = row.get(location)
    return point is not None and math.isfinite(point[0]) and math.isfinite(point[1])


# One encoder for every batch: json.dumps with options builds a new encoder per call.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
FEATURES_PER_BATCH = 2000
_JSON_AS_IS = frozenset({str, int, float, bool, type(None), list})  # what json_value returns unchanged


def _feature(row: Row, query: FeatureQuery) -> dict[str, Any]:
    lon, lat = row[query.location]
    return {
        "type": "Feature", "id": row.get("id"),
        "geometry": {"type": "Point", "coordinates": [round(lon, PRECISION), round(lat, PRECISION)]},
        "properties": {name: _json_property(row.get(name)) for name in query.properties},
    }


def _has_area(row: Row, field: str) -> bool:
    shape = row.get(field)
    return isinstance(shape, dict) and shape.get("type") in ("Polygon", "MultiPolygon")


def _area_feature(row: Row, query: FeatureQuery) -> dict[str, Any]:
    """A row's `area` as it was stored (a Polygon or MultiPolygon, checked when written), positions rounded."""
    shape = row[query.location]
    return {
        "type": "Feature", "id": row.get("id"),
        "geometry": {"type": shape["type"], "coordinates": _rounded(shape["coordinates"])},
        "properties": {name: _json_property(row.get(name)) for name in query.properties},
    }


def _rounded(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(c, PRECISION) for c in coordinates]
    return [_rounded(part) for part in coordinates]


def area_meets_box(shape: dict[str, Any], bbox: Bounds) -> bool:
    """Whether the area's bounding box meets `bbox` (west, south, east, north): enough to leave out far polygons."""
    positions = list(iter_positions(shape))
    if not positions:
        return False
    west, south, east, north = bbox
    lons, lats = [p[0] for p in positions], [p[1] for p in positions]
    return min(lons) <= east and max(lons) >= west and min(lats) <= north and max(lats) >= south


def _feature_with_titles(
    row: Row, query: FeatureQuery, titles: Titles, plain: Callable[[Row, FeatureQuery], dict[str, Any]] = _feature,
) -> dict[str, Any]:
    feature = plain(row, query)
    properties, named = feature["properties"], {}
    for name, shown in titles.items():
        title = shown.get(properties.get(name))
        if title is None:
            properties[name] = None  # a row the audience may not see: not even its id
        else:
            named[name] = title
    feature["titles"] = named
    return feature


def reference_properties(table: TableSpec, names: Iterable[str]) -> list[str]:
    """The reference fields among a query's properties: their features name the rows they point to."""
    return [name for name in names if table.fields[name].type == "reference" and table.fields[name].to]


def _json_property(value: Any) -> Any:
    return value if type(value) in _JSON_AS_IS else json_value(value)  # most values: no isinstance chain


def json_value(value: Any) -> Any:
    """A stored value as JSON has it: dates as ISO 8601 text, decimals as numbers, points as [lon, lat]."""
    if isinstance(value, dt.datetime):
        return to_local_datetime(value).isoformat()  # stored as UTC; with the city's offset: 2027-01-17T23:30:00+09:00
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, tuple):
        return list(value)
    if value is None or isinstance(value, (str, int, float, bool, list)):
        return value
    return str(value)


def compute_etag(*parts: bytes | str) -> str:
    """A strong ETag (quoted) from the response body, or from anything that changes when it would change."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return f'"{digest.hexdigest()[:32]}"'


def gzip_body(body: bytes) -> bytes:
    # mtime=0 makes the same body compress to the same bytes, so caches and ETags stay stable.
    return gzip.compress(body, compresslevel=6, mtime=0)


def geocode_results(results: Iterable[tuple[str, float, float]]) -> dict[str, Any]:
    """(label, lon, lat) results as the FeatureCollection the location picker's search box reads."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(lon, PRECISION), round(lat, PRECISION)]},
                "properties": {"label": label},
            }
            for label, lon, lat in results
        ],
    }
