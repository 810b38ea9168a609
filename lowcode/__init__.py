"""lowcode: resident web apps for municipalities, described in YAML."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]
__version__ = "0.1.0"


def create_app(path: Any = "apps", config: dict[str, Any] | None = None, *, prepare: bool = True) -> Flask:
    """The Flask app serving one app folder, or every app folder inside `path` (see `lowcode.app`).

    It prepares storage (tables, seed rows) unless `prepare=False`; gunicorn's `lowcode:create_app("apps")` does.
    """
    from .app import create_app as factory

    return factory(path, config, prepare=prepare)
