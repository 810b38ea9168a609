"""The `live` fixture: one app folder and its database (SQLite and PostgreSQL) for the migration tests."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from migration_support import LiveApp


@pytest.fixture

def live(tmp_path: Path, database: str) -> Iterator[LiveApp]:
    app = LiveApp(tmp_path / "apps" / "demo", tmp_path / "instance", database)
    yield app
    app.close()
