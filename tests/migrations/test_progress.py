"""Long table rewrites show a progress bar on the terminal (stderr); short ones print nothing extra."""
from __future__ import annotations

import pytest

from lowcode.migrations.run_migrate import LONG_REWRITE, click_progress


def test_a_long_rewrite_shows_a_progress_bar(capsys: pytest.CaptureFixture[str]) -> None:
    with click_progress(range(LONG_REWRITE + 1), LONG_REWRITE + 1, "people.age") as rows:
        assert sum(1 for _ in rows) == LONG_REWRITE + 1
    assert "people.age" in capsys.readouterr().err


def test_a_short_rewrite_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with click_progress(range(10), 10, "people.age") as rows:
        assert list(rows) == list(range(10))
    assert capsys.readouterr().err == ""
