"""The safe school-route cycle end to end (issue 11), with the shipped app on a phone-sized Chromium: a parent reports
a hazard with a photo; the board of education (`board`) publishes it; the road manager (`road`) starts and finishes
the countermeasure and records it on the staff form; the public map's data shows it done, in green; the progress
page counts it; the parent's private link shows 対策済; the school's printed sheet lists it.

Staff accounts are made with `lowcode user add`, as a city would."""
from __future__ import annotations

import io
import json
import re
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page, expect
from support import serving
from test_accessibility import BLOCKING, readable, run_axe

from lowcode.app import create_app
from lowcode.cli import main

pytestmark = pytest.mark.browser
APP = "safe_school_routes"
SAMPLE = Path(__file__).resolve().parents[2] / "apps" / APP
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct horse battery"
SCHOOL = "犀桜小学校"
TITLE = "信号のない横断歩道を渡る児童が多い(確認用)"
GREEN = "#1e8449"


class Site:
    def __init__(self, url: str, env: dict[str, str | None], apps: Path) -> None:
        self.url, self.env, self.apps = url, env, apps

    def page(self, path: str) -> str:
        return f"{self.url}/{APP}/{path}"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    shutil.copytree(SAMPLE, tmp_path / "apps" / APP)
    database = f"sqlite:///{tmp_path / 'story.sqlite3'}"
    env: dict[str, str | None] = {"DATABASE_URL": database, "LOWCODE_INSTANCE": str(tmp_path / "instance"),
                                  "LANG": "C.UTF-8", "LC_ALL": None, "LC_MESSAGES": None}
    app = create_app(tmp_path / "apps", {"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database})
    with serving(app) as url:
        yield Site(url, env, tmp_path / "apps")


def add_user(site: Site, name: str, role: str) -> None:
    result = CliRunner().invoke(main, ["user", "add", str(site.apps), name, "--role", role, "--email", f"{name}@city.example.jp"],
                                input=PASSWORD + "\n", env=site.env)
    assert result.exit_code == 0, result.output


def phone(browser: Any) -> Page:
    """A fresh phone-sized tab (its own cookies) that may only talk to the test server: tiles are aborted."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    context.set_default_timeout(15_000)
    return context.new_page()


def report_with_photo(page: Page, site: Site, photo: bytes) -> tuple[str, str]:
    """The parent's report through the public form; returns the school's id and the private link."""
    page.goto(site.page("forms/report?lang=ja"))
    page.get_by_label("件名").fill(TITLE)
    page.get_by_label("交通安全").check()
    page.get_by_label("くわしい様子").fill("朝の登校時間に車が多く、信号がありません。")
    school = page.get_by_label("関係する小学校")
    school.select_option(label=SCHOOL)
    school_id = school.input_value()
    page.fill(".lowcode-picker [data-role=query]", "広坂１丁目")
    page.click(".lowcode-picker [data-role=search]")
    page.wait_for_function("() => document.querySelector('#location_lat').value !== ''")
    page.get_by_label("写真").set_input_files({"name": "IMG_0042.PNG", "mimeType": "image/png", "buffer": photo})
    page.get_by_label("入力した内容(個人情報を除く)が公開されることに同意します").check()
    page.get_by_role("button", name="報告する").click()
    expect(page).to_have_url(re.compile(rf"/{APP}/forms/report/sent/"))
    return school_id, str(page.locator("#track-link").get_attribute("href"))


def log_in(page: Page, site: Site, name: str) -> None:
    page.goto(site.page("staff/login?lang=ja"))
    page.locator("#username").fill(name)
    page.locator("#password").fill(PASSWORD)
    page.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/staff/login"))


def open_the_report(page: Page, site: Site) -> None:
    page.goto(site.page(f"staff/tables/hazards?lang=ja&q={TITLE}"))
    page.get_by_role("link", name=re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}")).first.click()
    expect(page.locator(".detail")).to_contain_text(TITLE)


def record_countermeasure(page: Page, site: Site) -> None:
    page.goto(site.page("forms/countermeasure?lang=ja"))
    page.get_by_label("対策の名前").fill("横断歩道の新設")
    page.get_by_label("危険箇所").select_option(label=TITLE)
    page.get_by_label("関係する小学校").select_option(label=SCHOOL)
    page.get_by_role("radio", name="道路管理者").check()  # five agencies: radio buttons
    page.get_by_label("対策の内容").select_option(label="横断歩道")  # twelve measures: a drop-down
    page.get_by_role("button", name="記録する").click()
    expect(page.locator("body")).to_contain_text("対策を記録しました。")


def pdf_text(pdf: bytes) -> str:
    """The text of every page of a PDF, NFKC-normalised (the fonts' glyphs map some kanji to their Kangxi radical
    look-alikes, ⼩ for 小), without spaces or line breaks (Chromium places each run of text apart)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return unicodedata.normalize("NFKC", "".join("".join(page.extract_text().split()) for page in reader.pages))


def share_done(page: Page, site: Site) -> tuple[int, int]:
    """対策実施率 on the progress page: (hazards done, hazards counted)."""
    page.goto(site.page("dashboards/progress?lang=ja"))
    share = page.locator("section.chart-block").first
    expect(share.locator("h2")).to_have_text("対策実施率(対策済の割合)")
    done, counted = (int(n) for n in re.findall(r"\d+", share.locator(".chart-summary").inner_text().replace(",", ""))[:2])
    return done, counted


def test_a_parents_report_goes_round_the_cycle_to_done_on_every_public_page(browser: Any, site: Site, png_photo: bytes) -> None:
    add_user(site, "kyoiku", "board")
    add_user(site, "doro", "road")

    parent = phone(browser)
    done_before, counted_before = share_done(parent, site)
    school_id, track_link = report_with_photo(parent, site, png_photo)

    board = phone(browser)
    log_in(board, site, "kyoiku")
    open_the_report(board, site)
    expect(board.locator(".detail img[src*='/photos/']")).to_have_count(1)  # the photo came through
    board.get_by_role("button", name="公開する", exact=True).click()
    expect(board.locator(".staff-history")).to_contain_text("公開")

    road = phone(browser)
    log_in(road, site, "doro")
    open_the_report(road, site)
    road.get_by_role("button", name="対策に着手する", exact=True).click()
    expect(road.locator(".staff-history")).to_contain_text("対策中")
    road.get_by_role("button", name="対策済にする", exact=True).click()
    expect(road.locator(".staff-history")).to_contain_text("対策済")
    record_countermeasure(road, site)

    # the public map: the report in the traffic layer, done, and done is drawn green
    parent.goto(site.page("maps/hazards?lang=ja"))
    features = json.loads(parent.evaluate(
        "url => fetch(url).then(r => r.text())", site.page("api/hazards.geojson?map=hazards&layer=0")))["features"]
    mine = [f["properties"] for f in features if f["properties"].get("title") == TITLE]
    assert [p["status"] for p in mine] == ["done"]
    assert f'"done": "{GREEN}"' in parent.content()

    # the progress page counts it among the done
    assert share_done(parent, site) == (done_before + 1, counted_before + 1)

    # the parent's private link
    parent.goto(track_link)
    expect(parent.locator("#track-status")).to_have_text("対策済")

    # the school's printed sheet: the report, and under it the countermeasure the road manager recorded
    parent.goto(site.page(f"maps/hazards/print?school={school_id}&lang=ja&paper=a3"))
    expect(parent.locator(".print-narrowed")).to_contain_text(SCHOOL)
    expect(parent.locator("table.print-list").first).to_contain_text(TITLE)
    parent.wait_for_selector(".lowcode-map[data-lowcode-points]", state="attached")
    printed = pdf_text(parent.pdf(prefer_css_page_size=True, print_background=True))
    title = unicodedata.normalize("NFKC", TITLE)
    assert title in printed
    measure = printed[printed.index(title):]
    assert re.match(r"[^番]*番号\d+の対策:横断歩道の新設·実施する機関:道路管理者", measure), measure[:200]  # right under it
    for tab in (parent, board, road):
        tab.context.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_progress_page_fits_a_phone_and_axe_finds_nothing_serious(browser: Any, site: Site, axe_script: Path,
                                                                        lang: str) -> None:
    page = phone(browser)
    page.goto(site.page(f"dashboards/progress?lang={lang}"))
    expect(page.locator("svg.chart")).to_have_count(6)
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # nothing wider than the phone
    for summary in page.locator("details.chart-data summary").all():
        summary.click()  # every table of numbers open, so axe checks them too
    expect(page.locator("table.chart-table").nth(3)).to_contain_text(SCHOOL)  # the count per school names schools

    blocking = [v for v in run_axe(page, axe_script) if v["impact"] in BLOCKING]

    assert blocking == [], readable(blocking)
    page.context.close()
