"""The audit log: who did what to which row, when, from where, with the values before and after.

Append-only by construction: this module offers `record` (an INSERT in the caller's transaction, so an audit row
exists exactly when the change it describes was stored) and reads (`for_row`, `for_actor`, `export_rows`); no code
path updates or deletes an audit row (tests/engine/test_audit.py greps lowcode/ for one). Values of private fields
are kept here (staff read them later through the audience rule), so nothing of `before`/`after` is ever written to
the Python log.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

ACTIONS = frozenset({"create", "edit", "status", "assign", "note", "import", "export", "login", "login_failed", "logout",
                     "mail_retry", "proposal"})
RESIDENT_MESSAGE = "@message"  # key in a status row's `after` holding the message to the resident (no field is named so)

AUDIT_METADATA = sa.MetaData()
AUDIT = sa.Table(
    "lowcode_audit",
    AUDIT_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False, index=True),  # UTC, naive (as every engine timestamp)
    sa.Column("app", sa.String(100), nullable=False),
    sa.Column("table_name", sa.String(100), nullable=True),
    sa.Column("row_id", sa.Integer, nullable=True),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False, index=True),
    sa.Column("client", sa.String(64), nullable=True),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
    sa.Index("ix_lowcode_audit_row", "app", "table_name", "row_id"),
)


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a staff account's username, "resident" or "system"; and the client's address."""

    name: str
    client: str | None = None


RESIDENT = Actor("resident")
SYSTEM = Actor("system")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    app: str
    table: str | None
    row_id: int | None
    action: str
    actor: str
    client: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def create_audit_table(engine: sa.Engine) -> None:
    """At start-up, with the engine's other tables."""
    AUDIT.create(engine, checkfirst=True)


def record(
    conn: sa.Connection, *, app: str, action: str, actor: Actor = SYSTEM, table: str | None = None,
    row_id: int | None = None, before: Mapping[str, Any] | None = None, after: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry in the caller's transaction (rolled back with it). ValueError for an unknown action."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; one of {', '.join(sorted(ACTIONS))}")
    conn.execute(AUDIT.insert().values(
        at=utcnow(), app=app, table_name=table, row_id=row_id, action=action, actor=actor.name,
        client=actor.client, before=encode_values(before), after=encode_values(after),
    ))


def encode_values(values: Mapping[str, Any] | None) -> str | None:
    # default=str: dates, decimals and locations become their text; the audit is for people, not for re-loading.
    return None if values is None else json.dumps(dict(values), ensure_ascii=False, default=str, sort_keys=True)


def for_row(conn: sa.Connection, app: str, table: str, row_id: int) -> list[AuditEntry]:
    """A row's history, oldest first."""
    query = AUDIT.select().where(AUDIT.c.app == app, AUDIT.c.table_name == table, AUDIT.c.row_id == row_id)
    return [to_entry(row) for row in conn.execute(query.order_by(AUDIT.c.id)).mappings()]


def for_actor(conn: sa.Connection, actor: str, app: str | None = None, limit: int = 500) -> list[AuditEntry]:
    """What one account (or "resident"/"system") did, newest first."""
    query = AUDIT.select().where(AUDIT.c.actor == actor)
    if app is not None:
        query = query.where(AUDIT.c.app == app)
    return [to_entry(row) for row in conn.execute(query.order_by(AUDIT.c.id.desc()).limit(limit)).mappings()]


@dataclass(frozen=True)
class AuditFilter:
    """Which entries a reader asks for (the staff audit page, its CSV, `lowcode audit export`); None: any.
    `since` is inclusive, `until` exclusive, both naive UTC like `at`."""

    app: str | None = None
    actor: str | None = None
    action: str | None = None
    table: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def filtered(query: sa.Select[Any], wanted: AuditFilter) -> sa.Select[Any]:
    pairs = ((AUDIT.c.app, wanted.app), (AUDIT.c.actor, wanted.actor), (AUDIT.c.action, wanted.action),
             (AUDIT.c.table_name, wanted.table))
    query = query.where(*(column == value for column, value in pairs if value is not None))
    if wanted.since is not None:
        query = query.where(AUDIT.c.at >= wanted.since)
    if wanted.until is not None:
        query = query.where(AUDIT.c.at < wanted.until)
    return query


def search(conn: sa.Connection, wanted: AuditFilter, *, limit: int, offset: int = 0) -> list[AuditEntry]:
    """One page of the entries `wanted` names, newest first."""
    query = filtered(AUDIT.select(), wanted).order_by(AUDIT.c.id.desc()).limit(limit).offset(offset)
    return [to_entry(row) for row in conn.execute(query).mappings()]


def count(conn: sa.Connection, wanted: AuditFilter) -> int:
    return int(conn.execute(filtered(sa.select(sa.func.count()).select_from(AUDIT), wanted)).scalar_one())


def actors(conn: sa.Connection, app: str) -> list[str]:
    """Every name that acted in the app (for the audit page's filter), sorted."""
    query = sa.select(AUDIT.c.actor).where(AUDIT.c.app == app).distinct().order_by(AUDIT.c.actor)
    return [str(name) for name in conn.execute(query).scalars()]


def export_rows(conn: sa.Connection, app: str | None = None, wanted: AuditFilter | None = None) -> Iterator[AuditEntry]:
    """Every entry (of one app, or those `wanted` names), oldest first, streamed: for an export file."""
    query = filtered(AUDIT.select(), wanted) if wanted is not None else AUDIT.select()
    if app is not None:
        query = query.where(AUDIT.c.app == app)
    for row in conn.execution_options(yield_per=1000).execute(query.order_by(AUDIT.c.id)).mappings():
        yield to_entry(row)


def to_entry(row: sa.RowMapping) -> AuditEntry:
    return AuditEntry(
        id=row["id"], at=row["at"], app=row["app"], table=row["table_name"], row_id=row["row_id"],
        action=row["action"], actor=row["actor"], client=row["client"],
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]) if row["after"] else None,
    )
