"""What a list search looks for: a bounded set of words, each with the written forms it may take in the table.

No SQL here (storage turns the terms into LIKE clauses); this module decides the cost of a search and how a
place name may be written. A resident's query becomes at most MAX_WORDS words: repeated words and words inside
another word are dropped (they cannot change the result), words past the limit are ignored and the page says so.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .places.kana import fold_kana, is_kana
from .places.normalise import normalise_address, strip_region
from .places.postal import lookup_postal_code

MAX_QUERY_LENGTH = 200
MAX_WORDS = 6  # every word is a LIKE over each search field; 100 one-letter words took 7–12 s on 50,000 rows
NUMBERS_ONLY = re.compile(r"[\d\-]*")
CHOME_DIGITS = re.compile(r"(\d{1,2})(?=丁目|番丁)")  # 広坂1丁目, 下本多町5番丁
POSTAL_CODE = re.compile(r"〒?(\d{3})[-\u2010-\u2015\u2212\u30fc]?(\d{4})")  # NFKC leaves −, ー and ‐ as they are
# The block and house numbers after a town: 「広坂1丁目1-1」, 「三口新町12」, 「広坂1-1-1」 (numbers after a non-digit).
HOUSE_NUMBERS = re.compile(r"(?<=\D)(\d+)(-\d+)*$")
KANJI_NUMBERS = "〇一二三四五六七八九"


@dataclass(frozen=True)
class SearchWords:
    used: tuple[str, ...]
    ignored: tuple[str, ...]  # words past MAX_WORDS: the page tells the resident


@dataclass(frozen=True)
class WordTerms:
    """One search word: `texts` are tried in the fields themselves, `reading` in their readings (kana)."""

    texts: tuple[str, ...]
    reading: str | None


def choose_search_words(query: str) -> SearchWords:
    """The words of `query` worth searching for, at most MAX_WORDS of them."""
    words = without_redundant_words(query[:MAX_QUERY_LENGTH].split())
    return SearchWords(tuple(words[:MAX_WORDS]), tuple(words[MAX_WORDS:]))


def without_redundant_words(words: list[str]) -> list[str]:
    """Drop repeats and words found inside another word: every word must match, so they add cost, not precision."""
    kept: dict[str, str] = {}  # comparable form → the first spelling typed
    for word in words:
        kept.setdefault(comparable(word), word)
    return [word for key, word in kept.items() if not any(key != other and key in other for other in kept)]


def comparable(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold()


def word_terms(word: str, city: str | None = None) -> WordTerms | None:
    """The forms of `word` to look for; None when the word only names the prefecture or the app's city.

    「金沢市広坂」 is also looked for as 「広坂」, 「広坂1丁目」 also as 「広坂一丁目」, 「ひろさか」 and 「ヒロサカ」 in readings.
    """
    plain = unicodedata.normalize("NFKC", word)
    if not strip_region(plain, city):
        return None  # 「金沢市」 or 「石川県」: every place of the list is there
    if POSTAL_CODE.fullmatch(plain):
        return WordTerms(tuple(dict.fromkeys([word, plain, *postal_code_towns(plain, city)])), None)
    address = normalise_address(word, city)
    texts = [word, plain]
    # Not a form made only of digits: 「1番」 → 「1」 would find every row with a 1, 「090-1234」 (read as a postal code) → "".
    if not NUMBERS_ONLY.fullmatch(address):
        for form in (address, *town_of_address(address)):
            texts += [form, kanji_chome(form)]
    return WordTerms(tuple(dict.fromkeys(texts)), fold_kana(word) if is_kana(word) else None)


def postal_code_towns(word: str, city: str | None) -> tuple[str, ...]:
    """The towns of a postal code (「920-0962」 → 広坂) in the app's city: a resident who knows only the postal code
    finds the town."""
    match = POSTAL_CODE.fullmatch(word)
    found = lookup_postal_code(match.group(1) + match.group(2)) if match else None
    if found is None or not found.towns:
        return ()
    place = found.prefecture + found.city
    if city and not (place.endswith(city) or city.endswith(place)):
        return ()  # another city's code: its town names would find this city's namesakes
    return found.towns


def town_of_address(address: str) -> tuple[str, ...]:
    """A whole address's town, its house numbers dropped: 「広坂1丁目1-1」 → 広坂1丁目, 「広坂1-1-1」 → 広坂 and
    広坂1丁目 (the first number read as the 丁目, as the gazetteer does), 「三口新町12」 → 三口新町."""
    match = HOUSE_NUMBERS.search(address)
    if match is None:
        return ()
    town = address[:match.start()]
    chome = (f"{town}{match.group(1)}丁目",) if match.group(2) and not town.endswith("丁目") else ()
    return (town, *chome)


def kanji_chome(address: str) -> str:
    """「広坂1丁目」 → 「広坂一丁目」, the way most town lists write chōme."""
    return CHOME_DIGITS.sub(lambda m: kanji_number(int(m.group(1))), address)


def kanji_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (chōme numbers stay below 100)."""
    tens, ones = divmod(number, 10)
    if tens == 0:
        return KANJI_NUMBERS[ones]
    return (KANJI_NUMBERS[tens] if tens > 1 else "") + "十" + (KANJI_NUMBERS[ones] if ones else "")
