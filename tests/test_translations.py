"""Every user-facing string of the page chrome has a Japanese translation, and the compiled catalogue is current."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "lowcode" / "translations" / "ja" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")


def extracted_ids(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "lazy_gettext", "-o", str(pot), str(ROOT)],
        check=True, cwd=ROOT, capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_every_ui_string_is_translated_to_japanese(tmp_path: Path) -> None:
    with PO.open("rb") as handle:
        translated = {m.id: m.string for m in read_po(handle, locale="ja") if m.id}
    missing = sorted(i for i in extracted_ids(tmp_path) if not translated.get(i))
    assert missing == [], "run tools/update_translations.py and translate these in messages.po"


def test_compiled_catalogue_matches_the_po_file() -> None:
    with PO.open("rb") as handle:
        source = {m.id: m.string for m in read_po(handle, locale="ja") if m.id and m.string}
    with MO.open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    assert compiled == source, "run tools/update_translations.py to recompile messages.mo"


def catalogue_words() -> dict[str, str]:
    with PO.open("rb") as handle:
        return {m.id: str(m.string or "") for m in read_po(handle, locale="ja") if isinstance(m.id, str) and m.id}


def test_words_of_maps_and_places_are_in_the_catalogue_and_translated() -> None:
    """maps and places stay free of Flask: they mark their words with N_ and the engine injects Babel's gettext."""
    from lowcode.maps.picker import LOCATION_MESSAGES, PICKER_TEXT
    from lowcode.maps.render import UI_TEXT
    from lowcode.places.base import UNAVAILABLE_MESSAGES

    marked = [*PICKER_TEXT.values(), *LOCATION_MESSAGES.values(), *UI_TEXT.values(), *UNAVAILABLE_MESSAGES.values()]
    assert len(marked) > 25 and all(isinstance(word, str) for word in marked)
    translated = catalogue_words()
    assert [word for word in marked if not translated.get(word)] == []


def dicts_of_japanese_words(path: Path) -> list[int]:
    """Lines of `{"ja": "日本語…", …}` literals: a word list kept beside the catalogue instead of in it."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                is_ja = isinstance(key, ast.Constant) and key.value == "ja"
                words = (n.value for n in ast.walk(value) if isinstance(n, ast.Constant))
                if is_ja and any(JAPANESE.search(str(word)) for word in words):
                    lines.append(node.lineno)
    return lines


def test_no_word_lists_outside_the_catalogue() -> None:
    """Resident and staff words live in messages.po; only the YAML problem catalogue (lowcode/spec) keeps {ja, en}."""
    package = ROOT / "lowcode"
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(package.rglob("*.py"))
        if package / "spec" not in path.parents and (lines := dicts_of_japanese_words(path))
    }
    assert offenders == {}
