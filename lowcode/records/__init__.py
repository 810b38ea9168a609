"""The records layer: the one way between the web (and the command line) and storage for app rows.

A view parses the request, calls one operation here, and renders what comes back; it opens no transaction, builds
no SQL and writes no file. Writes (`writes`): `submit`, `update`, `change_status`, `insert_seed_rows`: checked
(`checks`), derived, photos published, stored, the table version bumped in the same transaction. Reads
(`queries`): `query_page`, `query_options`, `query_row`, `query_titles`, `query_points`, `table_version` (`areas`: `query_areas`), each for an audience
(lowcode/audience.py). Photos (`photos`): which files rows name, and whether an audience may see one. The
staff pages, the importer, the API and the matcher are meant to call the same operations.
"""
from __future__ import annotations

from .areas import query_areas
from .checks import Checked, check_values
from .queries import (
    ListPage,
    PageRequest,
    hidden_references,
    page_request,
    query_options,
    query_page,
    query_points,
    query_points_summary,
    query_row,
    query_titles,
    table_version,
    unseen_filter_rows,
)
from .typed_references import query_suggestions, query_typed_titles
from .workflow import TransitionNotAllowed
from .writes import (
    FieldNotChangeable,
    RowChanged,
    RowNotFound,
    WriteResult,
    change_status,
    insert_seed_rows,
    keep_in_scope,
    submit,
    update,
)

__all__ = [
    "Checked", "FieldNotChangeable", "ListPage", "PageRequest", "RowChanged", "RowNotFound", "TransitionNotAllowed", "WriteResult", "change_status",
    "check_values", "hidden_references", "insert_seed_rows", "keep_in_scope", "page_request", "query_areas", "query_options", "query_page", "query_points", "query_points_summary", "query_row", "query_suggestions", "query_titles",
    "query_typed_titles", "submit", "table_version", "unseen_filter_rows", "update",
]
