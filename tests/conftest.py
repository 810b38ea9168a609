"""Fixtures shared by every test: apps written inline as YAML, built on SQLite and on PostgreSQL."""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import csrf_token, write_app  # noqa: F401  (re-exported for tests)

from lowcode.app import create_app

PG_URL = os.environ.get("LOWCODE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_available() -> bool:
    try:
        engine = sa.create_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


@pytest.fixture(autouse=True)
def cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Staff passwords hashed with Argon2id at its lowest cost in this process: hundreds of tests create and log in
    accounts, and the production parameters (64 MiB, 3 passes) cost ~0.1 s per hash on a CI machine. The real
    parameters and the rehash of weaker hashes are tested under `@pytest.mark.real_password_hashing`
    (tests/staff/test_password_hashing.py); servers started in a subprocess hash as in production."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        from argon2 import PasswordHasher

        monkeypatch.setattr("lowcode.staff.accounts._hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(scope="session")
def pg_ready() -> bool:
    ready = postgres_available()
    if not ready and IN_CI:
        pytest.fail(f"PostgreSQL is not reachable at {PG_URL}; CI must run every storage test on it")
    return ready


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL: a file in tmp_path, or a fresh schema in the PostgreSQL test database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    if not request.getfixturevalue("pg_ready"):
        pytest.skip("PostgreSQL is not reachable (CI fails instead of skipping)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


MakeApp = Callable[..., Flask]


@pytest.fixture
def make_app(tmp_path: Path, database: str) -> Iterator[MakeApp]:
    """Build a Flask app from YAML written inline, as a civil servant would write it."""
    built: list[Flask] = []

    def factory(yaml: str, *, name: str = "demo", files: dict[str, str | bytes] | None = None, **config: Any) -> Flask:
        folder = write_app(tmp_path / "apps" / name, yaml, files)
        settings = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": database, **config}
        app = create_app(folder, settings)
        built.append(app)
        return app

    yield factory
    for app in built:
        with app.app_context():
            app.extensions["lowcode"].db.engine.dispose()


@pytest.fixture
def sqlite_make_app(tmp_path: Path) -> Iterator[MakeApp]:
    """Like make_app, SQLite only: for page tests that do not depend on storage."""
    def factory(yaml: str, *, name: str = "demo", files: dict[str, str | bytes] | None = None, **config: Any) -> Flask:
        folder = write_app(tmp_path / "apps" / name, yaml, files)
        settings = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), **config}
        settings.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'pages.sqlite3'}")
        return create_app(folder, settings)

    yield factory
