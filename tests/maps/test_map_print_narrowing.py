"""A narrowed print (`/<app>/maps/<map>/print?<field>=<value>`, issue 11): a school prints its own sheet.

The parameters narrow each numbered layer whose table has the field, as they narrow the GeoJSON API; anything the
public map could not be narrowed by (a staff or private field, a value the field cannot hold, a name no layer has)
gets the app's error page, never a sheet that looks complete. SQLite and PostgreSQL (`make_app`).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any

import pytest
from flask import Flask
from print_app import PRINT_APP, PRINT_FILES, PRINT_URL

MakeApp = Callable[..., Flask]


def listed_titles(html: str) -> list[str]:
    rows = re.findall(r'<tr><th scope="row">\d+</th><td>(.*?)</td>', html)
    return [unescape(title) for title in rows]


def page(client: Any, query: str) -> str:
    response = client.get(PRINT_URL + query)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return str(response.get_data(as_text=True))


@pytest.fixture
def client(make_app: MakeApp) -> Any:
    return make_app(PRINT_APP, files=PRINT_FILES).test_client()


def test_a_field_in_the_address_narrows_the_points_and_the_sheet_says_so(client: Any) -> None:
    whole = page(client, "?lang=ja")
    assert listed_titles(whole) == ["Crossing", "<script>alert(1)</script>", "Dark lane"]
    assert "print-narrowed" not in whole

    narrowed = page(client, "?theme=crime&lang=ja")
    assert listed_titles(narrowed) == ["<script>alert(1)</script>", "Dark lane"]
    assert '<p class="print-narrowed">絞り込み: 分類:防犯</p>' in narrowed
    # the print form keeps the narrowing when the paper is changed
    assert '<input type="hidden" name="theme" value="crime">' in narrowed


def test_narrowing_keeps_to_the_public_rows(client: Any) -> None:
    # "Not yet checked" is a traffic report in a non-public status: no address brings it onto paper
    assert listed_titles(page(client, "?theme=traffic")) == ["Crossing"]
    assert listed_titles(page(client, "?status=received")) == []


def test_layers_of_other_tables_are_printed_whole(client: Any) -> None:
    html = page(client, "?theme=crime&chosen=1&layers=0&layers=1&lang=en")
    assert listed_titles(html) == ["<script>alert(1)</script>", "Dark lane", "Midori Elementary"]


@pytest.mark.parametrize("query", [
    "?theme=nonsense",        # not a choice of the field
    "?note=secret+note",      # a staff field
    "?email=a%40example.jp",  # a private field
    "?nosuch=1",              # no layer has it
    "?place=136.65,36.56",    # the location: not a filter
    "?layer=1",               # a GeoJSON API parameter
])
def test_a_narrowing_the_public_map_could_not_make_gets_a_clear_error_page(client: Any, query: str) -> None:
    response = client.get(PRINT_URL + query + "&lang=ja")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "この地図はその条件では絞り込めません" in html
    assert "secret note" not in html and "a@example.jp" not in html
