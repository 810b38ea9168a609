"""A filter naming a row the public may not see (issue 11, Y): `?school=<a closed school>` finds what
`?school=<no such id>` finds, on the GeoJSON API, the map page's menu and the printed sheet (SQLite and PostgreSQL).

Before, the API listed the features of the closed school (their `school` property null): the id alone told which
points belonged to a school the public may not see.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape
from typing import Any

from flask import Flask
from support import app_engine, app_runtime
from test_popup_references import API
from test_popup_references import YAML as POPUP_YAML

from lowcode.records import change_status

MakeApp = Callable[..., Flask]

# The popup tests' app (a closed school the public may not see), with a menu by school and one more open school.
YAML = POPUP_YAML.replace("    basemap: none\n", "    basemap: none\n    filters: [school]\n")
assert "filters: [school]" in YAML, "the popup tests' map changed: add the menu another way"
SCHOOLS = "name,status\nEast,open\nClosed secret school,closed\nWest,open\n"
HAZARDS = ("title,school,lat,lon\nCrossing,1,36.5613,136.6562\nLane,2,36.57,136.66\nHidden school's bridge,2,36.571,136.661\n"
           "Corner,3,36.572,136.662\n")
HIDDEN, MISSING = "2", "99"


def build(make_app: MakeApp) -> Flask:
    return make_app(YAML, files={"data/schools.csv": SCHOOLS, "data/hazards.csv": HAZARDS})


def titles(client: Any, query: str) -> list[str]:
    response = client.get(API + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return [feature["properties"]["title"] for feature in json.loads(response.get_data())["features"]]


def test_the_api_filters_by_a_hidden_row_as_by_one_that_does_not_exist(make_app: MakeApp) -> None:
    client = build(make_app).test_client()
    assert titles(client, "&school=3") == ["Corner"]  # a school the public sees: its points
    assert titles(client, f"&school={MISSING}") == []
    assert titles(client, f"&school={HIDDEN}") == titles(client, f"&school={MISSING}")
    assert titles(client, f"&school=3&school={HIDDEN}") == titles(client, f"&school=3&school={MISSING}") == ["Corner"]
    assert client.get(API + "&school=abc").status_code == 400  # not an id at all: refused as before


def test_hiding_a_row_changes_a_cached_filtered_answer(make_app: MakeApp) -> None:
    app = build(make_app)
    client = app.test_client()
    assert titles(client, "&school=1") == ["Crossing"]  # now cached
    with app.test_request_context("/"):
        assert change_status(app_runtime(app), app_engine(app), "schools", 1, "status", "closed").errors == {}
    assert titles(client, "&school=1") == []


def map_page(client: Any, school: str) -> str:
    response = client.get(f"/demo/maps/all?school={school}&lang=en")
    assert response.status_code == 200
    html = re.sub(r'nonce="[^"]*"|nonce-[A-Za-z0-9+/=_-]+', "", response.get_data(as_text=True))
    return html.replace(f"school={school}", "school=ID")


def test_the_map_page_menu_ignores_a_hidden_row_as_a_missing_one(make_app: MakeApp) -> None:
    client = build(make_app).test_client()
    hidden = map_page(client, HIDDEN)
    assert 'id="map-filter-ignored"' in hidden and "Closed secret school" not in hidden
    assert hidden == map_page(client, MISSING)


def printed(client: Any, school: str) -> list[str]:
    response = client.get(f"/demo/maps/all/print?school={school}&lang=en")
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    html = response.get_data(as_text=True)
    assert "Closed secret school" not in html
    return [unescape(title) for title in re.findall(r'<tr><th scope="row">\d+</th><td>(.*?)</td>', html)]


def test_a_sheet_narrowed_to_a_hidden_row_prints_what_a_missing_one_prints(make_app: MakeApp) -> None:
    client = build(make_app).test_client()
    assert printed(client, "3") == ["Corner"]
    assert printed(client, HIDDEN) == printed(client, MISSING) == []
