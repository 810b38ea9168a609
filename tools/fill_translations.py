"""Fill empty msgstr entries of the Japanese catalogue from a {msgid: translation} dict in a Python file.

Usage: python tools/fill_translations.py TRANSLATIONS.py  (the file defines JA = {...}); then update_translations.py.
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "lowcode" / "translations" / "ja" / "LC_MESSAGES" / "messages.po"


def main(source: str) -> None:
    table = runpy.run_path(source)["JA"]
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="ja")
    for message in catalog:
        if message.id and not message.string and message.id in table:
            message.string = table[message.id]
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False)


if __name__ == "__main__":
    main(sys.argv[1])
