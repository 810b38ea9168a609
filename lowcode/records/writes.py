"""Writing app rows: submit (a new row), update (some fields of a stored row), change_status, seed rows.

One way for every writer (a resident's form today; the staff pages, the importer, the API and the matcher later):
check the values (`checks`), derive the computed fields (`services.derive_values`), publish the row's photos
(`uploads`: pending → served), insert or update, all in one transaction in which `TableStore` bumps the table's
version. Failures of the database or the disk (OperationalError, OSError) are not caught: the caller keeps the
writer's input and answers 503.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from .. import audit
from ..audience import PUBLIC, STAFF, Audience
from ..audit import RESIDENT, SYSTEM, Actor
from ..fields import field_type
from ..mail.notify import notify_new_submission, notify_transition
from ..messages import value_message
from ..references import visible_rows_clause
from ..runtime import AppRuntime
from ..seed import SEED_CREATED_AT
from ..services import derive_values
from ..storage import utcnow
from ..tracking import TRACK_COLUMN, new_token
from ..uploads import publish_photos, submitted_photos, withdraw_photos
from ..values import InvalidValue
from .checks import check_values, database_conflicts, taken_unique_values
from .workflow import is_status_field, missing_required, require_transition, seed_status, start_in_initial_status


class RowNotFound(LookupError):
    """No such row, or one the audience may not see (the same answer, so nothing leaks)."""


class FieldNotChangeable(PermissionError):
    """A field the audience may not change (or a derived one, which is computed): a caller's mistake, not input."""


class RowChanged(RuntimeError):
    """The row was written since the writer read it (`update(unchanged_since=…)`): nothing is stored."""


