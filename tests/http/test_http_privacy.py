"""Private and staff fields never leave the database on a public page: not shown, not searchable, not sortable."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

Stored = Callable[..., list[dict[str, Any]]]
Send = Callable[..., Any]

CONSULTATIONS = """
title: {ja: 子育て相談, en: Parenting advice}
tables:
  questions:
    fields:
      topic: {type: text, required: true, label: {ja: 相談の内容, en: Topic}}
      answer: {type: textarea, label: {ja: 回答, en: Answer}}
      name: {type: text, visibility: private, label: {ja: お名前, en: Name}}
      phone: {type: phone, visibility: private, label: {ja: 電話番号, en: Phone}}
      birthday: {type: date, visibility: private, label: {ja: 子どもの生年月日, en: Child's birthday}}
      staff_note: {type: textarea, visibility: staff, label: {ja: 担当者メモ, en: Staff note}}
      priority: {type: integer, visibility: staff, label: {ja: 優先度, en: Priority}}
forms:
  ask: {table: questions}
lists:
  questions: {table: questions, search: [topic, answer]}
"""
SECRETS = {"name": "金沢花子", "phone": "090-1234-5678", "birthday": "2024-02-29", "staff_note": "要フォロー・家庭訪問"}
SECRET_TEXTS = ["金沢花子", "090-1234-5678", "2024", "要フォロー", "家庭訪問", "お名前", "電話番号", "生年月日", "担当者メモ",
                "Name", "Phone", "birthday", "Staff note", "Priority", "優先度"]


@pytest.fixture
def app(make_app: Callable[..., Flask], send: Send) -> Flask:
    app = make_app(CONSULTATIONS)
    response = send(app.test_client(), "/demo/forms/ask", {"topic": "夜泣きが続く", **SECRETS, "priority": "1"})
    assert response.status_code == 303
    return app


def public_pages(app: Flask, row_id: int) -> dict[str, str]:
    client = app.test_client()
    urls = ["/demo/", "/demo/lists/questions", f"/demo/lists/questions/{row_id}", "/demo/lists/questions?sort=phone",
            "/demo/lists/questions?q=夜泣き", f"/demo/lists/questions/{row_id}?lang=en", "/demo/lists/questions?lang=en"]
    return {url: client.get(url).get_data(as_text=True) for url in urls}


def test_the_form_stores_private_and_staff_values(app: Flask, stored: Stored) -> None:
    [row] = stored(app, "questions")

    assert (row["name"], row["phone"], str(row["birthday"]), row["staff_note"]) == tuple(SECRETS.values())


def test_private_and_staff_values_and_labels_never_appear_on_public_pages(app: Flask, stored: Stored) -> None:
    [row] = stored(app, "questions")

    for url, html in public_pages(app, row["id"]).items():
        assert "夜泣きが続く" in html or url == "/demo/"
        leaked = [text for text in SECRET_TEXTS if text in html]
        assert leaked == [], f"{url} shows {leaked}"


def test_private_values_cannot_be_found_by_search(app: Flask) -> None:
    client = app.test_client()

    for query in ("金沢花子", "090-1234", "家庭訪問"):
        assert "0 件" in client.get("/demo/lists/questions", query_string={"q": query}).get_data(as_text=True)
    assert "1 件" in client.get("/demo/lists/questions", query_string={"q": "夜泣き"}).get_data(as_text=True)


def test_private_values_cannot_be_used_as_filters(app: Flask) -> None:
    page = app.test_client().get("/demo/lists/questions", query_string={"phone": "000-0000-0000", "name": "誰か"})

    assert "1 件" in page.get_data(as_text=True)


def test_the_order_menu_offers_only_public_fields(app: Flask) -> None:
    html = app.test_client().get("/demo/lists/questions").get_data(as_text=True)

    assert '<option value="topic">相談の内容</option>' in html
    for name in ("name", "phone", "birthday", "staff_note", "priority"):
        assert f'<option value="{name}"' not in html
