"""What the engine holds for one loaded app: its spec, table stores and template lookup."""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from .spec.loader import LoadedApp, app_folders, load_app_spec, no_apps_problem
from .spec.models import AppSpec
from .spec.problems import Problem
from .storage import TableStore, build_table

if TYPE_CHECKING:
    from .places.base import Geocoder
    from .places.derive import Deriver

T = TypeVar("T")


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
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)  # see once()

    @property
    def template_folder(self) -> Path:
        return self.folder / "templates"

    def text(self, value: Any, lang: str, default: str = "") -> str:
        """A spec text in the reader's language, falling back through the app's languages."""
        return value.get(lang, self.spec.languages) if value is not None else default

    def once(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()` the first time `key` is asked for, the same value after: per-request work that depends only on
        the spec and `key` (labels in a language, column formatters) is done once per worker, not per page."""
        try:
            return self.memo[key]
        except KeyError:
            return self.memo.setdefault(key, make())


def load_runtimes(path: Path, metadata: sa.MetaData, *, strict: bool = True) -> tuple[list[AppRuntime], dict[str, list[Problem]]]:
    """The apps that load, and the problems of those that do not (strict: any problem stops everything).

    Not strict, one broken app (a tab in its YAML after a reload) must not take the others down with it.
    """
    folders = app_folders(path)
    if not folders:
        raise AppSpecError([no_apps_problem(path)])
    loaded = [load_app_spec(folder) for folder in folders]
    errors = [p for app in loaded for p in app.errors]
    if errors and strict:
        raise AppSpecError(errors)
    broken = {app.name: app.errors for app in loaded if app.errors}
    return [build_runtime(app, metadata) for app in loaded if not app.errors], broken


def build_runtime(loaded: LoadedApp, metadata: sa.MetaData) -> AppRuntime:
    assert loaded.spec is not None
    runtime = AppRuntime(loaded.name, loaded.folder.resolve(), loaded.spec, loaded.file, loaded.shown)
    for table_name, table in loaded.spec.tables.items():
        sql_table = build_table(loaded.name, table_name, table, loaded.spec, metadata)
        runtime.stores[table_name] = TableStore(table_name, table, sql_table)
    return runtime
