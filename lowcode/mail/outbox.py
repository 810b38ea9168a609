"""The outbox: mails waiting to be sent, kept in the database so that a mail server that is down loses nothing.

`enqueue` writes a mail in the caller's transaction (it exists exactly when the change that caused it was stored).
The sender (`sender.py`) claims due mails, delivers them, and marks each `sent`, or schedules the next attempt after
`BACKOFF[attempts - 1]`, and marks it `failed` after `MAX_ATTEMPTS`. Staff pages read `queued_and_failed`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from ..audit import Actor, record
from ..storage import utcnow

BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2))
MAX_ATTEMPTS = len(BACKOFF) + 1  # the first try, then one after each wait; then `failed`
CLAIM_FOR = dt.timedelta(minutes=10)  # a claimed mail is not picked by another worker for this long
MAX_ERROR = 500

OUTBOX_METADATA = sa.MetaData()
OUTBOX = sa.Table(
    "lowcode_outbox",
    OUTBOX_METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("app", sa.String(100), nullable=False),
    sa.Column("to", sa.String(320), nullable=False),
    sa.Column("subject", sa.String(500), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("lang", sa.String(10), nullable=False),
    sa.Column("status", sa.String(10), nullable=False, default="queued"),  # queued, sent, failed
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.DateTime, nullable=True),
    sa.Column("last_error", sa.String(MAX_ERROR), nullable=True),
    sa.Index("ix_lowcode_outbox_due", "status", "next_attempt_at"),
)


@dataclass(frozen=True)
class Mail:
    id: int
    created: dt.datetime
    app: str
    to: str
    subject: str
    body: str
    lang: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None


def create_outbox_table(engine: sa.Engine) -> None:
    OUTBOX_METADATA.create_all(engine, checkfirst=True)


def enqueue(conn: sa.Connection, *, app: str, to: str, subject: str, body: str, lang: str) -> int:
    """Queue one mail in the caller's transaction; it is due at once."""
    now = utcnow()
    result = conn.execute(OUTBOX.insert().values(
        created=now, app=app, to=to, subject=subject[:500], body=body, lang=lang, status="queued", attempts=0,
        next_attempt_at=now,
    ))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def claim_due(engine: sa.Engine, now: dt.datetime, limit: int = 50) -> list[Mail]:
    """Queued mails whose time has come, each claimed (its next attempt moved on) so that no other worker sends
    it at the same time; a worker that dies while sending leaves it to be tried again after `CLAIM_FOR`."""
    with engine.begin() as conn:
        query = OUTBOX.select().where(OUTBOX.c.status == "queued", OUTBOX.c.next_attempt_at <= now)
        candidates = [to_mail(row) for row in conn.execute(query.order_by(OUTBOX.c.id).limit(limit)).mappings()]
    claimed = []
    for mail in candidates:
        with engine.begin() as conn:
            taken = conn.execute(OUTBOX.update().where(
                OUTBOX.c.id == mail.id, OUTBOX.c.status == "queued", OUTBOX.c.next_attempt_at == mail.next_attempt_at,
            ).values(next_attempt_at=now + CLAIM_FOR)).rowcount
        if taken:
            claimed.append(mail)
    return claimed


def mark_sent(engine: sa.Engine, mail_id: int) -> None:
    with engine.begin() as conn:
        conn.execute(OUTBOX.update().where(OUTBOX.c.id == mail_id).values(
            status="sent", attempts=OUTBOX.c.attempts + 1, next_attempt_at=None, last_error=None))


def mark_attempt_failed(engine: sa.Engine, mail: Mail, error: str, now: dt.datetime) -> str:
    """Count a failed attempt: the next one after the back-off, or `failed` after the last. Returns the status."""
    attempts = mail.attempts + 1
    failed = attempts >= MAX_ATTEMPTS
    with engine.begin() as conn:
        conn.execute(OUTBOX.update().where(OUTBOX.c.id == mail.id).values(
            status="failed" if failed else "queued", attempts=attempts, last_error=error[:MAX_ERROR],
            next_attempt_at=None if failed else now + BACKOFF[attempts - 1]))
    return "failed" if failed else "queued"


def queued_and_failed(engine: sa.Engine, app: str | None = None, statuses: Sequence[str] = ("queued", "failed"),
                      limit: int | None = None) -> list[Mail]:
    """What has not been delivered, oldest first (the first `limit`): for the staff page and `lowcode mail`."""
    query = OUTBOX.select().where(OUTBOX.c.status.in_(list(statuses)))
    if app is not None:
        query = query.where(OUTBOX.c.app == app)
    with engine.connect() as conn:
        return [to_mail(row) for row in conn.execute(query.order_by(OUTBOX.c.id).limit(limit)).mappings()]


def count_undelivered(engine: sa.Engine, app: str) -> int:
    """How many mails of the app are queued or failed (the staff page shows the oldest few hundred)."""
    query = sa.select(sa.func.count()).select_from(OUTBOX).where(
        OUTBOX.c.status.in_(["queued", "failed"]), OUTBOX.c.app == app)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def retry_now(engine: sa.Engine, app: str, mail_id: int, actor: Actor) -> bool:
    """A failed mail of the app queued again, due at once (an admin's "retry now"), audited in the same transaction.

    Its attempts are kept: it gets one more try, and is `failed` again if that fails (the admin can retry again).
    False when there is no such failed mail (sent meanwhile, retried by a colleague, another app's)."""
    with engine.begin() as conn:
        changed = conn.execute(OUTBOX.update().where(
            OUTBOX.c.id == mail_id, OUTBOX.c.app == app, OUTBOX.c.status == "failed",
        ).values(status="queued", next_attempt_at=utcnow())).rowcount
        if changed:
            record(conn, app=app, action="mail_retry", actor=actor, after={"@mail": mail_id})
    return bool(changed)


def to_mail(row: sa.RowMapping) -> Mail:
    return Mail(**{column.name: row[column.name] for column in OUTBOX.columns})
