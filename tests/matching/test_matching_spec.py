"""`matching:` in app.yaml: a clean block loads; each mistake is reported at its place, in ja and en (issue 12)."""
from __future__ import annotations

from collections.abc import Callable

from lowcode.spec.loader import LoadedApp

APP = """\
title: {{ja: 町会マッチング, en: Matching}}
tables:
  requests:
    fields:
      title: {{type: text}}
      kind: {{type: choice, choices: [snow, festival]}}
      day: {{type: date}}
      people: {{type: integer}}
      place: {{type: location}}
      district: {{type: text}}
      status: {{type: choice, choices: [open, closed]}}
  helpers:
    fields:
      name: {{type: text}}
      kinds: {{type: multichoice, choices: [snow, festival]}}
      days: {{type: multichoice, choices: [{days}]}}
      people: {{type: integer}}
      home: {{type: location}}
      district: {{type: text}}
matching:
  volunteers:
    requests: {requests}
    helpers: helpers
    requests_where: {{status: open}}
    criteria:
      - {{kind: category, request_field: kind, helper_field: {category}}}
      - {{kind: distance, request_field: place, helper_field: home, {distance}}}
      - {{kind: dates, request_field: day, helper_field: days}}
      - {{kind: capacity, request_field: people, helper_field: people{capacity}}}
      - {{kind: same_area, request_field: district, helper_field: district}}
"""
GOOD = {"requests": "requests", "days": "sat, sun", "category": "kinds", "distance": "max_km: 5, decay_km: 1.5",
        "capacity": ""}


def app(**changes: str) -> str:
    return APP.format(**{**GOOD, **changes})


def test_a_clean_matching_loads(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app())
    assert [p.render() for p in loaded.problems] == []
    assert loaded.spec is not None
    matching = loaded.spec.matching["volunteers"]
    assert matching.top == 5 and [c.kind for c in matching.criteria][:2] == ["category", "distance"]
    assert matching.criteria[1].half_life_km() == 1.5


def test_an_unknown_table_and_field_say_where_and_suggest(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app(requests="request", category="kind"))
    rendered = [p.render("en") for p in loaded.problems]
    assert [p.code for p in loaded.problems] == ["E_UNKNOWN_TABLE", "E_UNKNOWN_FIELD"], rendered
    assert rendered[0].startswith("demo/app.yaml:22:") and "'requests'" in rendered[0]  # did you mean
    assert rendered[1].startswith("demo/app.yaml:26:") and "'kinds'" in rendered[1]
    assert "テーブル" in loaded.problems[0].render("ja")


def test_a_field_of_the_wrong_type_for_its_kind(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app(category="name"))
    [problem] = loaded.problems
    assert problem.code == "E_MATCH_FIELD_TYPE" and problem.line == 26
    assert "'name' is a text field" in problem.render("en") and "kinds" in problem.render("en")
    assert "'name' は text 型の項目です" in problem.render("ja")


def test_distance_needs_max_km_and_other_kinds_refuse_it(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app(distance="decay_km: 2", capacity=", max_km: 3"))
    assert [(p.code, p.line) for p in loaded.problems] == [("E_MATCH_NEEDS_MAX_KM", 27),
                                                           ("E_MATCH_OPTION_NOT_FOR_KIND", 29)]
    assert "max_km" in loaded.problems[0].render("ja") and "`distance`" in loaded.problems[1].render("ja")


def test_weekdays_compared_with_a_date_must_be_weekday_keys(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app(days="sat, weekend"))
    [problem] = loaded.problems
    assert problem.code == "E_MATCH_WEEKDAY_KEYS" and problem.line == 28
    assert "'weekend'" in problem.render("en") and "曜日" in problem.render("ja")


def test_an_unknown_kind_suggests_the_nearest(check: Callable[..., LoadedApp]) -> None:
    [problem] = check(app().replace("kind: same_area", "kind: same_place")).problems
    assert (problem.code, problem.line) == ("E_NOT_ONE_OF", 30)
    assert "Did you mean 'same_area'?" in problem.render("en")


def test_a_matching_name_is_checked_like_other_names(check: Callable[..., LoadedApp]) -> None:
    [problem] = check(app().replace("  volunteers:", "  Volunteers:")).problems
    assert (problem.code, problem.line) == ("E_BAD_NAME", 21)
    assert "マッチング" in problem.render("ja")


def test_a_where_on_an_unknown_field_or_value_is_reported(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app().replace("requests_where: {status: open}", "requests_where: {state: open}"))
    assert [(p.code, p.line) for p in loaded.problems] == [("E_UNKNOWN_FIELD", 24)]
    assert "'status'" in loaded.problems[0].render("en")
    loaded = check(app().replace("requests_where: {status: open}", "requests_where: {status: opn}"))
    assert [p.line for p in loaded.problems] == [24] and loaded.problems[0].code.startswith("E_")


def with_areas(request_area: str, helper_area: str) -> str:
    """The app with a `zones` table and the two `district` fields as given."""
    text = app().replace("      district: {type: text}\n      status:", f"      district: {request_area}\n      status:")
    text = text.replace("      district: {type: text}\nmatching:", f"      district: {helper_area}\nmatching:")
    return text.replace("tables:\n", "tables:\n  zones:\n    fields: {name: {type: text}}\n  towns:\n"
                                      "    fields: {name: {type: text}}\n")


def test_same_area_compares_two_references_to_one_table(check: Callable[..., LoadedApp]) -> None:
    zone = "{type: reference, to: zones}"
    assert [p.render() for p in check(with_areas(zone, zone)).problems] == []


def test_same_area_refuses_references_to_two_tables_or_a_reference_and_text(check: Callable[..., LoadedApp]) -> None:
    loaded = check(with_areas("{type: reference, to: zones}", "{type: reference, to: towns}"))
    [problem] = loaded.problems
    assert (problem.code, problem.line, problem.column) == ("E_MATCH_AREA_REFERENCE", 34, 66)  # helper_field
    english = problem.render("en")
    assert "'district' is reference→zones and 'district' is reference→towns" in english and "`to: zones`" in english
    assert "同じテーブルへの参照" in problem.render("ja")
    [problem] = check(with_areas("{type: text}", "{type: reference, to: towns}")).problems
    assert problem.code == "E_MATCH_AREA_REFERENCE" and "is text and" in problem.render("en")
    assert "`to: towns`" in problem.render("en")
