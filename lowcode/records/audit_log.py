"""The audit log as staff read and export it: one page of filtered entries, the names that acted, a streamed export.

Reads only (audit.py is append-only); the one write is `record_export`, the `export` entry an export of the log
leaves behind — in its own transaction before the first line is read, so an export that fails half-way is still
on record.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .. import audit

PER_PAGE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class AuditPage:
    entries: list[audit.AuditEntry]
    total: int
    page: int
    pages: int


def query_audit_page(engine: sa.Engine, wanted: audit.AuditFilter, page: int, per_page: int = PER_PAGE) -> AuditPage:
    """Entries newest first; a page past the last gives the last."""
    with engine.connect() as conn:
        total = audit.count(conn, wanted)
        pages = max(1, -(-total // per_page))
        page = max(1, min(page, pages, MAX_PAGE))
        return AuditPage(audit.search(conn, wanted, limit=per_page, offset=(page - 1) * per_page), total, page, pages)


def query_actors(engine: sa.Engine, app: str) -> list[str]:
    with engine.connect() as conn:
        return audit.actors(conn, app)


def record_export(engine: sa.Engine, app: str, actor: audit.Actor, wanted: audit.AuditFilter, fmt: str) -> None:
    """The `export` entry of an export of the audit log itself: which entries were asked for, in which format."""
    asked: dict[str, Any] = {"@audit_export": fmt}
    asked.update({f"@{k}": str(v) for k, v in vars(wanted).items() if v is not None and k != "app"})
    with engine.begin() as conn:
        audit.record(conn, app=app, action="export", actor=actor, after=asked)


def stream_audit(engine: sa.Engine, wanted: audit.AuditFilter) -> Iterator[audit.AuditEntry]:
    """Every entry `wanted` names, oldest first, read 1,000 at a time while the caller writes them out."""
    with engine.connect() as conn:
        yield from audit.export_rows(conn, wanted=wanted)
