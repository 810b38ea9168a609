"""Words in one place: every word a resident or staff member reads is a msgid in English, translated by one
Babel catalogue per language (lowcode/translations/<lang>/LC_MESSAGES/messages.po).

The engine translates with Flask-Babel. The parts that must stay free of Flask (maps, places) take a
`Translate` callable instead, the way `MapUrls` hands a map its addresses, and mark their msgids with `N_` so that
`tools/update_translations.py` extracts them. Without the engine, `words_for(lang)` reads the same catalogue.

Adding a language is adding a catalogue: `page_languages()` lists the catalogues present, plus English (the
language of the msgids), and that list is what an app's `languages:` may name.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

Translate = Callable[[str], str]
TRANSLATIONS = Path(__file__).parent / "translations"
MSGID_LANGUAGE = "en"


def N_(msgid: str) -> str:
    """Mark a msgid for extraction (Babel looks for `N_`) without translating it: it is translated where shown."""
    return msgid


def english(msgid: str) -> str:
    """The msgid as it is: the translator for English, the language the msgids are written in."""
    return msgid


@lru_cache(maxsize=1)
def page_languages() -> tuple[str, ...]:
    """The languages pages can be shown in: one per catalogue folder (sorted), then English.

    Only the folder listing is read, so the spec can check `languages:` without loading Babel.
    """
    found = sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    return (*(lang for lang in found if lang != MSGID_LANGUAGE), MSGID_LANGUAGE)


# What people write for a language instead of its code: the code of a country where it is spoken.
COUNTRY_CODES = {
    "jp": "ja", "kr": "ko", "cn": "zh", "tw": "zh", "us": "en", "uk": "en", "gb": "en", "vn": "vi", "br": "pt",
}


def suggest_language(written: str, options: Iterable[str]) -> tuple[str, ...]:
    """The language among `options` meant by a country code (jp), a name (Japanese, 日本語) or capitals (JA)."""
    wanted = written.strip().lower()
    for lang in options:
        if wanted in (lang.lower(), *(c for c, meant in COUNTRY_CODES.items() if meant == lang)):
            return (lang,)
        if wanted in (name.lower() for name in _language_names(lang)):
            return (lang,)
    return ()


def _language_names(lang: str) -> tuple[str, ...]:
    """`lang`'s name in English and in itself (only asked when a YAML problem is being worded)."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return ()
    return tuple(str(name) for name in (locale.get_display_name("en"), locale.get_display_name(lang)) if name)


@lru_cache(maxsize=16)
def words_for(lang: str) -> Translate:
    """The catalogue of `lang` as a translator, for callers without Flask-Babel (tests, benches, the CLI)."""
    if lang == MSGID_LANGUAGE or lang not in page_languages():
        return english
    from babel.support import Translations  # only here: the spec reads page_languages() without Babel

    return Translations.load(str(TRANSLATIONS), [lang]).gettext
