"""The hazard map's 校区 layer in Chromium (issue 11, Q2): switched on, it draws one SVG path per public polygon of the
school_districts table (fetched from the GeoJSON API, not written into the page), each named by its school; a
district the board adds is drawn on the next visit. The real safe_school_routes app, on SQLite; no request leaves
the test server, and the page's CSP reports nothing."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

import pytest
from local_site import ROOT, local_tab, served_sample
from support import app_engine, app_runtime

from lowcode.audit import Actor
from lowcode.records import submit
from lowcode.roles import role_audience

pytestmark = pytest.mark.browser
NAME = "safe_school_routes"
LAYER = {"ja": "校区(【デモ】", "en": "School districts (DEMO"}
OUTLINE = "#5d6d7e"  # the layer's `style: {color: …}` in app.yaml (the hazards' own dots are SVG paths too)


def demo_districts() -> int:
    with (ROOT / "apps" / NAME / "data" / "demo_school_districts.csv").open(encoding="utf-8") as f:
        return len(list(csv.DictReader(f)))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with served_sample(tmp_path_factory.mktemp("arealayer"), NAME) as site:
        yield site


def drawn_districts(browser: Any, base: str, lang: str) -> tuple[int, list[str], list[str]]:
    """Open the map, switch the 校区 layer on; (SVG paths drawn, their labels, CSP violations)."""
    context, page = local_tab(browser, base)
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(f"{base}/{NAME}/maps/hazards?lang={lang}")
    page.wait_for_load_state("networkidle")
    outlines = page.locator(f'.leaflet-overlay-pane svg path.leaflet-interactive[stroke="{OUTLINE}"]')
    assert outlines.count() == 0  # off when the map opens (`show: false`)
    page.hover(".leaflet-control-layers")
    page.locator(".leaflet-control-layers label", has_text=LAYER[lang]).locator("input").check()
    page.wait_for_selector(".lowcode-map[data-lowcode-areas]", state="attached")
    count = int(page.get_attribute(".lowcode-map", "data-lowcode-areas") or 0)
    paths = outlines.count()
    labels = page.locator(".leaflet-tooltip.lowcode-label").all_inner_texts()
    context.close()
    assert paths == count
    return paths, labels, violations


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_public_map_draws_each_district_polygon_named_by_its_school(browser: Any, site: tuple[str, Any], lang: str) -> None:
    base, _ = site
    paths, labels, violations = drawn_districts(browser, base, lang)
    assert paths == demo_districts()
    assert len(labels) == paths and "犀桜小学校" in labels  # the school's title, not its id
    assert violations == []


def test_a_district_the_board_adds_is_drawn_on_the_next_visit(browser: Any, site: tuple[str, Any]) -> None:
    base, app = site
    before, _, _ = drawn_districts(browser, base, "ja")
    runtime = app_runtime(app, NAME)
    box = {"type": "Polygon", "coordinates": [[[136.80, 36.66], [136.84, 36.66], [136.84, 36.69], [136.80, 36.66]]]}
    with app.test_request_context("/?lang=ja"):
        drawn = submit(runtime, app_engine(app), "school_districts", {"name": "テスト 新しい校区", "area": json.dumps(box)},
                       lang="ja", audience=role_audience(runtime.spec, "board", None), actor=Actor("board"))
    assert drawn.errors == {}
    after, _, _ = drawn_districts(browser, base, "ja")
    assert after == before + 1
