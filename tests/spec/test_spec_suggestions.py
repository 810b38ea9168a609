"""Did-you-mean: wherever staff name something, a close match is offered (and nothing when nothing is close)."""
from __future__ import annotations

from collections.abc import Callable

from lowcode.spec.loader import LoadedApp

REPORTS = """\
title: 道路の通報
tables:
  reports:
    fields:
      title: {type: text, required: true}
      category: {type: choice, choices: [{key: road, label: 道路}, {key: park, label: 公園}]}
"""


def hints(loaded: LoadedApp, lang: str = "en") -> list[str]:
    return [p.hint(lang) for p in loaded.problems]


def test_a_misspelt_field_type_is_suggested(check: Callable[..., LoadedApp]) -> None:
    loaded = check(REPORTS + "      mail: {type: emial}\n      zip: {type: postcode}\n")

    assert [p.suggestions for p in loaded.problems] == [("email",), ("postal_code",)]
    assert hints(loaded, "ja")[1].endswith("。 もしかして: postal_code")


def test_a_misspelt_top_level_setting_is_suggested(check: Callable[..., LoadedApp]) -> None:
    loaded = check(REPORTS + "descripton: 壊れた道路を知らせる\n")

    [problem] = loaded.problems
    assert (problem.code, problem.line, problem.column, problem.suggestions) == ("E_UNKNOWN_KEY", 7, 1, ("description",))
    assert problem.message("ja") == "'descripton' は 'app.yaml' の設定にはありません。"
    assert problem.hint("en").endswith(" Did you mean 'description'?")


def test_a_misspelt_setting_inside_a_field_is_suggested(check: Callable[..., LoadedApp]) -> None:
    loaded = check(REPORTS + "      note: {type: textarea, requird: true}\n")

    [problem] = loaded.problems
    assert problem.render().startswith(
        "demo/app.yaml:7:30 [E_UNKNOWN_KEY] 'requird' is not a setting of 'tables.reports.fields.note'."
    )
    assert problem.render().endswith(" required, show_if, to, type, unique, visibility. Did you mean 'required'?")


def test_a_capital_letter_still_finds_the_setting(check: Callable[..., LoadedApp]) -> None:
    loaded = check(REPORTS + "      note: {Type: textarea}\n")

    assert [(p.code, p.suggestions) for p in loaded.problems] == [("E_MISSING_KEY", ()), ("E_UNKNOWN_KEY", ("type",))]


def test_two_close_names_are_both_offered(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        REPORTS
        + "      name_ja: {type: text}\n      name_en: {type: text}\nlists:\n  all: {table: reports, columns: [name]}\n"
    )

    assert hints(loaded, "en") == ["Fields of 'reports': title, category, name_ja, name_en. Did you mean 'name_ja' or 'name_en'?"]
    assert hints(loaded, "ja") == ["'reports' の項目: title, category, name_ja, name_en。 もしかして: name_ja、name_en"]


def test_a_choice_in_show_if_is_suggested(check: Callable[..., LoadedApp]) -> None:
    loaded = check(REPORTS + "      note: {type: text, show_if: {category: prk}}\n")

    assert hints(loaded) == ["Choices of 'category': road, park. Did you mean 'park'?"]


def test_a_form_table_is_suggested(check: Callable[..., LoadedApp]) -> None:
    loaded = check(REPORTS + "forms:\n  report: {table: report}\n")

    assert hints(loaded) == ["Tables in this app: reports. Did you mean 'reports'?"]


def test_nothing_is_suggested_when_nothing_is_close(check: Callable[..., LoadedApp]) -> None:
    loaded = check(REPORTS + "      note: {type: textarea, colour: red}\n")

    assert [p.code for p in loaded.problems] == ["E_UNKNOWN_KEY"]
    assert loaded.problems[0].suggestions == ()
    assert "Did you mean" not in loaded.problems[0].render("en")
    assert "もしかして" not in loaded.problems[0].render("ja")


def test_json_output_lists_the_suggestions(check: Callable[..., LoadedApp]) -> None:
    loaded = check(REPORTS + "lists:\n  all: {table: reports, sort: titel}\n")

    problem = loaded.problems[0].as_json("ja")
    assert problem["code"] == "E_BAD_SORT"
    assert problem["suggestions"] == ["title"]
    assert problem["hint"].endswith("もしかして: title")
