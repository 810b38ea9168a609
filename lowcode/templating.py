"""Template lookup: an app's own `templates/` folder overrides the defaults, file by file."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, TemplateNotFound

import lowcode
from lowcode.constraints import date_input_limits


def default_template_folder() -> Path:
    """`lowcode/templates` inside a wheel; the repository's top-level `templates/` in a source checkout."""
    packaged = Path(lowcode.__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(lowcode.__file__).parent.parent / "templates"


class AppTemplateLoader(BaseLoader):
    """`@<app>/page.html` is looked up in the app's templates first, then in the defaults; plain names in the defaults."""

    def __init__(self, defaults: Path, app_folders: dict[str, Path]) -> None:
        self.defaults = FileSystemLoader(str(defaults))
        self.apps = {name: FileSystemLoader(str(folder)) for name, folder in app_folders.items() if folder.is_dir()}

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        if template.startswith("@"):
            app_name, _, rest = template[1:].partition("/")
            loader = self.apps.get(app_name)
            if loader is not None:
                try:
                    return loader.get_source(environment, rest)
                except TemplateNotFound:
                    pass
            template = rest
        return self.defaults.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.defaults.list_templates()


def app_template(app_name: str, page: str) -> str:
    return f"@{app_name}/{page}"


def template_globals() -> dict[str, Any]:
    return {"app_template": app_template, "date_input_limits": date_input_limits, "zip": zip}
