"""Mistakes a civil servant makes in a first app.yaml, each reported once, at its place, with the right fix (issue 7).

The word-for-word texts are in test_problems_catalogue.py; these tests pin what is reported (and what is not).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from lowcode.spec.loader import LoadedApp
from lowcode.spec.regexcost import can_backtrack_explosively

Check = Callable[..., LoadedApp]


def where(loaded: LoadedApp) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in loaded.problems]


# --- item 14: costs bounded -----------------------------------------------------------------------------------


def billion_laughs(levels: int = 10) -> str:
    lines = ["title: 笑い", "tables: {}", "a0: &a0 [ha, ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_file_is_refused_at_the_first_alias(check: Check) -> None:
    started = time.perf_counter()
    loaded = check(billion_laughs())
    elapsed = time.perf_counter() - started

    assert where(loaded) == [("E_YAML_ALIAS", 4, 10)]
    assert elapsed < 2  # it took more than 60 s and 2.6 GB before


def test_an_anchor_without_alias_and_an_undefined_star_word_keep_their_messages(check: Check) -> None:
    anchored = check("title: &t 道路の通報\ntables:\n  r:\n    fields:\n      title: {type: text}\n")
    star = check("title: *重要\ntables: {}\n", name="star")

    assert anchored.problems == [] and anchored.spec is not None
    assert [p.code for p in star.problems] == ["E_YAML_SYNTAX"]


@pytest.mark.parametrize(
    "pattern",
    [r"(a+)+$", r"^(\w+\s?)+$", r"(a*)*b", r"^(\d+)*$", r"(.*a){10}", r"^([a-z0-9]+\.?)+@example\.jp$", r"((ab)*)+$"],
)
def test_patterns_that_backtrack_explosively_are_refused(check: Check, pattern: str) -> None:
    loaded = check(f"title: t\ntables:\n  r:\n    fields:\n      code: {{type: text, pattern: '{pattern}'}}\n")

    assert [p.code for p in loaded.problems] == ["E_SLOW_PATTERN"]


@pytest.mark.parametrize(
    "pattern",
    [r"^[0-9]{3}-[0-9]{4}$", r"^[a-z]+(-[a-z]+)*$", r"^([a-z]+-)*[a-z]+$", r"^\d{2,4}-\d{2,4}-\d{4}$",
     r"^(\d{3}-)?\d{4}$", r"(\d{3}-){2}\d{4}", r"^[ァ-ヶー　]+$", r"^[^@]+@[^@]+\.[a-z]+$", r"^(a|b)+$"],
)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert can_backtrack_explosively(pattern) is False


def test_a_refused_pattern_really_is_slow_and_an_accepted_one_is_not() -> None:
    import re

    value = "a" * 22 + "!"
    started = time.perf_counter()
    re.fullmatch(r"(a+)+$", value)
    slow = time.perf_counter() - started
    started = time.perf_counter()
    re.fullmatch(r"^[a-z]+(-[a-z]+)*$", value * 100)
    fast = time.perf_counter() - started

    assert can_backtrack_explosively(r"(a+)+$") and not can_backtrack_explosively(r"^[a-z]+(-[a-z]+)*$")
    assert slow > 20 * fast  # the refused shape is the one that explodes


# --- item 31: full-width characters --------------------------------------------------------------------------


def test_full_width_text_inside_values_is_not_taken_for_structure(check: Check) -> None:
    loaded = check(
        "title: 受付：平日のみ\n"
        "description: |\n"
        "  \u3000市民の皆さまへ：お知らせです。\n"
        "  \u3000title： これは本文です。\n"
        "tables:\n"
        "  r:\n"
        "    fields:\n"
        "      title: {type: text, label: '件名：必須', help: \"例：\u3000道路\"}\n"
    )

    assert loaded.problems == []
    assert loaded.spec is not None and loaded.spec.title.get("ja") == "受付：平日のみ"


def test_a_full_width_space_in_the_indentation_is_named_on_its_own_line(check: Check) -> None:
    # PyYAML reported 'fields' one line above and then "'　　title' is not a setting".
    loaded = check("title: t\ntables:\n  r:\n    fields:\n\u3000\u3000title: {type: text}\n")

    assert where(loaded) == [("E_FULLWIDTH_INDENT", 5, 1)]


def test_a_full_width_colon_inside_a_flow_block_is_named(check: Check) -> None:
    loaded = check("title: t\ntables:\n  r:\n    fields:\n      title: {type： text}\n")

    assert where(loaded) == [("E_FULLWIDTH_COLON", 5, 19)]
    assert loaded.problems[0].params == {"key": "type"}


# --- item 32: a date written with slashes --------------------------------------------------------------------


@pytest.mark.parametrize(("written", "meant"), [("2026/12/08", "2026-12-08"), ("2026年12月8日", "2026-12-08"), ("2026.4.1", "2026-04-01")])
def test_a_date_limit_written_the_japanese_way_gets_the_iso_form(check: Check, written: str, meant: str) -> None:
    loaded = check(f"title: t\ntables:\n  r:\n    fields:\n      due: {{type: date, max: {written}}}\n")

    assert [(p.code, p.suggestions) for p in loaded.problems] == [("E_BAD_DATE", (meant,))]
    assert "a number" not in loaded.problems[0].render("en")


# --- item 33: choices as a plain list -------------------------------------------------------------------------


def test_choices_written_as_plain_words_become_keys(check: Check) -> None:
    loaded = check("title: t\ntables:\n  r:\n    fields:\n      how: {type: choice, choices: [walk, bus, '1']}\n")

    assert loaded.problems == []
    assert loaded.spec is not None
    assert [(c.key, c.text("ja")) for c in loaded.spec.tables["r"].fields["how"].choices or ()] == [
        ("walk", "walk"), ("bus", "bus"), ("1", "1"),
    ]


def test_plain_japanese_choices_are_one_problem_not_one_per_line(check: Check) -> None:
    loaded = check("title: t\ntables:\n  r:\n    fields:\n      s:\n        type: choice\n        choices:\n          - 受付\n          - 完了\n")

    assert [(p.code, p.params["labels"]) for p in loaded.problems] == [("E_CHOICE_NEEDS_KEY", ["受付", "完了"])]


# --- item 34: one root cause, not a cascade -------------------------------------------------------------------


MISSPELT_TYPES = """
title: t
tables:
  reports:
    title_field: place
    fields:
      title: {type: text}
      place: {type: txt, max_length: 10, required: true}
      kind: {type: choise, choices: [{key: a}]}
      note: {type: text, show_if: {kind: a}}
