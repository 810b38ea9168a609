"""Apply a plan in one transaction with Alembic's operations (batch mode on SQLite, which rebuilds tables).

Every step runs on one connection inside one transaction: a failure, or the process being killed, leaves the
database as it was. Values leave a table only into the archive (lowcode_archive), in the same transaction.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from ..spec.models import AppSpec
from ..storage import META, sql_table_name, utcnow
from .columns import NotConvertible, convert_value, family_of, from_json, to_json
from .field_types import record_field_types
from .planner import expected_tables, field_columns
from .steps import (
    AddField,
    AddTable,
    ChangeType,
    Plan,
    RemoveField,
    RemoveTable,
    RenameField,
    RenameTable,
    Step,
)
from .tables import ARCHIVE, MIGRATIONS, WHOLE_ROW, create_migration_tables

T = TypeVar("T")
# A progress bar around an iterable of rows: (rows, how many, label) → the same rows. The CLI passes click's.
Progress = Callable[[Iterable[Any], int, str], contextlib.AbstractContextManager[Iterable[Any]]]
# Test hook: seconds to wait after the first step (a test kills the process then: the database must be unchanged).
PAUSE_VARIABLE = "LOWCODE_MIGRATE_PAUSE_AFTER_STEP"
NEW_SUFFIX = "__lc_new"
CHUNK = 1000  # rows per executemany


class Refused(Exception):
    """The plan would lose values (rows that do not convert) and was not forced."""


@contextlib.contextmanager
def no_progress(rows: Iterable[Any], _length: int, _label: str) -> Iterator[Iterable[Any]]:
    yield rows


def migration_engine(url: str) -> sa.Engine:
    """An engine whose transactions include DDL on SQLite too (Python's sqlite3 commits before DDL by itself),
    with foreign-key actions off while tables are rebuilt (a rebuilt table would otherwise null references)."""
    engine = sa.create_engine(url, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            dbapi_connection.execute("PRAGMA busy_timeout=15000")

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
    return engine


def apply_plan(
    engine: sa.Engine, app_name: str, spec: AppSpec, plan: Plan, spec_text: bytes, *,
    force: bool = False, progress: Progress = no_progress,
) -> None:
    if plan.unconvertible and not force:
        raise Refused(", ".join(f"{s.table}.{s.field}" for s in plan.unconvertible))
    create_migration_tables(engine)
    META.create(engine, checkfirst=True)  # a database no server has started on yet
    with engine.begin() as conn:
        migration = Migration(conn, app_name, spec, progress)
        for index, step in enumerate(plan.changes):
            migration.apply(step)
            if index == 0:
                pause_for_test()
        conn.execute(MIGRATIONS.insert().values(
            app=app_name, applied_at=utcnow(), spec_hash=hashlib.sha256(spec_text).hexdigest(),
            steps=json.dumps(plan.as_json(), ensure_ascii=False),
        ))
        record_field_types(conn, app_name, spec)  # the types this database is now made for


def pause_for_test() -> None:
    seconds = os.environ.get(PAUSE_VARIABLE)
    if seconds:
        print(f"lowcode migrate: first step done, pausing {seconds} s", flush=True)  # the test waits for this line
        time.sleep(float(seconds))


class Migration:
    def __init__(self, conn: sa.Connection, app_name: str, spec: AppSpec, progress: Progress) -> None:
        self.conn = conn
        self.app = app_name
        self.spec = spec
        self.progress = progress
        self.op = Operations(MigrationContext.configure(conn))
        self.expected = expected_tables(app_name, spec)
        self.archived: list[dict[str, Any]] = []
        self.batch_mode: Literal["auto", "never"] = "auto" if conn.dialect.name == "sqlite" else "never"

    def apply(self, step: Step) -> None:
        handler = getattr(self, f"apply_{type(step).__name__}")
        handler(step)

    def sql(self, table: str) -> str:
        return sql_table_name(self.app, table)

    def batch(self, table: str) -> Any:
        return self.op.batch_alter_table(self.sql(table), recreate=self.batch_mode)

    def apply_RenameTable(self, step: RenameTable) -> None:
        old, new = self.sql(step.old), self.sql(step.new)
        self.op.rename_table(old, new)
        for prefix, before, after in (("version:", old, new), ("seeded:", f"{self.app}.{step.old}", f"{self.app}.{step.new}")):
            self.conn.execute(META.update().where(META.c.key == prefix + before).values(key=prefix + after))
        where = (ARCHIVE.c.app == self.app, ARCHIVE.c.table_name == step.old)
        self.conn.execute(ARCHIVE.update().where(*where).values(table_name=step.new))

    def apply_RenameField(self, step: RenameField) -> None:
        columns = self.field_columns(step.table, step.new)
        with self.batch(step.table) as batch:
            for column in columns:
                batch.alter_column(step.old + column.name[len(step.new):], new_column_name=column.name)

    def apply_ChangeType(self, step: ChangeType) -> None:
        """A new column of the new type beside the old one, filled row by row, then put in the old one's place."""
        if not step.rewrite:
            self.check_values_in_place(step)
            return
        (column,) = self.field_columns(step.table, step.field)
        spec = self.spec.tables[step.table].fields[step.field]
        temporary = column.name + NEW_SUFFIX
        self.op.add_column(self.sql(step.table), sa.Column(temporary, column.type, nullable=True))
        table = self.reflect(step.table)
        family = family_of(column.type)
        rows = self.conn.execute(sa.select(table.c.id, table.c.ref, table.c[column.name]).where(
            table.c[column.name].is_not(None)).order_by(table.c.id)).all()
        update = table.update().where(table.c.id == sa.bindparam("b_id")).values({temporary: sa.bindparam("b_value")})
        converted: list[dict[str, Any]] = []
        with self.progress(rows, len(rows), f"{step.table}.{step.field}") as shown:
            for row_id, ref, value in shown:
                try:
                    converted.append({"b_id": row_id, "b_value": convert_value(value, spec, family)})
                except NotConvertible:
                    self.archive(step.table, row_id, ref, step.field, {column.name: value}, table)
                if len(converted) >= CHUNK:  # one executemany per chunk: 100,000 single UPDATEs took minutes
                    self.conn.execute(update, converted)
                    converted = []
        if converted:
            self.conn.execute(update, converted)
        self.flush_archive()
        self.drop_indexes_on(step.table, [column.name])
        with self.batch(step.table) as batch:
            batch.drop_column(column.name)
        with self.batch(step.table) as batch:  # apart: SQLite's rebuild cannot drop and take a name in one go
            batch.alter_column(temporary, new_column_name=column.name)
        if column.index:
            self.op.create_index(f"ix_{self.sql(step.table)}_{column.name}", self.sql(step.table), [column.name])

    def check_values_in_place(self, step: ChangeType) -> None:
        """A new type in the same kind of column (text → email): the column stays; each value is stored as the new
        type reads it (a postal code with its hyphen), and one it refuses goes to the archive, the field emptied."""
        (column,) = self.field_columns(step.table, step.field)
        spec = self.spec.tables[step.table].fields[step.field]
        table = self.reflect(step.table)
        family = family_of(column.type)
        rows = self.conn.execute(sa.select(table.c.id, table.c.ref, table.c[column.name]).where(
            table.c[column.name].is_not(None)).order_by(table.c.id)).all()
        written = self.expected[step.table]  # the field's own column type (JSON written as JSON on SQLite too)
        update = written.update().where(written.c.id == sa.bindparam("b_id")).values({column.name: sa.bindparam("b_value")})
        changed: list[dict[str, Any]] = []
        emptied: list[int] = []
        with self.progress(rows, len(rows), f"{step.table}.{step.field}") as shown:
            for row_id, ref, value in shown:
                try:
                    converted = convert_value(value, spec, family)
                except NotConvertible:
                    self.archive(step.table, row_id, ref, step.field, {column.name: value}, table)
                    emptied.append(row_id)
                    continue
                if converted is None:
                    emptied.append(row_id)
                elif converted != value:
                    changed.append({"b_id": row_id, "b_value": converted})
                if len(changed) >= CHUNK:
                    self.conn.execute(update, changed)
                    changed = []
        if changed:
            self.conn.execute(update, changed)
        for start in range(0, len(emptied), CHUNK):  # SQL NULL, not JSON null
            chunk = emptied[start:start + CHUNK]
            self.conn.execute(written.update().where(written.c.id.in_(chunk)).values({column.name: sa.null()}))
        self.flush_archive()

    def apply_RemoveField(self, step: RemoveField) -> None:
        table = self.reflect(step.table)
        present = sa.or_(*[table.c[c].is_not(None) for c in step.columns])
        query = sa.select(table.c.id, table.c.ref, *[table.c[c] for c in step.columns]).where(present)
        rows = self.conn.execute(query.order_by(table.c.id)).all()
        with self.progress(rows, len(rows), f"{step.table}.{step.field}") as shown:
            for row in shown:
                values = dict(zip(step.columns, row[2:], strict=True))
                self.archive(step.table, row[0], row[1], step.field, values, table)
        self.flush_archive()
        self.drop_indexes_on(step.table, step.columns)
        with self.batch(step.table) as batch:
            for name in step.columns:
                batch.drop_column(name)

    def apply_RemoveTable(self, step: RemoveTable) -> None:
        table = self.reflect(step.table)
        rows = self.conn.execute(sa.select(table).order_by(table.c.id)).mappings().all()
        with self.progress(rows, len(rows), step.table) as shown:
            for row in shown:
                self.archive(step.table, row["id"], row.get("ref"), WHOLE_ROW, dict(row), table)
        self.flush_archive()
        if self.conn.dialect.name == "postgresql":  # references from other removed tables go with it
            self.op.execute(sa.text(f'DROP TABLE "{self.sql(step.table)}" CASCADE'))
        else:
            self.op.drop_table(self.sql(step.table))
        self.conn.execute(META.delete().where(META.c.key == f"version:{self.sql(step.table)}"))

    def apply_AddTable(self, step: AddTable) -> None:
        table = self.expected[step.table]
        table.metadata.create_all(self.conn, tables=[table])
        if step.restored:
            self.restore_rows(step.table, table)

    def restore_rows(self, table_name: str, table: sa.Table) -> None:
        """A removed table's archived rows go back with their ids and reference numbers (links to them work again);
        a row with a value that no longer fits its field stays archived, whole."""
        fields = self.spec.tables[table_name].fields
        where = (ARCHIVE.c.app == self.app, ARCHIVE.c.table_name == table_name, ARCHIVE.c.field == WHOLE_ROW)
        archived = self.conn.execute(sa.select(ARCHIVE.c.id, ARCHIVE.c.value).where(*where).order_by(ARCHIVE.c.row_id)).all()
        rows, done = [], []
        with self.progress(archived, len(archived), table_name) as shown:
            for archive_id, text in shown:
                row = restored_row(json.loads(text), table, fields)
                if row is not None:
                    rows.append(row)
                    done.append(archive_id)
        for start in range(0, len(rows), CHUNK):
            self.conn.execute(table.insert(), rows[start:start + CHUNK])
            self.conn.execute(ARCHIVE.delete().where(ARCHIVE.c.id.in_(done[start:start + CHUNK])))
        if rows and self.conn.dialect.name == "postgresql":  # the next new row's id follows the restored ones
            self.conn.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                      f'(SELECT max(id) FROM "{table.name}"))'))

    def apply_AddField(self, step: AddField) -> None:
        for column in self.field_columns(step.table, step.field):
            self.op.add_column(self.sql(step.table), sa.Column(column.name, column.type, nullable=True))
            if column.index:
                self.op.create_index(f"ix_{self.sql(step.table)}_{column.name}", self.sql(step.table), [column.name])
        if step.restored:
            self.restore(step.table, step.field)

    def restore(self, table_name: str, field_name: str) -> None:
        """Archived values of a field of this name go back to their rows (by id); what no longer fits stays archived."""
        spec = self.spec.tables[table_name].fields[field_name]
        columns = {c.name: c for c in self.field_columns(table_name, field_name)}
        table = self.reflect(table_name)
        where = (ARCHIVE.c.app == self.app, ARCHIVE.c.table_name == table_name, ARCHIVE.c.field == field_name)
        archived = self.conn.execute(sa.select(ARCHIVE.c.id, ARCHIVE.c.row_id, ARCHIVE.c.value).where(*where)).all()
        with self.progress(archived, len(archived), f"{table_name}.{field_name}") as shown:
            for archive_id, row_id, text in shown:
                values = restored_values(json.loads(text), columns, spec)
                if values is None:
                    continue
                if self.conn.execute(table.update().where(table.c.id == row_id).values(values)).rowcount:
                    self.conn.execute(ARCHIVE.delete().where(ARCHIVE.c.id == archive_id))

    def archive(self, table_name: str, row_id: int, ref: str | None, field: str, values: dict[str, Any], table: sa.Table) -> None:
        """Queue one row's values for the archive (written by flush_archive, in chunks)."""
        stored = {name: [family_of(table.c[name].type), to_json(value)] for name, value in values.items()}
        self.archived.append({
            "app": self.app, "table_name": table_name, "row_id": row_id, "ref": ref, "field": field,
            "value": json.dumps(stored, ensure_ascii=False, default=str), "archived_at": utcnow(),
        })
        if len(self.archived) >= CHUNK:
            self.flush_archive()

    def flush_archive(self) -> None:
        if self.archived:
            self.conn.execute(ARCHIVE.insert(), self.archived)
            self.archived = []

    def drop_indexes_on(self, table_name: str, columns: Iterable[str]) -> None:
        """Indexes on columns about to go (SQLite's rebuild would try to make them again, on nothing)."""
        going = set(columns)
        for index in sa.inspect(self.conn).get_indexes(self.sql(table_name)):
            if going & set(index["column_names"]) and index["name"]:
                self.op.drop_index(index["name"], table_name=self.sql(table_name))

    def field_columns(self, table_name: str, field_name: str) -> list[sa.Column[Any]]:
        return field_columns(self.expected[table_name], field_name, self.spec.tables[table_name].fields[field_name])

    def reflect(self, table_name: str) -> sa.Table:
        return sa.Table(self.sql(table_name), sa.MetaData(), autoload_with=self.conn)


