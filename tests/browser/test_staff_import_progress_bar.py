"""Issue 10's progress on the staff page, in Chromium on a phone: while a file of thousands of rows is checked, and
again while it is applied, the form's `<progress>` gets a value and its aria-live sentence says how many rows are
done ("1,000 / 3,000 行を確認しました"), asked from /import/progress/<job> under the page's Content-Security-Policy;
then the page goes on as without the script. Each progress report is made to take a moment (a sleep in the
server's thread), so the check lasts long enough to be watched on any machine; nothing asserts a time."""
from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from staff_import_support import GOOD, PASSWORD, sjis_csv
from test_staff_import_phone import import_site  # noqa: F401  (the module's live server fixture)
from test_staff_login_phone import phone_page

import lowcode.imports.run as import_run
from lowcode.imports import progress as job_progress
from lowcode.imports.progress import JobState

pytestmark = pytest.mark.browser
ROWS = 3000
CSP_ERRORS = "Content Security Policy"


@pytest.fixture
def slow_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_run, "PROGRESS_EVERY", 500)
    write = job_progress.write_progress

    def write_then_wait(engine: sa.Engine, job: str, state: JobState) -> bool:
        written = write(engine, job, state)
        time.sleep(0.4)
        return written

    monkeypatch.setattr(job_progress, "write_progress", write_then_wait)


# The page is being replaced while the form is sent, so what the script shows is reported as it happens (console
# messages reach the test even from a page on its way out) rather than read from the page afterwards.
REPORT_PROGRESS = """
new MutationObserver(() => {
  const bar = document.querySelector('#import-run-progress');
  const text = document.querySelector('[data-import-run-text]');
  if (bar && bar.hasAttribute('value')) {
    console.log('import-progress ' + bar.value + ' ' + bar.max + ' ' + text.textContent);
  }
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


def shown(messages: list[str]) -> list[tuple[float, float, str]]:
    """(value, max, sentence) of each state of the bar reported so far."""
    states = []
    for message in messages:
        _name, value, most, text = message.split(" ", 3)
        states.append((float(value), float(most), text))
    return states


def test_the_check_and_the_apply_of_a_large_file_show_their_progress(
    browser: Any, import_site: str, slow_reports: None,  # noqa: F811
) -> None:
    page = phone_page(browser)
    page.add_init_script(REPORT_PROGRESS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if CSP_ERRORS in message.text else None)
    progress: list[str] = []
    page.on("console", lambda message: progress.append(message.text) if message.text.startswith("import-progress")
            else None)
    page.goto(f"{import_site}/demo/staff/login?lang=ja")
    page.locator("#username").fill("importer")
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.goto(f"{import_site}/demo/staff/tables/spots/import?lang=ja")
    rows = [GOOD[0], *(f"地点 {n},交通,2026/12/1,36.56,136.65" for n in range(ROWS))]
    page.locator("#import-file").set_input_files({"name": "many.csv", "mimeType": "text/csv",
                                                  "buffer": sjis_csv(rows)})
    page.locator("form[data-import-upload] button[type=submit]").click()  # sent by lowcode-import.js
    expect(page.locator("#column-0")).to_have_value("title")
    expect(page.locator("[data-import-run]")).to_be_hidden()

    page.locator("form[action$='/import/preview'] button[type=submit]").click()
    expect(page.locator("form[action$='/import/apply']")).to_have_count(1)
    expect(page.locator("#import-problems")).to_have_count(0)
    checking = shown(progress)
    assert checking and all(most == ROWS and 0 < value <= ROWS for value, most, _text in checking), checking
    assert [text for value, _most, text in checking] == [f"{value:,.0f} / 3,000 行を確認しました"
                                                          for value, _most, _text in checking]
    assert [value for value, _most, _text in checking] == sorted(value for value, _most, _text in checking)

    progress.clear()
    page.locator("form[action$='/import/apply'] button[type=submit]").click()
    expect(page.locator("p.notice[role=status]")).to_contain_text("3000")
    assert shown(progress) and shown(progress)[0][2].endswith("/ 3,000 行を確認しました")  # checked again first
    assert console == []
