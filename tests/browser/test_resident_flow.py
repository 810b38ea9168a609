"""A resident on a phone: reports a problem, gets a reference number, finds the report in the list (without the number)."""
from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
REFERENCE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")


def unique(text: str) -> str:
    """A title no other test uses: the server lives for the whole session."""
    return f"{text} {uuid.uuid4().hex[:6]}"


def fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_resident_reports_a_problem_and_finds_it_in_the_list(page: Page, live_server: Any, outside_requests: Any, png_photo: bytes) -> None:
    title = unique("歩道橋の手すりがぐらついている")
    page.goto(live_server.page_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("道路・公園の不具合通報")

    page.get_by_role("main").get_by_role("link", name="不具合を通報する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("不具合を通報する")
    assert fits_the_phone(page)
    page.get_by_label("件名").fill(title)
    page.get_by_label("街灯の故障").check()
    page.get_by_label("詳しい内容").fill("駅東口の歩道橋です。\n手すりを持つと揺れます。")
    page.get_by_label("歩行者").check()
    page.get_by_label("自転車").check()
    page.get_by_label("見つけた日").fill("2026-06-20")
    page.get_by_label("写真").set_input_files({"name": "IMG_0042.PNG", "mimeType": "image/png", "buffer": png_photo})
    page.get_by_label("お名前").fill("金沢太郎")
    page.get_by_label("電話番号").fill("０７６－２２０－２１１１")
    page.get_by_label("個人情報の取り扱いに同意する").check()
    page.get_by_role("button", name="通報を送る").click()

    expect(page).to_have_url(re.compile(r"/roads/forms/report/sent/[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("送信ありがとうございました。受け付けました。")
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.match(reference)

    page.get_by_role("button", name="メニュー").click()  # on a phone the navigation folds behind a menu button
    page.get_by_role("navigation", name="メインメニュー").get_by_role("link", name="通報の一覧").click()
    page.get_by_label("検索").fill("手すり")
    page.get_by_role("button", name="表示").click()
    expect(page.locator("p.count")).to_have_text("1 件")
    assert fits_the_phone(page)
    row = page.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("街灯の故障")
    row.get_by_role("link", name=title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    details = page.locator("dl.detail")
    expect(details).to_contain_text("駅東口の歩道橋です。")
    expect(details).to_contain_text("歩行者、自転車")
    expect(page.locator("main")).not_to_contain_text(reference)  # the number residents quote stays off public pages
    expect(details).not_to_contain_text("金沢太郎")
    expect(details).not_to_contain_text("076-220-2111")
    photo = details.get_by_role("img", name="写真")
    photo.scroll_into_view_if_needed()
    expect(photo).to_be_visible()
    assert photo.evaluate("img => img.complete && img.naturalWidth === 4")
    assert outside_requests.urls == []


def test_a_missing_answer_is_explained_and_nothing_typed_is_lost(page: Page, live_server: Any, outside_requests: Any) -> None:
    title = unique("公園のベンチが壊れている")
    page.goto(live_server.page_url("forms/report"))
    page.get_by_label("公園の遊具").check()
    page.get_by_label("詳しい内容").fill("座ると傾きます")
    page.get_by_label("個人情報の取り扱いに同意する").check()
    page.get_by_role("button", name="通報を送る").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("次の項目を直してください")
    expect(summary.get_by_role("link")).to_have_text(["件名: この項目を入力してください。"])
    expect(page).to_have_title(re.compile(r"^エラー: 不具合を通報する"))
    expect(page.get_by_label("件名")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("公園の遊具")).to_be_checked()
    expect(page.get_by_label("詳しい内容")).to_have_value("座ると傾きます")
    expect(page.get_by_label("個人情報の取り扱いに同意する")).to_be_checked()

    summary.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#field-title$"))
    page.get_by_label("件名").fill(title)
    page.get_by_role("button", name="通報を送る").click()

    expect(page).to_have_url(re.compile(r"/sent/[A-Z2-9]{4}-[A-Z2-9]{4}(#field-title)?$"))  # the browser keeps the #fragment
    assert outside_requests.urls == []


def test_choosing_other_asks_what_it_is(page: Page, live_server: Any) -> None:
    title = unique("看板が倒れかけている")
    page.goto(live_server.page_url("forms/report"))
    other_detail = page.get_by_label("その他の内容")
    expect(other_detail).to_be_hidden()

    page.get_by_label("その他", exact=True).check()
    expect(other_detail).to_be_visible()
    other_detail.fill("バス停の看板")
    page.get_by_label("道路の穴・段差").check()
    expect(other_detail).to_be_hidden()
    page.get_by_label("その他", exact=True).check()
    expect(other_detail).to_have_value("バス停の看板")  # nothing typed is lost while it was hidden

    other_detail.fill("")
    page.get_by_label("件名").fill(title)
    page.get_by_label("個人情報の取り扱いに同意する").check()
    page.get_by_role("button", name="通報を送る").click()

    expect(page.locator("#error-summary")).to_contain_text("その他の内容: この項目を入力してください。")
    expect(other_detail).to_be_visible()  # the page comes back with the extra field still open
    other_detail.fill("バス停の看板")
    page.get_by_role("button", name="通報を送る").click()
    expect(page).to_have_url(re.compile(r"/sent/"))


def test_a_hidden_answer_is_not_kept_even_though_the_browser_sends_it(page: Page, live_server: Any) -> None:
    title = unique("ごみ箱があふれている")
    page.goto(live_server.page_url("forms/report"))
    page.get_by_label("件名").fill(title)
    page.get_by_label("その他", exact=True).check()
    page.get_by_label("その他の内容").fill("見えなくなる答え")
    page.get_by_label("公園の遊具").check()
    page.get_by_label("個人情報の取り扱いに同意する").check()
    page.get_by_role("button", name="通報を送る").click()
    expect(page).to_have_url(re.compile(r"/sent/"))

    page.goto(live_server.page_url("lists/reports?q=" + title.split()[-1]))
    page.get_by_role("link", name=title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("dl.detail")).not_to_contain_text("見えなくなる答え")


def test_the_language_switcher_turns_the_pages_into_english(page: Page, live_server: Any) -> None:
    page.goto(live_server.page_url("forms/report"))
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    page.get_by_role("navigation", name="言語").get_by_role("link", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a problem")
    expect(page.get_by_label("Broken street light")).to_be_visible()
    expect(page.get_by_role("button", name="Send the report")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="All reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All reports")
    expect(page.get_by_role("cell", name="Playground equipment").first).to_be_visible()