@dataclass
class WriteResult:
    """A stored row's id and reference number (受付番号), or a message per refused field. Neither (not stored,
    no errors): the database refused the row for a reason no field can name."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    row_id: int | None = None
    ref: str | None = None
    track_token: str | None = None  # a new row's private link (lowcode/tracking.py); only its digest is stored

    @property
    def stored(self) -> bool:
        return self.row_id is not None


def submit(
    runtime: AppRuntime, engine: sa.Engine, table: str, values: Mapping[str, Any], *, lang: str,
    fields: Sequence[str] | None = None, known_errors: Mapping[str, str] | None = None,
    upload_dir: Path | None = None, audience: Audience = PUBLIC, actor: Actor = RESIDENT,
) -> WriteResult:
    """Check and store a new row of `table`.

    `fields` are the fields the writer answers (a form's; default: those in `values` and the required ones), `values` what
    it answered (photos by their pending name in `upload_dir`); fields it does not answer start with their default.
    `known_errors` are fields already refused while their text was read: nothing is stored, the others are checked
    too, so the writer sees every message at once. `audience` decides which rows a reference may name. The audit
    log gets a `create` entry by `actor` in the insert's transaction.
    """
    names = list(fields) if fields is not None else answered_fields(runtime, table, values)
    checked = check_values(runtime, table, values, names, lang, known_errors)
    start_in_initial_status(runtime.spec.tables[table], checked.values, audience)
    keep_in_scope(runtime, table, checked.values, checked.errors, audience)
    result = WriteResult(values=checked.values, errors=checked.errors)
    if checked.ok:
        with photos_published(runtime, table, result, upload_dir):
            insert_checked(runtime, engine, table, result, audience, actor)
    return result


def keep_in_scope(runtime: AppRuntime, table: str, values: dict[str, Any], errors: dict[str, str], audience: Audience) -> None:
    """A scoped role's new row lies in its scope (a school's account reports for its own school), whatever was sent:
    otherwise it could store rows it may then never see."""
    spec = runtime.spec.tables[table]
    for name, account_value in (audience.access(spec).scope or {}).items():
        field_spec = spec.fields[name]
        try:
            values[name] = field_type(field_spec.type).parse_text(account_value, field_spec)
        except InvalidValue as exc:  # an account value the field cannot hold: say so on the field, store nothing
            errors[name] = value_message(exc.key, **exc.params)


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


def insert_checked(
    runtime: AppRuntime, engine: sa.Engine, table: str, result: WriteResult, audience: Audience, actor: Actor,
) -> None:
    """Insert checked values; a unique value taken meanwhile becomes a message on its field, and nothing is stored."""
    try:
        with engine.begin() as conn:
            conflicts = database_conflicts(runtime, table, result.values, conn, audience)
            if conflicts:
                result.errors.update(conflicts)
                return
            stored = derive_values(runtime, table, result.values)
            token, digest = new_token()
            result.row_id, result.ref = runtime.stores[table].insert(conn, stored, {TRACK_COLUMN: digest})
            audit.record(conn, app=runtime.name, table=table, row_id=result.row_id, action="create", actor=actor,
                         after=stored)
            row = {**stored, "id": result.row_id, "ref": result.ref, "created_at": utcnow()}
            notify_new_submission(conn, runtime, table, row)  # queued with the row, sent by the mail worker
            result.track_token = token
    except sa.exc.IntegrityError:
        result.row_id = result.ref = result.track_token = None  # a unique value was taken between check and insert
        result.errors.update(taken_unique_values(runtime, table, result.values))


def update(
    runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, values: Mapping[str, Any], *,
    audience: Audience = STAFF, lang: str = "ja", upload_dir: Path | None = None, actor: Actor = SYSTEM,
    unchanged_since: dt.datetime | None = None,
) -> WriteResult:
    """Change some fields of one stored row: check the changed fields (`show_if` read against the whole row),
    derive the computed fields again, store, bump the version.

    Raises FieldNotChangeable for a field the audience may not change, RowNotFound for a row it may not see,
    RowChanged when `unchanged_since` (the row's `updated_at` as the writer read it) is no longer its `updated_at`.
    A scoped role's row stays in its scope: a scope field it sends is set to the account's value (`keep_in_scope`).
    The audit log gets an `edit` entry (before/after of the fields that changed) in the update's transaction.
    A workflow's status changes only through `change_status` (its transitions): FieldNotChangeable here.
    """
    status = [name for name in values if is_status_field(runtime.spec.tables[table], name)]
    if status:
        raise FieldNotChangeable(f"{table}: {status[0]} is the workflow's status; change it with change_status")
    return apply_update(runtime, engine, table, row_id, values, audience=audience, lang=lang, upload_dir=upload_dir,
                        change=audit_change(actor, "edit"), unchanged_since=unchanged_since)


@dataclass(frozen=True)
class AuditChange:
    """How an update is written to the audit log: by whom, as which action, with which extra `after` keys."""

    actor: Actor
    action: str
    extra: Mapping[str, Any] = field(default_factory=dict)


def audit_change(actor: Actor, action: str, message: str | Mapping[str, str] | None = None) -> AuditChange:
    return AuditChange(actor, action, {audit.RESIDENT_MESSAGE: message} if message else {})


def apply_update(
    runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, values: Mapping[str, Any], *,
    audience: Audience, lang: str, upload_dir: Path | None, change: AuditChange, granted: frozenset[str] = frozenset(),
    unchanged_since: dt.datetime | None = None,
) -> WriteResult:
    """`update`'s work; `granted`: fields a workflow transition lets the audience set (its status, a reason)."""
    spec = runtime.spec.tables[table]
    refused = [name for name in values if name not in granted and not audience.can_change_field(spec, name, row_id)]
    if refused:
        raise FieldNotChangeable(f"{table}: {', '.join(sorted(refused))} may not be changed by {audience.name}")
    current = read_row(runtime, engine, table, row_id, audience)
    if unchanged_since is not None and current.get("updated_at") != unchanged_since:
        raise RowChanged(f"{table} #{row_id}")
    checked = check_values(runtime, table, {**current, **values}, list(values), lang, with_defaults=False)
    if any(name in values for name in audience.access(spec).scope or {}):
        keep_in_scope(runtime, table, checked.values, checked.errors, audience)  # never moved out of its scope
    result = WriteResult(values=checked.values, errors=checked.errors)
    if checked.ok:
        with photos_published(runtime, table, result, upload_dir):
            update_checked(runtime, engine, table, row_id, current, result, audience, change, unchanged_since)
    return result


def change_status(
    runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, field_name: str, key: str, *,
    audience: Audience = STAFF, lang: str = "ja", actor: Actor = SYSTEM, message: str | Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
) -> WriteResult:
    """Set a `choice` field (a report's status: received → in progress → done) to one of its keys.

    A thin wrapper over `update`, so the same checks, derivations and version bump apply; workflows (who may move
    a row from which status to which) apply to a workflow's field: `take_transition`. ValueError when the field is no choice.
    The audit log gets a `status` entry; `message` (to the resident) is kept in it under `audit.RESIDENT_MESSAGE`,
    where the resident's private link reads it.
    """
    spec = runtime.spec.tables[table].fields.get(field_name)
    if spec is None or spec.type != "choice":
        raise ValueError(f"{table}.{field_name} is not a choice field")
    if is_status_field(runtime.spec.tables[table], field_name):
        return take_transition(runtime, engine, table, row_id, key, audience=audience, lang=lang, actor=actor,
                               message=message, values=values or {})
    return apply_update(runtime, engine, table, row_id, {field_name: key}, audience=audience, lang=lang,
                        upload_dir=None, change=audit_change(actor, "status", message))


def take_transition(
    runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, key: str, *, audience: Audience, lang: str,
    actor: Actor, message: str | Mapping[str, str] | None, values: Mapping[str, Any],
) -> WriteResult:
    """A workflow's status change: the transition from the row's status to `key` the audience's role may take
    (TransitionNotAllowed otherwise), with its required fields (a message each when empty, nothing stored);
    `values` may set only those. The transition's `message:` (per language) goes to the resident unless
    `message` is given."""
    current = read_row(runtime, engine, table, row_id, audience)
    transition = require_transition(runtime.spec, table, current, key, audience)
    extra = set(values) - set(transition.require)
    if extra:
        raise FieldNotChangeable(f"{table}: {', '.join(sorted(extra))} is not required by this transition")
    spec = runtime.spec.tables[table]
    missing = missing_required(spec, transition, {**current, **values})
    changes = {spec.workflow.field: key, **values} if spec.workflow is not None else {}
    if missing:
        return WriteResult(values=changes, errors=missing)
    text = message or (transition.message.as_data() if transition.message is not None else None)
    return apply_update(runtime, engine, table, row_id, changes, audience=audience, lang=lang, upload_dir=None,
                        change=audit_change(actor, "status", text), granted=frozenset(changes))


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
    audience: Audience, change: AuditChange, unchanged_since: dt.datetime | None = None,
) -> None:
    store = runtime.stores[table]
    derived = {name for name, spec in store.spec.fields.items() if spec.derive is not None}
    try:
        with engine.begin() as conn:
            if unchanged_since is not None:
                ensure_unchanged(conn, store.table, row_id, unchanged_since)
            conflicts = database_conflicts(runtime, table, result.values, conn, audience, exclude_id=row_id)
            if conflicts:
                result.errors.update(conflicts)
                return
            whole = derive_values(runtime, table, {**current, **result.values})
            changes = {**result.values, **{name: whole.get(name) for name in derived}}
            if not store.update(conn, row_id, changes):
                raise RowNotFound(f"{table} #{row_id}")  # deleted between our read and the update
            result.row_id, result.ref = row_id, current.get("ref")
            record_update(conn, runtime, table, row_id, current, changes, result.values, change)
            message = change.extra.get(audit.RESIDENT_MESSAGE)
            if change.action == "status" and message:  # queued with the change: a crash loses both or neither
                tell_resident(conn, runtime, table, {**current, **changes}, message)
    except sa.exc.IntegrityError:
        result.row_id = result.ref = None
        result.errors.update(taken_unique_values(runtime, table, result.values))


