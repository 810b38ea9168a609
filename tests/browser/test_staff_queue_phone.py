"""On a phone, in both languages: a staff member opens the queue from the staff home, then a record, and
publishes it; axe finds nothing serious on the queue and the record page."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from support import serving
from test_staff_login_phone import BLOCKING, log_in_as_tanaka, phone_page, run_axe, staff_app

from lowcode.audit import Actor
from lowcode.records import submit

YAML = """
title: {ja: 危険箇所, en: Hazards}
languages: [ja, en]
tables:
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      what: {type: text, required: true, label: {ja: 内容, en: What}}
      spot: {type: location, label: {ja: 場所, en: Spot}}
      email: {type: email, visibility: private, label: {ja: メール, en: E-mail}}
      reason: {type: textarea, visibility: staff, label: {ja: 理由, en: Reason}}
      status:
        type: choice
        label: {ja: 状態, en: Status}
        choices:
          - {key: received, label: {ja: 受付, en: Received}}
          - {key: published, label: {ja: 公開, en: Published}, public: true}
          - {key: declined, label: {ja: 対応しない, en: Declined}, closed: true}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published, action: {ja: 公開する, en: Publish}, roles: [admin]}
        - {from: received, to: declined, action: {ja: 対応しない, en: Decline}, roles: [admin], require: [reason]}
forms:
  report: {table: hazards, fields: [what, spot, email]}
"""


@pytest.fixture
def staff_site(tmp_path: Path) -> Any:
    app = staff_app(tmp_path, YAML)
    with app.app_context():
        values = {"what": "Broken fence", "spot": (136.6543, 36.5612), "email": "resident@home.example"}
        assert submit(app.extensions["lowcode"].runtimes["hazards"], app.extensions["lowcode"].db.engine, "hazards",
                      values, lang="ja", actor=Actor("resident")).stored
    with serving(app) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_staff_queue_and_record_on_a_phone(browser: Any, staff_site: str, axe_script: Path, lang: str) -> None:
    page = phone_page(browser)
    page.goto(f"{staff_site}/hazards/staff/login?lang={lang}")
    log_in_as_tanaka(page)

    page.locator("a[href='/hazards/staff/tables/hazards']").click()
    expect(page.locator("h1")).to_have_text({"ja": "危険箇所", "en": "Hazards"}[lang])
    expect(page.locator("tbody tr")).to_have_count(1)
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []

    page.locator("tbody a").first.click()
    expect(page.locator(".detail")).to_contain_text("resident@home.example")
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []

    page.get_by_role("button", name={"ja": "公開する", "en": "Publish"}[lang]).click()
    expect(page.locator(".staff-history")).to_contain_text({"ja": "公開", "en": "Published"}[lang])
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []
    page.context.close()
