"""A map's `filters:` (issue 11) in the YAML: the mistakes staff can make, in both languages, with where they are."""
from __future__ import annotations

from collections.abc import Callable

from lowcode.spec.loader import LoadedApp

LoadApp = Callable[..., LoadedApp]
LAYERS = "maps:\n  m:\n    layers:\n      - {table: hazards}\n"


def problems(loaded: LoadedApp) -> list[str]:
    return [p.code for p in loaded.problems]


def test_a_choice_field_of_a_table_layer_is_a_filter(load_app: LoadApp) -> None:
    loaded = load_app(LAYERS + "    filters: [theme]\n")
    assert loaded.problems == []
    assert loaded.spec is not None and loaded.spec.maps["m"].filters == ["theme"]


def test_a_field_no_table_layer_has_suggests_the_near_name(load_app: LoadApp) -> None:
    loaded = load_app(LAYERS + "    filters: [themes]\n")
    [problem] = loaded.problems
    assert problem.code == "E_MAP_FILTER_UNKNOWN"
    assert problem.suggestions == ("theme",)
    assert (problem.line, problem.column) == (24, 15)  # `themes` in `    filters: [themes]`
    assert problem.message("en") == "No table layer of this map has a field 'themes' to filter by."
    assert problem.message("ja") == "この地図のテーブルのレイヤーには、絞り込みに使う項目 'themes' がありません。"
    assert "theme" in problem.render("en")


def test_a_text_field_is_refused_with_the_fields_that_can_be_filters(load_app: LoadApp) -> None:
    loaded = load_app(LAYERS + "    filters: [title]\n")
    [problem] = loaded.problems
    assert problem.code == "E_MAP_FILTER_TYPE"
    assert problem.message("en") == "A map filter needs a choice or reference field, and 'title' is a text field."
    assert problem.message("ja") == "地図の絞り込みには選択肢(choice)か参照(reference)の項目が必要ですが、'title' は text 型です。"
    assert problem.hint("en") == "Fields of the map's tables that can be filters: theme, status."


def test_private_and_staff_fields_cannot_be_public_filters(load_app: LoadApp) -> None:
    loaded = load_app(LAYERS + "    filters: [email, note]\n")
    assert len(loaded.problems) == 2
    assert all(p.severity == "error" for p in loaded.problems)
    assert [p.params["name"] for p in loaded.problems] == ["email", "note"]


def test_a_filter_named_twice_and_a_map_without_table_layers(load_app: LoadApp) -> None:
    assert problems(load_app(LAYERS + "    filters: [theme, theme]\n")) == ["E_DUPLICATE_ITEM"]
    loaded = load_app("maps:\n  m:\n    center: {lat: 36.5, lon: 136.6}\n    filters: [theme]\n")
    assert problems(loaded) == ["E_MAP_FILTER_UNKNOWN"]
