"""A staff member logs in on a phone and sees the staff home, in both languages; axe finds nothing serious."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from support import serving, write_app

from lowcode.app import create_app
from lowcode.staff.accounts import RoleGrant, create_user

PHONE = {"width": 390, "height": 844}
BLOCKING = ("serious", "critical")
YAML = """
title: {ja: 危険箇所, en: Hazards}
languages: [ja, en]
tables:
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      what: {type: text, required: true}
forms:
  report: {table: hazards, fields: [what]}
"""


def run_axe(page: Page, script: Path) -> list[dict[str, Any]]:
    page.evaluate(script.read_text(encoding="utf-8") + "\n;undefined")  # not a <script>: the CSP refuses those
    return list(page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")["violations"])


def staff_app(tmp_path: Path, yaml: str) -> Any:
    """The app `hazards` of `yaml` on SQLite, with the account `tanaka` as its admin (tests/browser/test_staff_*)."""
    write_app(tmp_path / "apps" / "hazards", yaml)
    app = create_app(tmp_path / "apps", {"INSTANCE_PATH": str(tmp_path / "instance"),
                                         "DATABASE_URL": f"sqlite:///{tmp_path / 'staff.sqlite3'}"})
    with app.app_context():
        create_user(app.extensions["lowcode"].db.engine, "tanaka", "correct horse battery", [RoleGrant("hazards", "admin")])
    return app


def phone_page(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    return context.new_page()


def log_in_as_tanaka(page: Page) -> None:
    page.locator("#username").fill("tanaka")
    page.locator("#password").fill("correct horse battery")
    page.locator("button[type=submit]").click()


@pytest.fixture
def staff_site(tmp_path: Path) -> Any:
    with serving(staff_app(tmp_path, YAML)) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_staff_log_in_on_a_phone(browser: Any, staff_site: str, axe_script: Path, lang: str) -> None:
    page = phone_page(browser)
    page.goto(f"{staff_site}/hazards/staff/?lang={lang}")
    expect(page.locator("h1")).to_have_text({"ja": "職員ログイン", "en": "Staff login"}[lang])
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []

    log_in_as_tanaka(page)

    expect(page).to_have_url(f"{staff_site}/hazards/staff/?lang={lang}")
    expect(page.locator("h1")).to_have_text({"ja": "職員", "en": "Staff"}[lang])
    expect(page.locator("tbody td:first-of-type")).to_have_text("0")  # the next cell links to the queue
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []
    page.context.close()
