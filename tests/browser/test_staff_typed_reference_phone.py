"""On a phone, a staff member fills a form whose reference table holds more rows than a menu can (Z): they type part
of a 町会's name, pick it from the suggestions the page fetched, and the request is stored with that 町会; the
page runs under the Content-Security-Policy without a violation and axe finds nothing serious on it."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from support import serving, write_app
from test_content_security_policy import RECORD_VIOLATIONS
from test_staff_login_phone import BLOCKING, log_in_as_tanaka, phone_page, run_axe

from lowcode.app import create_app
from lowcode.staff.accounts import RoleGrant, create_user

TOWNS = 600
YAML = """
title: {ja: 手伝いの依頼, en: Help requests}
languages: [ja, en]
tables:
  chokai:
    label: {ja: 町会, en: Neighbourhood association}
    title_field: name
    fields:
      name: {type: text, label: {ja: 町会名, en: Name}}
    seed: {file: data/chokai.csv}
  requests:
    label: {ja: 依頼, en: Requests}
    fields:
      subject: {type: text, required: true, label: {ja: 件名, en: Subject}}
      chokai: {type: reference, to: chokai, required: true, label: {ja: 町会, en: Association}}
forms:
  ask: {table: requests, access: staff, title: {ja: 依頼を出す, en: Ask for help}}
"""


@pytest.fixture
def site(tmp_path: Path) -> Any:
    names = "\n".join(f"【デモ】{n:03d}丁目町会" for n in range(TOWNS - 1))
    write_app(tmp_path / "apps" / "hazards", YAML,
              {"data/chokai.csv": f"name\n{names}\n【デモ】広坂一丁目町会\n"})
    app = create_app(tmp_path / "apps", {"INSTANCE_PATH": str(tmp_path / "instance"),
                                         "DATABASE_URL": f"sqlite:///{tmp_path / 'staff.sqlite3'}"})
    with app.app_context():
        create_user(app.extensions["lowcode"].db.engine, "tanaka", "correct horse battery", [RoleGrant("hazards", "admin")])
    with serving(app) as url:
        yield url, app


def stored(app: Any) -> list[tuple[str, str]]:
    query = "SELECT r.subject, c.name FROM hazards__requests r JOIN hazards__chokai c ON c.id = r.chokai"
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        return [(row[0], row[1]) for row in conn.execute(sa.text(query))]


@pytest.mark.browser
def test_staff_type_part_of_a_name_and_pick_the_suggestion(browser: Any, site: Any, axe_script: Path) -> None:
    url, app = site
    page = phone_page(browser)
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{url}/hazards/staff/login?lang=ja&next=/hazards/forms/ask?lang=ja")
    log_in_as_tanaka(page)
    expect(page.locator("h1")).to_have_text("依頼を出す")
    box = page.locator("input#chokai")
    expect(box).to_have_attribute("list", "chokai-suggestions")
    assert page.locator("select#chokai").count() == 0
    page.locator("#subject").fill("雪かき")
    box.press_sequentially("広坂", delay=50)
    options = page.locator("#chokai-suggestions option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", "【デモ】広坂一丁目町会")
    box.fill(options.first.get_attribute("value") or "")  # what choosing the suggestion puts in the box
    assert [v["id"] for v in run_axe(page, axe_script) if v["impact"] in BLOCKING] == []
    page.locator("button[type=submit]").click()
    expect(page.locator("h1")).not_to_have_text("依頼を出す")
    assert stored(app) == [("雪かき", "【デモ】広坂一丁目町会")]
    assert page.evaluate("window.__cspViolations") == []
    page.context.close()
