"""Every limit a field puts on a value is still checked on import after the bench's speed-ups (issue 10, V): the
importer's cells are read once by their field type (`check_values(typed=True)`), a field type runs only the checks
it can need, and choice keys are worked out once — a row breaking one limit is reported, row by row, the same as a
form would say it, on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from support import app_engine, app_runtime

from lowcode.constraints import check_value
from lowcode.imports import check_import
from lowcode.records.checks import check_values
from lowcode.storage import REF_ALPHABET, new_reference

YAML = """
title: {ja: 制限, en: Limits}
tables:
  things:
    label: {ja: もの, en: Things}
    fields:
      title: {type: text, required: true, max_length: 5, label: {ja: 件名, en: Title}}
      code: {type: text, min_length: 3, pattern: "[A-Z]+", pattern_message: {ja: 大文字で, en: Capitals only}}
      cars: {type: integer, min: 1, max: 9}
      found_on: {type: date, min: 2020-01-01, max: 2030-12-31}
      kind:
        type: choice
        choices: [{key: road, label: {ja: 道路, en: Road}}, {key: park, label: {ja: 公園, en: Park}}]
      times:
        type: multichoice
        max: 1
        choices: [{key: morning, label: {ja: 朝, en: Morning}}, {key: evening, label: {ja: 夕方, en: Evening}}]
      mail: {type: email}
"""
HEADER = "title,code,cars,found_on,kind,times,mail"
ROWS = {  # row number in the file → (the row, the column its problem names, words of the message)
    2: ("道路の穴,ABC,3,2026/12/1,道路,朝,a@example.jp", "", ""),
    3: (",ABC,3,2026/12/1,道路,朝,", "title", "fill in"),
    4: ("長すぎる件名です,ABC,3,2026/12/1,道路,,", "title", "5"),
    5: ("穴,AB,3,2026/12/1,道路,,", "code", "3"),
    6: ("穴,abc,3,2026/12/1,道路,,", "code", "Capitals only"),
    7: ("穴,ABC,0,2026/12/1,道路,,", "cars", "1"),
    8: ("穴,ABC,10,2026/12/1,道路,,", "cars", "9"),
    9: ("穴,ABC,3,2019/12/31,道路,,", "found_on", "2020-01-01"),
    10: ("穴,ABC,3,2031/1/1,道路,,", "found_on", "2030-12-31"),
    11: ("穴,ABC,3,2026/12/1,川,,", "kind", "choose one"),
    12: ("穴,ABC,3,2026/12/1,道路,朝、夕方,", "times", "1"),
    13: ("穴,ABC,3,2026/12/1,道路,,not-a-mail", "mail", "mail"),
}


@pytest.fixture
def app(make_app: Any) -> Flask:
    app: Flask = make_app(YAML)
    return app


def test_each_limit_is_reported_on_its_row_and_a_good_row_passes(app: Flask) -> None:
    data = "\n".join([HEADER, *(row for row, _c, _w in ROWS.values())]).encode()
    with app.test_request_context("/?lang=en"):
        report = check_import(app_runtime(app), app_engine(app), "things", data, {}, "en")
    assert report.row_count == len(ROWS) and len(report.problems) == len(ROWS) - 1, report.problems
    for number, (_row, column, words) in ROWS.items():
        said = [p for p in report.problems if p.startswith(f"Row {number}, column {column}:")]
        assert bool(said) == (number != 2), (number, report.problems)
        assert all(words.lower() in p.lower() for p in said), (number, said)


def test_typed_values_are_checked_as_text_would_be(app: Flask) -> None:
    """What `typed=True` skips is only the reading of text: typed values get the same values and messages."""
    runtime = app_runtime(app)
    fields = ["title", "code", "cars", "kind", "times"]
    good = {"title": "穴", "code": "ABC", "cars": 3, "kind": "road", "times": ["morning"]}
    bad = {"title": "長すぎる件名です", "code": "abc", "cars": 10, "kind": "river", "times": ["morning", "evening"]}
    with app.test_request_context("/?lang=en"):
        for values in (good, bad):
            fast = check_values(runtime, "things", values, fields, "en", with_defaults=False, typed=True)
            usual = check_values(runtime, "things", values, fields, "en", with_defaults=False)
            assert (fast.values, fast.errors) == (usual.values, usual.errors)
        assert set(check_values(runtime, "things", bad, fields, "en", typed=True).errors) == set(fields)


def test_a_choice_fields_keys_follow_its_own_spec(app: Flask) -> None:
    spec = app_runtime(app).spec.tables["things"].fields
    assert check_value(spec["kind"], "road") is None and check_value(spec["times"], ["evening"]) is None
    assert check_value(spec["kind"], "morning") == ("not_choice", {})  # another field's key
    assert check_value(spec["times"], ["road"]) == ("not_choice", {})


def test_references_use_every_letter_of_their_alphabet() -> None:
    made = [new_reference() for _ in range(3000)]
    assert all(len(r) == 9 and r[4] == "-" and set(r[:4] + r[5:]) <= set(REF_ALPHABET) for r in made)
    assert set("".join(made).replace("-", "")) == set(REF_ALPHABET) and len(set(made)) == len(made)
