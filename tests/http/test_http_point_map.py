"""Detail pages draw a location on a small map, not as bare coordinates (issue 7, item 26)."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from lowcode.spec.loader import load_app_spec
from lowcode.spec.maps import map_basemap

ROOT = Path(__file__).resolve().parents[2]

APP = """
title: 危険箇所
basemap: gsi_pale
tables:
  spots:
    fields:
      title: {type: text, required: true}
      place: {type: location, label: {ja: 場所, en: Place}}
forms:
  report: {table: spots}
lists:
  spots: {table: spots}
"""


def detail_page(app: Flask, send: Callable[..., Any], **answers: str) -> str:
    client = app.test_client()
    assert send(client, "/demo/forms/report", {"title": "段差", **answers}).status_code == 303
    listing = client.get("/demo/lists/spots").get_data(as_text=True)
    [link] = re.findall(r'href="(/demo/lists/spots/\d+)"', listing)
    return client.get(link).get_data(as_text=True)


def map_config(html: str) -> dict[str, Any]:
    [config] = re.findall(r'<div class="point-map" data-point-map data-config="([^"]+)" hidden></div>', html)
    return dict(json.loads(unescape(config)))


def test_a_location_is_drawn_on_the_apps_basemap_with_the_public_point(make_app: Callable[..., Flask], send: Callable[..., Any]) -> None:
    page = detail_page(make_app(APP), send, place_lat="36.561312", place_lon="136.656208")

    config = map_config(page)
    assert config["tiles"]["url"] == "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png"
    assert config["marker"] == "場所"
    # The public sees the point on its grid (audience.PUBLIC), never the exact one the resident picked.
    assert (config["lat"], config["lon"]) != (36.561312, 136.656208)
    assert abs(config["lat"] - 36.561312) < 0.002 and abs(config["lon"] - 136.656208) < 0.002
    assert "36.561312" not in page
    assert re.search(r'<span class="point-coordinates">[0-9.]+, [0-9.]+</span>', page)  # text for screen readers
    assert '/static/vendor/leaflet/leaflet.js' in page and '/static/lowcode-point-map.js' in page
    assert "https://unpkg" not in page and "cdn" not in page.lower()


def test_a_row_without_a_location_has_no_map(make_app: Callable[..., Flask], send: Callable[..., Any]) -> None:
    page = detail_page(make_app(APP), send)

    assert "data-point-map" not in page and "leaflet.js" not in page


@pytest.mark.parametrize("folder", sorted(p.name for p in (ROOT / "apps").iterdir() if (p / "app.yaml").is_file()))
def test_the_sample_apps_draw_maps_picker_and_detail_maps_on_one_basemap(folder: str) -> None:
    loaded = load_app_spec(ROOT / "apps" / folder)
    assert loaded.spec is not None

    assert {map_basemap(loaded.spec, spec) for spec in loaded.spec.maps.values()} <= {loaded.spec.basemap}
    assert "W_MAP_OWN_BASEMAP" not in [p.code for p in loaded.problems]


def test_the_confirmation_page_shows_the_residents_own_point_exactly_on_a_map(
    make_app: Callable[..., Flask], csrf_token: Callable[[Any, str], str], rows: Callable[..., int]
) -> None:
    app = make_app(APP.replace("  report: {table: spots}", "  report: {table: spots, confirm: true}"))
    client = app.test_client()
    data = {"csrf_token": csrf_token(client, "/demo/forms/report"), "title": "段差", "place_lat": "36.561312", "place_lon": "136.656208"}

    page = client.post("/demo/forms/report", data=data, content_type="multipart/form-data").get_data(as_text=True)

    config = map_config(page)
    assert (config["lat"], config["lon"]) == (36.561312, 136.656208)  # their own input, not the public grid
    assert '<span class="point-coordinates">36.561312, 136.656208</span>' in page
    assert "/static/lowcode-point-map.js" in page
    assert rows(app, "spots") == 0
