"""Hostile or careless input never ends in a 500: huge numbers, references to nothing, odd query strings."""
from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from support import csrf_token

YAML = """
title: 頑丈さ
tables:
  schools:
    title_field: name
    fields:
      name: {type: text, required: true}
  reports:
    fields:
      title: {type: text, required: true}
      count: {type: integer}
      school: {type: reference, to: schools}
forms:
  report: {table: reports}
lists:
  reports: {table: reports, filters: [school], search: [title]}
"""
HUGE = "99999999999999999999"


def post(client, data: dict[str, str], lang: str = "ja"):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/demo/forms/report")
    return client.post(f"/demo/forms/report?lang={lang}", data={"csrf_token": token, **data})


def rows(app: Flask) -> int:
    runtime = app.extensions["lowcode"].runtimes["demo"]
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        return runtime.stores["reports"].count(conn)


def test_a_number_too_large_for_the_database_is_a_message(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    response = post(app.test_client(), {"title": "大きな数", "count": HUGE}, lang="en")
    assert response.status_code == 422
    assert "Please enter 9223372036854775807 or less." in response.get_data(as_text=True)
    assert rows(app) == 0


def test_a_reference_to_a_row_that_does_not_exist_is_a_message(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    client = app.test_client()
    for school in ("-1", "12345", HUGE):
        response = post(client, {"title": "存在しない学校", "school": school})
        assert response.status_code == 422, school
        assert "選択肢から選んでください。" in response.get_data(as_text=True)
    assert rows(app) == 0


def test_odd_addresses_and_filters_are_not_errors(make_app: Callable[..., Flask]) -> None:
    client = make_app(YAML).test_client()
    assert client.get(f"/demo/lists/reports/{HUGE}").status_code == 404
    for name in ("%00", "..%2F..%2Fetc%2Fpasswd", "x" * 300):
        assert client.get(f"/demo/uploads/{name}").status_code == 404, name
    for query in (f"school={HUGE}", "school=abc", "page=-3", f"page={HUGE}", "sort=<script>", "q=%00", "q=" + "あ" * 500):
        assert client.get(f"/demo/lists/reports?{query}").status_code == 200, query


def test_control_characters_are_dropped_not_stored(make_app: Callable[..., Flask]) -> None:
    app = make_app(YAML)
    client = app.test_client()
    assert post(client, {"title": "ヌル\x00文字\x07"}).status_code == 303
    assert "ヌル文字" in client.get("/demo/lists/reports?q=ヌル%00").get_data(as_text=True)
