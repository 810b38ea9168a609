"""Searching a list as residents type: place names in any written form, readings in kana, a bounded cost."""
from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from lowcode.app import create_app
from lowcode.search import MAX_WORDS, choose_search_words, word_terms

TOWNS = """
title: 町会さがし
languages: [ja, en]
geocoder:
  city: 石川県金沢市
  gazetteer: {file: data/towns.csv, name: town}
tables:
  towns:
    title_field: town
    fields:
      town: {type: text, label: 町名, reading: town_kana}
      town_kana: {type: text, label: よみ, derive: {from: town, town_kana: true}}
      note: {type: text, label: メモ, reading: note_kana}
      note_kana: {type: text}
      location: {type: location}
    seed: {file: data/towns.csv}
lists:
  towns: {table: towns, columns: [town, note], search: [town, note], sort: town, page_size: 50}
"""
# Code-point order would be 三口町, 三馬一丁目, 不動寺町, 広坂一丁目, 水元町, 米泉町二丁目, 米泉町十丁目.
SEED = """
town,note,note_kana,lat,lon
米泉町十丁目,,,36.5301,136.6302
三馬一丁目,,,36.5402,136.6401
広坂一丁目,,,36.560745,136.6578
不動寺町,,,36.6201,136.7201
米泉町二丁目,,,36.5303,136.6303
三口町,,,36.6001,136.6101
水元町,公園の前,コウエンノマエ,36.5602,136.6601
"""
LIST = "/demo/lists/towns"


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(TOWNS, files={"data/towns.csv": SEED})


def towns(page: Any) -> list[str]:
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    return [htmllib.unescape(t) for t in re.findall(r'<td[^>]*><a href="/demo/lists/towns/\d+">(.*?)</a></td>', text)]


def towns_listed(page: Any) -> list[str]:
    return [htmllib.unescape(t) for t in re.findall(r'<td[^>]*><a href="[^"]+">(.*?)</a></td>', page.get_data(as_text=True))]


@pytest.mark.parametrize("query", ["広坂1丁目", "広坂１丁目", "金沢市広坂", "石川県金沢市広坂一丁目", "ひろさか", "ヒロサカ", "ﾋﾛｻｶ"])
def test_a_town_is_found_however_residents_write_it(app: Flask, query: str) -> None:
    assert towns(app.test_client().get(LIST, query_string={"q": query})) == ["広坂一丁目"]


def test_a_word_naming_only_the_city_does_not_hide_its_towns(app: Flask) -> None:
    assert towns(app.test_client().get(LIST, query_string={"q": "金沢市 広坂"})) == ["広坂一丁目"]


def test_a_reading_written_by_staff_in_katakana_is_searched_in_hiragana_too(app: Flask) -> None:
    assert towns(app.test_client().get(LIST, query_string={"q": "こうえん"})) == ["水元町"]


def test_sorting_by_a_field_with_a_reading_follows_the_reading(app: Flask) -> None:
    expected = ["広坂一丁目", "不動寺町", "三口町", "三馬一丁目", "米泉町二丁目", "米泉町十丁目", "水元町"]
    assert towns(app.test_client().get(LIST)) == expected  # Japan Post has no 水元町 in Kanazawa: after the others
    assert towns(app.test_client().get(LIST, query_string={"sort": "-town"})) == expected[::-1]


def test_readings_are_filled_from_japan_post_and_kept_in_hiragana(app: Flask, stored: Callable[..., list[dict[str, Any]]]) -> None:
    readings = {row["town"]: row["town_kana"] for row in stored(app, "towns")}
    assert readings["広坂一丁目"] == "ひろさか01ちょうめ"
    assert readings["米泉町十丁目"] == "よないずみまち10ちょうめ"
    assert readings["不動寺町"] == "ふどうじまち"
    assert {row["note_kana"] for row in stored(app, "towns")} >= {"こうえんのまえ"}


