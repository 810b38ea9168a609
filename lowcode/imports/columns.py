"""Which field each column of an imported file fills: by field name, by label (any language), by the headers an
export writes (`場所 (緯度)`, `Spot (longitude)`), or as `--map column=field` says (`field.lat`, `field.lon` for a
location; `column=` leaves a column out). Plain coordinate columns (lat/lon, latitude/longitude, 緯度/経度, a GeoJSON
feature's Point) fill the table's first location field. The reference number and sent time of an export are left
out (a new row gets its own). A column that matches nothing is a problem with did-you-mean, never silently dropped.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..audience import STAFF
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from ..spec.problems import did_you_mean_text, suggest
from ..words import N_, words_for
from .sources import GEOMETRY_LAT, GEOMETRY_LON

NOT_IMPORTED = frozenset({"image"})
SYSTEM_HEADERS = ("Reference number", "Sent at")  # msgids: the export's first two columns, in any language
PARTS = {"lat": N_("%(label)s (latitude)"), "lon": N_("%(label)s (longitude)")}
GEOJSON_SYSTEM_PROPERTIES = ("ref", "sent")
COORDINATE_NAMES = {
    "lat": (GEOMETRY_LAT, "lat", "latitude", "Lat", "Latitude", "LAT", "LATITUDE", "緯度", "y", "Y"),
    "lon": (GEOMETRY_LON, "lon", "lng", "long", "longitude", "Lon", "Lng", "Longitude", "LON", "LNG", "LONGITUDE",
            "経度", "x", "X"),
}


@dataclass(frozen=True)
class Target:
    field: str
    part: str = ""  # "lat" / "lon" for a location's coordinate


@dataclass
class ColumnPlan:
    targets: dict[int, Target]  # column index → what it fills
    problems: list[str]  # messages (msgid already translated) about columns


def importable_fields(table: TableSpec) -> list[str]:
    """Fields an import may fill: every stored field but photos and derived ones (those are computed)."""
    return [name for name in STAFF.visible_fields(table)
            if table.fields[name].type not in NOT_IMPORTED and table.fields[name].derive is None]


def column_limit(table: TableSpec) -> int:
    """The most columns a file for this table may have: as many as an export of it (two per location, the
    reference number and the sent time), and as many again for columns a file carries that `--map` leaves out.
    A wider file (10,000 columns) is not a file for this table, and reading it all would only cost memory."""
    fields = importable_fields(table)
    return 2 * (len(SYSTEM_HEADERS) + sum(2 if table.fields[name].type == "location" else 1 for name in fields)) + 10


def known_headers(runtime: AppRuntime, table: TableSpec, languages: Sequence[str]) -> dict[str, Target | None]:
    """Header text → its target (None: a column left out on purpose)."""
    known: dict[str, Target | None] = {}
    for lang in languages:
        words = words_for(lang)
        known.update({words(h): None for h in SYSTEM_HEADERS})
        for name in importable_fields(table):
            spec = table.fields[name]
            label = runtime.text(spec.label, lang, name)
            if spec.type == "location":
                for part, template in PARTS.items():
                    known[words(template) % {"label": label}] = Target(name, part)
                    known[f"{name}_{part}"] = Target(name, part)
                known[name] = Target(name)  # one cell `[lon, lat]`: a GeoJSON export's second point
            else:
                known[label] = Target(name)
                known[name] = Target(name)
    return {**coordinate_headers(table), **known}  # a field named `lat` is that field, not a coordinate


def coordinate_headers(table: TableSpec) -> dict[str, Target | None]:
    """Plain coordinate columns (lat/lon, 緯度/経度, a GeoJSON feature's Point) fill the table's first location
    field; the reference number and sent time a GeoJSON export writes as properties are left out."""
    headers: dict[str, Target | None] = dict.fromkeys(GEOJSON_SYSTEM_PROPERTIES)
    location = next((name for name in importable_fields(table) if table.fields[name].type == "location"), None)
    if location is not None:
        for part, names in COORDINATE_NAMES.items():
            headers.update({written: Target(location, part) for written in names})
    return headers


def plan_columns(
    runtime: AppRuntime, table: TableSpec, header: Sequence[str], mapped: Mapping[str, str], lang: str,
) -> ColumnPlan:
    _ = words_for(lang)
    known = known_headers(runtime, table, [*runtime.spec.languages, "en"])
    fields = importable_fields(table)
    plan = ColumnPlan({}, [])
    for index, raw in enumerate(header):
        column = raw.strip()
        if column in mapped:
            target = mapped_target(table, fields, column, mapped[column], plan, lang)
        elif column in known:
            target = known[column]
        else:
            close = suggest(column, [k for k in known if known[k] is not None])
            hint = did_you_mean_text(close, lang) + " " if close else ""
            plan.problems.append(_(N_("Column %(column)s matches no field. %(hint)sName its field with --map "
                                      "'%(column)s=FIELD', or leave it out with --map '%(column)s='."))
                                 % {"column": column, "hint": hint})
            continue
        if target is not None:
            plan.targets[index] = target
    return plan


def mapped_target(table: TableSpec, fields: Sequence[str], column: str, written: str, plan: ColumnPlan,
                  lang: str) -> Target | None:
    """`--map column=field` (or `field.lat` / `field.lon`; empty: leave the column out)."""
    if not written.strip():
        return None
    name, _dot, part = written.strip().partition(".")
    is_location = name in fields and table.fields[name].type == "location"
    if name in fields and (part in ("lat", "lon") if is_location else not part):
        return Target(name, part)
    close = suggest(name, fields)
    hint = did_you_mean_text(close, lang) + " " if close else ""
    plan.problems.append(words_for(lang)(N_("--map %(column)s=%(field)s: there is no field %(field)s to import into "
                                            "(a location takes FIELD.lat and FIELD.lon). %(hint)sIts fields: %(fields)s."))
                         % {"column": column, "field": written, "hint": hint, "fields": ", ".join(fields)})
    return None
