"""The `geocoder:`, `areas:` and `derive:` YAML, as staff write it, and the exact problems they are told about."""
from __future__ import annotations

from pathlib import Path

from lowcode.spec.loader import LoadedApp, load_app_spec


def described(loaded: LoadedApp) -> list[tuple[str, int, str, str]]:
    return [(p.code, p.line, p.message("en"), p.hint("en")) for p in loaded.problems]


def described_ja(loaded: LoadedApp) -> list[tuple[str, str]]:
    return [(p.message("ja"), p.hint("ja")) for p in loaded.problems]


def test_the_valid_app_has_no_problems(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml)
    assert loaded.problems == []
    assert loaded.spec is not None
    geocoder = loaded.spec.geocoder
    assert geocoder is not None and geocoder.online is not None and geocoder.gazetteer is not None
    assert (geocoder.online.scheme, geocoder.online.timeout, geocoder.online.min_delay_seconds) == ("https", 5, 1)
    derive = loaded.spec.tables["hazards"].fields["kouka"].derive
    assert derive is not None and (derive.source, derive.lookup, derive.methods) == ("town", "towns", ["lookup"])


def test_unknown_area_set_with_did_you_mean(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("area: districts}", "area: district}"))
    assert described(loaded) == [
        (
            "E_UNKNOWN_AREA", 27,
            "The field 'district' is derived from the area set 'district', which is not under `areas:`.",
            "Area sets: districts, chokai_areas. Add 'district' under `areas:` or correct the name. Did you mean 'districts'?",
        )
    ]
    assert described_ja(loaded) == [
        (
            "項目 'district' の区域 'district' が `areas:` にありません。",
            "区域: districts, chokai_areas。`areas:` に 'district' を加えるか、名前を直してください。 もしかして: districts",
        )
    ]


def test_missing_files(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml, data=False)
    assert described(loaded) == [
        (
            "E_GAZETTEER_FILE_MISSING", 5,
            "The gazetteer file 'data/towns.csv' is not in the app folder.",
            "Put the file in the app's `data/` folder and write its path from the app folder, e.g. `data/towns.csv`.",
        ),
        (
            "E_AREA_FILE_MISSING", 10,
            "The area file 'data/districts.kml' is not in the app folder.",
            "Put the file in the app's `data/` folder and write its path from the app folder, e.g. `data/districts.kml`.",
        ),
    ]
    assert described_ja(loaded) == [
        (
            "地名ファイル(gazetteer) 'data/towns.csv' がアプリのフォルダにありません。",
            "ファイルをアプリの `data/` フォルダに置き、アプリのフォルダからのパスを書いてください(例: `data/towns.csv`)。",
        ),
        (
            "区域ファイル 'data/districts.kml' がアプリのフォルダにありません。",
            "ファイルをアプリの `data/` フォルダに置き、アプリのフォルダからのパスを書いてください(例: `data/districts.kml`)。",
        ),
    ]


def test_a_path_out_of_the_app_folder_counts_as_missing(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("file: data/districts.kml", "file: ../../etc/hosts.kml"))
    assert [p.code for p in loaded.problems] == ["E_AREA_FILE_MISSING"]


def test_gazetteer_column_with_did_you_mean(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("name: town}", "name: towns}"))
    assert described(loaded) == [
        ("E_UNKNOWN_GAZETTEER_COLUMN", 5, "The gazetteer file has no column 'towns'.", "Columns in the file: town, koaza, lat, lon. Did you mean 'town'?")
    ]
    assert described_ja(loaded) == [("地名ファイルに列 'towns' がありません。", "ファイルの列: town, koaza, lat, lon。 もしかして: town")]


def test_area_property_with_did_you_mean(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("file: data/districts.kml}", "file: data/districts.kml, name_property: nam}"))
    assert described(loaded) == [
        ("E_UNKNOWN_AREA_PROPERTY", 10, "The areas in 'data/districts.kml' have no property 'nam'.", "Set `name_property:` to one of: name. Did you mean 'name'?")
    ]
    assert described_ja(loaded) == [
        ("'data/districts.kml' の区域にプロパティ 'nam' がありません。", "`name_property:` を次のどれかにしてください: name。 もしかして: name")
    ]


