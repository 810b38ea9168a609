"""A resident on a phone (390×844): lists as cards, a map on detail pages, thumb-sized targets, a folding menu,
a confirmation step, date limits and long drop-downs that can be searched (issue 7, items 25–30)."""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Route, expect
from support import serving, write_app
from test_accessibility import BLOCKING, readable, run_axe

from lowcode.app import create_app

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TILE_HOST = "tiles.example.test"
SCHOOLS = ["長町", "泉", "泉野", "菊川町", "新竪町", "中村町", "十一屋", "野町", "弥生", "米泉", "三和", "戸板", "大徳",
           "浅野町", "小坂", "森山町", "馬場", "明成", "花園", "金石町", "大野町", "粟崎", "押野", "伏見台", "富樫", "犀桜"]
APP = f"""
title: {{ja: 通学路の安全, en: Safe routes}}
basemap: {{url: "https://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png", attribution: テスト地図}}
geocoder: {{gazetteer: {{file: data/towns.csv, name: town, lat: lat, lon: lon}}}}
tables:
  schools:
    title_field: name
    fields:
      name: {{type: text, required: true, label: {{ja: 学校名, en: School}}}}
    seed: {{file: data/schools.csv}}
  reports:
    fields:
      title: {{type: text, required: true, label: {{ja: 件名, en: Subject}}}}
      theme:
        type: choice
        label: {{ja: 分類, en: Theme}}
        choices: [{{key: crime, label: {{ja: 防犯, en: Crime}}}}, {{key: traffic, label: {{ja: 交通, en: Traffic}}}}]
      status:
        type: choice
        default: working
        label: {{ja: 対応状況, en: Status}}
        choices: [{{key: received, label: {{ja: 受付, en: Received}}}}, {{key: working, label: {{ja: 対応中, en: In progress}}}}]
      school: {{type: reference, to: schools, label: {{ja: 学校, en: School}}}}
      visit: {{type: date, min: today, max: today+30, label: {{ja: 立ち会い希望日, en: Visit day}}}}
      place: {{type: location, label: {{ja: 場所, en: Place}}}}
      name: {{type: text, visibility: private, label: {{ja: お名前, en: Name}}}}
    seed: {{file: data/reports.csv}}
forms:
  report: {{table: reports, title: {{ja: 危険箇所を報告する, en: Report a spot}}, confirm: true, fields: [title, theme, school, visit, place, name]}}
lists:
  reports: {{table: reports, title: {{ja: 報告の一覧, en: Reports}}, columns: [title, theme, status, school], filters: [school], sort: title}}
  schools: {{table: schools, title: {{ja: 小学校, en: Schools}}}}
maps:
  reports: {{title: {{ja: 報告の地図, en: Map}}, layers: [{{table: reports}}]}}
"""
SCHOOLS_CSV = "name\n" + "".join(f"{name}小学校\n" for name in SCHOOLS)
LONG_TITLE = "登校時間に車が速度を落とさずに通り抜けていく狭い生活道路の横断歩道"
REPORTS_CSV = f"title,theme,status,lat,lon\n見通しの悪い交差点,traffic,working,36.5613,136.6562\n{LONG_TITLE},crime,working,,\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("phone")
    write_app(root / "apps" / "routes", APP, {
        "data/schools.csv": SCHOOLS_CSV, "data/reports.csv": REPORTS_CSV, "data/towns.csv": "town,lat,lon\n広坂一丁目,36.5613,136.6562\n",
    })
    app = create_app(root / "apps", {"INSTANCE_PATH": str(root / "instance"), "DATABASE_URL": f"sqlite:///{root / 'phone.sqlite3'}"})
    with serving(app, "lowcode-phone-server") as url:
        yield f"{url}/routes"


class Traffic:
    def __init__(self) -> None:
        self.tiles: list[str] = []
        self.outside: list[str] = []


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


