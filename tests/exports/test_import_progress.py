"""The command line's progress bar (issue 10): drawn on a terminal for a file of more than 1,000 rows, through
checking and storing; nothing drawn on a pipe or for a small file."""
from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from test_import_csv import stored_rows

from lowcode.imports import commands


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def drawn(total: int, stream: io.StringIO) -> str:
    with commands.progress_bar("Checking rows", stream) as progress:
        for done in range(0, total, 1000):
            progress(done, total)
        progress(total, total)
    return stream.getvalue()


def test_a_bar_is_drawn_on_a_terminal_for_more_than_1000_rows_only() -> None:
    shown = drawn(5000, Terminal())
    assert "Checking rows" in shown and "5000/5000" in shown and "100%" in shown
    assert drawn(1000, Terminal()) == ""  # a small file: done before a bar would be read
    assert drawn(5000, io.StringIO()) == ""  # a pipe or a log: no bar littering it


def test_the_import_command_draws_the_bar_while_checking_and_storing(app: Flask, lowcode: Any, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    real_bar = commands.progress_bar

    @contextmanager
    def on_terminal(label: str, stream: Any = None) -> Iterator[Any]:
        with real_bar(label, screen) as progress:
            yield progress

    monkeypatch.setattr(commands, "progress_bar", on_terminal)
    file = tmp_path / "many.csv"
    file.write_text("件名,台数\n" + "".join(f"地点{i},{i}\n" for i in range(2500)), encoding="utf-8")
    done = lowcode("import", "APP", "hazards", str(file), "--lang", "en")
    assert done.exit_code == 0 and "Imported 2500 row(s)" in done.output, done.output
    shown = screen.getvalue()
    assert "Checking rows" in shown and "Storing rows" in shown and "2500/2500" in shown
    assert len(stored_rows(app, "demo")) == 2502