def test_lookup_table_and_fields(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("lookup: towns}", "lookup: town, value: koka}"))
    assert described(loaded) == [
        (
            "E_UNKNOWN_LOOKUP_TABLE", 26,
            "The field 'kouka' looks up the table 'town', which does not exist.",
            "Tables in this app: towns, chokai, hazards. Did you mean 'towns'?",
        )
    ]
    loaded = load_yaml_app(hazards_yaml.replace("lookup: towns}", "lookup: towns, value: koka}"))
    assert described(loaded) == [
        (
            "E_UNKNOWN_LOOKUP_FIELD", 26,
            "The lookup table 'towns' has no field 'koka' (`value`).",
            "Fields of 'towns': town, kouka. `key` defaults to the `from` field's name, `value` to this field's name. Did you mean 'kouka'?",
        )
    ]
    assert described_ja(loaded) == [
        (
            "対応表 'towns' に項目 'koka' がありません(`value`)。",
            "'towns' の項目: town, kouka。`key` を省くと from の項目名、`value` を省くとこの項目名になります。 もしかして: kouka",
        )
    ]


def test_derive_from_an_unknown_field(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("{from: location, area: districts}", "{from: locaton, area: districts}"))
    assert described(loaded) == [
        (
            "E_UNKNOWN_DERIVE_SOURCE", 27,
            "The field 'district' is derived from 'locaton', which is not a field of the table 'hazards'.",
            "Fields of 'hazards': title, location, town, kouka, district, chokai. Did you mean 'location'?",
        )
    ]
    assert described_ja(loaded)[0][0] == "項目 'district' の from 'locaton' はテーブル 'hazards' の項目ではありません。"


def test_area_needs_a_location(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("{from: location, area: districts}", "{from: title, area: districts}"))
    assert described(loaded) == [
        ("E_DERIVE_NEEDS_LOCATION", 27, "`area` needs a location field, but 'title' is a text field.", "Location fields of 'hazards': location.")
    ]
    assert described_ja(loaded) == [
        ("`area` には location 型の項目が必要ですが、'title' は text 型です。", "'hazards' の location 型の項目: location。")
    ]


def test_lookup_needs_text(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("{from: town, lookup: towns}", "{from: location, lookup: towns, key: town}"))
    assert described(loaded) == [
        (
            "E_DERIVE_LOOKUP_SOURCE", 26,
            "`lookup` matches text, but 'location' is a location field.",
            "Derive a town name from the point first (`nearest_town: true`), then look that field up.",
        )
    ]


def test_derive_needs_exactly_one_method(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("{from: location, area: districts}", "{from: location, area: districts, lookup: towns}"))
    assert described(loaded) == [
        (
            "E_DERIVE_HOW", 27,
            "The derived field 'district' must use exactly one of `area`, `lookup`, `nearest_town` or `town_kana`.",
            (
                "`area` finds the area a point lies in; `lookup` reads a table such as 町丁目 → 校下; "
                "`nearest_town` names the nearest gazetteer place; `town_kana` writes a town name's reading."
            ),
        )
    ]
    assert described_ja(loaded) == [
        (
            "項目 'district' の derive には `area`・`lookup`・`nearest_town`・`town_kana` のどれか1つだけを書いてください。",
            (
                "`area` は地点を含む区域、`lookup` は 町丁目 → 校下 のような対応表、`nearest_town` は最寄りの地名、"
                "`town_kana` は町名の読み仮名を入れます。"
            ),
        )
    ]


def test_derive_cycle(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("town: {type: text, derive: {from: location, nearest_town: true}}", "town: {type: text, derive: {from: kouka, lookup: towns, key: kouka, value: town}}"))
    assert described(loaded) == [
        ("E_DERIVE_CYCLE", 25, "Derived fields depend on each other in a circle: town → kouka → town.", "Make one of them an ordinary input field.")
    ]
    assert described_ja(loaded) == [("derive が循環しています: town → kouka → town。", "どれか1つを通常の入力項目にしてください。")]


