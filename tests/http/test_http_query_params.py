"""Query parameters are data, never arguments of URL building: odd names and values are ignored or a 400."""
from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

YAML = """
title: {ja: 通学路, en: School routes}
tables:
  schools:
    title_field: name
    fields:
      name: {type: text, required: true}
      location: {type: location}
  hazards:
    fields:
      title: {type: text, required: true}
      theme: {type: choice, choices: [{key: traffic}, {key: crime}]}
      school: {type: reference, to: schools}
      consent: {type: boolean}
      seen_on: {type: date}
      location: {type: location}
forms:
  report: {table: hazards}
lists:
  hazards: {table: hazards, filters: [theme, school], search: [title], page_size: 1}
maps:
  hazards:
    layers:
      - {table: hazards}
"""
PAGES = ["/demo/", "/demo/forms/report", "/demo/lists/hazards", "/demo/maps/hazards", "/demo/no-such-page"]
HOSTILE = ["endpoint=x", "_method=POST", "list_name=x", "form_name=x", "map_name=x", "_anchor=x", "_scheme=ftp"]


def seeded(make_app: Callable[..., Flask]) -> Flask:
    app = make_app(YAML)
    runtime = app.extensions["lowcode"].runtimes["demo"]
    with app.app_context(), app.extensions["lowcode"].db.engine.begin() as conn:
        runtime.stores["schools"].insert(conn, {"name": "広坂小", "location": (136.65, 36.56)})
        for title in ("一", "二", "三"):
            runtime.stores["hazards"].insert(conn, {"title": title, "theme": "traffic", "location": (136.65, 36.56)})
    return app


@pytest.mark.parametrize("param", HOSTILE)
def test_url_building_words_in_the_query_do_not_break_pages(sqlite_make_app: Callable[..., Flask], param: str) -> None:
    client = sqlite_make_app(YAML).test_client()
    for page in PAGES:
        response = client.get(f"{page}?{param}")
        assert response.status_code in (200, 404), (page, param, response.status_code)
        assert "lang=en" in response.get_data(as_text=True), (page, param)


def test_the_language_link_never_names_another_host(sqlite_make_app: Callable[..., Flask]) -> None:
    client = sqlite_make_app(YAML).test_client()
    response = client.get("/demo/lists/hazards?_external=1&q=a", headers={"Host": "evil.example"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "evil.example" not in html
    assert 'href="/demo/lists/hazards?_external=1&amp;q=a&amp;lang=en"' in html


def test_the_language_link_of_a_missing_page_keeps_its_path_encoded(sqlite_make_app: Callable[..., Flask]) -> None:
    html = sqlite_make_app(YAML).test_client().get("/demo/x%3Fy%22").get_data(as_text=True)
    assert 'href="/demo/x%3Fy%22?lang=en"' in html


def test_next_page_link_keeps_the_search_and_ignores_url_words(make_app: Callable[..., Flask]) -> None:
    client = seeded(make_app).test_client()
    response = client.get("/demo/lists/hazards?list_name=x&endpoint=y&theme=traffic")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/demo/lists/hazards?list_name=x&amp;endpoint=y&amp;theme=traffic&amp;page=2"' in html


@pytest.mark.parametrize("query", ["school=abc", "consent=maybe", "school=12345678901234567890123",
                                   "school=99999999999", "seen_on=yesterday"])
def test_unparsable_geojson_filter_values_are_a_400(make_app: Callable[..., Flask], query: str) -> None:
    client = seeded(make_app).test_client()
    response = client.get(f"/demo/api/hazards.geojson?{query}")
    assert response.status_code == 400, query
    assert response.get_json()["error"] == "bad_filter_value"
    assert query.split("=")[1] not in response.get_data(as_text=True)


def test_parsable_geojson_filter_values_still_filter(make_app: Callable[..., Flask]) -> None:
    client = seeded(make_app).test_client()
    assert len(client.get("/demo/api/hazards.geojson?lang=en").get_json()["features"]) == 3
    assert len(client.get("/demo/api/hazards.geojson?consent=yes").get_json()["features"]) == 0
    assert len(client.get("/demo/api/hazards.geojson?theme=traffic").get_json()["features"]) == 3


@pytest.mark.parametrize("query", ["school=99999999999", "school=abc", "theme=nothing"])
def test_list_filters_that_cannot_apply_are_ignored(make_app: Callable[..., Flask], query: str) -> None:
    response = seeded(make_app).test_client().get(f"/demo/lists/hazards?{query}")
    assert response.status_code == 200


def test_a_detail_page_beyond_the_largest_row_id_is_not_found(make_app: Callable[..., Flask]) -> None:
    assert seeded(make_app).test_client().get("/demo/lists/hazards/99999999999").status_code == 404