def test_many_words_are_bounded_and_the_page_says_which_were_left_out(app: Flask) -> None:
    query = " ".join(["広坂", "広坂", "広", "坂"] + [f"語{i}" for i in range(10)] + ["<b>x</b>"])
    page = app.test_client().get(LIST, query_string={"q": query})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    note = re.search(r'<p class="notice" id="search-ignored">(.*?)</p>', text)
    assert note is not None
    # 広坂 twice, 広 and 坂 (inside 広坂) add nothing; the first six words remain, the rest are named.
    assert htmllib.unescape(note.group(1)) == "最初の6語だけで検索しました。次の語は使っていません: 語5 語6 語7 語8 語9 <b>x</b>"
    assert "<b>x</b>" not in text


def test_a_short_query_has_no_notice(app: Flask) -> None:
    assert 'id="search-ignored"' not in app.test_client().get(LIST, query_string={"q": "広坂 一丁目"}).get_data(as_text=True)


def test_the_search_clause_has_at_most_max_words_terms(app: Flask) -> None:
    store = app.extensions["lowcode"].runtimes["demo"].stores["towns"]
    chosen = choose_search_words(" ".join(chr(ord("a") + i % 26) for i in range(100)))
    clause = store.search_clause(["town", "note"], [t for t in map(word_terms, chosen.used) if t])
    assert len(chosen.used) == MAX_WORDS and len(clause.clauses) == MAX_WORDS
    assert str(clause.compile(compile_kwargs={"literal_binds": True})).lower().count(" like ") <= MAX_WORDS * 2 * 2


def test_repeated_and_contained_words_are_dropped_without_changing_the_result() -> None:
    assert choose_search_words("横断 横断歩道 横断歩道 ａｂ AB abc").used == ("横断歩道", "abc")
    words = [f"w{n:02d}" for n in range(20)]
    assert choose_search_words(" ".join(words)).ignored == tuple(words[MAX_WORDS:])


@pytest.mark.parametrize("word", ["090-1234", "920-0962", "1番", "12"])
def test_numbers_are_searched_as_typed_never_dropped(word: str) -> None:
    terms = word_terms(word, "石川県金沢市")
    # A postal code also finds its towns (920-0962 → 広坂), never a bare number that would find every row with it.
    assert terms is not None and terms.texts[0] == word and all(t.strip("0123456789-") for t in terms.texts[1:])


def test_the_sample_apps_town_list_finds_the_join_forms_own_example(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    app = create_app(root / "apps" / "neighbourhood_matching", {
        "TESTING": True, "INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    })
    client = app.test_client()
    url = "/neighbourhood_matching/lists/towns"
    try:
        for query in ("広坂1丁目", "金沢市広坂", "ひろさか", "ヒロサカ"):
            assert "広坂一丁目" in towns_listed(client.get(url, query_string={"q": query})), query
        assert towns_listed(client.get(url, query_string={"q": "広坂1丁目"})) == ["広坂一丁目"]
        # あいうえお order: 青草町 (あおくさ) and 相合谷町 (あおだに) first, not 一里野町 or 三馬 by code point.
        assert towns_listed(client.get(url))[:2] == ["青草町", "相合谷町"]
        # The districts' readings come with their seed file: 浅野川 (あさのがわ) first, not 三和 (U+4E09).
        districts = towns_listed(client.get("/neighbourhood_matching/lists/districts"))
        assert districts[:3] == ["浅野川", "浅野町", "朝日"] and districts[-1] == "米丸"
    finally:
        with app.app_context():
            app.extensions["lowcode"].db.engine.dispose()




def test_reference_options_follow_the_reading(make_app: Callable[..., Flask]) -> None:
    yaml = """
    title: 相談
    tables:
      districts:
        title_field: name
        fields:
          name: {type: text, reading: name_kana}
          name_kana: {type: text}
        seed: {file: data/districts.csv}
      requests:
        fields:
          district: {type: reference, to: districts}
    forms:
      ask: {table: requests}
    """
    app = make_app(yaml, files={"data/districts.csv": "name,name_kana\n三和,みわ\n三馬,みんま\n不動寺,ふどうじ\n"})
    form = app.test_client().get("/demo/forms/ask").get_data(as_text=True)
    options = re.findall(r'<option value="\d+"[^>]*>(.*?)</option>', form)
    assert options == ["不動寺", "三和", "三馬"]  # code-point order would be 三和, 三馬, 不動寺
