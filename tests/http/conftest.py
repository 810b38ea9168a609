"""Fixtures for the HTTP tests: send a form the way a browser does, count what was stored."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import support
from flask import Flask
from werkzeug.test import TestResponse


@pytest.fixture
def csrf_token() -> Callable[[Any, str], str]:
    return support.csrf_token


@pytest.fixture
def write_app() -> Callable[..., Path]:
    return support.write_app


@pytest.fixture
def send(csrf_token: Callable[[Any, str], str]) -> Callable[..., TestResponse]:
    """Open the form at `url`, then send `data` with the page's CSRF token (as a browser would)."""

    def post(client: Any, url: str, data: dict[str, Any]) -> TestResponse:
        token = csrf_token(client, url)
        return client.post(url, data={"csrf_token": token, **data}, content_type="multipart/form-data")

    return post


def count_rows(app: Flask, table: str, app_name: str | None = None) -> int:
    state = app.extensions["lowcode"]
    runtime = state.runtimes[app_name] if app_name else next(iter(state.runtimes.values()))
    with app.app_context(), state.db.engine.connect() as conn:
        return runtime.stores[table].count(conn)


@pytest.fixture
def rows() -> Callable[..., int]:
    """How many rows a table holds now."""
    return count_rows


def stored_rows(app: Flask, table: str) -> list[dict[str, Any]]:
    state = app.extensions["lowcode"]
    runtime = next(iter(state.runtimes.values()))
    store = runtime.stores[table]
    with app.app_context(), state.db.engine.connect() as conn:
        return [store.to_record(r) for r in conn.execute(store.table.select().order_by(store.table.c.id)).mappings()]


@pytest.fixture
def stored() -> Callable[..., list[dict[str, Any]]]:
    """Every row of a table as the engine reads it back ({field: value} plus id and ref)."""
    return stored_rows
