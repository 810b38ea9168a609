"""The staff matching page on a phone, in Japanese and English: axe finds no violation of any impact, and the
page shows a request with its ranked helpers and the section of requests without a match."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from matching_page_data import HELPERS, PASSWORD, REQUESTS, YAML
from support import serving, write_app
from test_staff_login_phone import phone_page, run_axe

from lowcode.app import create_app
from lowcode.records import insert_seed_rows
from lowcode.staff.accounts import RoleGrant, create_user


@pytest.fixture
def matching_site(tmp_path: Path) -> Iterator[str]:
    write_app(tmp_path / "apps" / "demo", "languages: [ja, en]\n" + YAML)
    flask_app = create_app(tmp_path / "apps", {"INSTANCE_PATH": str(tmp_path / "instance"),
                                               "DATABASE_URL": f"sqlite:///{tmp_path / 'matching.sqlite3'}"})
    state = flask_app.extensions["lowcode"]
    with flask_app.app_context():
        create_user(state.db.engine, "tanaka", PASSWORD, [RoleGrant("demo", "office")])
        with state.db.engine.begin() as conn:
            insert_seed_rows(state.runtimes["demo"], conn, "requests", REQUESTS)
            insert_seed_rows(state.runtimes["demo"], conn, "helpers", HELPERS)
    with serving(flask_app) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("lang, unmatched", [("ja", "マッチしない依頼"), ("en", "Requests without a match")])
def test_the_matching_page_passes_axe_on_a_phone(browser: Any, matching_site: str, axe_script: Path, lang: str,
                                                  unmatched: str) -> None:
    page = phone_page(browser)
    page.goto(f"{matching_site}/demo/staff/login?lang={lang}")
    page.locator("#username").fill("tanaka")
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.wait_for_url(f"{matching_site}/demo/staff/**")
    page.locator("a[href='/demo/staff/matching/pairs']").click()  # linked from the staff home
    page.wait_for_url(f"{matching_site}/demo/staff/matching/pairs**")
    assert page.locator("section.matching-request").count() == 2
    assert page.locator("#unmatched-heading").inner_text() == unmatched
    assert run_axe(page, axe_script) == []
    page.context.close()
