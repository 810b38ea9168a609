"""A real server and a real Chromium: a resident's phone, talking to lowcode over HTTP on 127.0.0.1.

Chromium is the system one (/usr/bin/chromium, Debian's `chromium` package); `playwright install` is never run.
axe-core comes from npm: `npm ci --prefix tests/browser`. Without either, these tests are skipped on a
developer's machine and fail in CI (`CI=true`).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Request, Route
from support import serving

from lowcode.app import create_app

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = Path(os.environ.get("LOWCODE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}

# A realistic resident service: every kind of input a resident meets on a phone.
ROADS = """
title:
  ja: 道路・公園の不具合通報
  en: Road and park problem reports
description:
  ja: 道路の穴や街灯の故障などを見つけたら、市に知らせてください。
  en: "Tell the city about potholes, broken street lights and other problems."
contact:
  ja: 道路管理課 076-220-2111(平日 8:30〜17:15)
  en: "Road Management Division, 076-220-2111 (weekdays 8:30-17:15)"
tables:
  reports:
    fields:
      title:
        type: text
        required: true
        max_length: 60
        label: {ja: 件名, en: Subject}
        help: {ja: "例: 交差点の横断歩道が消えている", en: "For example: faded crossing at the junction"}
      category:
        type: choice
        required: true
        label: {ja: 種類, en: Kind of problem}
        choices:
          - {key: road, label: {ja: 道路の穴・段差, en: Pothole or step}}
          - {key: light, label: {ja: 街灯の故障, en: Broken street light}}
          - {key: park, label: {ja: 公園の遊具, en: Playground equipment}}
          - {key: other, label: {ja: その他, en: Other}}
      other_detail:
        type: text
        required: true
        label: {ja: その他の内容, en: "What is the problem?"}
        show_if: {category: other}
      details:
        type: textarea
        max_length: 1000
        label: {ja: 詳しい内容, en: Details}
      dangers:
        type: multichoice
        label: {ja: 危ない相手, en: Who is in danger}
        choices:
          - {key: cars, label: {ja: 車, en: Cars}}
          - {key: people, label: {ja: 歩行者, en: People on foot}}
          - {key: bikes, label: {ja: 自転車, en: Cyclists}}
      seen_on: {type: date, label: {ja: 見つけた日, en: Date seen}}
      photo: {type: image, label: {ja: 写真, en: Photo}, help: {ja: あれば1枚, en: One photo if you have one}}
      name: {type: text, visibility: private, label: {ja: お名前, en: Your name}}
      phone:
        type: phone
        visibility: private
        label: {ja: 電話番号, en: Phone number}
        help: {ja: 詳しく伺うときだけ使います, en: Only used if we need to ask you more}
      agree:
        type: boolean
        required: true
        label: {ja: 個人情報の取り扱いに同意する, en: I agree to how my personal data is handled}
    seed: {file: data/reports.csv}
forms:
  report:
    table: reports
    title: {ja: 不具合を通報する, en: Report a problem}
    intro: {ja: わかる範囲で書いてください。, en: Tell us what you know.}
    submit_label: {ja: 通報を送る, en: Send the report}
lists:
  reports:
    table: reports
    title: {ja: 通報の一覧, en: All reports}
    columns: [title, category, seen_on]
    search: [title, details]
    filters: [category, dangers, seen_on]
    detail_fields: [title, category, other_detail, details, dangers, seen_on, photo]
    page_size: 10
"""
SEED = """
title,category,details,dangers,seen_on
交差点の横断歩道の白線が消えている,road,小学校の前の交差点です,people,2026-04-03
公園前の街灯が切れている,light,夜は真っ暗で危ないです,people、bikes,2026-04-10
ブランコの鎖がさびている,park,子どもがよく使います,people,2026-05-01
"""


@dataclass
class LiveServer:
    url: str
    app_name: str = "roads"

    def page_url(self, path: str = "") -> str:
        return f"{self.url}/{self.app_name}/{path}"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """lowcode serving the roads app on 127.0.0.1 with a free port, SQLite in a temporary folder."""
    root = tmp_path_factory.mktemp("browser")
    folder = root / "apps" / "roads"
    (folder / "data").mkdir(parents=True)
    (folder / "app.yaml").write_text(textwrap.dedent(ROADS).lstrip(), encoding="utf-8")
    (folder / "data" / "reports.csv").write_text(textwrap.dedent(SEED).lstrip(), encoding="utf-8")
    app = create_app(root / "apps", {
        "INSTANCE_PATH": str(root / "instance"), "DATABASE_URL": f"sqlite:///{root / 'browser.sqlite3'}",
        # One browser sends every test's forms from one address; the limit itself is tested in tests/http/test_http_abuse.py.
        "LOWCODE_RATE_LIMIT_SUBMIT": "1000/minute",
    })
    with serving(app) as url:
        yield LiveServer(url)


def missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} (CI runs every browser test)")
    pytest.skip(what)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium for one test module: Playwright's sync API allows one running instance at a time (tests/maps has its own)."""
    if not CHROMIUM.is_file():
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Outside:
    """Requests the page tried to make to any host but the test server (none are expected: no CDN)."""

    urls: list[str] = field(default_factory=list)


@pytest.fixture
def outside_requests() -> Outside:
    return Outside()


@pytest.fixture
def page(browser: Any, live_server: LiveServer, outside_requests: Outside) -> Iterator[object]:
    """A fresh phone-sized browser tab (no cookies) that may only talk to the test server."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    local = urlsplit(live_server.url).netloc

    def only_local(route: Route, request: Request) -> None:
        if urlsplit(request.url).netloc == local or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside_requests.urls.append(request.url)
            route.abort()

    context.route("**/*", only_local)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from npm; installed on first use when npm is there, so the README's one test command is enough."""
    if not AXE.is_file() and shutil.which("npm"):
        subprocess.run(["npm", "ci", "--prefix", str(AXE.parents[2]), "--no-audit", "--no-fund"],
                       check=False, capture_output=True, timeout=300)
    if not AXE.is_file():
        missing(f"axe-core is not installed at {AXE} (npm ci --prefix tests/browser)")
    return AXE


@pytest.fixture(scope="session")
def png_photo() -> bytes:
    """A small but complete PNG, as a phone camera would send a much larger one."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 4, 3, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + bytes([60 * row] * 4) for row in range(3))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")
