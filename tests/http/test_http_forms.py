"""A resident sends a form: what is stored, what comes back when something is wrong."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask

Rows = Callable[..., int]
Stored = Callable[..., list[dict[str, Any]]]
Send = Callable[..., Any]

REPORTS = """
title: {ja: 道路の通報, en: Road reports}
tables:
  reports:
    fields:
      title: {type: text, required: true, max_length: 20, label: {ja: 件名, en: Subject}}
      category:
        type: choice
        required: true
        label: {ja: 種類, en: Kind of problem}
        choices:
          - {key: pothole, label: {ja: 道路の穴, en: Pothole}}
          - {key: light, label: {ja: 街灯, en: Street light}}
          - {key: other, label: {ja: その他, en: Other}}
      other_detail:
        type: text
        required: true
        label: {ja: その他の内容, en: "What is it?"}
        show_if: {category: other}
      details: {type: textarea, min_length: 5, label: {ja: 詳しい内容, en: Details}}
      count: {type: integer, min: 1, max: 10, label: {ja: 箇所の数, en: How many places}}
      phone: {type: phone, visibility: private, label: {ja: 電話番号, en: Phone}}
      zip: {type: postal_code, label: {ja: 郵便番号, en: Postal code}}
      plate:
        type: text
        pattern: '[A-Z]{2}-[0-9]{3}'
        pattern_message: {ja: 標識番号は AB-123 の形で入力してください。, en: Write the sign number like AB-123.}
        label: {ja: 標識番号, en: Sign number}
      agree: {type: boolean, required: true, label: {ja: 利用規約に同意する, en: I agree to the terms}}
forms:
  report: {table: reports, title: {ja: 道路の不具合を通報する, en: Report a road problem}}
lists:
  reports: {table: reports, search: [title, details], filters: [category]}
