"""Moderation end to end (issue 9), with the real safe_school_routes app on a phone-sized Chromium: a resident reports
a hazard; it is not on the public map; a staff member of the board of education logs in, sees the reporter's
e-mail address and publishes the report with a message; the report is then on the public map; the resident's
private link shows the new status; the resident's e-mail reaches a local SMTP server (aiosmtpd).

The staff account is made with `lowcode user add` and the mail sent with `lowcode mail send`, as a city would."""
from __future__ import annotations

import email
import email.policy
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from playwright.sync_api import Page, expect
from support import free_port, serving

from lowcode.app import create_app
from lowcode.cli import main

pytestmark = pytest.mark.browser
APP = "safe_school_routes"
SAMPLE = Path(__file__).resolve().parents[2] / "apps" / APP
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery"
RESIDENT = "hogosha@example.jp"
STAFF = "board@city.example.jp"
MESSAGE = "通学路の点検で確認しました。合同点検の対象にします。"


@dataclass
class Site:
    url: str
    env: dict[str, str | None]  # what the `lowcode` commands need to reach the same database and instance folder
    apps: Path

    def page(self, path: str) -> str:
        return f"{self.url}/{APP}/{path}"


class Inbox:
    """An aiosmtpd handler keeping what it is handed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"


@contextmanager
def smtp_server(port: int) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def lowcode(site: Site, *args: str, stdin: str | None = None, env: dict[str, str | None] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=stdin, env={**site.env, **(env or {})})
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """The shipped app, copied (its YAML and data unchanged), on SQLite in a temporary folder."""
    shutil.copytree(SAMPLE, tmp_path / "apps" / APP)
    database = f"sqlite:///{tmp_path / 'moderation.sqlite3'}"
    env: dict[str, str | None] = {"DATABASE_URL": database, "LOWCODE_INSTANCE": str(tmp_path / "instance"),
                                  "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
    app = create_app(tmp_path / "apps", {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database})
    with serving(app) as url:
        yield Site(url, env, tmp_path / "apps")


def phone(browser: Any) -> Page:
    """A fresh phone-sized tab (its own cookies) that may only talk to the test server: tiles are aborted."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    context.set_default_timeout(15_000)
    return context.new_page()


def map_features(page: Page, site: Site) -> list[dict[str, Any]]:
    """Every feature of the hazard layers, as the public map page fetches them (one GeoJSON request per theme)."""
    bodies: list[Any] = []
    page.on("response", lambda r: bodies.append(r) if "/api/hazards.geojson" in r.url else None)
    page.goto(site.page("maps/hazards?lang=ja"))
    page.wait_for_load_state("networkidle")
    assert len(bodies) == 3, [r.url for r in bodies]  # the three theme layers
    features = []
    for response in bodies:
        assert response.status == 200
        features += response.json()["features"]
    return features


def titles(features: list[dict[str, Any]]) -> list[str]:
    return [str(feature["properties"].get("title")) for feature in features]


def report_a_hazard(page: Page, site: Site, title: str) -> tuple[str, str]:
    """The resident's report through the public form; returns its reference number and private link."""
    page.goto(site.page("forms/report?lang=ja"))
    page.get_by_label("件名").fill(title)
    page.get_by_label("交通安全").check()
    page.get_by_label("くわしい様子").fill("朝の登校時間に車が多く、歩道がありません。")
    page.fill(".lowcode-picker [data-role=query]", "広坂１丁目")  # the place, found by its town name
    page.click(".lowcode-picker [data-role=search]")
    page.wait_for_function("() => document.querySelector('#location_lat').value !== ''")
    page.get_by_label("お名前").fill("金沢花子")
    page.get_by_label("メールアドレス").fill(RESIDENT)
    page.get_by_label("入力した内容(個人情報を除く)が公開されることに同意します").check()
    page.get_by_role("button", name="報告する").click()
    expect(page).to_have_url(re.compile(rf"/{APP}/forms/report/sent/"))
    return page.locator("#reference").inner_text(), str(page.locator("#track-link").get_attribute("href"))


def publish_as_staff(page: Page, site: Site, title: str) -> None:
    page.goto(site.page("staff/login?lang=ja"))
    page.locator("#username").fill("kyoiku")
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    page.goto(site.page("staff/tables/hazards?lang=ja"))
    page.get_by_role("link", name=re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}")).first.click()
    expect(page.locator(".detail")).to_contain_text(title)
    expect(page.locator(".detail")).to_contain_text(RESIDENT)  # the board's role may see private fields
    page.locator("#action-published-message").fill(MESSAGE)
    page.get_by_role("button", name="公開する", exact=True).click()
    expect(page.locator(".staff-history")).to_contain_text(MESSAGE)


def test_a_report_is_published_by_staff_before_it_is_on_the_map_and_the_resident_is_told(browser: Any, site: Site) -> None:
    lowcode(site, "user", "add", str(site.apps), "kyoiku", "--role", "board", "--email", STAFF, stdin=PASSWORD + "\n")
    title = f"歩道のない通学路 {uuid.uuid4().hex[:6]}"

    resident = phone(browser)
    reference, track_link = report_a_hazard(resident, site, title)
    assert title not in titles(map_features(resident, site))
    resident.goto(track_link)
    expect(resident.locator("#track-status")).to_have_text("受け付けました")  # not yet public: no status named

    staff = phone(browser)
    publish_as_staff(staff, site, title)

    published = [f for f in map_features(resident, site) if f["properties"].get("title") == title]
    assert len(published) == 1 and published[0]["properties"]["status"] == "published"
    assert RESIDENT not in str(published) and "金沢花子" not in str(published)
    resident.goto(track_link)
    expect(resident.locator("#track-status")).to_have_text("公開")
    expect(resident.locator(".track-message")).to_contain_text(MESSAGE)

    port = free_port()
    with smtp_server(port) as inbox:
        lowcode(site, "mail", "send", str(site.apps), env={"LOWCODE_SMTP_HOST": "127.0.0.1", "LOWCODE_SMTP_PORT": str(port)})
    by_address = {str(message["To"]): message for message in inbox.messages}
    assert set(by_address) == {RESIDENT, STAFF}  # the reporter's news, and the new report's notice to the board
    to_resident = by_address[RESIDENT]
    assert to_resident["Subject"] == f"[セーフティ通学路マップ] お送りいただいた内容について({reference})"
    body = to_resident.get_content()
    assert MESSAGE in body and "現在の状況: 公開" in body
    notice = by_address[STAFF].get_content()
    assert reference in notice and RESIDENT not in notice and title not in notice  # no personal data in staff mail
    resident.context.close()
    staff.context.close()
