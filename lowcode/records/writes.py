"""Writing app rows: submit (a new row), update (some fields of a stored row), change_status, seed rows.

One way for every writer (a resident's form today; the staff pages, the importer, the API and the matcher later):
check the values (`checks`), derive the computed fields (`services.derive_values`), publish the row's photos
(`uploads`: pending → served), insert or update, all in one transaction in which `TableStore` bumps the table's
version. Failures of the database or the disk (OperationalError, OSError) are not caught: the caller keeps the
writer's input and answers 503.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..audience import PUBLIC, STAFF, Audience
from ..references import visible_rows_clause
from ..runtime import AppRuntime
from ..services import derive_values
from ..uploads import publish_photos, submitted_photos, withdraw_photos
from .checks import check_values, database_conflicts, taken_unique_values


class RowNotFound(LookupError):
    """No such row, or one the audience may not see (the same answer, so nothing leaks)."""


class FieldNotChangeable(PermissionError):
    """A field the audience may not change (or a derived one, which is computed): a caller's mistake, not input."""


@dataclass
class WriteResult:
    """A stored row's id and reference number (受付番号), or a message per refused field. Neither (not stored,
    no errors): the database refused the row for a reason no field can name."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    row_id: int | None = None
    ref: str | None = None

    @property
    def stored(self) -> bool:
        return self.row_id is not None


def submit(
    runtime: AppRuntime, engine: sa.Engine, table: str, values: Mapping[str, Any], *, lang: str,
    fields: Sequence[str] | None = None, known_errors: Mapping[str, str] | None = None,
    upload_dir: Path | None = None, audience: Audience = PUBLIC,
) -> WriteResult:
    """Check and store a new row of `table`.

    `fields` are the fields the writer answers (a form's; default: those in `values` and the required ones), `values` what
    it answered (photos by their pending name in `upload_dir`); fields it does not answer start with their default.
    `known_errors` are fields already refused while their text was read: nothing is stored, the others are checked
    too, so the writer sees every message at once. `audience` decides which rows a reference may name.
    """
    names = list(fields) if fields is not None else answered_fields(runtime, table, values)
    checked = check_values(runtime, table, values, names, lang, known_errors)
    result = WriteResult(values=checked.values, errors=checked.errors)
    if checked.ok:
        with photos_published(runtime, table, result, upload_dir):
            insert_checked(runtime, engine, table, result, audience)
    return result


def answered_fields(runtime: AppRuntime, table: str, values: Mapping[str, Any]) -> list[str]:
    """Without a form: the fields `values` names and every required one (missing, it is refused), in table order;
    derived fields are computed, never answered."""
    fields = runtime.spec.tables[table].fields
    return [name for name, spec in fields.items() if spec.derive is None and (name in values or spec.required)]


@contextlib.contextmanager
def photos_published(runtime: AppRuntime, table: str, result: WriteResult, upload_dir: Path | None) -> Iterator[None]:
    """The row's new photos move from pending to the served folder before it is written (a stored row never names
    a photo that is not served), and back when it is not stored, so the writer's retry still finds them."""
    photos = submitted_photos(runtime.stores[table].spec, result.values) if upload_dir is not None else []
    if upload_dir is not None:
        publish_photos(upload_dir, photos)
    try:
        yield
    finally:
        if upload_dir is not None and not result.stored:
            withdraw_photos(upload_dir, photos)


def insert_checked(runtime: AppRuntime, engine: sa.Engine, table: str, result: WriteResult, audience: Audience) -> None:
    """Insert checked values; a unique value taken meanwhile becomes a message on its field, and nothing is stored."""
    try:
        with engine.begin() as conn:
            conflicts = database_conflicts(runtime, table, result.values, conn, audience)
            if conflicts:
                result.errors.update(conflicts)
                return
            result.row_id, result.ref = runtime.stores[table].insert(conn, derive_values(runtime, table, result.values))
    except sa.exc.IntegrityError:
        result.row_id = result.ref = None  # another writer took a unique value between our check and the insert
        result.errors.update(taken_unique_values(runtime, table, result.values))


def update(
    runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, values: Mapping[str, Any], *,
    audience: Audience = STAFF, lang: str = "ja", upload_dir: Path | None = None,
) -> WriteResult:
    """Change some fields of one stored row: check the changed fields (`show_if` read against the whole row),
    derive the computed fields again, store, bump the version.

    Raises FieldNotChangeable for a field the audience may not change, RowNotFound for a row it may not see.
    """
    refused = [name for name in values if not audience.can_change_field(runtime.spec.tables[table], name, row_id)]
    if refused:
        raise FieldNotChangeable(f"{table}: {', '.join(sorted(refused))} may not be changed by {audience.name}")
    current = read_row(runtime, engine, table, row_id, audience)
    checked = check_values(runtime, table, {**current, **values}, list(values), lang, with_defaults=False)
    result = WriteResult(values=checked.values, errors=checked.errors)
    if checked.ok:
        with photos_published(runtime, table, result, upload_dir):
            update_checked(runtime, engine, table, row_id, current, result, audience)
    return result


def change_status(
    runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, field_name: str, key: str, *,
    audience: Audience = STAFF, lang: str = "ja",
) -> WriteResult:
    """Set a `choice` field (a report's status: received → in progress → done) to one of its keys.

    A thin wrapper over `update`, so the same checks, derivations and version bump apply; workflows (who may move
    a row from which status to which, issue 9) will add their rule here. ValueError when the field is no choice.
    """
    spec = runtime.spec.tables[table].fields.get(field_name)
    if spec is None or spec.type != "choice":
        raise ValueError(f"{table}.{field_name} is not a choice field")
    return update(runtime, engine, table, row_id, {field_name: key}, audience=audience, lang=lang)


def read_row(runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, audience: Audience) -> dict[str, Any]:
    """The stored row, when the audience may see it; with every field (its derivations need them all)."""
    store = runtime.stores[table]
    query = sa.select(store.table).where(store.table.c.id == row_id, visible_rows_clause(runtime, table, audience))
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        raise RowNotFound(f"{table} #{row_id}")
    return store.to_record(row)


def update_checked(
    runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, current: dict[str, Any], result: WriteResult,
    audience: Audience,
) -> None:
    store = runtime.stores[table]
    derived = {name for name, spec in store.spec.fields.items() if spec.derive is not None}
    try:
        with engine.begin() as conn:
            conflicts = database_conflicts(runtime, table, result.values, conn, audience, exclude_id=row_id)
            if conflicts:
                result.errors.update(conflicts)
                return
            whole = derive_values(runtime, table, {**current, **result.values})
            changes = {**result.values, **{name: whole.get(name) for name in derived}}
            if not store.update(conn, row_id, changes):
                raise RowNotFound(f"{table} #{row_id}")  # deleted between our read and the update
            result.row_id, result.ref = row_id, current.get("ref")
    except sa.exc.IntegrityError:
        result.row_id = result.ref = None
        result.errors.update(taken_unique_values(runtime, table, result.values))


def insert_seed_rows(runtime: AppRuntime, conn: sa.Connection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Seed rows (already parsed from the app's file): derived, inserted in the caller's transaction, one version
    bump. Not checked like a form: a seed file is the city's own data, refused by `lowcode validate` when unreadable."""
    runtime.stores[table].insert_many(conn, [derive_values(runtime, table, row) for row in rows])
