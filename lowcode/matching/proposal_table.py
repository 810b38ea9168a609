"""The framework table of proposals (`lowcode_proposals`): one row per helper staff proposed for a request.

Made at start-up with the other `lowcode_*` tables (lowcode/database.py); the migrations planner looks only at
`<app>__<table>` names, so it never takes it for an app's table. A row names its app, matching, request row and
helper row by id, its status, each side's answer, the SHA-256 of each private answer token (never a token), who
proposed and dispatched it, when, and the activity report.

Statuses: proposed → accepted (both sides accepted) | declined (either side declined) | withdrawn (staff);
accepted → dispatched → reported. `open_pair` is 1 while a proposal is not declined nor withdrawn and NULL after:
a unique index on (app, matching, request, helper, open_pair) keeps one open proposal per pair (NULLs never clash,
on SQLite as on PostgreSQL), and a closed pair may be proposed again.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..audience import PUBLIC
from ..runtime import AppRuntime

PROPOSED, ACCEPTED, DECLINED, WITHDRAWN, DISPATCHED, REPORTED = (
    "proposed", "accepted", "declined", "withdrawn", "dispatched", "reported")
STATUSES = (PROPOSED, ACCEPTED, DISPATCHED, REPORTED, DECLINED, WITHDRAWN)
CLOSED = frozenset({DECLINED, WITHDRAWN})
BOTH_ACCEPTED = frozenset({ACCEPTED, DISPATCHED, REPORTED})  # the statuses in which contacts are shown
SIDES = ("request", "helper")
ANSWERS = ("accepted", "declined")
MAX_NOTE = 2000

PROPOSAL_METADATA = sa.MetaData()
PROPOSALS = sa.Table(
    "lowcode_proposals",
    PROPOSAL_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("app", sa.String(100), nullable=False),
    sa.Column("matching", sa.String(100), nullable=False),
    sa.Column("request_id", sa.Integer, nullable=False),
    sa.Column("helper_id", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("open_pair", sa.Integer, nullable=True),
    sa.Column("request_answer", sa.String(10), nullable=True),
    sa.Column("request_answered_at", sa.DateTime, nullable=True),
    sa.Column("request_answered_by", sa.String(200), nullable=True),
    sa.Column("helper_answer", sa.String(10), nullable=True),
    sa.Column("helper_answered_at", sa.DateTime, nullable=True),
    sa.Column("helper_answered_by", sa.String(200), nullable=True),
    sa.Column("request_token_hash", sa.String(64), nullable=True, unique=True),
    sa.Column("helper_token_hash", sa.String(64), nullable=True, unique=True),
    sa.Column("proposed_by", sa.String(200), nullable=False),
    sa.Column("proposed_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("dispatched_at", sa.DateTime, nullable=True),
    sa.Column("dispatched_by", sa.String(200), nullable=True),
    sa.Column("reported_at", sa.DateTime, nullable=True),
    sa.Column("reported_by", sa.String(200), nullable=True),
    sa.Column("participants", sa.Integer, nullable=True),
    sa.Column("hours", sa.Float, nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Index("ix_lowcode_proposals_request", "app", "matching", "request_id"),
    sa.Index("ix_lowcode_proposals_open_pair", "app", "matching", "request_id", "helper_id", "open_pair", unique=True),
)


@dataclass(frozen=True)
class Proposal:
    """One proposal as stored (the token digests left out: nothing downstream needs them)."""

    id: int
    app: str
    matching: str
    request_id: int
    helper_id: int
    status: str
    request_answer: str | None
    request_answered_at: dt.datetime | None
    request_answered_by: str | None
    helper_answer: str | None
    helper_answered_at: dt.datetime | None
    helper_answered_by: str | None
    proposed_by: str
    proposed_at: dt.datetime
    updated_at: dt.datetime
    dispatched_at: dt.datetime | None
    dispatched_by: str | None
    reported_at: dt.datetime | None
    reported_by: str | None
    participants: int | None
    hours: float | None
    note: str | None

    @property
    def both_accepted(self) -> bool:
        return self.status in BOTH_ACCEPTED

    def answer(self, side: str) -> str | None:
        return self.request_answer if side == "request" else self.helper_answer


FIELDS = tuple(Proposal.__dataclass_fields__)


def create_proposal_table(engine: sa.Engine) -> None:
    """At start-up, with the engine's other tables."""
    PROPOSAL_METADATA.create_all(engine, checkfirst=True)


def to_proposal(row: sa.RowMapping | dict[str, Any]) -> Proposal:
    return Proposal(**{name: row[name] for name in FIELDS})


def public_titles(conn: sa.Connection, runtime: AppRuntime, table_name: str, ids: set[int]) -> dict[int, str]:
    """id → the row's name as the public names it (its title field when public; rows without one are left out)."""
    store = runtime.stores[table_name]
    title = PUBLIC.title_field(store.spec)
    if not ids or title is None:
        return {}
    query = sa.select(store.table.c.id, store.table.c[title]).where(store.table.c.id.in_(sorted(ids)))
    return {int(i): PUBLIC.row_title(int(i), t) for i, t in conn.execute(query)}