"""
FORM = "/demo/forms/report"
GOOD = {"title": "道路に穴", "category": "pothole", "details": "車道の真ん中にあります", "agree": "y"}



def error_of(html: str, field: str) -> str:
    """The message shown next to a field (without the hidden 'Error:' prefix)."""
    match = re.search(rf'<p class="error-message" id="error-{field}">.*?</span>\s*(.*?)</p>', html, re.DOTALL)
    assert match, f"no error next to {field}"
    return match.group(1).strip()


def summary_of(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start:html.index("</div>", start)]


def test_a_report_is_stored_and_the_resident_gets_a_reference(make_app: Callable[..., Flask], send: Send, rows: Rows, stored: Stored) -> None:
    app = make_app(REPORTS)
    client = app.test_client()

    response = send(client, FORM, {**GOOD, "phone": "076-220-2111"})

    assert response.status_code == 303
    ref = response.headers["Location"].rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", ref)
    assert response.headers["Location"] == f"/demo/forms/report/sent/{ref}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'<strong id="reference">{ref}</strong>' in page
    assert "受付番号" in page
    [row] = stored(app, "reports")
    assert (row["ref"], row["title"], row["category"], row["phone"], row["agree"]) == (ref, "道路に穴", "pothole", "076-220-2111", True)
    assert rows(app, "reports") == 1


def test_a_form_sent_without_its_csrf_token_comes_back_with_the_answers(make_app: Callable[..., Flask], rows: Rows) -> None:
    app = make_app(REPORTS)
    client = app.test_client()
    client.get(FORM)

    response = client.post(FORM, data={**GOOD, "details": "<b>消えないで</b> ください"})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<div class="notice" role="status">安全のため、フォームの有効期限が切れました。入力内容は残っています。' in html
    assert 'value="道路に穴"' in html
    assert "&lt;b&gt;消えないで&lt;/b&gt; ください</textarea>" in html
    assert re.search(r'<input[^>]*checked[^>]*value="pothole"|<input[^>]*value="pothole"[^>]*checked', html)
    assert 'name="csrf_token"' in html  # a fresh token, so that sending again works
    assert rows(app, "reports") == 0


def test_a_forged_csrf_token_stores_nothing(make_app: Callable[..., Flask], rows: Rows) -> None:
    app = make_app(REPORTS)
    client = app.test_client()
    client.get(FORM)

    response = client.post(FORM, data={**GOOD, "csrf_token": "forged"})

    assert response.status_code == 422
    assert rows(app, "reports") == 0


def test_the_form_sent_again_after_the_csrf_notice_is_stored(make_app: Callable[..., Flask], rows: Rows) -> None:
    app = make_app(REPORTS)
    client = app.test_client()
    client.get(FORM)
    notice = client.post(FORM, data=GOOD).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', notice).group(1)  # type: ignore[union-attr]

    response = client.post(FORM, data={**GOOD, "csrf_token": token})

    assert response.status_code == 303
    assert rows(app, "reports") == 1


def test_errors_sit_next_to_their_fields_and_in_a_summary_at_the_top(make_app: Callable[..., Flask], send: Send, rows: Rows) -> None:
    app = make_app(REPORTS)

    response = send(app.test_client(), FORM, {"title": "", "details": "穴", "count": "20", "zip": "920"})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.index('id="error-summary"') < html.index("<form")
    assert re.search(r"<title>エラー: 道路の不具合を通報する", html)
    assert sorted(re.findall(r'href="#field-(\w+)"', summary_of(html))) == ["agree", "category", "count", "details", "title", "zip"]
    assert error_of(html, "title") == "この項目を入力してください。"
    assert error_of(html, "category") == "1つ選んでください。"
    assert error_of(html, "details") == "5 文字以上で入力してください。"
    assert error_of(html, "count") == "10 以下を入力してください。"
    assert error_of(html, "zip") == "郵便番号を7桁で入力してください(例: 920-8577)。"
    assert error_of(html, "agree") == "続けるにはチェックを入れてください。"
    assert re.search(r'<input[^>]*aria-describedby="error-title"[^>]*aria-invalid="true"[^>]*id="title"', html)
    assert rows(app, "reports") == 0


def test_the_error_summary_follows_the_order_of_the_form(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(REPORTS)

    response = send(app.test_client(), FORM, {"title": "", "details": "穴", "count": "20", "zip": "920"})

    links = re.findall(r'href="#field-(\w+)"', summary_of(response.get_data(as_text=True)))
    assert links == ["title", "category", "details", "count", "zip", "agree"]


def test_the_answers_are_kept_when_the_form_comes_back(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(REPORTS)

    response = send(app.test_client(), FORM, {**GOOD, "count": "20", "phone": "076-220-2111", "zip": "920-0962"})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for kept in ('value="道路に穴"', 'value="20"', 'value="076-220-2111"', 'value="920-0962"', "車道の真ん中にあります</textarea>"):
        assert kept in html
    assert re.search(r'<input[^>]*checked[^>]*value="pothole"|<input[^>]*value="pothole"[^>]*checked', html)
    assert re.search(r'<input[^>]*checked[^>]*id="agree"|<input[^>]*id="agree"[^>]*checked', html)


def test_english_messages_with_lang_en(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(REPORTS)

    html = send(app.test_client(), FORM + "?lang=en", {**GOOD, "title": "", "plate": "ab-12"}).get_data(as_text=True)

    assert "Please correct the following" in html
    assert '<a href="#field-title">Subject: Please fill in this field.</a>' in html
    assert error_of(html, "plate") == "Write the sign number like AB-123."


def test_a_hidden_required_field_does_not_block_the_form(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(REPORTS)

    response = send(app.test_client(), FORM, {**GOOD, "category": "light", "other_detail": ""})

    assert response.status_code == 303
    assert stored(app, "reports")[0]["category"] == "light"


def test_a_hidden_fields_value_is_not_stored_even_if_posted(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(REPORTS)

    response = send(app.test_client(), FORM, {**GOOD, "category": "light", "other_detail": "見えないはずの値"})

    assert response.status_code == 303
    assert stored(app, "reports")[0]["other_detail"] is None


def test_a_shown_field_is_required_and_stored(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(REPORTS)
    client = app.test_client()

    refused = send(client, FORM, {**GOOD, "category": "other", "other_detail": ""})
    accepted = send(client, FORM, {**GOOD, "category": "other", "other_detail": "ガードレールの破損"})

    assert refused.status_code == 422
    assert error_of(refused.get_data(as_text=True), "other_detail") == "この項目を入力してください。"
    assert accepted.status_code == 303
    assert [r["other_detail"] for r in stored(app, "reports")] == ["ガードレールの破損"]


def test_the_show_if_rule_is_in_the_page_for_the_script(sqlite_make_app: Callable[..., Flask]) -> None:
    html = sqlite_make_app(REPORTS).test_client().get(FORM).get_data(as_text=True)

    assert 'id="field-other_detail"\n     data-show-if="{&#34;category&#34;: &#34;other&#34;}"' in html


def test_full_width_digits_and_hyphens_are_normalised(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(REPORTS)

    response = send(app.test_client(), FORM, {**GOOD, "count": "３", "phone": "０７６ー２２０ー２１１１", "zip": "〒９２０－０９６２"})

    assert response.status_code == 303
    [row] = stored(app, "reports")
    assert (row["count"], row["phone"], row["zip"]) == (3, "076-220-2111", "920-0962")


def test_a_postal_code_without_hyphen_gets_one(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(REPORTS)

    send(app.test_client(), FORM, {**GOOD, "zip": "9200962", "phone": "(076)220 2111"})

    [row] = stored(app, "reports")
    assert (row["zip"], row["phone"]) == ("920-0962", "076-220-2111")


def test_numbers_outside_min_and_max_are_refused(make_app: Callable[..., Flask], send: Send, rows: Rows) -> None:
    app = make_app(REPORTS)
    client = app.test_client()

    too_small = send(client, FORM, {**GOOD, "count": "0"}).get_data(as_text=True)
    not_a_number = send(client, FORM, {**GOOD, "count": "たくさん"}).get_data(as_text=True)
    at_the_limit = send(client, FORM, {**GOOD, "count": "10"})

    assert error_of(too_small, "count") == "1 以上を入力してください。"
    assert error_of(not_a_number, "count") == "整数で入力してください(例: 12)。"
    assert at_the_limit.status_code == 303
    assert rows(app, "reports") == 1


def test_text_longer_than_max_length_is_refused(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(REPORTS)
    client = app.test_client()

    too_long = send(client, FORM, {**GOOD, "title": "あ" * 21})
    just_fits = send(client, FORM, {**GOOD, "title": "あ" * 20})

    assert error_of(too_long.get_data(as_text=True), "title") == "20 文字以内で入力してください。"
    assert just_fits.status_code == 303


def test_pattern_message_is_shown_when_the_pattern_does_not_match(make_app: Callable[..., Flask], send: Send, stored: Stored) -> None:
    app = make_app(REPORTS)
    client = app.test_client()

    refused = send(client, FORM, {**GOOD, "plate": "ab-12"})
    accepted = send(client, FORM, {**GOOD, "plate": "AB-123"})

    assert error_of(refused.get_data(as_text=True), "plate") == "標識番号は AB-123 の形で入力してください。"
    assert accepted.status_code == 303
    assert [r["plate"] for r in stored(app, "reports")] == ["AB-123"]


def test_a_choice_that_is_not_offered_is_refused(make_app: Callable[..., Flask], send: Send, rows: Rows) -> None:
    app = make_app(REPORTS)

    response = send(app.test_client(), FORM, {**GOOD, "category": "bridge"})

    assert error_of(response.get_data(as_text=True), "category") == "選択肢から選んでください。"
    assert rows(app, "reports") == 0


UNIQUE = """
title: 防災メールの登録
tables:
  members:
    fields:
      email: {type: email, required: true, unique: true}
      area: {type: text}
