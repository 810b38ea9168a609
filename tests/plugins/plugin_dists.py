"""Build a small installed distribution in a folder: a package plus a `<name>-0.1.dist-info` naming its entry points.

Put the folder on `sys.path` (or PYTHONPATH for a subprocess) and `importlib.metadata` finds the entry points as it
finds those of a package pip installed, without touching the venv.
"""
from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def write_distribution(site: Path, name: str, modules: dict[str, str], entry_points: dict[str, dict[str, str]]) -> Path:
    """`modules` maps a path under `site` (e.g. `rating_plugin/__init__.py`) to its source; returns `site`."""
    for path, source in modules.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    info = site / f"{name}-0.1.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    sections = [f"[{group}]\n" + "".join(f"{key} = {value}\n" for key, value in points.items()) for group, points in entry_points.items()]
    (info / "entry_points.txt").write_text("\n".join(sections), encoding="utf-8")
    return site


@contextmanager
def installed(monkeypatch: pytest.MonkeyPatch, site: Path, packages: tuple[str, ...], reload: tuple[object, ...]) -> Iterator[None]:
    """The distribution in `site` is importable while the block runs; `reload` are the registries' cache-clearing
    functions, called on entry and again on exit so no other test sees the plug-in."""
    monkeypatch.syspath_prepend(str(site))
    for clear in reload:
        clear()  # type: ignore[operator]
    try:
        yield
    finally:
        monkeypatch.undo()
        for module in [m for m in sys.modules if m.split(".")[0] in packages]:
            del sys.modules[module]
        for clear in reload:
            clear()  # type: ignore[operator]
