"""Issue 10's check, on a phone in both languages: a staff member imports a Shift_JIS CSV through the page, sees the
two bad rows reported, uploads the fixed file, applies, and sees the staff dashboard's count go up. axe finds
nothing serious on any step of the import page."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from staff_import_support import BAD, GOOD, PASSWORD, YAML, add_users, sjis_csv
from support import serving, write_app
from test_accessibility import BLOCKING, readable, run_axe
from test_staff_login_phone import phone_page

from lowcode.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture
def import_site(tmp_path: Path) -> Iterator[str]:
    folder = write_app(tmp_path / "apps" / "demo", YAML)
    app = create_app(folder, {"INSTANCE_PATH": str(tmp_path / "instance"), "LOWCODE_RATE_LIMITS": "0",
                              "DATABASE_URL": f"sqlite:///{tmp_path / 'import.sqlite3'}"})
    add_users(app)
    with serving(app) as url:
        yield url


def no_serious_problems(page: Page, axe_script: Path) -> None:
    violations = [v for v in run_axe(page, axe_script) if v["impact"] in BLOCKING]
    assert violations == [], readable(violations)


def upload_and_check(page: Page, data: bytes, axe_script: Path) -> None:
    """Step 1 (the file), step 2 (the columns as preselected), on to step 3."""
    page.locator("#import-file").set_input_files({"name": "spots.csv", "mimeType": "text/csv", "buffer": data})
    no_serious_problems(page, axe_script)
    page.evaluate("window.stillThisPage = true")
    page.locator("form[data-import-upload] button[type=submit]").click()
    expect(page.locator("form[data-import-upload]")).to_have_count(0)
    assert page.evaluate("window.stillThisPage === true")  # sent by the script (with its <progress>), not reloaded
    expect(page.locator("#column-0")).to_have_value("title")  # 件名 → Title, after the script's upload
    expect(page.locator("#column-3")).to_have_value("spot.lat")
    no_serious_problems(page, axe_script)
    page.locator("form[action$='/import/preview'] button[type=submit]").click()
    expect(page.locator("[aria-current=step]")).to_have_count(1)


def traffic_count(page: Page, base: str, lang: str) -> str:
    page.goto(f"{base}/demo/dashboards/counts?lang={lang}")
    label = {"ja": "交通", "en": "Traffic"}[lang]
    row = page.locator("table.chart-table tr", has=page.locator(f"th:text-is('{label}')"))
    return (row.locator("td").first.text_content() or "").strip() if row.count() else "0"  # in a closed <details>


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_staff_member_imports_a_shift_jis_csv_fixes_it_and_sees_the_dashboard_change(
    browser: Any, import_site: str, axe_script: Path, lang: str,
) -> None:
    page = phone_page(browser)
    page.goto(f"{import_site}/demo/staff/login?lang={lang}")
    page.locator("#username").fill("importer")
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    before = traffic_count(page, import_site, lang)
    page.goto(f"{import_site}/demo/staff/tables/spots?lang={lang}")
    page.locator("a[href$='/staff/tables/spots/import']").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)

    upload_and_check(page, sjis_csv(BAD), axe_script)
    problems = page.locator("#import-problems li")
    expect(problems).to_have_count(2)
    expect(problems.first).to_contain_text("3")
    expect(problems.first).to_contain_text("件名")
    expect(page.locator("form[action$='/import/apply']")).to_have_count(0)  # no Apply with problems
    no_serious_problems(page, axe_script)

    page.locator("a[href$='/staff/tables/spots/import']").last.click()  # upload the fixed file
    upload_and_check(page, sjis_csv(GOOD), axe_script)
    expect(page.locator("#import-problems")).to_have_count(0)
    expect(page.locator("table.list tbody tr")).to_have_count(3)
    no_serious_problems(page, axe_script)
    page.locator("form[action$='/import/apply'] button[type=submit]").click()
    expect(page.locator("p.notice[role=status]")).to_contain_text("3")
    no_serious_problems(page, axe_script)

    assert (before, traffic_count(page, import_site, lang)) == ("0", "2")