def ensure_unchanged(conn: sa.Connection, table: sa.Table, row_id: int, unchanged_since: dt.datetime) -> None:
    """RowChanged unless the row still has the `updated_at` its writer read; the row is locked until the commit
    (PostgreSQL: FOR UPDATE; SQLite writes one transaction at a time), so no write slips in between."""
    query = sa.select(table.c.updated_at).where(table.c.id == row_id).with_for_update()
    if conn.execute(query).scalar() != unchanged_since:
        raise RowChanged(f"{table.name} #{row_id}")


def tell_resident(conn: sa.Connection, runtime: AppRuntime, table: str, row: Mapping[str, Any], message: Any) -> None:
    """Queue a status change's message for the resident; the new status is named only when it is public."""
    spec = runtime.spec.tables[table]
    status = row.get(spec.workflow.field) if spec.workflow is not None else None
    public = status if spec.workflow is not None and status in spec.workflow.public_statuses(spec) else None
    notify_transition(conn, runtime, table, row, message, status=public, lang=runtime.spec.default_language)


def record_update(
    conn: sa.Connection, runtime: AppRuntime, table: str, row_id: int, current: Mapping[str, Any],
    changes: Mapping[str, Any], asked: Mapping[str, Any], change: AuditChange,
) -> None:
    """Only the fields whose value changed, before and after (a status entry always names its field)."""
    always = asked if change.action == "status" else {}
    changed = [name for name, value in changes.items() if current.get(name) != value or name in always]
    audit.record(conn, app=runtime.name, table=table, row_id=row_id, action=change.action, actor=change.actor,
                 before={name: current.get(name) for name in changed},
                 after={**{name: changes[name] for name in changed}, **change.extra})


def insert_seed_rows(runtime: AppRuntime, conn: sa.Connection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Seed rows (already parsed from the app's file): derived, inserted in the caller's transaction, one version
    bump. Not checked like a form: a seed file is the city's own data, refused by `lowcode validate` when unreadable."""
    spec = runtime.spec.tables[table]
    made = [row.get(SEED_CREATED_AT) for row in rows]  # the file's own dates (`seed: created_at:`), else now
    values = [{k: v for k, v in row.items() if k != SEED_CREATED_AT} for row in rows]
    runtime.stores[table].insert_many(conn, [derive_values(runtime, table, seed_status(spec, row)) for row in values], made)
