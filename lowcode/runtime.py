"""What the engine holds for one loaded app: its spec, table stores and template lookup."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .spec.loader import LoadedApp, app_folders, load_app_spec, no_apps_problem
from .spec.models import AppSpec
from .spec.problems import Problem
from .storage import TableStore, build_table

if TYPE_CHECKING:
    from .places.base import Geocoder
    from .places.derive import Deriver


class AppSpecError(Exception):
    """Raised by the app factory when an app's YAML has errors; the message lists them like `lowcode validate`."""

    def __init__(self, problems: list[Problem], lang: str = "en") -> None:
        self.problems = problems
        lines = [p.render(lang) for p in problems]
        super().__init__("The app definition has errors:\n" + "\n".join(lines))


@dataclass
class AppRuntime:
    name: str
    folder: Path
    spec: AppSpec
    app_file: Path
    shown_file: str
    stores: dict[str, TableStore] = field(default_factory=dict)
    geocoder: Geocoder | None = None  # built by lowcode.services at start-up, when the app has `geocoder:`
    deriver: Deriver | None = None  # when a field has `derive:`

    @property
    def template_folder(self) -> Path:
        return self.folder / "templates"

    def text(self, value: Any, lang: str, default: str = "") -> str:
        """A spec text in the reader's language, falling back through the app's languages."""
        return value.get(lang, self.spec.languages) if value is not None else default


def load_runtimes(path: Path, metadata: sa.MetaData) -> list[AppRuntime]:
    folders = app_folders(path)
    if not folders:
        raise AppSpecError([no_apps_problem(path)])
    loaded = [load_app_spec(folder) for folder in folders]
    errors = [p for app in loaded for p in app.errors]
    if errors:
        raise AppSpecError(errors)
    return [build_runtime(app, metadata) for app in loaded]


def build_runtime(loaded: LoadedApp, metadata: sa.MetaData) -> AppRuntime:
    assert loaded.spec is not None
    runtime = AppRuntime(loaded.name, loaded.folder.resolve(), loaded.spec, loaded.file, loaded.shown)
    for table_name, table in loaded.spec.tables.items():
        sql_table = build_table(loaded.name, table_name, table, loaded.spec, metadata)
        runtime.stores[table_name] = TableStore(table_name, table, sql_table)
    return runtime
