"""The hazard map's school menu (`filters: [school]`, issue 11) over HTTP, on SQLite and PostgreSQL: the chosen
school narrows every hazards layer's GeoJSON address and the print link; the schools layer stays whole; a value
that is not an option is ignored with a message, as on list pages."""
from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime

from lowcode.app import create_app

ROOT = Path(__file__).resolve().parents[2]
NAME = "safe_school_routes"
MAP = f"/{NAME}/maps/hazards"


@pytest.fixture
def app(tmp_path: Path, database: str) -> Iterator[Flask]:
    shutil.copytree(ROOT / "apps" / NAME, tmp_path / "apps" / NAME)
    built = create_app(tmp_path / "apps" / NAME, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                                                  "DATABASE_URL": database, "LOWCODE_RATE_LIMITS": "0"})
    yield built
    with built.app_context():
        app_engine(built).dispose()


def school_id(app: Flask, name: str) -> int:
    store = app_runtime(app, NAME).stores["schools"]
    with app.app_context(), app_engine(app).connect() as conn:
        return int(conn.execute(sa.select(store.table.c.id).where(store.table.c.name == name)).scalar_one())


def layer_urls(page: str) -> list[str]:
    """The GeoJSON addresses the page's table layers fetch (JSON inside the script: `\\u0026` for `&`)."""
    return [json.loads(f'"{url}"') for url in re.findall(r'"url": "([^"]*\.geojson[^"]*)"', page)]


def test_the_map_has_a_school_menu_with_the_public_schools(app: Flask) -> None:
    page = app.test_client().get(MAP + "?lang=ja").get_data(as_text=True)
    menu = page.split('<select id="map-filter-school" name="school">', 1)[1].split("</select>", 1)[0]
    assert '<option value="">すべて</option>' in menu
    assert f'<option value="{school_id(app, "犀桜小学校")}">犀桜小学校</option>' in menu
    assert '<label class="label" for="map-filter-school">' in page
    assert all("school=" not in url for url in layer_urls(page))


@pytest.mark.parametrize("lang, show", [("ja", "表示"), ("en", "Show")])
def test_a_chosen_school_narrows_the_hazard_layers_and_the_print_link(app: Flask, lang: str, show: str) -> None:
    sid = school_id(app, "犀桜小学校")
    page = app.test_client().get(f"{MAP}?school={sid}&lang={lang}").get_data(as_text=True)
    assert f'<option value="{sid}" selected>' in page
    assert f">{show}</button>" in page
    urls = layer_urls(page)
    hazards = [u for u in urls if "/api/hazards.geojson" in u]
    assert len(hazards) == 4 and all(f"school={sid}" in u for u in hazards)  # three themes and the heat map
    assert all("school=" not in u for u in urls if "/api/schools.geojson" in u)
    assert f"/maps/hazards/print?school={sid}" in unescape(page)


def test_the_narrowed_addresses_answer_only_that_schools_public_reports(app: Flask) -> None:
    client = app.test_client()
    sid = school_id(app, "犀桜小学校")
    page = client.get(f"{MAP}?school={sid}").get_data(as_text=True)
    url = next(u for u in layer_urls(page) if "/api/hazards.geojson" in u and "layer=0" in u)
    narrowed = json.loads(client.get(url).get_data())["features"]
    whole = json.loads(client.get(f"/{NAME}/api/hazards.geojson?map=hazards&layer=0").get_data())["features"]
    assert 0 < len(narrowed) < len(whole)


@pytest.mark.parametrize("value", ["999999", "abc", "<script>alert(1)</script>", ""])
def test_a_value_that_is_not_an_option_shows_the_whole_map_and_says_so(app: Flask, value: str) -> None:
    response = app.test_client().get(f"{MAP}?school={value}&lang=en")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page
    assert all("school=" not in url for url in layer_urls(page))
    assert ('id="map-filter-ignored"' in page) == bool(value)
    if value:
        assert "This choice is not available, so the whole map is shown: School" in page
