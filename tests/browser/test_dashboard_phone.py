"""A dashboard on a phone, in both languages: the charts fit the screen, the numbers open as a table, and axe finds
nothing serious (charts and tables included)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dashboards.dashboard_app import HAZARDS, add_rows
from playwright.sync_api import expect
from support import serving, write_app
from test_accessibility import BLOCKING, readable, run_axe
from test_staff_login_phone import phone_page

from lowcode.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def dashboard_site(tmp_path: Path) -> Iterator[str]:
    folder = write_app(tmp_path / "apps" / "demo", HAZARDS)
    app = create_app(folder, {"INSTANCE_PATH": str(tmp_path / "instance"),
                              "DATABASE_URL": f"sqlite:///{tmp_path / 'dashboard.sqlite3'}"})
    start = dt.datetime(2026, 1, 5, 3, 0)
    add_rows(app, [{"kind": ["traffic", "crime", "odd"][n % 3], "status": ["published", "done"][n % 2],
                    "fixed": n % 4 == 0, "seen_on": (start + dt.timedelta(days=9 * n)).date(),
                    "created_at": start + dt.timedelta(days=9 * n)} for n in range(40)])
    with serving(app) as url:
        yield url


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_dashboard_reads_well_on_a_phone(browser: Any, dashboard_site: str, axe_script: Path, lang: str) -> None:
    page = phone_page(browser)
    page.goto(f"{dashboard_site}/demo/dashboards/overview?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(5)
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing wider than the phone
    box = charts.first.bounding_box()
    assert box is not None and 250 < box["width"] <= width
    page.locator("details.chart-data summary").first.click()
    expect(page.locator("table.chart-table").first).to_be_visible()

    blocking = [v for v in run_axe(page, axe_script) if v["impact"] in BLOCKING]

    assert blocking == [], readable(blocking)
