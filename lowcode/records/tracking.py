"""What the resident's private link (`/<app>/track/<token>`) shows: one submission, found by its token's digest.

The public status (a workflow's status when it is public; otherwise "received"), the history of public status
changes and the messages meant for the resident (both from the audit log), and the resident's own answers as
`audience.resident_audience` lets them see (non-staff fields of that one row).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .. import audit
from ..audience import resident_audience
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from ..tracking import TRACK_COLUMN, looks_like_token, token_digest

LEFT_OUT_TYPES = frozenset({"location", "area", "image"})  # shown elsewhere through the public rule; not on this page


@dataclass(frozen=True)
class StatusChange:
    at: dt.datetime
    status: str | None  # the new status when it is public, else None (only a message is shown)
    message: str | dict[str, str] | None  # plain text, or a workflow transition's text per language


@dataclass(frozen=True)
class Tracked:
    """One submission as its resident sees it."""

    table: str
    row_id: int
    created_at: dt.datetime
    status: str | None  # a public status key, or None: "received"
    status_field: str | None
    answers: dict[str, Any]  # field → value, the fields the resident may see
    history: list[StatusChange]


def query_tracked(runtime: AppRuntime, engine: sa.Engine, token: str) -> Tracked | None:
    """The submission whose private link holds `token`, or None (unknown, malformed, or a seed row)."""
    if not looks_like_token(token):
        return None
    digest = token_digest(token)
    with engine.connect() as conn:
        for name, store in runtime.stores.items():
            row = conn.execute(sa.select(store.table).where(store.table.c[TRACK_COLUMN] == digest)).mappings().first()
            if row is not None:
                entries = audit.for_row(conn, runtime.name, name, int(row["id"]))
                return build_tracked(runtime, name, store.to_record(row), entries)
    return None


def build_tracked(runtime: AppRuntime, name: str, row: dict[str, Any], entries: Sequence[audit.AuditEntry]) -> Tracked:
    table = runtime.spec.tables[name]
    audience = resident_audience(runtime.spec, name, int(row["id"]))
    public = public_statuses(table)
    field = status_field(table)
    shown = [n for n in audience.visible_fields(table, row["id"]) if table.fields[n].type not in LEFT_OUT_TYPES]
    current = row.get(field) if field else None
    return Tracked(
        table=name, row_id=int(row["id"]), created_at=row["created_at"],
        status=current if current in public else None, status_field=field,
        answers={n: row.get(n) for n in shown if n != field},
        history=public_history(entries, field, public),
    )


def status_field(table: TableSpec) -> str | None:
    workflow = getattr(table, "workflow", None)
    return workflow.field if workflow is not None else None


def public_statuses(table: TableSpec) -> frozenset[str]:
    workflow = getattr(table, "workflow", None)
    return frozenset(workflow.public_statuses(table)) if workflow is not None else frozenset()


def public_history(entries: Sequence[audit.AuditEntry], field: str | None, public: frozenset[str]) -> list[StatusChange]:
    """Status changes into a public status, and every message meant for the resident; never who made them."""
    changes = []
    for entry in entries:
        if entry.action != "status" or not entry.after:
            continue
        status = entry.after.get(field) if field else None
        shown = status if status in public else None
        message = entry.after.get(audit.RESIDENT_MESSAGE)
        if shown is not None or message:
            changes.append(StatusChange(entry.at, shown, message if isinstance(message, (str, dict)) else None))
    return changes
