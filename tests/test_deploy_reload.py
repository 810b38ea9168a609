"""A reload (SIGHUP) after one app's YAML broke: gunicorn's new workers serve the others, the broken one shows
its maintenance page. Before, every worker failed to boot and all apps went down."""
from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

from support import free_port, write_app
from test_deploy import start_gunicorn, wait_for

PARKS = """
title: {ja: 公園, en: Parks}
tables:
  bookings:
    fields:
      team: {type: text, required: true}
forms:
  book: {table: bookings}
"""
ROADS = """
title: {ja: 道路, en: Roads}
tables:
  reports:
    fields:
      title: {type: text}
forms:
  report: {table: reports}
"""


def status_of(url: str) -> int:
    try:
        return int(urllib.request.urlopen(url, timeout=5).status)
    except urllib.error.HTTPError as error:
        return error.code


def wait_for_status(url: str, wanted: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if status_of(url) == wanted:
                return
        except OSError:  # workers restarting
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer {wanted} within {timeout} s")


def test_a_reload_with_one_broken_app_keeps_the_others_serving(tmp_path: Path, database: str) -> None:
    apps = tmp_path / "apps"
    write_app(apps / "parks", PARKS)
    write_app(apps / "roads", ROADS)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LOWCODE_INSTANCE": str(tmp_path / "instance"), "DATABASE_URL": database}
    process = start_gunicorn(apps, port, env, workers=2)
    try:
        wait_for(f"{base}/healthz")
        assert status_of(f"{base}/roads/forms/report") == 200
        (apps / "roads" / "app.yaml").write_text(ROADS.replace("    fields:", "\tfields:"), encoding="utf-8")

        process.send_signal(signal.SIGHUP)

        wait_for_status(f"{base}/roads/forms/report", 503)
        assert status_of(f"{base}/parks/forms/book") == 200
        assert status_of(f"{base}/healthz") == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=15)[0].decode()
    assert "E_YAML_SYNTAX" in output  # the problem is in the log, as `lowcode validate` writes it
