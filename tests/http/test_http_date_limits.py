"""Date limits reach the browser's date input and are enforced per request (issue 7, item 29)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from flask import Flask

from lowcode.spec.dates import today_in_japan

APP = """
title: 施設予約
tables:
  bookings:
    fields:
      visit: {type: date, required: true, min: today, max: today+30, label: {ja: 来館日, en: Visit}}
      born: {type: date, min: 1900-01-01, max: 2030-12-31, label: {ja: 生年月日, en: Born}}
forms:
  book: {table: bookings}
"""
FORM = "/demo/forms/book"


def date_input(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*id="{name}"[^>]*>', html)
    assert match, f"no input {name}"
    return match.group(0)


def test_the_date_inputs_carry_min_and_max_for_today(sqlite_make_app: Callable[..., Flask]) -> None:
    page = sqlite_make_app(APP).test_client().get(FORM).get_data(as_text=True)
    today = today_in_japan()

    visit = date_input(page, "visit")
    assert f'min="{today.isoformat()}"' in visit and f'max="{(today + dt.timedelta(days=30)).isoformat()}"' in visit
    born = date_input(page, "born")
    assert 'min="1900-01-01"' in born and 'max="2030-12-31"' in born


def test_a_day_beyond_the_relative_maximum_is_refused(
    make_app: Callable[..., Flask], send: Callable[..., Any], rows: Callable[..., int]
) -> None:
    app = make_app(APP)
    client = app.test_client()
    last = today_in_japan() + dt.timedelta(days=30)

    refused = send(client, FORM, {"visit": (last + dt.timedelta(days=1)).isoformat()})
    accepted = send(client, FORM, {"visit": last.isoformat()})

    assert refused.status_code == 422
    assert f"{last.isoformat()} 以前を入力してください。" in refused.get_data(as_text=True)
    assert accepted.status_code == 303
    assert rows(app, "bookings") == 1


def test_a_day_before_today_is_refused(make_app: Callable[..., Flask], send: Callable[..., Any], rows: Callable[..., int]) -> None:
    app = make_app(APP)
    yesterday = today_in_japan() - dt.timedelta(days=1)

    response = send(app.test_client(), FORM, {"visit": yesterday.isoformat()})

    assert response.status_code == 422
    assert rows(app, "bookings") == 0
