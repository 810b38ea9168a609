from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import support

from lowcode.spec.loader import LoadedApp, load_app_spec


@pytest.fixture
def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., LoadedApp]:
    """Write `demo/app.yaml` in a fresh folder and load it: the spec, or every problem found."""
    monkeypatch.chdir(tmp_path)

    def run(yaml: str, *, name: str = "demo") -> LoadedApp:
        support.write_app(tmp_path / name, yaml, None)
        return load_app_spec(Path(name))

    return run
