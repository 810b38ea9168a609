"""Which of an account's roles edits a stored row (no Flask: the record page and the edit page ask it).

`editing_role(runtime, engine, table_name, row_id, audiences) -> (Audience, row) | None`: among the roles that may
`edit` the table, one that may also see private fields first (as `queue.table_audience` reads a table), the first
that sees the row; with the row as stored (every field and `updated_at`). None: no role of the account may edit
this row (the record page offers no "Edit"; the edit page answers 404, as for a row that does not exist).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ..audience import Audience
from ..records import RowNotFound
from ..records.writes import read_row
from ..runtime import AppRuntime
from .queue import table_audience


def editing_role(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, row_id: int, audiences: Sequence[Audience],
) -> tuple[Audience, dict[str, Any]] | None:
    table = runtime.spec.tables[table_name]
    editors = [a for a in audiences if a.may(table, "edit")]
    while editors:
        editor = table_audience(table, editors)
        assert editor is not None  # every one of them may view the table
        try:
            return editor, read_row(runtime, engine, table_name, row_id, editor)
        except RowNotFound:
            editors.remove(editor)
    return None