def open_phone(browser: Any, server: str, traffic: Traffic, *, javascript: bool = True) -> Any:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
                                  java_script_enabled=javascript)
    local = urlsplit(server).netloc

    def only_local(route: Route, request: Request) -> None:
        host = urlsplit(request.url).netloc
        if host == local or request.url.startswith(("data:", "blob:")):
            route.continue_()
        elif host == TILE_HOST:
            traffic.tiles.append(request.url)
            route.fulfill(status=404, body="")
        else:
            traffic.outside.append(request.url)
            route.abort()

    context.route("**/*", only_local)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def phone(browser: Any, server: str, traffic: Traffic) -> Iterator[Page]:
    context = open_phone(browser, server, traffic)
    yield context.new_page()
    context.close()


def run_axe_blocking(page: Page, axe_script: Path) -> str:
    """The serious and critical axe-core violations, readable ('' when none)."""
    return readable([v for v in run_axe(page, axe_script) if v["impact"] in BLOCKING])


def line_height(page: Page, selector: str) -> float:
    return float(page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).lineHeight)"))


# --- item 25: lists ---


def test_list_rows_become_cards_whose_labels_and_values_keep_their_words(phone: Page, server: str, axe_script: Path) -> None:
    phone.goto(f"{server}/lists/reports")
    cell = phone.locator("table.list tbody tr").first.locator("td[data-label='対応状況']")

    expect(cell).to_contain_text("対応中")
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"対応状況"'  # the card names each value
    one_line = line_height(phone, "table.list tbody td[data-label='対応状況']")
    assert cell.bounding_box()["height"] < 1.5 * one_line  # 対応状況 and 対応中 each on one line, not 対/応/状/況
    assert phone.locator("table.list thead").bounding_box()["height"] <= 1  # headers are for screen readers now
    expect(phone.get_by_role("row").filter(has_text="見通しの悪い交差点")).to_have_count(1)  # still a table to them
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert run_axe_blocking(phone, axe_script) == ""


def test_on_a_wider_screen_headers_stay_on_one_line_next_to_a_long_title(phone: Page, server: str) -> None:
    phone.set_viewport_size({"width": 620, "height": 800})
    phone.goto(f"{server}/lists/reports")
    header = phone.get_by_role("columnheader", name="対応状況")

    lines = header.evaluate("th => { const r = document.createRange(); r.selectNodeContents(th); "
                            "return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size; }")
    assert lines == 1


# --- item 26: detail pages ---


def test_a_detail_page_shows_the_point_on_a_map_and_keeps_the_coordinates_for_screen_readers(
    phone: Page, server: str, traffic: Traffic, axe_script: Path
) -> None:
    phone.goto(f"{server}/lists/reports")
    phone.get_by_role("link", name="見通しの悪い交差点").click()

    box = phone.locator(".point-map")
    expect(box).to_be_visible()
    expect(box.locator(".leaflet-marker-icon")).to_have_count(1)
    coordinates = phone.locator(".point-coordinates")
    expect(coordinates).to_have_class(re.compile(r"\bvisually-hidden\b"))
    expect(coordinates).to_contain_text(re.compile(r"36\.\d+, 136\.\d+"))
    assert traffic.tiles and all(urlsplit(url).netloc == TILE_HOST for url in traffic.tiles)
    assert traffic.outside == []
    assert run_axe_blocking(phone, axe_script) == ""


# --- item 27: touch targets and the menu ---


def test_buttons_and_links_in_the_header_and_the_picker_are_thumb_sized(phone: Page, server: str) -> None:
    phone.goto(f"{server}/forms/report")
    targets = [phone.get_by_role("button", name="現在地を使う"), phone.get_by_role("button", name="検索", exact=True),
               phone.get_by_role("searchbox", name="住所や施設名"), phone.get_by_role("button", name="メニュー"),
               phone.get_by_role("navigation", name="言語").get_by_role("link", name="English")]
    phone.get_by_role("button", name="メニュー").click()
    targets += list(phone.get_by_role("navigation", name="メインメニュー").get_by_role("link").all())

    sizes = [(t.inner_text(), t.bounding_box()) for t in targets]
    assert [(text, box["height"] >= 44 and box["width"] >= 44) for text, box in sizes] == [(text, True) for text, _ in sizes]