def restored_values(stored: dict[str, list[Any]], columns: dict[str, sa.Column[Any]], spec: Any) -> dict[str, Any] | None:
    """The columns to write back, or None when the archived value does not fit the field as it is now."""
    if set(stored) != set(columns):
        return None
    values = {}
    for name, (family, value) in stored.items():
        wanted = family_of(columns[name].type)
        try:
            plain = from_json(family, value)
            values[name] = plain if family == wanted else convert_value(plain, spec, wanted)
        except (NotConvertible, ValueError):
            return None
    return values


def restored_row(stored: dict[str, list[Any]], table: sa.Table, fields: dict[str, Any]) -> dict[str, Any] | None:
    """The columns of `table` from an archived whole row, or None when some value does not fit its field now."""
    row = {}
    for column in table.columns:
        if column.name not in stored:
            continue  # a field added since: empty, as in any older row
        family, value = stored[column.name]
        wanted = family_of(column.type)
        try:
            plain = from_json(family, value)
            if family != wanted:
                spec = fields.get(column.name) or fields.get(column.name[:-4])
                if spec is None:
                    return None
                plain = convert_value(plain, spec, wanted)
        except (NotConvertible, ValueError):
            return None
        row[column.name] = plain
    return row


def backup_sqlite(url: str, instance: Path) -> Path | None:
    """A copy of the SQLite file in the instance folder (private, like the database), named by the time, 0600, made
    with SQLite's backup API so that a WAL database is copied whole. None for other databases (their own tools)."""
    import sqlite3

    path = sa.engine.make_url(url).database
    if not url.startswith("sqlite") or not path or not Path(path).exists():
        return None
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    target = instance / f"{Path(path).name}.before-migrate-{stamp}"
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    with contextlib.closing(sqlite3.connect(path)) as source, contextlib.closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    target.chmod(0o600)
    return target
