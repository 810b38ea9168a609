"""Every problem of a file is reported at once, errors and warnings apart, in the order of the file."""
from __future__ import annotations

from collections.abc import Callable

from lowcode.spec.loader import LoadedApp

BROKEN = """\
title: {ja: 道路の通報}
tables:
  reports:
    fields:
      title: {type: text, requird: true}
      category: {type: choice, choices: [{key: road}, {key: park}]}
      count: {type: integer, min: 10, max: 1}
forms:
  report: {table: report}
lists:
  all: {table: reports, page_size: 0, sort: titl, filters: [title]}
"""


def codes(loaded: LoadedApp) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in loaded.problems]


def test_shape_and_cross_reference_problems_come_together(check: Callable[..., LoadedApp]) -> None:
    loaded = check(BROKEN)

    assert loaded.spec is None
    assert codes(loaded) == [
        (1, "W_MISSING_TRANSLATION"),
        (5, "E_UNKNOWN_KEY"),
        (7, "E_MIN_ABOVE_MAX"),
        (9, "E_UNKNOWN_TABLE"),
        (11, "E_TOO_SMALL"),
        (11, "E_BAD_SORT"),
        (11, "E_NOT_FILTERABLE"),
    ]


def test_errors_and_warnings_are_kept_apart(check: Callable[..., LoadedApp]) -> None:
    loaded = check(BROKEN)

    assert [p.code for p in loaded.warnings] == ["W_MISSING_TRANSLATION"]
    assert len(loaded.errors) == 6
    assert all(p.severity == "error" for p in loaded.errors)


def test_warnings_alone_still_give_a_spec(check: Callable[..., LoadedApp]) -> None:
    loaded = check(
        """
        title: {ja: 道路の通報}
        tables:
          reports:
            fields:
              title: {type: text, label: {ja: 件名}}
        """
    )

    assert [(p.line, p.code) for p in loaded.problems] == [(1, "W_MISSING_TRANSLATION"), (5, "W_MISSING_TRANSLATION")]
    assert loaded.spec is not None


def test_a_missing_title_does_not_hide_the_other_problems(check: Callable[..., LoadedApp]) -> None:
    loaded = check(BROKEN.replace("title: {ja: 道路の通報}\n", "description: 壊れた道路を知らせる\n"))

    assert [code for _, code in codes(loaded)] == [
        "E_MISSING_KEY", "E_UNKNOWN_KEY", "E_MIN_ABOVE_MAX", "E_UNKNOWN_TABLE", "E_TOO_SMALL", "E_BAD_SORT", "E_NOT_FILTERABLE",
    ]


def test_a_duplicate_key_does_not_hide_the_other_problems(check: Callable[..., LoadedApp]) -> None:
    loaded = check(BROKEN.replace("      count:", "      title: {type: textarea}\n      count:"))

    assert ("E_DUPLICATE_KEY" in [p.code for p in loaded.problems]) and ("E_UNKNOWN_TABLE" in [p.code for p in loaded.problems])


def test_a_bad_folder_name_does_not_hide_the_problems_in_the_file(check: Callable[..., LoadedApp]) -> None:
    loaded = check(BROKEN, name="Road-Reports")

    assert [p.code for p in loaded.problems][:2] == ["E_APP_FOLDER_NAME", "W_MISSING_TRANSLATION"]
    assert "E_UNKNOWN_TABLE" in [p.code for p in loaded.problems]
