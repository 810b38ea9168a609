"""Imports: rows from a CSV file into a table, every row checked, all stored in one transaction or none.

API: `check_import(runtime, engine, table, data, mapped, lang) -> ImportReport` (nothing written: the dry run),
`apply_import(runtime, engine, table, report, actor, source) -> rows stored`. Modules: `columns` (which field each
column fills: names, labels, an export's headers, `--map`), `cells` (a cell's text as a stored value), `run`,
`commands` (`lowcode import`), `progress` (the staff page's figures, in `lowcode_import_jobs`). First part of
issue 10's import: CSV from the command line; `.xlsx`, GeoJSON, the staff page and progress come next.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .run import ImportReport, apply_import, check_import


def __getattr__(name: str) -> Any:
    """Loaded on first use, as `lowcode.exports`: the CLI imports `imports.commands` at start."""
    if name not in {"ImportReport", "apply_import", "check_import"}:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.run"), name)

__all__ = ["ImportReport", "apply_import", "check_import"]
