"""On a phone, in both languages: a staff member ticks two reports in the queue, publishes them at once, and sees
the counts per status change; axe finds nothing serious on the queue with its bulk controls, before and after."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from support import serving
from test_staff_login_phone import BLOCKING, log_in_as_tanaka, phone_page, run_axe, staff_app
from test_staff_queue_phone import YAML

from lowcode.audit import Actor
from lowcode.records import submit

WORDS = {
    "ja": {"received": "受付: 3", "published": "公開: 2", "left": "受付: 1", "to": "公開", "button": "状態を変更する",
           "done": "変更した件数: 2", "select": "を選ぶ"},
    "en": {"received": "Received: 3", "published": "Published: 2", "left": "Received: 1", "to": "Published",
           "button": "Change status", "done": "Done: 2", "select": "Select "},
}


@pytest.fixture
def staff_site(tmp_path: Path) -> Any:
    app = staff_app(tmp_path, YAML)
    with app.app_context():
        runtime, engine = app.extensions["lowcode"].runtimes["hazards"], app.extensions["lowcode"].db.engine
        for what in ("Broken fence", "Dark corner", "Fast cars"):
            values = {"what": what, "spot": (136.6543, 36.5612), "email": "resident@home.example"}
            assert submit(runtime, engine, "hazards", values, lang="ja", actor=Actor("resident")).stored
    with serving(app) as url:
        yield url


def blocking(page: Any, axe_script: Path) -> list[str]:
    return [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING]


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_publishing_two_reports_at_once_on_a_phone(browser: Any, staff_site: str, axe_script: Path, lang: str) -> None:
    words = WORDS[lang]
    page = phone_page(browser)
    page.goto(f"{staff_site}/hazards/staff/login?lang={lang}")
    log_in_as_tanaka(page)
    page.goto(f"{staff_site}/hazards/staff/tables/hazards?lang={lang}")
    expect(page.locator(".status-counts")).to_contain_text(words["received"])
    assert blocking(page, axe_script) == []

    ticks = page.get_by_role("checkbox", name=words["select"])
    expect(ticks).to_have_count(3)
    ticks.nth(0).check()
    ticks.nth(1).check()
    page.locator("#bulk-to").select_option(label=words["to"])
    page.get_by_role("button", name=words["button"]).click()

    expect(page.locator("#bulk-result")).to_contain_text(words["done"])
    expect(page.locator(".status-counts")).to_contain_text(words["published"])
    expect(page.locator(".status-counts")).to_contain_text(words["left"])
    assert blocking(page, axe_script) == []
    page.context.close()
