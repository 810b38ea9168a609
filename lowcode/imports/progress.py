"""How far a staff page's import has got, readable from any gunicorn worker: one row per job in
`lowcode_import_jobs` (nothing kept in one process's memory).

The staff import page makes a job when it shows a form that checks or applies a file (its id goes in a hidden
field); the check and the apply report `(rows done, rows in all)` through a `JobProgress`, each report written on a
short connection of its own and committed at once — outside the import's all-or-nothing transaction — so that
`/import/progress/<job>`, answered by whichever worker, sees it while the import runs. A report is never waited
for: one that would wait for a lock is skipped. On SQLite the apply's transaction holds the database's single write
lock until it commits, so there storing is reported as a phase without figures; PostgreSQL locks rows, and its
figures move. Jobs older than `KEEP` are deleted whenever a new one is made.
"""
from __future__ import annotations

import datetime as dt
import re
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.pool import SingletonThreadPool, StaticPool

from ..storage import utcnow

KEEP = dt.timedelta(hours=2)  # longer than an upload is kept (an hour): a job outlives the file it reports on
REPORT_EVERY_SECONDS = 0.25  # between two writes of one job (the page asks about twice a second)
JOB_ID = re.compile(r"[A-Za-z0-9_-]{32}")
PHASES = ("waiting", "checking", "storing", "done")

IMPORT_JOBS_METADATA = sa.MetaData()
IMPORT_JOBS = sa.Table(
    "lowcode_import_jobs",
    IMPORT_JOBS_METADATA,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("app", sa.String(100), nullable=False),
    sa.Column("table_name", sa.String(100), nullable=False),
    sa.Column("account", sa.String(100), nullable=False),  # the staff account's id: only it may read the job
    sa.Column("phase", sa.String(10), nullable=False),  # one of PHASES
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("updated", sa.DateTime, nullable=False, index=True),
)


@dataclass(frozen=True)
class JobOwner:
    app: str
    table: str
    account: str


@dataclass(frozen=True)
class JobState:
    phase: str
    done: int
    total: int


def create_import_jobs_table(engine: sa.Engine) -> None:
    IMPORT_JOBS_METADATA.create_all(engine, checkfirst=True)


def new_job(engine: sa.Engine, owner: JobOwner) -> str | None:
    """A job waiting for its check or apply; old jobs (finished or abandoned) are deleted first. None when the
    database would not take it in time (SQLite locked by a long write): the page then shows no progress, and works."""
    job = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]
    now = utcnow()
    try:
        with engine.begin() as conn:
            conn.execute(IMPORT_JOBS.delete().where(IMPORT_JOBS.c.updated < now - KEEP))
            conn.execute(IMPORT_JOBS.insert().values(id=job, app=owner.app, table_name=owner.table,
                                                     account=owner.account, phase="waiting", done=0, total=0,
                                                     updated=now))
    except sa.exc.OperationalError:
        return None
    return job


def read_job(engine: sa.Engine, job: str, owner: JobOwner) -> JobState | None:
    """The job's state when it exists and belongs to `owner` (account, app, table); else None, the same answer
    for a job of another account as for one that never was."""
    if not JOB_ID.fullmatch(job):
        return None
    query = sa.select(IMPORT_JOBS.c.phase, IMPORT_JOBS.c.done, IMPORT_JOBS.c.total).where(
        IMPORT_JOBS.c.id == job, IMPORT_JOBS.c.app == owner.app, IMPORT_JOBS.c.table_name == owner.table,
        IMPORT_JOBS.c.account == owner.account)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else JobState(row.phase, row.done, row.total)


class JobProgress:
    """The `progress(done, total)` callback of `check_import`/`apply_import` for one job and phase: writes at most
    every `REPORT_EVERY_SECONDS`, and always the first and the last report."""

    def __init__(self, engine: sa.Engine, job: str, phase: str) -> None:
        self.engine, self.job, self.phase = engine, job, phase
        self.written_at: float | None = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.written_at is not None and done < total and now - self.written_at < REPORT_EVERY_SECONDS:
            return
        self.written_at = now
        write_progress(self.engine, self.job, JobState(self.phase, done, total))


def write_progress(engine: sa.Engine, job: str, state: JobState) -> bool:
    """Record `state` on a connection of its own, committed at once; False when it was skipped (a lock held by
    another writer — the import itself on SQLite — is not waited for: the next report will try again)."""
    if shares_one_connection(engine):
        return False  # its commit would commit the import's unfinished transaction too
    update = IMPORT_JOBS.update().where(IMPORT_JOBS.c.id == job).values(
        phase=state.phase, done=state.done, total=state.total, updated=utcnow())
    with engine.connect() as conn:
        waits = conn.exec_driver_sql("PRAGMA busy_timeout").scalar() if conn.dialect.name == "sqlite" else None
        try:
            if waits is not None:
                conn.exec_driver_sql("PRAGMA busy_timeout=0")
            conn.execute(update)
            conn.commit()
            return True
        except sa.exc.OperationalError:  # "database is locked": skipped
            conn.rollback()
            return False
        finally:
            if waits is not None:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={int(waits)}")  # back to the pool as it was configured


def shares_one_connection(engine: sa.Engine) -> bool:
    """An in-memory SQLite database: every `connect()` of a thread is the same connection."""
    return isinstance(engine.pool, (SingletonThreadPool, StaticPool))
