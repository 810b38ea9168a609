"""Exports: a table's rows as CSV (UTF-8 with a BOM), Excel `.xlsx` or GeoJSON, for an audience.

API (the command line `lowcode export` and the staff queue's links call only these):
- `ExportRequest(table, format, options, filters=PageRequest(), where=(), from_queue=False)`: what to export;
  `ExportOptions(lang, choices="labels"|"keys", translate)`: the language of labels and how choices are written.
- `run_export(runtime, engine, request, audience, out, actor) -> rows`: writes the file to `out` and the audit
  log's `export` entry; ExportError (a msgid and values, said plainly) for a request that cannot be exported.
- `export_audience(runtime, table, audiences)`: the account's role that exports the table (None: it may not).
- `has_geometry(runtime, table, audience)`: whether a GeoJSON export of the table is possible for the audience.

Modules: `columns` (what the columns are, values as typed Python, formula neutralisation), `where` (`--where`),
one writer per format (`csv_file`, `xlsx_file`, `geojson_file`), `run` (the above), `commands` (the CLI).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .columns import ExportOptions, neutralise
    from .run import FORMATS, MEDIA_TYPES, ExportRequest, export_audience, has_geometry, run_export
    from .where import ExportError

# Loaded on first use: `lowcode.cli` imports `exports.commands`, and `lowcode validate` must not pay for SQLAlchemy
# and Flask (tests/engine/test_layers.py).
_HOMES = {"ExportOptions": "columns", "neutralise": "columns", "ExportError": "where",
          **dict.fromkeys(("FORMATS", "MEDIA_TYPES", "ExportRequest", "export_audience", "has_geometry", "run_export"),
                          "run")}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)

__all__ = ["FORMATS", "MEDIA_TYPES", "ExportError", "ExportOptions", "ExportRequest", "export_audience",
           "has_geometry", "neutralise", "run_export"]
