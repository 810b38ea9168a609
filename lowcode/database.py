"""The database: Flask-SQLAlchemy wiring, SQLite settings, and creating and seeding tables on first start."""
from __future__ import annotations

import contextlib
import fcntl
import logging
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy

from .audit import create_audit_table
from .geo.area import usable_bounds
from .imports.progress import create_import_jobs_table
from .mail.outbox import create_outbox_table
from .matching.proposal_table import create_proposal_table
from .migrations.field_types import record_served_apps
from .migrations.startup import unmigrated_apps
from .migrations.tables import create_migration_tables
from .private_files import private_opener
from .records import insert_seed_rows
from .runtime import AppSpecError
from .seed import SeedError, read_seed_rows
from .seed_check import seed_error_problem
from .staff.tables import STAFF_METADATA, create_staff_tables
from .storage import META

if TYPE_CHECKING:
    from .runtime import AppRuntime
    from .spec.models import TableSpec

log = logging.getLogger("lowcode")


def database_url(instance_path: Path, configured: str | None) -> str:
    """DATABASE_URL when set (postgresql://… is used through psycopg 3), else SQLite in the instance folder."""
    if configured:
        if configured.startswith("postgres://"):
            configured = "postgresql://" + configured.removeprefix("postgres://")
        if configured.startswith("postgresql://"):
            configured = "postgresql+psycopg://" + configured.removeprefix("postgresql://")
        return configured
    return f"sqlite:///{instance_path / 'lowcode.sqlite3'}"


def make_db() -> SQLAlchemy:
    return SQLAlchemy(metadata=sa.MetaData(), session_options={"expire_on_commit": False})


def engine_options(url: str) -> dict[str, Any]:
    # hide_parameters: an error's text must not carry the values of the failed statement (residents' answers).
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 15}, "hide_parameters": True}
    # A bounded connect: a server that does not answer must not hold a request (or the start) for minutes.
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 5, "connect_args": {"connect_timeout": 5},
            "hide_parameters": True}


def configure_sqlite(engine: sa.Engine) -> None:
    """WAL lets readers and a writer work at once (several gunicorn workers); foreign keys are off by default."""

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()


@contextlib.contextmanager
def startup_lock(engine: sa.Engine, instance_path: Path) -> Iterator[None]:
    """One worker at a time creates and seeds tables; the others wait and then find the work done."""
    if engine.dialect.name == "postgresql":
        key = zlib.crc32(b"lowcode-startup")
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    instance_path.mkdir(parents=True, exist_ok=True)
    with open(instance_path / "startup.lock", "w", opener=private_opener) as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def prepare_database(
    engine: sa.Engine, metadata: sa.MetaData, runtimes: list[AppRuntime], instance_path: Path,
    before_seeding: Callable[[], None] = lambda: None,
    seed_failed: Callable[[AppRuntime, AppSpecError], None] | None = None,
) -> None:
    """Create missing tables and columns, then (after `before_seeding`, which builds services) load seed files.

    A seed file that cannot be read raises, or goes to `seed_failed` so that the other apps still start.
    """
    with startup_lock(engine, instance_path):
        META.create(engine, checkfirst=True)
        create_staff_tables(engine)  # accounts belong to the installation, like META
        add_missing_columns(engine, STAFF_METADATA)  # e.g. lowcode_users.email on a database made before it
        create_audit_table(engine)
        create_outbox_table(engine)
        create_import_jobs_table(engine)  # the staff import page's progress (lowcode/imports/progress.py)
        create_proposal_table(engine)
        create_migration_tables(engine)
        runtimes = hold_unmigrated(engine, runtimes, seed_failed)
        tables = [t for r in runtimes for s in r.stores.values() for t in [s.table]]
        metadata.create_all(engine, tables=tables)
        add_missing_columns(engine, metadata, tables)
        create_version_rows(engine, runtimes)
        record_served_apps(engine, [(r.name, r.spec) for r in runtimes])  # issue 13: types seen by the planner
        before_seeding()
        for runtime in runtimes:
            try:
                seed_tables(engine, runtime)
            except AppSpecError as exc:
                if seed_failed is None:
                    raise
                seed_failed(runtime, exc)


def hold_unmigrated(
    engine: sa.Engine, runtimes: list[AppRuntime], failed: Callable[[AppRuntime, AppSpecError], None] | None,
) -> list[AppRuntime]:
    """The apps whose database matches their YAML but for additions; the others go to `failed` (their maintenance
    page) untouched, or raise, until `lowcode migrate` (lowcode/migrations/) has been run."""
    held = unmigrated_apps(engine, runtimes)
    for runtime in runtimes:
        if runtime.name in held:
            error = AppSpecError(held[runtime.name])
            if failed is None:
                raise error
            failed(runtime, error)
    return [r for r in runtimes if r.name not in held]


def create_version_rows(engine: sa.Engine, runtimes: list[AppRuntime]) -> None:
    with engine.begin() as conn:
        for runtime in runtimes:
            for store in runtime.stores.values():
                store.create_version_row(conn)


def add_missing_columns(engine: sa.Engine, metadata: sa.MetaData, tables: list[sa.Table] | None = None) -> None:
    """Fields added to the YAML of a live app become new, empty columns; nothing is dropped or rewritten."""
    inspector = sa.inspect(engine)
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if tables is not None and table not in tables:
                continue
            existing = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in existing:
                    log.info("adding column %s.%s", table.name, column.name)
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(sa.text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}'))
            index_new_columns(conn, table, existing)


def index_new_columns(conn: sa.Connection, table: sa.Table, existing: set[str]) -> None:
    """The plain (not unique) indexes of columns just added, e.g. `assigned_to`: cheap on a column of NULLs. Unique
    ones are left to the city (`track_hash`: building one may fail or take long on a large table)."""
    for index in table.indexes:
        if not index.unique and all(column.name not in existing for column in index.columns):
            index.create(conn, checkfirst=True)


def seeding_order(tables: Mapping[str, TableSpec]) -> list[str]:
    """The tables a seed row may refer to before the tables that refer to them (a reference is a foreign key: demo
    help requests name demo 町会), else in the app's order; a cycle keeps the app's order for what is left."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting:
            return
        visiting.add(name)
        for field in tables[name].fields.values():
            if field.type == "reference" and field.to is not None and field.to in tables:
                visit(field.to)
        order.append(name)

    for name in tables:
        visit(name)
    return order


def seed_tables(engine: sa.Engine, runtime: AppRuntime) -> None:
    """Load each table's seed file once, the first time the app starts; a later deletion is not undone."""
    for name in seeding_order(runtime.spec.tables):
        table = runtime.spec.tables[name]
        if table.seed is None:
            continue
        key = f"seeded:{runtime.name}.{name}"
        with engine.begin() as conn:
            if conn.execute(sa.select(META.c.value).where(META.c.key == key)).first():
                continue
            try:
                bbox = usable_bounds(runtime.spec.service_area, runtime.folder)
                rows = read_seed_rows(table, table.seed, runtime.folder, name, bbox)
            except SeedError as exc:
                raise AppSpecError([seed_error_problem(runtime.app_file, runtime.shown_file, name, exc)]) from exc
            insert_seed_rows(runtime, conn, name, rows)  # derived, one version bump, in this transaction
            conn.execute(META.insert().values(key=key, value=str(len(rows))))
            log.info("seeded %s.%s with %d rows from %s", runtime.name, name, len(rows), table.seed.file)
