"""`lowcode validate` on `renamed_from:`: what can be told from the YAML alone (the database's side is the plan's)."""
from __future__ import annotations

from pathlib import Path

from support import write_app

from lowcode.spec.loader import load_app_spec

YAML = """
title: Demo
tables:
  people:
    renamed_from: {table_old}
    fields:
      name: {{type: text}}
      furigana: {{type: text, renamed_from: {field_old}}}
  places:
    fields:
      where: {{type: text}}
"""


def codes(tmp_path: Path, table_old: str, field_old: str) -> list[str]:
    folder = write_app(tmp_path / "demo", YAML.format(table_old=table_old, field_old=field_old))
    return [p.code for p in load_app_spec(folder).problems]


def test_a_plain_rename_is_clean(tmp_path: Path) -> None:
    assert codes(tmp_path, "members", "kana") == []


def test_renamed_from_a_name_still_in_use_is_a_warning(tmp_path: Path) -> None:
    found = codes(tmp_path, "places", "name")
    assert found == ["W_RENAMED_FROM_IN_USE", "W_RENAMED_FROM_IN_USE"]


def test_renamed_from_itself_is_a_warning(tmp_path: Path) -> None:
    assert codes(tmp_path, "people", "furigana") == ["W_RENAMED_FROM_ITSELF", "W_RENAMED_FROM_ITSELF"]


def test_the_warning_is_in_japanese_too(tmp_path: Path) -> None:
    folder = write_app(tmp_path / "demo", YAML.format(table_old="members", field_old="name"))
    (problem,) = load_app_spec(folder).problems
    assert "'name'" in problem.render("ja") and "項目" in problem.render("ja")
    assert problem.line == 7
