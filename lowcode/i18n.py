"""Languages: Flask-Babel for the page chrome; the spec's own texts pick their language themselves."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel import Locale
from flask import Flask, Response, g, request
from flask_babel import Babel, format_datetime

from .values import SERVICE_TIME_ZONE
from .words import TRANSLATIONS, page_languages

SUPPORTED = page_languages()  # one per catalogue in lowcode/translations, then English (the msgids' language)
# Japanese pages write 2027/01/17 23:30; no seconds anywhere: nobody reports a pothole to the second.
DATETIME_PATTERNS = {"ja": "yyyy/MM/dd HH:mm", "en": "MMM d, y, HH:mm"}
LANG_COOKIE = "lang"


def select_locale() -> str:
    """`?lang=` (remembered in a cookie), then the cookie, then the app's first language.

    The browser's Accept-Language is deliberately not used: a Japanese city's pages open in Japanese for
    everyone, and the switcher on every page is one tap away (decision recorded in docs/decisions.md).
    """
    wanted = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    allowed = getattr(g, "app_languages", SUPPORTED)
    return str(wanted) if wanted in allowed else str(allowed[0])


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "ja")
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", SERVICE_TIME_ZONE.key)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=select_locale)

    @app.after_request
    def remember_language(response: Response) -> Response:
        if not request.query_string:  # most pages: no ?lang=, and nothing to parse
            return response
        lang = request.args.get("lang")
        if lang in SUPPORTED and request.cookies.get(LANG_COOKIE) != lang:
            secure = bool(app.config.get("SESSION_COOKIE_SECURE"))  # HTTPS sites: no cookie over plain HTTP
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax", secure=secure)
        return response


@lru_cache(maxsize=64)  # asked on every page for the switcher; the answer never changes
def language_name(code: str) -> str:
    """A language's name written in that language (日本語, English, 한국어), from Babel's locale data."""
    return str(Locale.parse(code).get_display_name(code))


def format_stored_datetime(value: dt.datetime, lang: str) -> str:
    """A stored (naive UTC) date-time in the city's time zone (BABEL_DEFAULT_TIMEZONE), the way `lang` writes it."""
    return format_datetime(value, DATETIME_PATTERNS.get(lang, DATETIME_PATTERNS["en"]))
