"""axe-core on every page a resident sees, in Japanese and English, on a phone and on a desktop screen.

No violation of impact `serious` or `critical` is allowed.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
BLOCKING = ("serious", "critical")
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SEND = {"ja": "通報を送る", "en": "Send the report"}


def open_home(page: Page, base: str, lang: str) -> None:
    page.goto(f"{base}/?lang={lang}")


def open_form(page: Page, base: str, lang: str) -> None:
    page.goto(f"{base}/forms/report?lang={lang}")


def open_form_with_errors(page: Page, base: str, lang: str) -> None:
    open_form(page, base, lang)
    page.get_by_role("button", name=SEND[lang]).click()
    expect(page.locator("#error-summary")).to_be_visible()


def open_sent(page: Page, base: str, lang: str) -> None:
    open_form(page, base, lang)
    page.locator("#title").fill("アクセシビリティ確認 / accessibility check")
    page.locator("input[name=category][value=road]").check()
    page.locator("#agree").check()
    page.get_by_role("button", name=SEND[lang]).click()
    expect(page.locator("#reference")).to_be_visible()


def open_track(page: Page, base: str, lang: str) -> None:
    """The resident's private link, opened from the sent page (issue 9)."""
    open_sent(page, base, lang)
    page.locator("#track-link").click()
    expect(page.locator("#track-status")).to_be_visible()


def open_list(page: Page, base: str, lang: str) -> None:
    page.goto(f"{base}/lists/reports?lang={lang}")
    expect(page.locator("table.list tbody tr").first).to_be_visible()


def open_search_without_results(page: Page, base: str, lang: str) -> None:
    page.goto(f"{base}/lists/reports?lang={lang}&q=zzzz")


def open_detail(page: Page, base: str, lang: str) -> None:
    open_list(page, base, lang)
    page.locator("table.list tbody a").first.click()
    expect(page.locator("dl.detail")).to_be_visible()


def open_not_found(page: Page, base: str, lang: str) -> None:
    page.goto(f"{base}/lists/reports/999999?lang={lang}")


PAGES: dict[str, Callable[[Page, str, str], None]] = {
    "home": open_home,
    "form": open_form,
    "form-with-errors": open_form_with_errors,
    "sent": open_sent,
    "track": open_track,
    "list": open_list,
    "list-empty": open_search_without_results,
    "detail": open_detail,
    "not-found": open_not_found,
}


def run_axe(page: Page, script: Path) -> list[dict[str, Any]]:
    # Evaluated through the browser's debugging protocol: a <script> tag added to the page would be (rightly)
    # refused by the pages' Content-Security-Policy.
    page.evaluate(script.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def readable(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            lines.append("      " + node.get("failureSummary", "").replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violations(page: Page, live_server: Any, axe_script: Path, outside_requests: Any, name: str, lang: str, screen: str) -> None:
    page.set_viewport_size(SCREENS[screen])
    PAGES[name](page, live_server.page_url().rstrip("/"), lang)
    expect(page.locator("html")).to_have_attribute("lang", lang)

    violations = run_axe(page, axe_script)

    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], f"{name} ({lang}, {screen}) at {page.url}:\n{readable(blocking)}"
    assert outside_requests.urls == []


def test_axe_finds_a_violation_when_there_is_one(page: Page, live_server: Any, axe_script: Path) -> None:
    """The check itself works: an input without a label and unreadable text are caught."""
    page.goto(live_server.page_url())
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend', '<input type="text" id="unlabelled">'
                + '<p style="color:#eee;background:#fff">見えにくい文字</p>');
        }"""
    )

    ids = {v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING}

    assert {"label", "color-contrast"} <= ids
