"""Work every request used to repeat that is now done once per worker (issue 8, the list page's speed).

Counted, not timed: a timing test would fail on a busy machine, a count fails only when the work comes back.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask.app
import pytest
from flask import Flask, Response
from jinja2.runtime import Context

YAML = """
title: t
tables:
  notes:
    fields:
      title: {type: text}
    seed: {file: data/notes.csv}
lists:
  notes: {table: notes, page_size: 2}
"""
ROWS = "title\nfirst\nsecond\nthird\n"


def list_app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(YAML, files={"data/notes.csv": ROWS})


def counting(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    calls = [0]
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_hooks_are_checked_for_async_def_once_per_worker(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    client = list_app(make_app).test_client()
    assert client.get("/demo/lists/notes").status_code == 200  # the first request meets every hook and the view
    checks = counting(monkeypatch, flask.app, "iscoroutinefunction")
    response = client.get("/demo/lists/notes")
    assert response.status_code == 200 and "first" not in response.get_data(as_text=True)  # newest first: page 1 of 2
    assert checks[0] == 0


def test_the_list_page_renders_without_copying_its_template_context(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    client = list_app(make_app).test_client()
    copies = counting(monkeypatch, Context, "derived")
    html = client.get("/demo/lists/notes").get_data(as_text=True)
    assert 'rel="next"' in html and "third" in html  # the words after the rows (pagination) were translated
    assert copies[0] == 0


def test_a_header_the_view_set_itself_is_kept(sqlite_make_app: Callable[..., Flask]) -> None:
    app = sqlite_make_app(YAML, files={"data/notes.csv": ROWS})
    app.add_url_rule("/own-headers", "own_headers", lambda: Response("x", headers={"X-Frame-Options": "DENY"}))
    response = app.test_client().get("/own-headers")
    assert response.headers.getlist("X-Frame-Options") == ["DENY"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # the others are still added
    assert "script-src 'self';" in response.headers["Content-Security-Policy"]  # no inline script, no nonce
