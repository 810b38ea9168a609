"""Dates and times keep the hour a resident typed: form → list → detail → filter → GeoJSON, and seed → list.

Stored as UTC (like created_at), typed and shown as Japan time, without seconds. Both databases.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from flask import Flask

EVENTS = """
title: {ja: 行事, en: Events}
service_area:
  name: {ja: 金沢市, en: Kanazawa}
  bbox: [136.50, 36.35, 136.85, 36.70]
tables:
  events:
    fields:
      title: {type: text, required: true, label: {ja: 名前, en: Name}}
      starts: {type: datetime, label: {ja: 開始, en: Starts}}
      day: {type: date, label: {ja: 日, en: Day}}
      place: {type: location, public_precision_m: 0}
    seed: {file: data/events.csv}
forms:
  add: {table: events, fields: [title, starts, day, place]}
lists:
  events: {table: events, columns: [title, starts, day], filters: [starts, day], detail: true}
maps:
  events:
    layers: [{table: events, popup: [title, starts, day]}]
"""
SEED = "title,starts,day,lat,lon\n新年会,2027-01-17 23:30+09:00,2027-01-17,36.56,136.65\n朝市,2027-01-18T06:00,2027-01-18,36.57,136.66\n"


def cell_texts(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.DOTALL)]


def features(app: Flask, query: str = "") -> dict[str, Any]:
    response = app.test_client().get(f"/demo/api/events.geojson{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return {f["properties"]["title"]: f["properties"] for f in response.get_json()["features"]}


def test_a_seed_time_with_an_offset_is_shown_at_that_hour(make_app: Callable[..., Flask]) -> None:
    app = make_app(EVENTS, files={"data/events.csv": SEED})
    client = app.test_client()

    ja = cell_texts(client.get("/demo/lists/events?lang=ja&sort=starts").get_data(as_text=True))
    en = cell_texts(client.get("/demo/lists/events?lang=en&sort=starts").get_data(as_text=True))

    assert "2027/01/17 23:30" in ja and "2027/01/18 06:00" in ja  # not 08:30 the next day, no seconds
    assert "Jan 17, 2027, 23:30" in en and "Jan 18, 2027, 06:00" in en
    assert features(app)["新年会"]["starts"] == "2027-01-17T23:30:00+09:00"


def test_a_time_typed_in_the_form_round_trips_everywhere(
    make_app: Callable[..., Flask], send: Callable[..., Any], stored: Callable[..., list[dict[str, Any]]],
) -> None:
    app = make_app(EVENTS, files={"data/events.csv": SEED})
    client = app.test_client()

    response = send(client, "/demo/forms/add", {
        "title": "清掃", "starts": "2027-03-01T10:00", "day": "2027-03-01", "place_lat": "36.56", "place_lon": "136.65",
    })

    assert response.status_code == 303, response.get_data(as_text=True)
    row = next(r for r in stored(app, "events") if r["title"] == "清掃")
    assert row["starts"] == dt.datetime(2027, 3, 1, 1, 0)  # 10:00 in Japan is 01:00 UTC, like created_at
    list_html = client.get("/demo/lists/events?lang=ja").get_data(as_text=True)
    assert "2027/03/01 10:00" in cell_texts(list_html)
    detail = client.get(f"/demo/lists/events/{row['id']}?lang=ja").get_data(as_text=True)
    assert "2027/03/01 10:00" in detail and "19:00" not in detail
    assert features(app)["清掃"]["starts"] == "2027-03-01T10:00:00+09:00"
    assert list(features(app, "?starts=2027-03-01T10:00")) == ["清掃"]


def test_a_date_filter_on_a_datetime_takes_the_whole_day_in_japan(make_app: Callable[..., Flask]) -> None:
    app = make_app(EVENTS, files={"data/events.csv": SEED})
    client = app.test_client()

    def titles(query: str) -> list[str]:
        cells = cell_texts(client.get(f"/demo/lists/events?sort=starts&{query}").get_data(as_text=True))
        return [c for c in cells if c in ("新年会", "朝市")]

    # 23:30 on the 17th in Japan is 14:30 UTC; 06:00 on the 18th is 21:00 UTC on the 17th.
    assert titles("starts_from=2027-01-17&starts_to=2027-01-17") == ["新年会"]
    assert titles("starts_from=2027-01-18&starts_to=2027-01-18") == ["朝市"]
    assert titles("starts_from=2027-01-17") == ["新年会", "朝市"]
    assert titles("day_from=2027-01-18&day_to=2027-01-18") == ["朝市"]


def test_the_form_shows_a_stored_default_at_the_hour_written(make_app: Callable[..., Flask]) -> None:
    app = make_app(EVENTS.replace("starts: {type: datetime,", "starts: {type: datetime, default: '2027-04-01 09:15',"),
                   files={"data/events.csv": SEED})

    html = app.test_client().get("/demo/forms/add").get_data(as_text=True)

    assert re.search(r'name="starts"[^>]*value="2027-04-01T09:15"|value="2027-04-01T09:15"[^>]*name="starts"', html)