forms:
  report: {table: reports, fields: [title, place, kind]}
lists:
  all: {table: reports, columns: [title, kind], filters: [kind], search: [place], sort: place, where: {kind: a}}
"""


def test_a_misspelt_type_is_reported_once_and_not_echoed_everywhere_the_field_is_named(check: Check) -> None:
    loaded = check(MISSPELT_TYPES)

    assert where(loaded) == [("E_NOT_ONE_OF", 7, 21), ("E_NOT_ONE_OF", 8, 20)]  # there were 11 errors
    assert [p.suggestions for p in loaded.problems] == [("text",), ("choice",)]


def test_a_field_that_really_does_not_exist_is_still_reported_next_to_a_misspelt_type(check: Check) -> None:
    loaded = check(MISSPELT_TYPES.replace("search: [place]", "search: [plaice]"))

    assert ("E_UNKNOWN_FIELD", 13, 75) in where(loaded)


def test_a_top_level_key_indented_inside_a_form_is_recognised(check: Check) -> None:
    loaded = check("title: t\ntables:\n  r:\n    fields:\n      x: {type: text}\nforms:\n  f:\n    table: r\n    lists:\n      all: {table: r}\n")

    assert where(loaded) == [("E_TOP_KEY_INDENTED", 9, 5)]


def test_a_table_or_field_that_shares_a_top_level_name_is_left_alone(check: Check) -> None:
    loaded = check("title: t\ntables:\n  maps:\n    fields:\n      home: {type: text}\n      nav: {type: text}\n")

    assert loaded.problems == []


def test_sample_apps_and_the_scaffold_have_no_full_width_or_alias_problems() -> None:
    from lowcode.spec.loader import load_app_spec

    root = Path(__file__).resolve().parents[2]
    for folder in [*sorted((root / "apps").iterdir()), root / "lowcode" / "scaffold"]:
        if (folder / "app.yaml").is_file():
            assert load_app_spec(folder).problems == [], folder
