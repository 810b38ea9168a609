"""The deployment path IT staff use: gunicorn with several workers on the app factory, SQLite and PostgreSQL."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest
from support import free_port, write_app

YAML = """
title: {ja: 配備テスト, en: Deploy test}
tables:
  notes:
    fields:
      body: {type: text, required: true}
    seed: {file: data/notes.csv}
forms:
  add: {table: notes}
lists:
  notes: {table: notes, search: [body]}
"""


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:  # refused, reset or timed out while the workers start
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def start_gunicorn(apps: Path, port: int, env: dict[str, str], workers: int) -> subprocess.Popen[bytes]:
    """gunicorn on the app factory, as the README tells IT staff to run it; its log is read from stdout."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", f'lowcode:create_app("{apps}")'],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


@pytest.fixture
def gunicorn_server(tmp_path: Path, database: str):  # type: ignore[no-untyped-def]
    apps = tmp_path / "apps"
    write_app(apps / "notes", YAML, {"data/notes.csv": "body\n最初のメモ\n二つ目のメモ\n"})
    port = free_port()
    env = {**os.environ, "LOWCODE_INSTANCE": str(tmp_path / "instance"), "DATABASE_URL": database}
    process = start_gunicorn(apps, port, env, workers=3)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        output = process.communicate(timeout=15)[0].decode()
        assert "Traceback" not in output, output


def test_gunicorn_workers_serve_and_seed_once(gunicorn_server: str) -> None:
    health = urllib.request.urlopen(f"{gunicorn_server}/healthz").read().decode()
    assert '"database":"ok"' in health.replace(" ", "")
    listing = urllib.request.urlopen(f"{gunicorn_server}/notes/lists/notes").read().decode()
    assert listing.count("最初のメモ") == 1, "three workers started together must seed the table exactly once"
    assert re.search(r"2\s*(件|results)", listing)


def test_gunicorn_form_post_with_csrf(gunicorn_server: str) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    form = opener.open(f"{gunicorn_server}/notes/forms/add").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    body = urlencode({"csrf_token": token, "body": "ワーカー越しのメモ"}).encode()
    sent = opener.open(f"{gunicorn_server}/notes/forms/add", data=body).read().decode()
    assert re.search(r'id="reference">[A-Z2-9]{4}-[A-Z2-9]{4}<', sent)
    listing = opener.open(f"{gunicorn_server}/notes/lists/notes?" + urlencode({"q": "ワーカー"})).read().decode()
    assert "ワーカー越しのメモ" in listing
