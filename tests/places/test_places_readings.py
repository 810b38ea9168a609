"""`reading:` and `derive: {town_kana: true}` as staff write them, the problems they are told about, and the readings."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import write_app

from lowcode.places.kana import fold_kana, town_reading
from lowcode.spec.loader import LoadedApp, load_app_spec

APP = """
title: 町名
geocoder:
  city: 石川県金沢市
  gazetteer: {file: data/towns.csv, name: town}
tables:
  towns:
    fields:
      town: {type: text, reading: town_kana}
      town_kana: {type: text, derive: {from: town, town_kana: true}}
      count: {type: integer}
"""


def load(tmp_path: Path, yaml: str) -> LoadedApp:
    folder = write_app(tmp_path / "towns", yaml, {"data/towns.csv": "town,lat,lon\n広坂一丁目,36.56,136.65\n"})
    return load_app_spec(folder, display_root=tmp_path)


def described(loaded: LoadedApp, lang: str = "en") -> list[tuple[str, int, str, str]]:
    return [(p.code, p.line, p.message(lang), p.hint(lang)) for p in loaded.problems]


def test_a_reading_filled_from_japan_post_is_valid(tmp_path: Path) -> None:
    assert described(load(tmp_path, APP)) == []


def test_a_misspelt_reading_field_is_named_with_a_suggestion(tmp_path: Path) -> None:
    loaded = load(tmp_path, APP.replace("reading: town_kana", "reading: town_kan"))
    assert described(loaded) == [(
        "E_UNKNOWN_READING_FIELD", 8,
        "The reading of 'town' is the field 'town_kan', which the table 'towns' does not have.",
        "Add a text field 'town_kan' to 'towns' for the reading (kana), or name one of: town_kana. Did you mean 'town_kana'?",
    )]
    assert described(loaded, "ja")[0][2:] == (
        "'town' の読み(reading)の項目 'town_kan' はテーブル 'towns' にありません。",
        "'towns' に読み仮名用の text 型の項目 'town_kan' を加えるか、次のどれかを書いてください: town_kana。 もしかして: town_kana",
    )


def test_a_reading_must_be_a_text_field(tmp_path: Path) -> None:
    loaded = load(tmp_path, APP.replace("reading: town_kana", "reading: count"))
    assert described(loaded) == [(
        "E_READING_FIELD_TYPE", 8,
        "The reading of 'town' must be a text field, but 'count' is a integer field.",
        "Name a text field that holds the reading in kana (text fields of 'towns': town_kana).",
    )]


def test_a_field_is_not_its_own_reading(tmp_path: Path) -> None:
    loaded = load(tmp_path, APP.replace("reading: town_kana", "reading: town"))
    assert described(loaded) == [(
        "E_READING_OF_ITSELF", 8,
        "The field 'town' names itself as its reading.",
        "Add a separate text field for the reading, e.g. `town_kana: {type: text}`, and write `reading: town_kana`.",
    )]


def test_reading_is_only_for_text_fields(tmp_path: Path) -> None:
    loaded = load(tmp_path, APP.replace("count: {type: integer}", "count: {type: integer, reading: town_kana}"))
    assert [p.code for p in loaded.problems] == ["E_OPTION_NOT_FOR_TYPE"]


def test_town_kana_needs_the_city(tmp_path: Path) -> None:
    loaded = load(tmp_path, APP.replace("  city: 石川県金沢市\n", ""))
    assert described(loaded) == [(
        "E_DERIVE_NEEDS_CITY", 8,  # the city line is gone: the field is one line higher
        "`town_kana` needs to know the app's city, and `geocoder:` has no `city:`.",
        "Add `geocoder: {city: 石川県金沢市}` (your prefecture and city): town readings are looked up in that city.",
    )]


def test_town_kana_reads_a_text_field(tmp_path: Path) -> None:
    loaded = load(tmp_path, APP.replace("derive: {from: town,", "derive: {from: count,"))
    assert described(loaded) == [(
        "E_DERIVE_KANA_SOURCE", 9,
        "`town_kana` reads a town name, but 'count' is a integer field.",
        "Derive the reading from the text field holding the town name (text fields of 'towns': town).",
    )]


@pytest.mark.parametrize(("town", "reading"), [
    ("広坂一丁目", "ひろさか01ちょうめ"),
    ("広坂２丁目", "ひろさか02ちょうめ"),
    ("米泉町十丁目", "よないずみまち10ちょうめ"),
    ("不動寺町", "ふどうじまち"),
    ("下本多町五番丁", "しもほんだまち五番丁"),
    ("みずき一丁目", "みずき01ちょうめ"),
    ("泉野", None),  # 泉 is a town, but 泉 + 野 is not a reading
    ("存在しない町", None),
])
def test_town_readings_come_from_japan_post(town: str, reading: str | None) -> None:
    assert town_reading(town, "石川県金沢市") == reading


def test_kana_is_folded_to_hiragana() -> None:
    assert fold_kana("ヒロサカ") == fold_kana("ﾋﾛｻｶ") == fold_kana("ひろさか") == "ひろさか"
    assert fold_kana("カーブ") == "かーぶ"
