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
