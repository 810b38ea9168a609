"""Fixtures for the spec tests: an app folder written inline, checked the way `lowcode validate` checks it."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import support
from click.testing import CliRunner

from lowcode.cli import main
from lowcode.spec.loader import LoadedApp, load_app_spec


@pytest.fixture
def write_app() -> Callable[..., Path]:
    return support.write_app


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The folder staff work in: file names in problems are shown relative to it."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path


@pytest.fixture
def check(workdir: Path, write_app: Callable[..., Path]) -> Callable[..., LoadedApp]:
    """Write `<name>/app.yaml` (and files) and load it: the spec, or every problem found."""

    def run(yaml: str, *, name: str = "demo", files: dict[str, str | bytes] | None = None) -> LoadedApp:
        write_app(workdir / name, yaml, files)
        return load_app_spec(Path(name))

    return run


@pytest.fixture
def validate(workdir: Path) -> Callable[..., list[str]]:
    """`lowcode validate TARGET --lang LANG`: the problem lines it prints, without the summary line."""

    def run(target: str, lang: str) -> list[str]:
        result = CliRunner().invoke(main, ["validate", target, "--lang", lang])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        lines = result.output.splitlines()
        assert lines, "validate printed nothing"
        return lines[:-1]

    return run

