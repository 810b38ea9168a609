"""On a phone, in both languages: a staff member opens a record, edits a field on the edit page (the location
picker, a choice and a date among the fields), saves, and adds an internal note; axe finds nothing serious on the
edit page (also with an error summary) nor on the record page with the note."""
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
      kind:
        type: choice
        label: {ja: 種類, en: Kind}
        choices: [{key: road, label: {ja: 道路, en: Road}}, {key: park, label: {ja: 公園, en: Park}}]
      found_on: {type: date, label: {ja: 見つけた日, en: Found on}}
      spot: {type: location, label: {ja: 場所, en: Spot}}
      email: {type: email, visibility: private, label: {ja: メール, en: E-mail}}
      status:
        type: choice
        label: {ja: 状態, en: Status}
        choices:
          - {key: received, label: {ja: 受付, en: Received}}
          - {key: published, label: {ja: 公開, en: Published}, public: true}
    workflow:
      field: status
      initial: received
      transitions:
        - {from: received, to: published, action: {ja: 公開する, en: Publish}, roles: [admin]}
forms:
  report: {table: hazards, fields: [what, kind, spot, email]}
"""
WORDS = {
    "ja": {"edit": "編集する", "save": "変更を保存する", "saved": "変更を保存しました。", "note": "メモを追加する",
           "noted": "メモを追加しました。"},
    "en": {"edit": "Edit", "save": "Save changes", "saved": "Your changes were saved.", "note": "Add note",
           "noted": "Your note was added."},
}


@pytest.fixture
def staff_site(tmp_path: Path) -> Any:
    app = staff_app(tmp_path, YAML)
    with app.app_context():
        values = {"what": "Broken fence", "kind": "road", "spot": (136.6543, 36.5612), "email": "resident@home.example"}
        assert submit(app.extensions["lowcode"].runtimes["hazards"], app.extensions["lowcode"].db.engine, "hazards",
                      values, lang="ja", actor=Actor("resident")).stored
    with serving(app) as url:
        yield url


def no_serious_violations(page: Any, axe_script: Path) -> None:
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_staff_edit_a_field_and_add_a_note_on_a_phone(browser: Any, staff_site: str, axe_script: Path, lang: str) -> None:
    words = WORDS[lang]
    page = phone_page(browser)
    page.goto(f"{staff_site}/hazards/staff/login?lang={lang}")
    log_in_as_tanaka(page)
    page.goto(f"{staff_site}/hazards/staff/tables/hazards/1")
    page.get_by_role("link", name=words["edit"], exact=True).click()
    expect(page.locator("#what")).to_have_value("Broken fence")
    expect(page.locator("input[name=spot_lat]")).to_have_value("36.5612")
    no_serious_violations(page, axe_script)

    page.locator("#what").fill("")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.locator("#error-summary")).to_be_visible()
    no_serious_violations(page, axe_script)

    page.locator("#what").fill("Broken fence <b>near the gate</b>")
    page.locator("label.option", has_text={"ja": "公園", "en": "Park"}[lang]).click()
    page.locator("#found_on").fill("2026-11-30")
    page.get_by_role("button", name=words["save"]).click()
    expect(page.locator(".notice")).to_have_text(words["saved"])
    expect(page.locator(".detail")).to_contain_text("Broken fence <b>near the gate</b>")
    expect(page.locator(".detail")).to_contain_text({"ja": "公園", "en": "Park"}[lang])

    page.locator("#note").fill("Called the resident <script>x</script>\nNo answer")
    page.get_by_role("button", name=words["note"]).click()
    expect(page.locator(".notice")).to_have_text(words["noted"])
    expect(page.locator(".staff-note")).to_have_text("Called the resident <script>x</script>\nNo answer")
    no_serious_violations(page, axe_script)
    page.context.close()
