"""Servers sharing one database share one session key: a form opened on one server is accepted by another."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from support import csrf_token, write_app

from lowcode.app import create_app
from lowcode.database import META

YAML = """
title: t
tables:
  items:
    fields:
      what: {type: text, required: true}
forms:
  report: {table: items}
"""
FORM = "/demo/forms/report"


@pytest.fixture
def two_servers(tmp_path: Path, database: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Flask, Flask]]:
    """Two servers on one database, each with its own instance folder (its own secret_key file)."""
    monkeypatch.delenv("LOWCODE_SECRET_KEY", raising=False)
    folder = write_app(tmp_path / "apps" / "demo", YAML)
    apps = [create_app(folder, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / f"server{n}"), "DATABASE_URL": database})
            for n in (1, 2)]
    yield apps[0], apps[1]
    for app in apps:
        with app.app_context():
            app.extensions["lowcode"].db.engine.dispose()


def test_a_form_opened_on_one_server_is_accepted_by_the_other(two_servers: tuple[Flask, Flask]) -> None:
    first, second = two_servers
    assert first.secret_key == second.secret_key
    opened = first.test_client()
    token = csrf_token(opened, FORM)
    session = opened.get_cookie("session")
    assert session is not None
    sender = second.test_client()
    sender.set_cookie("session", session.value)
    response = sender.post(FORM, data={"csrf_token": token, "what": "傘"})
    assert response.status_code == 303


def test_the_key_is_kept_in_the_database_and_read_on_every_start(tmp_path: Path, database: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOWCODE_SECRET_KEY", raising=False)
    folder = write_app(tmp_path / "apps" / "demo", YAML)
    app = create_app(folder, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "a"), "DATABASE_URL": database})
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        stored = conn.execute(sa.select(META.c.value).where(META.c.key == "secret_key")).scalar()
    assert stored == app.secret_key and len(stored) >= 32
    again = create_app(folder, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "b"), "DATABASE_URL": database})
    assert again.secret_key == stored
    for built in (app, again):
        with built.app_context():
            built.extensions["lowcode"].db.engine.dispose()


def test_a_key_set_in_the_environment_is_used_as_it_is(tmp_path: Path, database: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOWCODE_SECRET_KEY", "set-by-the-city-it-department")
    folder = write_app(tmp_path / "apps" / "demo", YAML)
    app = create_app(folder, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "a"), "DATABASE_URL": database})
    assert app.secret_key == "set-by-the-city-it-department"
    with app.app_context():
        app.extensions["lowcode"].db.engine.dispose()
