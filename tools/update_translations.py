"""Refresh the UI catalogues: extract messages, merge into each language's messages.po, compile messages.mo.

Run after changing any user-facing string: `python tools/update_translations.py`. New strings arrive untranslated
(tests/test_translations.py then fails until they are translated in lowcode/translations/ja/LC_MESSAGES/messages.po).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "lowcode" / "translations"
POT = ROOT / "build" / "messages.pot"


def main() -> None:
    POT.parent.mkdir(exist_ok=True)
    babel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run([*babel, "extract", "-F", str(ROOT / "babel.cfg"), "-k", "lazy_gettext", "--no-location",
                    "--omit-header", "-o", str(POT), str(ROOT)], check=True, cwd=ROOT)
    po = CATALOGUE / "ja" / "LC_MESSAGES" / "messages.po"
    if po.exists():
        # Every catalogue present, not only Japanese: adding a language is adding a catalogue.
        subprocess.run([*babel, "update", "-i", str(POT), "-d", str(CATALOGUE), "--no-fuzzy-matching"], check=True)
    else:
        subprocess.run([*babel, "init", "-i", str(POT), "-d", str(CATALOGUE), "-l", "ja"], check=True)
    subprocess.run([*babel, "compile", "-d", str(CATALOGUE), "--use-fuzzy"], check=True)


if __name__ == "__main__":
    main()
