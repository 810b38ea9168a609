"""The hazard map's school menu in Chromium (issue 11): choosing a school and pressing Show reloads the map with only
that school's hazards loaded (counted from the GeoJSON answers the page receives), and the page with the menu passes
axe, in Japanese and in English. The real safe_school_routes app, on SQLite; no request leaves the test server."""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from local_site import local_tab, served_sample
from test_staff_login_phone import BLOCKING, run_axe

pytestmark = pytest.mark.browser
NAME = "safe_school_routes"
SCHOOL = {"ja": "犀桜小学校", "en": "犀桜小学校"}  # the schools' names are data, the same in both languages


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with served_sample(tmp_path_factory.mktemp("mapfilter"), NAME) as (url, app):
        yield url, app.test_client()


def hazard_answers(page: Any) -> dict[str, int]:
    """Fill in as the page fetches: each hazards GeoJSON address → how many features it answered."""
    answers: dict[str, int] = {}

    def record(response: Any) -> None:
        if "/api/hazards.geojson" in response.url and response.status == 200:
            answers[response.url] = len(json.loads(response.body())["features"])

    page.on("response", record)
    return answers


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_choosing_a_school_loads_only_its_hazards_and_the_page_passes_axe(
    browser: Any, site: tuple[str, Any], axe_script: Path, lang: str
) -> None:
    base, client = site
    context, page = local_tab(browser, base)
    page.goto(f"{base}/{NAME}/maps/hazards?lang={lang}")
    page.wait_for_load_state("networkidle")

    answers = hazard_answers(page)
    page.select_option("#map-filter-school", label=SCHOOL[lang])
    with page.expect_navigation():
        page.locator("form.map-filters button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    chosen = page.locator("#map-filter-school").input_value()
    assert chosen and parse_qs(urlsplit(page.url).query)["school"] == [chosen]

    assert answers, "no hazards layer was loaded"
    assert all(parse_qs(urlsplit(url).query).get("school") == [chosen] for url in answers)
    wholes = {}
    for url in answers:
        query = {k: v for k, v in parse_qs(urlsplit(url).query).items() if k != "school"}
        whole = client.get(urlsplit(url).path, query_string=query)
        wholes[url] = len(json.loads(whole.get_data())["features"])
        narrowed = client.get(urlsplit(url).path + "?" + urlsplit(url).query)
        assert answers[url] == len(json.loads(narrowed.get_data())["features"])  # the browser got the narrowed answer
    assert 0 < sum(answers.values()) < sum(wholes.values())
    assert page.locator("a", has_text="Print this map" if lang == "en" else "この地図を印刷").get_attribute("href").endswith(
        f"print?school={chosen}")

    blocking = [v for v in run_axe(page, axe_script) if v["impact"] in BLOCKING]
    context.close()
    assert blocking == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in blocking]


def test_with_javascript_a_choice_reloads_the_hazard_layers_in_place(browser: Any, site: tuple[str, Any]) -> None:
    base, client = site
    context, page = local_tab(browser, base)
    page.goto(f"{base}/{NAME}/maps/hazards?lang=ja")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__samePage = true")  # gone if the page were loaded again

    answers = hazard_answers(page)
    page.select_option("#map-filter-school", label=SCHOOL["ja"])
    chosen = page.locator("#map-filter-school").input_value()
    page.wait_for_function("n => document.querySelectorAll('.lowcode-map').length && performance.getEntriesByType('resource')"
                           ".filter(e => e.name.includes('school=' + n)).length >= 3", arg=chosen)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__samePage === true")
    assert parse_qs(urlsplit(page.url).query)["school"] == [chosen]  # the address can be bookmarked or shared
    assert answers and all(parse_qs(urlsplit(url).query).get("school") == [chosen] for url in answers)
    for url in answers:
        narrowed = client.get(urlsplit(url).path + "?" + urlsplit(url).query)
        assert answers[url] == len(json.loads(narrowed.get_data())["features"])
    assert page.locator(".map-print a").get_attribute("href").endswith(f"school={chosen}")
    context.close()