def test_the_navigation_folds_behind_a_menu_button_on_a_phone(phone: Page, server: str, axe_script: Path) -> None:
    phone.goto(f"{server}/")
    menu = phone.get_by_role("button", name="メニュー")
    nav = phone.get_by_role("navigation", name="メインメニュー")

    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    assert phone.locator("header.site-header").bounding_box()["height"] <= 2 * 44 + 16  # was five lines of links

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="報告の一覧")).to_be_visible()
    assert run_axe_blocking(phone, axe_script) == ""
    nav.get_by_role("link", name="報告の一覧").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("報告の一覧")


def test_without_javascript_the_navigation_stays_open(browser: Any, server: str, traffic: Traffic) -> None:
    context = open_phone(browser, server, traffic, javascript=False)
    page = context.new_page()
    page.goto(f"{server}/")

    expect(page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="報告の一覧")).to_be_visible()
    expect(page.locator(".menu-button")).to_be_hidden()
    context.close()


# --- items 28, 29, 30: the form ---


def test_a_report_is_confirmed_corrected_and_sent_with_a_school_found_by_typing(
    phone: Page, server: str, axe_script: Path
) -> None:
    title = f"歩道の段差 {uuid.uuid4().hex[:6]}"
    phone.goto(f"{server}/forms/report")
    school = phone.get_by_label("学校", exact=True)
    assert school.locator("option").count() == len(SCHOOLS) + 1

    phone.get_by_label("文字を入力して候補を絞り込む").fill("泉野小")
    expect(school.locator("option")).to_have_count(2)  # 「選択してください」 and 泉野小学校
    expect(phone.get_by_role("status").filter(has_text="該当する候補")).to_have_text("該当する候補: 1 件")
    school.select_option(label="泉野小学校")
    visit = phone.get_by_label("立ち会い希望日")
    assert visit.get_attribute("min") and visit.get_attribute("max")
    phone.get_by_label("件名").fill(title)
    phone.get_by_label("防犯").check()
    phone.get_by_label("お名前").fill("<b>金沢</b>太郎")
    phone.get_by_role("button", name="入力内容を確認する").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("入力内容の確認")
    answers = phone.locator("dl.confirm-answers")
    expect(answers).to_contain_text(title)
    expect(answers).to_contain_text("泉野小学校")
    expect(answers).to_contain_text("<b>金沢</b>太郎")  # shown as typed, never as HTML
    assert run_axe_blocking(phone, axe_script) == ""
    phone.get_by_role("button", name="修正する").click()

    expect(phone.get_by_label("件名")).to_have_value(title)
    expect(phone.get_by_label("学校", exact=True)).to_have_value(school.input_value())
    expect(phone.get_by_label("防犯")).to_be_checked()
    phone.get_by_label("件名").fill(title + " 修正")
    phone.get_by_role("button", name="入力内容を確認する").click()
    expect(phone.locator("dl.confirm-answers")).to_contain_text(title + " 修正")
    phone.get_by_role("button", name="送信する").click()

    expect(phone.locator("#reference")).to_be_visible()
    phone.goto(f"{server}/lists/reports")
    row = phone.get_by_role("row").filter(has_text=title + " 修正")
    expect(row).to_contain_text("泉野小学校")


def test_a_long_list_filter_can_be_searched_too(phone: Page, server: str) -> None:
    phone.goto(f"{server}/lists/reports")
    school = phone.get_by_label("学校", exact=True)

    phone.get_by_label("文字を入力して候補を絞り込む").fill("菊川")
    expect(school.locator("option")).to_have_text(["すべて", "菊川町小学校"])
    school.select_option(label="菊川町小学校")
    phone.get_by_role("button", name="表示").click()

    expect(phone).to_have_url(re.compile(r"school=\d+"))
    expect(phone.get_by_label("学校", exact=True).locator("option:checked")).to_have_text("菊川町小学校")
