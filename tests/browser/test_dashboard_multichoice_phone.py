"""The 町会 sample's dashboard on a phone, in both languages (issue 10, W): the multichoice charts' data tables open,
name their rows and columns for a screen reader, carry the note that a row counts in several bars, and axe finds
nothing serious."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from support import sample_app, serving
from test_accessibility import BLOCKING, readable, run_axe
from test_staff_login_phone import phone_page

pytestmark = pytest.mark.browser
APP = "neighbourhood_matching"
NOTE = {"ja": "選んだ選択肢それぞれの棒に数えられます", "en": "A row counts in every bar of a choice it holds"}
CAPTION = {"ja": "分野ごとの依頼", "en": "Requests by kind of help"}


@pytest.fixture
def sample_site(tmp_path: Path) -> Iterator[str]:
    with sample_app(tmp_path, APP, f"sqlite:///{tmp_path / 'sample.sqlite3'}", TESTING=False) as app, serving(app) as url:
        yield url


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_multichoice_charts_tables_read_well_on_a_phone(browser: Any, sample_site: str, axe_script: Path,
                                                             lang: str) -> None:
    page = phone_page(browser)
    page.goto(f"{sample_site}/{APP}/dashboards/help?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    for summary in page.locator("details.chart-data summary").all():
        summary.click()
    table = page.locator("table.chart-table", has=page.locator(f"caption:text-is('{CAPTION[lang]}')"))
    expect(table).to_be_visible()
    expect(table.locator("thead th[scope=col]")).to_have_count(2)
    expect(table.locator("tbody th[scope=row]")).to_have_count(7)  # the seven kinds of help (and none unchosen)
    expect(table.locator("tfoot td")).to_contain_text(NOTE[lang])
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # open tables fit too

    blocking = [v for v in run_axe(page, axe_script) if v["impact"] in BLOCKING]

    assert blocking == [], readable(blocking)
