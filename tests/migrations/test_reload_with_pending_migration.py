"""gunicorn reloaded (SIGHUP) during traffic after one app's YAML changed a field's type: that app goes to its
maintenance page (503, never 500), the other app answers every request and keeps every submission."""
from __future__ import annotations

import os
import re
import signal
import threading
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa
from support import free_port, write_app
from test_deploy import start_gunicorn, wait_for
from test_deploy_reload import PARKS, ROADS, status_of, wait_for_status


class Traffic(threading.Thread):
    """One resident after another sending the parks form, until stopped: every answer's status is kept."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.statuses: list[int] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.statuses.append(self.send_one(f"team {len(self.statuses)}"))
            time.sleep(0.05)

    def send_one(self, team: str) -> int:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        url = f"{self.base}/parks/forms/book"
        try:
            form = opener.open(url, timeout=40).read().decode()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
            assert token is not None
            body = urlencode({"csrf_token": token.group(1), "team": team}).encode()
            return int(opener.open(url, data=body, timeout=40).status)
        except urllib.error.HTTPError as error:
            return error.code


def test_reload_with_a_pending_migration_keeps_the_other_app_whole(tmp_path: Path, database: str) -> None:
    apps = tmp_path / "apps"
    write_app(apps / "parks", PARKS)
    write_app(apps / "roads", ROADS)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LOWCODE_INSTANCE": str(tmp_path / "instance"), "DATABASE_URL": database,
           "LOWCODE_RATE_LIMITS": "0"}
    process = start_gunicorn(apps, port, env, workers=2)
    traffic = Traffic(base)
    try:
        wait_for(f"{base}/healthz")
        traffic.start()
        time.sleep(1)
        (apps / "roads" / "app.yaml").write_text(ROADS.replace("title: {type: text}", "title: {type: integer}"),
                                                 encoding="utf-8")
        process.send_signal(signal.SIGHUP)
        wait_for_status(f"{base}/roads/forms/report", 503)
        time.sleep(1)
        traffic.stop.set()
        traffic.join(timeout=60)
        assert status_of(f"{base}/healthz") == 200
    finally:
        traffic.stop.set()
        process.terminate()
        output = process.communicate(timeout=15)[0].decode()
    assert traffic.statuses and set(traffic.statuses) == {200}, traffic.statuses
    assert "lowcode migrate" in output and "Traceback" not in output
    engine = sa.create_engine(database)
    try:
        with engine.connect() as conn:
            kept = conn.execute(sa.text("SELECT count(*) FROM parks__bookings")).scalar_one()
    finally:
        engine.dispose()
    assert kept == len(traffic.statuses)  # no submission lost
