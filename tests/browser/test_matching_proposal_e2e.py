"""The proposal flow end to end (issue 12), with the real neighbourhood_matching app on phone-sized Chromium: a
student group registers through the public form; the city's admin lists it; a 町会's own account posts a help
request and starts looking for helpers; the admin proposes the group on the matching page; the 町会 sees its
proposal without the group's contact, and the group's private link (from its mail) shows no 町会 contact; the 町会
accepts, the group accepts; both now see each other's contact. axe finds nothing on the matching page, the
proposal page and the private link.

The app is the shipped one, copied, but without its demo requests and helpers (the story's rows are then the only
ones on the matching page: no paging, no demo helper ranked above the group). Accounts are made with
`lowcode user add`, as a city would; the group's link is read from the outbox the mail sender would deliver."""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from playwright.sync_api import Page, expect
from support import serving
from test_moderation_e2e import phone
from test_staff_login_phone import run_axe

from lowcode.app import create_app
from lowcode.cli import main
from lowcode.mail.outbox import OUTBOX

pytestmark = pytest.mark.browser
APP = "neighbourhood_matching"
SAMPLE = Path(__file__).resolve().parents[2] / "apps" / APP
PASSWORD = "correct horse battery"
CHOKAI = "【デモ】いなほ町会"
GROUP = {"name": "金沢テスト大学 雪かき部", "contact": "代表 雪野 一郎", "phone": "090-1234-5678",
         "email": "yukikaki@example.jp"}
TOWN = {"contact": "町会 担当 花子", "phone": "076-987-6543"}
GROUP_CONTACT = (GROUP["contact"], GROUP["phone"], GROUP["email"])
TOWN_CONTACT = (TOWN["contact"], TOWN["phone"])


@dataclass
class Site:
    url: str
    database: str

    def page(self, path: str) -> str:
        return f"{self.url}/{APP}/{path}"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    target = tmp_path / "apps" / APP
    shutil.copytree(SAMPLE, target)
    yaml = (target / "app.yaml").read_text(encoding="utf-8")
    for demo in ("demo_help_requests.csv", "demo_helpers.csv"):
        yaml = re.sub(rf"\n *seed: \{{file: data/{demo}\}}", "", yaml)
    (target / "app.yaml").write_text(yaml, encoding="utf-8")
    database = f"sqlite:///{tmp_path / 'proposal.sqlite3'}"
    env: dict[str, str | None] = {"DATABASE_URL": database, "LOWCODE_INSTANCE": str(tmp_path / "instance"),
                                  "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
    app = create_app(tmp_path / "apps", {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database})
    engine = sa.create_engine(database)
    with engine.connect() as conn:
        chokai_id = conn.execute(sa.text(f"SELECT id FROM {APP}__chokai WHERE name = :n"), {"n": CHOKAI}).scalar_one()
    engine.dispose()
    for username, role in (("city", "admin"), ("inaho", "chokai")):
        scope = ["--scope", str(chokai_id)] if role == "chokai" else []
        result = CliRunner().invoke(main, ["user", "add", str(tmp_path / "apps"), username, "--role", role, *scope,
                                           "--email", f"{username}@city.example.jp"], input=PASSWORD + "\n", env=env)
        assert result.exit_code == 0, result.output
    with serving(app) as url:
        yield Site(url, database)


def pick_place(page: Page, town: str) -> None:
    page.fill(".lowcode-picker [data-role=query]", town)
    page.click(".lowcode-picker [data-role=search]")
    page.wait_for_function("() => document.querySelector('.lowcode-picker input[id$=_lat]').value !== ''")


def register_group(page: Page, site: Site) -> None:
    page.goto(site.page("forms/helper?lang=ja"))
    page.get_by_label("一覧に出す名前").fill(GROUP["name"])
    page.get_by_label("学生の団体").check()
    page.locator("#field-categories").get_by_label("除雪").check()
    page.get_by_label("参加できる人数").fill("6")
    page.locator("#field-weekdays").get_by_label("土", exact=True).check()
    pick_place(page, "広坂１丁目")
    page.get_by_label("代表者名・お名前").fill(GROUP["contact"])
    page.get_by_label("電話番号").fill(GROUP["phone"])
    page.get_by_label("メールアドレス").fill(GROUP["email"])
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(rf"/{APP}/forms/helper/sent/"))


