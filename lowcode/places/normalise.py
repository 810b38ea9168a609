"""Japanese address normalisation: one written form for the many ways residents type the same place.

Both sides of a lookup go through the same function (the resident's query and the gazetteer's names), so the
canonical form only has to be consistent, not pretty: 「金沢市広坂１丁目１番１号」 and the gazetteer's 「広坂一丁目」
both become 「広坂1丁目…」. Never show the normalised text to people; show the gazetteer's own name.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)

KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
# 万 is left out on purpose: 「四十万三丁目」 is the town 四十万, not the number 400,003.
KANJI_NUMERAL = "[〇零一二三四五六七八九十百千]+"

# Dashes people type between numbers: hyphen, minus, long vowel mark, box drawing, dashes.
DASHES = "-‐‑‒–—―−ー─━ｰ"
DASH_BETWEEN_DIGITS = re.compile(rf"(?<=\d)\s*[{DASHES}]\s*(?=\d)")
TRAILING_DASH = re.compile(rf"(?<=\d)[{DASHES}]$")
POSTAL_PREFIX = re.compile(r"^〒?\d{3}-?\d{4}")
KANJI_BEFORE_UNIT = re.compile(rf"({KANJI_NUMERAL})(?=丁目|番|号)")
BANCHI = re.compile(r"(\d+)(?:番地の|番地|番の|番|の)(?=\d)")
TRAILING_UNIT = re.compile(r"(\d+)(?:番地|番|号)$")
GOU = re.compile(r"(\d+)号")
FIRST_NUMBER_DASH = re.compile(r"^(\D+?)(\d+)(?:-|$)")


@lru_cache(maxsize=4096)  # residents retry the same address; the regexes are the cost of a cached lookup
def normalise_address(text: str, city: str | None = None) -> str:
    """The canonical form of an address: NFKC, no spaces, arabic numbers, 番地/号 written as `1-2`.

    The prefecture (any of the 47) is dropped when it leads, and so is `city` when given, so that
    「石川県金沢市広坂１丁目」, 「金沢市広坂1丁目」 and 「広坂一丁目」 meet.
    """
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"\s+", "", text).replace("ヶ", "ケ").replace("ヵ", "ケ")
    text = POSTAL_PREFIX.sub("", text)
    text = strip_region(text, city)
    text = KANJI_BEFORE_UNIT.sub(lambda m: str(kanji_to_int(m.group(1))), text)
    return write_numbers_with_dashes(text)


def write_numbers_with_dashes(text: str) -> str:
    """「1番地の2」, 「1番2号」, 「1の2」, 「1ー2」 → 「1-2」."""
    text = DASH_BETWEEN_DIGITS.sub("-", text)
    text = BANCHI.sub(r"\1-", text)
    text = GOU.sub(r"\1", text)
    text = TRAILING_UNIT.sub(r"\1", text)
    return TRAILING_DASH.sub("", text)


def strip_region(text: str, city: str | None) -> str:
    """Drop a leading prefecture, then a leading `city` (with or without its 郡), then 「大字」."""
    text = strip_prefecture(text)
    for form in city_forms(city):
        if text.startswith(form):
            text = text[len(form):]
            break
    return text.removeprefix("大字")


def strip_prefecture(text: str) -> str:
    for prefecture in PREFECTURES:
        if text.startswith(prefecture):
            return text[len(prefecture):]
    return text


def city_forms(city: str | None) -> list[str]:
    """The ways a configured city may be written: 「石川県河北郡津幡町」 is also 「河北郡津幡町」 and 「津幡町」."""
    if not city:
        return []
    bare = strip_prefecture(unicodedata.normalize("NFKC", city).replace(" ", ""))
    forms = [bare]
    if "郡" in bare:
        forms.append(bare.split("郡", 1)[1])
    return [form for form in forms if form]


def kanji_to_int(numeral: str) -> int:
    """「十二」 → 12, 「二〇」 → 20, 「百五」 → 105; digits written one by one or with 十/百/千."""
    if not any(ch in KANJI_UNITS for ch in numeral):
        return int("".join(str(KANJI_DIGITS[ch]) for ch in numeral))
    total, digit = 0, 0
    for ch in numeral:
        if ch in KANJI_UNITS:
            total += (digit or 1) * KANJI_UNITS[ch]
            digit = 0
        else:
            digit = KANJI_DIGITS[ch]
    return total + digit


def chome_variants(normalised: str) -> list[str]:
    """The query as written, plus a reading of 「広坂1-2-3」 as 「広坂1丁目2-3」.

    Residents often drop 丁目 and write the chōme as the first number; only the gazetteer can tell whether
    the town has chōme, so both readings are tried and the longer gazetteer match wins.
    """
    variants = [normalised]
    match = FIRST_NUMBER_DASH.match(normalised)
    if match:
        rest = normalised[match.end():]
        variants.append(f"{match.group(1)}{match.group(2)}丁目{rest}")
    return variants
