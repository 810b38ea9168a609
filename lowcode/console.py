"""The language of the person at the console: the `lowcode` command's messages and the server log use it.

Apart from cli.py so that the app factory can log in it without importing the command line (which imports the app).
"""
from __future__ import annotations

import locale
import os


def default_lang() -> str:
    """Japanese when the system locale is Japanese, otherwise English."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    code = locale.getlocale()[0] or ""
    return "ja" if code.lower().startswith("ja") else "en"


def database_message(error: Exception, lang: str) -> str:
    from .words import words_for  # the catalogue only when a database failed

    _ = words_for(lang)
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return _("Cannot use the database: %(detail)s\nCheck DATABASE_URL and that the database server is running.") % {
        "detail": detail,
    }
