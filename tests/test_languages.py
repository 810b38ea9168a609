"""Adding a language is adding a catalogue: the languages an app may name are the catalogues present, plus English."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po
from support import write_app

from lowcode.spec.loader import load_app_spec
from lowcode.words import TRANSLATIONS, page_languages

ROOT = Path(__file__).resolve().parent.parent
KOREAN = {"Language": "언어", "Latitude": "위도", "Longitude": "경도"}
APP = """
title: {ja: 町の地図, ko: 동네 지도}
languages: [ja, ko]
tables:
  spots:
    fields:
      name: {type: text, label: {ja: 名前, ko: 이름}}
      place: {type: location, label: {ja: 場所, ko: 장소}}
forms:
  add: {table: spots, title: {ja: 登録, ko: 등록}}
"""
# Runs in a copy of the package that has one more catalogue (Korean): validate, then serve the form in Korean.
SCRIPT = """
import json, sys
from lowcode.app import create_app
from lowcode.spec.loader import load_app_spec
loaded = load_app_spec(sys.argv[1])
app = create_app(sys.argv[1], {"TESTING": True, "INSTANCE_PATH": sys.argv[2], "DATABASE_URL": sys.argv[3]})
page = app.test_client().get("/town/forms/add?lang=ko").get_data(as_text=True)
print(json.dumps({"problems": [p.code for p in loaded.problems], "page": page}))
"""


def add_catalogue(package: Path, lang: str, words: dict[str, str]) -> None:
    catalog = Catalog(locale=lang)
    for msgid, text in words.items():
        catalog.add(msgid, text)
    folder = package / "lowcode" / "translations" / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)


def copy_package(target: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "lowcode", target / "lowcode", ignore=ignore)
    shutil.copytree(ROOT / "templates", target / "templates", ignore=ignore)
    return target


def test_the_languages_are_the_catalogues_present_and_english() -> None:
    catalogues = sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES" / "messages.po").exists())
    assert catalogues  # Japanese ships
    assert page_languages() == (*catalogues, "en")


def test_a_language_without_a_catalogue_is_refused_with_the_ones_there_are(tmp_path: Path) -> None:
    loaded = load_app_spec(write_app(tmp_path / "town", APP))
    [problem] = loaded.problems
    assert (problem.code, problem.line, problem.column) == ("E_NOT_ONE_OF", 2, 17)  # `languages: [ja, ko]`
    assert problem.message("en") == "'ko' is not a possible value of 'languages'."
    assert problem.hint("en") == f"Use one of: {', '.join(page_languages())}."


MEANT = [("jp", "ja"), ("JA", "ja"), ("Japanese", "ja"), ("日本語", "ja"), ("english", "en")]


@pytest.mark.parametrize(("written", "meant"), MEANT)
def test_a_country_code_or_a_language_name_suggests_the_code(tmp_path: Path, written: str, meant: str) -> None:
    yaml = f"title: {{ja: 町, en: Town}}\nlanguages: [{written}]\ntables:\n  t:\n    fields:\n      a: {{type: text}}\n"
    [problem] = load_app_spec(write_app(tmp_path / "town", yaml)).problems
    assert problem.code == "E_NOT_ONE_OF" and problem.render("en").endswith(f"Did you mean '{meant}'?")


def test_a_label_in_a_language_written_as_a_country_suggests_the_code(tmp_path: Path) -> None:
    yaml = "title: {ja: 町, us: Town}\ntables:\n  t:\n    fields:\n      a: {type: text}\n"
    problems = load_app_spec(write_app(tmp_path / "town", yaml)).problems
    [problem] = [p for p in problems if p.severity == "error"]  # and a warning: no English title
    assert (problem.code, problem.line) == ("E_UNKNOWN_LANGUAGE", 1) and problem.render("ja").endswith("もしかして: en")


def test_adding_a_catalogue_adds_a_language(tmp_path: Path, database: str) -> None:
    package = copy_package(tmp_path / "pkg")
    add_catalogue(package, "ko", KOREAN)
    folder = write_app(tmp_path / "apps" / "town", APP)
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT), str(folder), str(tmp_path / "instance"), database],
        check=True, capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(package), "PATH": "/usr/bin"},
    )
    result = json.loads(out.stdout)
    assert result["problems"] == []
    page = result["page"]
    assert 'lang="ko"' in page and "한국어" in page and "日本語" in page  # the switcher names each language in itself
    assert 'aria-label="언어"' in page  # the page chrome, from the new catalogue
    assert "위도" in page and "경도" in page  # the picker's words, through the translator the engine injects
    assert "이름" in page  # the app's own label in the new language
