"""A row's history as the audit log kept it: read for the staff record page through the records layer."""
from __future__ import annotations

import sqlalchemy as sa

from .. import audit
from ..runtime import AppRuntime


def query_history(runtime: AppRuntime, engine: sa.Engine, table_name: str, row_id: int) -> list[audit.AuditEntry]:
    """Every audit entry of the row, oldest first; the caller cuts each to the fields its audience may see."""
    with engine.connect() as conn:
        return audit.for_row(conn, runtime.name, table_name, row_id)