def log_in(page: Page, site: Site, username: str) -> None:
    page.goto(site.page("staff/login?lang=ja"))
    page.locator("#username").fill(username)
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{APP}/staff/"))


def open_first(page: Page, site: Site, table: str) -> None:
    page.goto(site.page(f"staff/tables/{table}?lang=ja"))
    page.get_by_role("link", name=re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}")).first.click()


def post_request(page: Page, site: Site) -> None:
    """The 町会's account posts a Saturday snow request at 広坂 and starts looking for helpers."""
    page.goto(site.page("forms/request?lang=ja"))
    page.get_by_label("依頼の内容").fill("広坂の通学路の除雪")
    page.get_by_label("依頼する町会").select_option(label=CHOKAI)
    page.locator("#field-categories").get_by_label("除雪").check()
    page.locator("#date").fill("2027-01-16")  # a Saturday
    page.get_by_label("必要な人数").fill("4")
    pick_place(page, "広坂１丁目")
    page.get_by_label("担当者名").fill(TOWN["contact"])
    page.get_by_label("担当者の電話番号").fill(TOWN["phone"])
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(rf"/{APP}/forms/request/sent/"))
    open_first(page, site, "help_requests")
    page.get_by_role("button", name="募集を始める").click()
    expect(page.locator(".detail")).to_contain_text("募集中")


def helper_link(site: Site) -> str:
    engine = sa.create_engine(site.database)
    with engine.connect() as conn:
        bodies = conn.execute(sa.select(OUTBOX.c.body).where(OUTBOX.c.to == GROUP["email"])).scalars().all()
    engine.dispose()
    links = [m for body in bodies for m in re.findall(rf"http://127\.0\.0\.1:\d+/{APP}/proposal/[\w-]+", body)]
    assert len(links) == 1, bodies
    assert not any(c in body for body in bodies for c in (*GROUP_CONTACT[:2], *TOWN_CONTACT))
    return links[0]


def shows_none(page: Page, values: tuple[str, ...]) -> None:
    text = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert not [v for v in values if v in text], text


def test_both_sides_see_each_other_s_contact_only_after_both_accept(browser: Any, site: Site, axe_script: Path) -> None:
    group = phone(browser)
    register_group(group, site)

    city = phone(browser)
    log_in(city, site, "city")
    open_first(city, site, "helpers")
    city.get_by_role("button", name="掲載する", exact=True).click()
    expect(city.locator(".detail")).to_contain_text("掲載中")

    town = phone(browser)
    log_in(town, site, "inaho")
    post_request(town, site)

    city.goto(site.page("staff/matching/helpers_for_requests?lang=ja"))
    expect(city.locator(".matching-helpers")).to_contain_text(GROUP["name"])
    assert run_axe(city, axe_script) == []
    city.get_by_role("button", name=re.compile("提案する")).first.click()
    expect(city.locator("#proposal-status")).to_have_text("回答待ち")

    open_first(town, site, "help_requests")
    town.locator(".staff-proposals a").first.click()
    expect(town.locator("#proposal-status")).to_have_text("回答待ち")
    expect(town.locator("main")).to_contain_text(GROUP["name"])
    shows_none(town, GROUP_CONTACT)

    group.goto(helper_link(site))
    expect(group.locator("h1")).to_contain_text("広坂の通学路の除雪")
    shows_none(group, TOWN_CONTACT)

    town.get_by_role("button", name="この手伝い手を受ける").click()
    expect(town.locator("#request-answer")).to_have_text("受けた")
    shows_none(town, GROUP_CONTACT)
    group.reload()
    shows_none(group, TOWN_CONTACT)

    group.get_by_role("button", name="受ける", exact=True).click()
    expect(group.locator("#proposal-status")).to_have_text("双方が受けた")
    for value in TOWN_CONTACT:
        expect(group.locator("#other-contact")).to_contain_text(value)
    town.reload()
    for value in GROUP_CONTACT:
        expect(town.locator("#helper-contact")).to_contain_text(value)
    for page in (group, town):  # the pages with the contacts, on a phone
        assert run_axe(page, axe_script) == []
    for page in (group, city, town):
        page.context.close()
