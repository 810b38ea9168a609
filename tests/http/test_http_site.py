"""The pages around the forms: health check, index of apps, languages, template overrides, no outside hosts."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from lowcode.app import create_app

Send = Callable[..., Any]

ROADS = """
title: {ja: 道路の通報, en: Road reports}
description: {ja: 道路の穴や街灯の故障を知らせてください。, en: Tell us about potholes and broken street lights.}
contact: {ja: 道路管理課 076-220-2111, en: Road Management Division 076-220-2111}
tables:
  reports:
    fields:
      title: {type: text, required: true, label: {ja: 件名, en: Subject}, help: {ja: 短く書いてください, en: Keep it short}}
      category:
        type: choice
        label: {ja: 種類, en: Kind}
        choices: [{key: pothole, label: {ja: 道路の穴, en: Pothole}}, {key: light, label: {ja: 街灯, en: Street light}}]
      place: {type: location, label: {ja: 場所, en: Place}}
      note: {type: text, label: 備考}
forms:
  report: {table: reports, title: {ja: 通報する, en: Send a report}}
lists:
  reports: {table: reports, title: {ja: 通報の一覧, en: All reports}, search: [title], filters: [category]}
"""
PARKS = """
title: {ja: 公園の予約, en: Park bookings}
description: {ja: 公園の広場を予約できます。, en: Book a park square.}
tables:
  bookings:
    fields:
      team: {type: text, required: true}
forms:
  book: {table: bookings}
"""


def test_health_check_reports_the_database(make_app: Callable[..., Flask], database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(ROADS)
    healthy_disk = type("Usage", (), {"total": 10**12, "used": 0, "free": 10**11})()
    monkeypatch.setattr("lowcode.diskspace.shutil.disk_usage", lambda path: healthy_disk)  # the status must not depend on this machine

    response = app.test_client().get("/healthz")

    assert response.status_code == 200
    body = response.json
    assert {k: body[k] for k in ("status", "database", "dialect", "apps", "under_maintenance", "disk")} == {
        "status": "ok", "database": "ok", "dialect": database.split(":")[0].split("+")[0], "apps": ["demo"],
        "under_maintenance": [], "disk": "ok",
    }
    assert body["disk_free_mb"] == 10**11 // 2**20


def test_the_index_lists_every_app(tmp_path: Path, write_app: Callable[..., Path]) -> None:
    write_app(tmp_path / "apps" / "roads", ROADS)
    write_app(tmp_path / "apps" / "parks", PARKS)
    app = create_app(tmp_path / "apps", {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")})
    client = app.test_client()

    html = client.get("/").get_data(as_text=True)
    english = client.get("/?lang=en").get_data(as_text=True)

    assert re.findall(r'<a href="(/\w+/)">(.*?)</a>', html) == [("/parks/", "公園の予約"), ("/roads/", "道路の通報")]
    assert "<p>道路の穴や街灯の故障を知らせてください。</p>" in html
    assert re.findall(r'<a href="(/\w+/)">(.*?)</a>', english) == [("/parks/", "Park bookings"), ("/roads/", "Road reports")]
    assert client.get("/roads/").status_code == 200 and client.get("/parks/forms/book").status_code == 200
    assert client.get("/healthz").json["apps"] == ["parks", "roads"]


def test_the_index_goes_straight_to_a_single_app(sqlite_make_app: Callable[..., Flask]) -> None:
    response = sqlite_make_app(ROADS).test_client().get("/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/demo/"


def test_pages_are_in_japanese_first(sqlite_make_app: Callable[..., Flask]) -> None:
    client = sqlite_make_app(ROADS).test_client()

    html = client.get("/demo/forms/report", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)

    assert '<html lang="ja">' in html
    assert '<label class="label" for="title">件名' in html
    assert '<p class="help" id="help-title">短く書いてください</p>' in html
    assert "送信する</button>" in html
    assert '<span aria-current="true" lang="ja">日本語</span>' in html


def test_lang_en_switches_every_text_and_is_remembered(sqlite_make_app: Callable[..., Flask]) -> None:
    client = sqlite_make_app(ROADS).test_client()

    first = client.get("/demo/forms/report?lang=en")
    later = client.get("/demo/lists/reports")  # no ?lang: the cookie remembers

    html = first.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<h1>Send a report</h1>" in html
    assert '<label class="label" for="title">Subject' in html
    assert "<span>Street light</span>" in html
    assert 'for="note">備考' in html  # a plain label is the same in every language
    assert "Send</button>" in html
    assert "Road Management Division 076-220-2111" in html
    assert "lang=en" in first.headers["Set-Cookie"]
    listing = later.get_data(as_text=True)
    assert "<h1>All reports</h1>" in listing and '<option value="light">Street light</option>' in listing
    back = client.get("/demo/lists/reports?lang=ja").get_data(as_text=True)
    assert "<h1>通報の一覧</h1>" in back


def test_the_language_switcher_keeps_the_page_and_its_query(sqlite_make_app: Callable[..., Flask]) -> None:
    html = sqlite_make_app(ROADS).test_client().get("/demo/lists/reports?q=穴&category=pothole").get_data(as_text=True)

    link = re.search(r'<a href="([^"]+)" lang="en" hreflang="en">English</a>', html)
    assert link
    assert link.group(1).startswith("/demo/lists/reports?")
    assert all(part in link.group(1) for part in ("q=%E7%A9%B4", "category=pothole", "lang=en"))


def test_an_unknown_language_falls_back_to_japanese(sqlite_make_app: Callable[..., Flask]) -> None:
    html = sqlite_make_app(ROADS).test_client().get("/demo/?lang=fr").get_data(as_text=True)

    assert '<html lang="ja">' in html


def test_an_app_in_one_language_has_no_switcher(sqlite_make_app: Callable[..., Flask]) -> None:
    client = sqlite_make_app(PARKS.replace("title: {ja: 公園の予約, en: Park bookings}", "title: 公園の予約\nlanguages: [ja]")
                             .replace("description: {ja: 公園の広場を予約できます。, en: Book a park square.}\n", "")).test_client()

    html = client.get("/demo/forms/book?lang=en").get_data(as_text=True)

    assert '<html lang="ja">' in html
    assert 'hreflang="en"' not in html


def test_an_app_template_replaces_the_default_one(tmp_path: Path, write_app: Callable[..., Path]) -> None:
    write_app(tmp_path / "apps" / "roads", ROADS, files={
        "templates/home.html": """
            {% extends layout %}
            {% block content %}
            <h1 class="city-banner">金沢市 {{ t(app.title) }}</h1>
            <p>お急ぎの場合は 076-220-2111 へお電話ください。</p>
            {% endblock %}
        """,
    })
    write_app(tmp_path / "apps" / "parks", PARKS)
    app = create_app(tmp_path / "apps", {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance")})
    client = app.test_client()

    roads = client.get("/roads/").get_data(as_text=True)
    parks = client.get("/parks/").get_data(as_text=True)
    form = client.get("/roads/forms/report").get_data(as_text=True)

    assert '<h1 class="city-banner">金沢市 道路の通報</h1>' in roads
    assert '<ul class="cards">' not in roads  # the default home page is gone …
    assert '<a class="app-title" href="/roads/">道路の通報</a>' in roads  # … the layout is kept
    assert "city-banner" not in parks and '<ul class="cards">' in parks  # other apps keep the default
    assert "city-banner" not in form  # only the page that was overridden changes


OUTSIDE_URL = re.compile(r"""(?:https?:)?//(?!localhost[:/])[\w.-]+\.[a-z]{2,}""", re.IGNORECASE)
CSS_LOADS_FROM_OUTSIDE = re.compile(r"""(?:url\(\s*['"]?|@import\s+(?:url\(\s*)?['"]?)((?:https?:)?//[^'")\s]+)""", re.IGNORECASE)


