"""Fixtures for the map tests: a small app written inline, as staff would write it."""
from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from lowcode.maps.render import MapUrls
from lowcode.spec.loader import LoadedApp, load_app_text

TABLES_YAML = """
tables:
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      title: {type: text, label: {ja: 件名, en: Title}}
      theme:
        type: choice
        label: {ja: 分類, en: Theme}
        choices:
          - {key: traffic, label: {ja: 交通安全, en: Traffic}, color: "#d62728"}
          - {key: crime, label: {ja: 防犯, en: Crime}}
      status:
        type: choice
        choices: [{key: new}, {key: checked}, {key: done}]
      place: {type: location, label: {ja: 場所, en: Place}}
      note: {type: textarea, visibility: staff}
      email: {type: email, visibility: private}
"""

LoadApp = Callable[..., LoadedApp]


@pytest.fixture
def load_app(tmp_path: Path) -> LoadApp:
    """`load_app(yaml, files={"data/x.csv": "..."})` → the loaded app; the YAML's tables default to TABLES_YAML."""

    def load(yaml: str, files: dict[str, str] | None = None, *, tables: bool = True) -> LoadedApp:
        folder = tmp_path / "town"
        (folder / "data").mkdir(parents=True, exist_ok=True)
        for name, content in (files or {}).items():
            (folder / name).write_text(content, encoding="utf-8")
        text = "title: Town\n" + (TABLES_YAML if tables else "") + textwrap.dedent(yaml)
        (folder / "app.yaml").write_text(text, encoding="utf-8")
        return load_app_text(text, folder, "app.yaml")

    return load


@pytest.fixture
def urls() -> MapUrls:
    return MapUrls(
        static=lambda path: "/static/" + path,
        geojson=lambda table, params: f"/town/api/{table}.geojson?" + "&".join(f"{k}={v}" for k, v in params.items()),
    )
