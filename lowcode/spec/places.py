"""Geocoder, area and derived-field spec models, and the checks that tie them to the rest of the app.

```yaml
geocoder:
  city: 石川県金沢市
  gazetteer: {file: data/towns.csv, name: town}
  online: {domain: nominatim.example.jp, user_agent: "kanazawa-hazards (gis@city.example.jp)"}
areas:
  school_districts: {file: data/districts.kml, name_property: name}
```
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from ..geo.files import AREA_FILE_SUFFIXES, GeoFileError, read_features, read_text
from ..geo.geometry import has_polygon
from .base import SpecModel, Text
from .context import CheckContext, spec_check
from .geocoders import geocoder_provider_names
from .problems import Message, register_messages
from .titles import title_field_of
from .yamlload import Path

if TYPE_CHECKING:
    from .models import AppSpec, FieldSpec, TableSpec

Encoding = Literal["utf-8", "shift_jis", "cp932"]


class GazetteerSpec(SpecModel):
    """An offline list of place names with points (a CSV or GeoJSON file), searched before any online service."""

    file: str = Field(description="CSV or GeoJSON file in the app folder, e.g. `data/towns.csv` (one row per place).")
    name: str = Field("name", description="Column (or GeoJSON property) with the place name, e.g. `town` for 町丁目 names.")
    lat: str = Field("lat", description="CSV column with the latitude.")
    lon: str = Field("lon", description="CSV column with the longitude.")
    encoding: Encoding = Field("utf-8", description="Character encoding of a CSV file.")
    reverse_max_distance_m: float = Field(
        2000, gt=0, description="A picked point further than this (metres) from every place gets no town name."
    )


class OnlineGeocoderSpec(SpecModel):
    """An online geocoding service, asked only for addresses the gazetteer does not know."""

    provider: Literal["nominatim"] = Field("nominatim", description="The service software; `nominatim` (OpenStreetMap).")
    domain: str = Field(
        "nominatim.openstreetmap.org",
        description="Host name (and port) of the service, e.g. the city's own Nominatim server `nominatim.city.example.jp`.",
    )
    scheme: Literal["https", "http"] = Field("https", description="`https`, or `http` for a server inside the city network.")
    user_agent: str = Field(
        min_length=3, description="Names your app and a contact address to the service, as its usage policy asks."
    )
    timeout: float = Field(5, gt=0, le=60, description="Seconds to wait for an answer before telling the resident to place the pin by hand.")
    min_delay_seconds: float = Field(
        1, ge=0, description="Least time between two requests; the public OpenStreetMap server allows one a second."
    )
    country_codes: str | None = Field("jp", description="Only search these countries (ISO codes, comma-separated).")
    language: str = Field("ja", description="Language of the place names the service returns.")


class GeocoderSpec(SpecModel):
    """How addresses become points: an offline gazetteer, an online service, or both (gazetteer first)."""

    city: str | None = Field(
        None, description="The city the app serves, e.g. `石川県金沢市`; residents may leave it out of addresses."
    )
    gazetteer: GazetteerSpec | None = Field(None, description="Offline place names with points, searched first.")
    online: OnlineGeocoderSpec | None = Field(None, description="Online service for addresses the gazetteer does not know.")
    providers: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Address searches installed packages add (e.g. the city's GIS), by name, with their settings; "
        "asked after the gazetteer, before `online`.",
    )
    cache: bool = Field(True, description="Remember online answers in the database so an address is looked up once.")


class AreaSpec(SpecModel):
    """A set of named areas (school districts, 町会) from a map file or from a table with an `area` field."""

    label: Text | None = Field(None, description="Name of the area set as people say it, e.g. 校下.")
    file: str | None = Field(None, description="GeoJSON or KML file in the app folder with one polygon per area.")
    name_property: str = Field("name", description="With `file`: the property (KML: the placemark field) naming each area.")
    table: str | None = Field(None, description="Instead of `file`: a table whose rows are the areas, maintained by staff.")
    name_field: str | None = Field(None, description="With `table`: the field naming each area; defaults to the table's title field.")
    area_field: str | None = Field(None, description="With `table`: the `area` field holding the polygon; defaults to the only one.")


class DeriveSpec(SpecModel):
    """Fill a field from another field of the same row when the row is saved."""

    source: str = Field(alias="from", description="The field this one is computed from.")
    area: str | None = Field(None, description="From a location field: the name of the area (under `areas:`) the point lies in.")
    lookup: str | None = Field(
        None, description="From a text or choice field: a table that maps its value to this field's value (e.g. 町丁目 → 校下)."
    )
    key: str | None = Field(None, description="With `lookup`: the field of that table matched against `from`; defaults to the `from` name.")
    value: str | None = Field(None, description="With `lookup`: the field of that table copied here; defaults to this field's name.")
    nearest_town: bool = Field(False, description="From a location field: the name of the nearest gazetteer place (needs `geocoder:`).")
    town_kana: bool = Field(
        False,
        description="From a text field of town names: their reading in hiragana from Japan Post's data "
        "(広坂一丁目 → ひろさか01ちょうめ; needs `geocoder: {city: …}`). Name this field as the town field's `reading`.",
    )

    @property
    def methods(self) -> list[str]:
        """The ways of deriving this spec names; exactly one is valid."""
        ways = (("area", self.area), ("lookup", self.lookup), ("nearest_town", self.nearest_town), ("town_kana", self.town_kana))
        return [m for m, on in ways if on]



NOT_LOOKUP_KEYS = ("location", "area", "image")  # values that cannot be matched as text

register_messages(
    {
        "E_GEOCODER_EMPTY": Message(
            "The geocoder has neither a gazetteer nor an online service.",
            "geocoder に gazetteer も online もありません。",
            "Add `gazetteer:` (a file of place names with points), `online:` (a Nominatim server), or both.",
            "`gazetteer:`(地名と座標のファイル)か `online:`(Nominatim サーバー)、またはその両方を書いてください。",
        ),
        "E_UNKNOWN_GEOCODER": Message(
            "No installed package provides the geocoder '{name}'.",
            "geocoder '{name}' を提供するパッケージがインストールされていません。",
            "Install the package that adds it (`pip install …`), or use one that is installed: {options}.",
            "それを追加するパッケージを `pip install` で入れるか、インストール済みのものを使ってください: {options}。",
        ),
        "W_NOMINATIM_PUBLIC_RATE": Message(
            "The public OpenStreetMap Nominatim server allows one request a second, but min_delay_seconds is {value}.",
            "OpenStreetMap の公開 Nominatim サーバーは1秒に1回までですが、min_delay_seconds が {value} です。",
            "Set `min_delay_seconds: 1`, or put the city's own Nominatim server in `domain:`.",
            "`min_delay_seconds: 1` にするか、`domain:` に市の Nominatim サーバーを書いてください。",
            severity="warning",
        ),
        "E_GAZETTEER_FILE_MISSING": Message(
            "The gazetteer file '{name}' is not in the app folder.",
            "地名ファイル(gazetteer) '{name}' がアプリのフォルダにありません。",
            "Put the file in the app's `data/` folder and write its path from the app folder, e.g. `data/towns.csv`.",
            "ファイルをアプリの `data/` フォルダに置き、アプリのフォルダからのパスを書いてください(例: `data/towns.csv`)。",
        ),
        "E_AREA_FILE_MISSING": Message(
            "The area file '{name}' is not in the app folder.",
            "区域ファイル '{name}' がアプリのフォルダにありません。",
            "Put the file in the app's `data/` folder and write its path from the app folder, e.g. `data/districts.kml`.",
            "ファイルをアプリの `data/` フォルダに置き、アプリのフォルダからのパスを書いてください(例: `data/districts.kml`)。",
        ),
        "E_PLACES_FILE_UNREADABLE": Message(
            "The file '{name}' cannot be read: {detail}.",
            "ファイル '{name}' を読めません: {detail}。",
            "Save it as CSV with a header row, as GeoJSON or as KML, and check `encoding:`.",
            "見出し行付きの CSV、GeoJSON、KML のどれかで保存し、`encoding:` を確かめてください。",
        ),
        "E_UNKNOWN_GAZETTEER_COLUMN": Message(
            "The gazetteer file has no column '{name}'.",
            "地名ファイルに列 '{name}' がありません。",
            "Columns in the file: {options}.",
            "ファイルの列: {options}。",
        ),
        "E_AREA_SOURCE": Message(
            "The area set '{name}' must name exactly one of `file` or `table`.",
            "区域 '{name}' には `file` か `table` のどちらか1つだけを書いてください。",
            "Use `file:` for a GeoJSON or KML map, or `table:` for areas that staff draw in the app.",
            "GeoJSON・KML の地図なら `file:`、職員がアプリで描く区域なら `table:` を使います。",
        ),
        "E_AREA_FILE_FORMAT": Message(
            "The area file '{name}' is not GeoJSON or KML.",
            "区域ファイル '{name}' が GeoJSON でも KML でもありません。",
            "Export the areas as .geojson or .kml (QGIS and Google My Maps can do both).",
            "区域を .geojson か .kml で書き出してください(QGIS や Google マイマップで書き出せます)。",
        ),
        "E_UNKNOWN_AREA_PROPERTY": Message(
            "The areas in '{file}' have no property '{name}'.",
            "'{file}' の区域にプロパティ '{name}' がありません。",
            "Set `name_property:` to one of: {options}.",
            "`name_property:` を次のどれかにしてください: {options}。",
        ),
        "E_AREA_FILE_EMPTY": Message(
            "The file '{name}' has no polygon with a '{property}', so no point can fall in one of its areas.",
            "'{name}' に '{property}' の付いた多角形がないため、どの地点もその区域に入りません。",
            "Check that the file holds polygons (not only points or lines) and that each has a name.",
            "ファイルに(点や線だけでなく)多角形があり、それぞれに名前があるかを確かめてください。",
        ),
        "E_UNKNOWN_AREA_TABLE": Message(
            "The area set '{area}' reads the table '{name}', which does not exist.",
            "区域 '{area}' の table '{name}' はありません。",
            "Tables in this app: {options}.",
            "このアプリのテーブル: {options}。",
        ),
        "E_UNKNOWN_AREA_FIELD": Message(
            "The area set '{area}' names the field '{name}', which the table '{table}' does not have.",
            "区域 '{area}' に書かれた項目 '{name}' はテーブル '{table}' にありません。",
            "Fields of '{table}': {options}.",
            "'{table}' の項目: {options}。",
        ),
        "E_AREA_FIELD_TYPE": Message(
            "The field '{name}' of the table '{table}' is a {type} field; area polygons need a field of type `area`.",
            "テーブル '{table}' の項目 '{name}' は {type} 型です。区域の多角形には `area` 型の項目が必要です。",
            "Area fields of '{table}': {options}.",
            "'{table}' の area 型の項目: {options}。",
        ),
        "E_AREA_FIELD_NEEDED": Message(
            "Say which field of the table '{table}' holds the area polygons.",
            "テーブル '{table}' のどの項目に区域の多角形があるかを書いてください。",
            "Add `area_field:` with a field of type `area` (area fields now: {options}).",
            "`area_field:` に area 型の項目を書いてください(今ある area 型の項目: {options})。",
        ),
        "E_AREA_NAME_FIELD": Message(
            "Say which field of the table '{table}' names each area.",
            "テーブル '{table}' のどの項目が区域の名前かを書いてください。",
            "Add `name_field:` (text fields: {options}).",
            "`name_field:` を書いてください(文字の項目: {options})。",
        ),
        "E_DERIVE_HOW": Message(
            "The derived field '{field}' must use exactly one of `area`, `lookup`, `nearest_town` or `town_kana`.",
            "項目 '{field}' の derive には `area`・`lookup`・`nearest_town`・`town_kana` のどれか1つだけを書いてください。",
            "`area` finds the area a point lies in; `lookup` reads a table such as 町丁目 → 校下; "
            "`nearest_town` names the nearest gazetteer place; `town_kana` writes a town name's reading.",
            "`area` は地点を含む区域、`lookup` は 町丁目 → 校下 のような対応表、`nearest_town` は最寄りの地名、"
            "`town_kana` は町名の読み仮名を入れます。",
        ),
        "E_UNKNOWN_DERIVE_SOURCE": Message(
            "The field '{field}' is derived from '{name}', which is not a field of the table '{table}'.",
            "項目 '{field}' の from '{name}' はテーブル '{table}' の項目ではありません。",
            "Fields of '{table}': {options}.",
            "'{table}' の項目: {options}。",
        ),
        "E_UNKNOWN_AREA": Message(
            "The field '{field}' is derived from the area set '{name}', which is not under `areas:`.",
            "項目 '{field}' の区域 '{name}' が `areas:` にありません。",
            "Area sets: {options}. Add '{name}' under `areas:` or correct the name.",
            "区域: {options}。`areas:` に '{name}' を加えるか、名前を直してください。",
        ),
        "E_DERIVE_NEEDS_LOCATION": Message(
            "`{method}` needs a location field, but '{name}' is a {type} field.",
            "`{method}` には location 型の項目が必要ですが、'{name}' は {type} 型です。",
            "Location fields of '{table}': {options}.",
            "'{table}' の location 型の項目: {options}。",
        ),
        "E_DERIVE_LOOKUP_SOURCE": Message(
            "`lookup` matches text, but '{name}' is a {type} field.",
            "`lookup` は文字で照合しますが、'{name}' は {type} 型です。",
            "Derive a town name from the point first (`nearest_town: true`), then look that field up.",
            "先に地点から町名を derive し(`nearest_town: true`)、その項目で lookup してください。",
        ),
        "E_UNKNOWN_LOOKUP_TABLE": Message(
            "The field '{field}' looks up the table '{name}', which does not exist.",
            "項目 '{field}' の lookup のテーブル '{name}' はありません。",
            "Tables in this app: {options}.",
            "このアプリのテーブル: {options}。",
        ),
        "E_UNKNOWN_LOOKUP_FIELD": Message(
            "The lookup table '{table}' has no field '{name}' (`{role}`).",
            "対応表 '{table}' に項目 '{name}' がありません(`{role}`)。",
            "Fields of '{table}': {options}. `key` defaults to the `from` field's name, `value` to this field's name.",
            "'{table}' の項目: {options}。`key` を省くと from の項目名、`value` を省くとこの項目名になります。",
        ),
        "E_DERIVE_CYCLE": Message(
            "Derived fields depend on each other in a circle: {cycle}.",
            "derive が循環しています: {cycle}。",
            "Make one of them an ordinary input field.",
            "どれか1つを通常の入力項目にしてください。",
        ),
        "E_DERIVE_KANA_SOURCE": Message(
            "`town_kana` reads a town name, but '{name}' is a {type} field.",
            "`town_kana` は町名を読みますが、'{name}' は {type} 型です。",
            "Derive the reading from the text field holding the town name (text fields of '{table}': {options}).",
            "町名の入った text 型の項目から derive してください('{table}' の text 型の項目: {options})。",
        ),
        "E_DERIVE_NEEDS_CITY": Message(
            "`town_kana` needs to know the app's city, and `geocoder:` has no `city:`.",
            "`town_kana` にはアプリの市区町村が必要ですが、`geocoder:` に `city:` がありません。",
            "Add `geocoder: {{city: 石川県金沢市}}` (your prefecture and city): town readings are looked up in that city.",
            "`geocoder: {{city: 石川県金沢市}}` のように都道府県と市区町村を書いてください。その市区町村の町名の読みを使います。",
        ),
        "E_DERIVE_NEEDS_GEOCODER": Message(
            "`nearest_town` needs a geocoder, and this app has no `geocoder:`.",
            "`nearest_town` には geocoder が必要ですが、このアプリに `geocoder:` がありません。",
            "Add `geocoder:` with a `gazetteer:` of town names and points.",
            "町名と座標の `gazetteer:` を持つ `geocoder:` を追加してください。",
        ),
    }
)


@spec_check
def check_geocoder(app: AppSpec, ctx: CheckContext) -> None:
    spec, path = app.geocoder, ("geocoder",)
    if spec is None:
        return
    if spec.gazetteer is None and spec.online is None and not spec.providers:
        ctx.report("E_GEOCODER_EMPTY", path)
    for name in spec.providers:
        ctx.require_name("E_UNKNOWN_GEOCODER", name, geocoder_provider_names(), (*path, "providers", name), prefer_key=True)
    if spec.gazetteer is not None:
        check_gazetteer(ctx, spec.gazetteer, (*path, "gazetteer"))
    online = spec.online
    if online is not None and online.domain == "nominatim.openstreetmap.org" and online.min_delay_seconds < 1:
        ctx.report("W_NOMINATIM_PUBLIC_RATE", (*path, "online", "min_delay_seconds"), value=online.min_delay_seconds)


def check_gazetteer(ctx: CheckContext, spec: GazetteerSpec, path: Path) -> None:
    file = find_app_file(ctx, spec.file, (*path, "file"), "E_GAZETTEER_FILE_MISSING")
    columns = read_columns(ctx, file, spec, (*path, "file")) if file else None
    if file is None or columns is None:
        return
    wanted = ["name", "lat", "lon"] if file.suffix.lower() == ".csv" else ["name"]
    for key in wanted:
        ctx.require_name("E_UNKNOWN_GAZETTEER_COLUMN", getattr(spec, key), columns, (*path, key))


def read_columns(ctx: CheckContext, file: FsPath, spec: GazetteerSpec, path: Path) -> list[str] | None:
    """The header of a CSV, or the property names of a GeoJSON/KML file; None (reported) when unreadable."""
    try:
        if file.suffix.lower() == ".csv":
            return next(csv.reader(io.StringIO(read_text(file, spec.encoding))), [])
        return property_names(read_features(file))
    except (GeoFileError, OSError) as exc:
        ctx.report("E_PLACES_FILE_UNREADABLE", path, name=spec.file, detail=str(exc))
        return None


def property_names(features: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(key for feature in features for key in feature.get("properties") or {}))


def find_app_file(ctx: CheckContext, name: str, path: Path, code: str) -> FsPath | None:
    """The file inside the app folder, or None (reported): a path leading out of the folder counts as missing."""
    folder = FsPath(ctx.app_dir).resolve()
    file = (folder / name).resolve()
    if file.is_file() and file.is_relative_to(folder):
        return file
    ctx.report(code, path, name=name)
    return None


@spec_check
def check_areas(app: AppSpec, ctx: CheckContext) -> None:
    for name, area in app.areas.items():
        path = ("areas", name)
        if (area.file is None) == (area.table is None):
            ctx.report("E_AREA_SOURCE", path, name=name)
        elif area.file is not None:
            check_area_file(ctx, area.file, area.name_property, path)
        else:
            check_area_table(app, ctx, name, area, path)


def check_area_file(ctx: CheckContext, name: str, name_property: str, path: Path) -> None:
    if FsPath(name).suffix.lower() not in AREA_FILE_SUFFIXES:
        ctx.report("E_AREA_FILE_FORMAT", (*path, "file"), name=name)
        return
    file = find_app_file(ctx, name, (*path, "file"), "E_AREA_FILE_MISSING")
    if file is None:
        return
    try:
        features = read_features(file)
    except (GeoFileError, OSError) as exc:
        ctx.report("E_PLACES_FILE_UNREADABLE", (*path, "file"), name=name, detail=str(exc))
        return
    properties = property_names(features)
    if not ctx.require_name("E_UNKNOWN_AREA_PROPERTY", name_property, properties, (*path, "name_property"), file=name):
        return
    if not any(feature_has_named_polygon(f, name_property) for f in features):
        ctx.report("E_AREA_FILE_EMPTY", (*path, "file"), name=name, property=name_property)


def feature_has_named_polygon(feature: dict[str, Any], name_property: str) -> bool:
    if not str((feature.get("properties") or {}).get(name_property) or "").strip():
        return False
    return has_polygon(feature.get("geometry"))


def check_area_table(app: AppSpec, ctx: CheckContext, name: str, area: AreaSpec, path: Path) -> None:
    if not area.table or not ctx.require_name("E_UNKNOWN_AREA_TABLE", area.table, app.tables, (*path, "table"), area=name):
        return
    table = app.tables[area.table]
    check_area_name_field(ctx, name, area, table, path)
    area_fields = [n for n, f in table.fields.items() if f.type == "area"]
    if area.area_field is None:
        if len(area_fields) != 1:
            ctx.report("E_AREA_FIELD_NEEDED", path, table=area.table, options=area_fields or "-")
        return
    field_path = (*path, "area_field")
    if not ctx.require_name("E_UNKNOWN_AREA_FIELD", area.area_field, table.fields, field_path, area=name, table=area.table):
        return
    kind = table.fields[area.area_field].type
    if kind != "area":
        ctx.report("E_AREA_FIELD_TYPE", field_path, name=area.area_field, table=area.table, type=kind, options=area_fields or "-")


def check_area_name_field(ctx: CheckContext, name: str, area: AreaSpec, table: TableSpec, path: Path) -> None:
    if area.name_field is not None:
        ctx.require_name("E_UNKNOWN_AREA_FIELD", area.name_field, table.fields, (*path, "name_field"), area=name, table=area.table)
    elif title_field_of(table) is None:
        texts = [n for n, f in table.fields.items() if f.type == "text"]
        ctx.report("E_AREA_NAME_FIELD", path, table=area.table, options=texts or "-")


@spec_check
def check_derived_fields(app: AppSpec, ctx: CheckContext) -> None:
    for table_name, table in app.tables.items():
        for field_name, field in table.fields.items():
            if field.derive is not None:
                path = ("tables", table_name, "fields", field_name, "derive")
                check_derive(app, ctx, Derived(table_name, table, field_name, field.derive, path))
        check_derive_cycles(ctx, table_name, table)


@dataclass(frozen=True)
class Derived:
    """One derived field and where it was written, handed to each check."""

    table_name: str
    table: TableSpec
    name: str
    derive: DeriveSpec
    path: Path


def check_derive(app: AppSpec, ctx: CheckContext, d: Derived) -> None:
    methods = d.derive.methods
    if len(methods) != 1:
        ctx.report("E_DERIVE_HOW", d.path, field=d.name)
        return
    source_path = (*d.path, "from")
    if not ctx.require_name("E_UNKNOWN_DERIVE_SOURCE", d.derive.source, d.table.fields, source_path, field=d.name, table=d.table_name):
        return
    source = d.table.fields[d.derive.source]
    if methods[0] == "lookup":
        check_derive_lookup(app, ctx, d, source)
        return
    if methods[0] == "town_kana":
        check_derive_town_kana(app, ctx, d, source)
        return
    if source.type != "location":
        locations = [n for n, f in d.table.fields.items() if f.type == "location"]
        ctx.report(
            "E_DERIVE_NEEDS_LOCATION", source_path,
            method=methods[0], name=d.derive.source, type=source.type, table=d.table_name, options=locations or "-",
        )
    if d.derive.area is not None:
        ctx.require_name("E_UNKNOWN_AREA", d.derive.area, app.areas, (*d.path, "area"), field=d.name)
    elif app.geocoder is None:
        ctx.report("E_DERIVE_NEEDS_GEOCODER", (*d.path, "nearest_town"))


def check_derive_lookup(app: AppSpec, ctx: CheckContext, d: Derived, source: FieldSpec) -> None:
    derive = d.derive
    if source.type in NOT_LOOKUP_KEYS:
        ctx.report("E_DERIVE_LOOKUP_SOURCE", (*d.path, "from"), name=derive.source, type=source.type)
    if not derive.lookup or not ctx.require_name("E_UNKNOWN_LOOKUP_TABLE", derive.lookup, app.tables, (*d.path, "lookup"), field=d.name):
        return
    fields = app.tables[derive.lookup].fields
    for role, name in (("key", derive.key or derive.source), ("value", derive.value or d.name)):
        ctx.require_name("E_UNKNOWN_LOOKUP_FIELD", name, fields, (*d.path, role), table=derive.lookup, role=role)


def check_derive_town_kana(app: AppSpec, ctx: CheckContext, d: Derived, source: FieldSpec) -> None:
    if source.type != "text":
        texts = [n for n, f in d.table.fields.items() if f.type == "text" and n != d.name]
        ctx.report("E_DERIVE_KANA_SOURCE", (*d.path, "from"), name=d.derive.source, type=source.type, table=d.table_name, options=texts or "-")
    if app.geocoder is None or not app.geocoder.city:
        ctx.report("E_DERIVE_NEEDS_CITY", (*d.path, "town_kana"))


def check_derive_cycles(ctx: CheckContext, table_name: str, table: TableSpec) -> None:
    seen: set[frozenset[str]] = set()
    for start in table.fields:
        cycle = derive_cycle(table, start)
        if cycle and cycle[0] == start and frozenset(cycle) not in seen:
            seen.add(frozenset(cycle))
            path = ("tables", table_name, "fields", start, "derive", "from")
            ctx.report("E_DERIVE_CYCLE", path, cycle=" → ".join([*cycle, start]))


def derive_cycle(table: TableSpec, start: str) -> list[str] | None:
    """The fields of a circle of derivations reached from `start`, or None."""
    chain: list[str] = []
    name = start
    while name in table.fields and table.fields[name].derive is not None:
        if name in chain:
            return chain[chain.index(name):]
        chain.append(name)
        name = table.fields[name].derive.source  # type: ignore[union-attr]
    return None