def test_no_page_loads_anything_from_another_host(make_app: Callable[..., Flask], send: Send) -> None:
    app = make_app(ROADS.replace("title:", "basemap: none\ntitle:", 1))
    client = app.test_client()
    sent = send(client, "/demo/forms/report", {"title": "穴", "category": "pothole"})
    pages = {
        url: client.get(url).get_data(as_text=True)
        for url in ["/demo/", "/demo/forms/report", "/demo/lists/reports", "/demo/lists/reports/1",
                    sent.headers["Location"], "/demo/?lang=en", "/demo/lists/reports?q=x"]
    }
    pages["error"] = send(client, "/demo/forms/report", {"title": ""}).get_data(as_text=True)
    stylesheets = {}
    for static in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', "".join(pages.values()))):
        with client.get(static) as response:
            assert response.status_code == 200, static
            if static.endswith(".css"):
                stylesheets[static] = response.get_data(as_text=True)

    for url, text in pages.items():
        assert OUTSIDE_URL.findall(text) == [], url
    assert "/static/lowcode.css" in stylesheets
    for url, css in stylesheets.items():  # what a stylesheet loads, not the links in its comments
        assert CSS_LOADS_FROM_OUTSIDE.findall(css) == [], url


def test_with_a_basemap_only_the_tile_server_is_named(sqlite_make_app: Callable[..., Flask]) -> None:
    yaml = """
    title: 場所
    basemap: gsi_pale
    tables:
      spots:
        fields:
          place: {type: location}
    forms:
      report: {table: spots}
    """
    form = sqlite_make_app(yaml).test_client().get("/demo/forms/report")
    hosts = {url.split("//", 1)[1] for url in OUTSIDE_URL.findall(form.get_data(as_text=True))}
    assert hosts == {"cyberjapandata.gsi.go.jp", "maps.gsi.go.jp"}  # the tiles and their attribution link


def test_unknown_addresses_are_not_found(sqlite_make_app: Callable[..., Flask]) -> None:
    client = sqlite_make_app(ROADS).test_client()

    for url in ("/demo/forms/nothing", "/demo/lists/nothing", "/demo/lists/reports/12345", "/nothing/", "/demo/maps/nothing"):
        assert client.get(url).status_code == 404, url