forms:
  join: {table: members}
"""  # public: `unique: true` on a private field of a public form is a validate error (E_UNIQUE_PRIVATE)


def test_a_unique_value_cannot_be_registered_twice(make_app: Callable[..., Flask], send: Send, rows: Rows) -> None:
    app = make_app(UNIQUE)
    client = app.test_client()

    first = send(client, "/demo/forms/join", {"email": "taro@example.jp", "area": "広坂"})
    second = send(client, "/demo/forms/join", {"email": "taro@example.jp", "area": "長町"})
    full_width = send(client, "/demo/forms/join", {"email": "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "area": "長町"})

    assert first.status_code == 303
    assert second.status_code == 422
    assert error_of(second.get_data(as_text=True), "email") == "この値はすでに登録されています。"
    assert 'value="長町"' in second.get_data(as_text=True)
    assert full_width.status_code == 422
    assert rows(app, "members") == 1


def test_an_unknown_or_staff_form_is_not_found(sqlite_make_app: Callable[..., Flask]) -> None:
    app = sqlite_make_app(
        """
        title: 通報
        tables:
          reports:
            fields:
              title: {type: text}
        forms:
          report: {table: reports}
          triage: {table: reports, access: staff}
        """
    )
    client = app.test_client()

    assert client.get("/demo/forms/report").status_code == 200
    assert client.get("/demo/forms/repot").status_code == 404
    assert client.get("/demo/forms/triage").status_code == 404


def test_a_staff_form_is_not_shown_to_a_post_without_token(sqlite_make_app: Callable[..., Flask]) -> None:
    app = sqlite_make_app(
        """
        title: 通報
        tables:
          reports:
            fields:
              title: {type: text}
              staff_note: {type: textarea, visibility: staff, label: 担当者メモ}
        forms:
          triage: {table: reports, access: staff}
        """
    )

    response = app.test_client().post("/demo/forms/triage", data={"title": "x"})

    assert response.status_code == 404
    assert "担当者メモ" not in response.get_data(as_text=True)


def test_only_required_fields_are_marked_required_and_no_attribute_says_none(sqlite_make_app: Callable[..., Flask]) -> None:
    html = sqlite_make_app(REPORTS).test_client().get(FORM).get_data(as_text=True)

    assert '="None"' not in html
    required = re.findall(r'<(?:input|textarea)[^>]*\bid="(\w+)"[^>]*\brequired\b|<(?:input|textarea)[^>]*\brequired\b[^>]*\bid="(\w+)"', html)
    assert sorted(a or b for a, b in required) == ["agree", "other_detail", "title"]
    assert "aria-invalid" not in html  # nothing is wrong yet