def test_nearest_town_needs_a_geocoder(load_yaml_app, hazards_yaml: str) -> None:
    start, end = hazards_yaml.index("geocoder:"), hazards_yaml.index("areas:")
    loaded = load_yaml_app(hazards_yaml[:start] + hazards_yaml[end:])
    assert described(loaded) == [
        (
            "E_DERIVE_NEEDS_GEOCODER", 19,
            "`nearest_town` needs a geocoder, and this app has no `geocoder:`.",
            "Add `geocoder:` with a `gazetteer:` of town names and points.",
        )
    ]


def test_area_set_needs_one_source(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("{table: chokai}", "{label: 町会}"))
    assert described(loaded) == [
        (
            "E_AREA_SOURCE", 11,
            "The area set 'chokai_areas' must name exactly one of `file` or `table`.",
            "Use `file:` for a GeoJSON or KML map, or `table:` for areas that staff draw in the app.",
        )
    ]
    assert described_ja(loaded) == [
        (
            "区域 'chokai_areas' には `file` か `table` のどちらか1つだけを書いてください。",
            "GeoJSON・KML の地図なら `file:`、職員がアプリで描く区域なら `table:` を使います。",
        )
    ]


def test_area_table_checks(load_yaml_app, hazards_yaml: str) -> None:
    loaded = load_yaml_app(hazards_yaml.replace("{table: chokai}", "{table: chokai, area_field: name}"))
    assert described(loaded) == [
        (
            "E_AREA_FIELD_TYPE", 11,
            "The field 'name' of the table 'chokai' is a text field; area polygons need a field of type `area`.",
            "Area fields of 'chokai': boundary.",
        )
    ]
    loaded = load_yaml_app(hazards_yaml.replace("{table: chokai}", "{table: chokkai}"))
    assert described(loaded) == [
        (
            "E_UNKNOWN_AREA_TABLE", 11,
            "The area set 'chokai_areas' reads the table 'chokkai', which does not exist.",
            "Tables in this app: towns, chokai, hazards. Did you mean 'chokai'?",
        )
    ]
    loaded = load_yaml_app(hazards_yaml.replace("boundary: {type: area}", "boundary: {type: text}"))
    assert described(loaded) == [
        (
            "E_AREA_FIELD_NEEDED", 11,
            "Say which field of the table 'chokai' holds the area polygons.",
            "Add `area_field:` with a field of type `area` (area fields now: -).",
        )
    ]


def test_geocoder_needs_a_source(load_yaml_app, hazards_yaml: str) -> None:
    start, end = hazards_yaml.index("  city:"), hazards_yaml.index("areas:")
    loaded = load_yaml_app(hazards_yaml[:start] + "  city: 石川県金沢市\n" + hazards_yaml[end:])
    assert described(loaded) == [
        (
            "E_GEOCODER_EMPTY", 4,
            "The geocoder has neither a gazetteer nor an online service.",
            "Add `gazetteer:` (a file of place names with points), `online:` (a Nominatim server), or both.",
        )
    ]


def test_public_nominatim_rate_is_a_warning(load_yaml_app, hazards_yaml: str) -> None:
    yaml = hazards_yaml.replace("domain: nominatim.city.example.jp", "domain: nominatim.openstreetmap.org\n    min_delay_seconds: 0.2")
    loaded = load_yaml_app(yaml)
    assert [(p.code, p.severity, p.line) for p in loaded.problems] == [("W_NOMINATIM_PUBLIC_RATE", "warning", 8)]
    assert loaded.spec is not None
    assert loaded.problems[0].message("en") == (
        "The public OpenStreetMap Nominatim server allows one request a second, but min_delay_seconds is 0.2."
    )
    assert loaded.problems[0].hint("ja") == "`min_delay_seconds: 1` にするか、`domain:` に市の Nominatim サーバーを書いてください。"


def test_unreadable_area_file(load_yaml_app, hazards_yaml: str, tmp_path: Path) -> None:
    loaded = load_yaml_app(hazards_yaml)
    (tmp_path / "hazards" / "data" / "districts.kml").write_text("<kml><Placemark>", encoding="utf-8")
    loaded = load_app_spec(tmp_path / "hazards", display_root=tmp_path)
    assert [p.code for p in loaded.problems] == ["E_PLACES_FILE_UNREADABLE"]
    assert loaded.problems[0].message("en").startswith("The file 'data/districts.kml' cannot be read: bad_xml: ")
