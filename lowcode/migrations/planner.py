"""Compare an app's YAML with its database and make the plan. Reads only: nothing is written here."""
from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..fields import field_type
from ..spec.models import AppSpec, FieldSpec, TableSpec
from ..storage import ASSIGNEE_COLUMN, build_table, sql_table_name
from ..tracking import TRACK_COLUMN
from .columns import NotConvertible, convert_value, family_of, needs_retype
from .field_types import FieldTypes, recorded_field_types, recorded_type
from .steps import (
    AddField,
    AddTable,
    ChangeType,
    Plan,
    RemoveField,
    RemoveTable,
    RenameField,
    RenameSuggestion,
    RenameTable,
    Step,
    UnknownChoices,
    UnknownRenameSource,
)
from .tables import ARCHIVE, WHOLE_ROW

ENGINE_COLUMNS = frozenset({"id", "ref", "created_at", "updated_at", TRACK_COLUMN, ASSIGNEE_COLUMN})
SHOWN_REFS = 20  # reference numbers named per type change; the count says how many more


@dataclass
class TablePlace:
    """Where a spec table's rows are now: its SQL name in the database (the old one when renamed), and columns."""

    name: str
    spec: TableSpec
    expected: sa.Table
    stored_name: str | None
    stored: dict[str, Any]  # column name → reflected type


def make_plan(conn: sa.Connection, app_name: str, spec: AppSpec, *, read_values: bool = True) -> Plan:
    """The plan; `read_values=False` (start-up) skips what needs every row read: counting values that would not
    convert, and choices no longer in the YAML. The steps are the same; their counts are then 0."""
    inspector = sa.inspect(conn)
    existing = set(inspector.get_table_names())
    expected = expected_tables(app_name, spec)
    plan = Plan(app_name)
    used: set[str] = set()
    recorded = recorded_field_types(conn, app_name)
    for name, table in spec.tables.items():
        place = locate_table(conn, inspector, existing, app_name, name, table, expected[name], plan)
        if place.stored_name is not None:
            used.add(place.stored_name)
            known = FieldsKnown(recorded, place.stored_name.removeprefix(f"{app_name}__"))
            plan_fields(conn, place, app_name, plan, conn.dialect.name != "sqlite", read_values, known)
    for stored_name in sorted(app_tables(existing, app_name) - used):
        rows = conn.execute(sa.select(sa.func.count()).select_from(sa.table(stored_name))).scalar_one()
        plan.steps.append(RemoveTable(stored_name.removeprefix(f"{app_name}__"), int(rows)))
    return plan


def expected_tables(app_name: str, spec: AppSpec) -> dict[str, sa.Table]:
    metadata = sa.MetaData()
    return {name: build_table(app_name, name, table, spec, metadata) for name, table in spec.tables.items()}


def app_tables(existing: set[str], app_name: str) -> set[str]:
    """The database tables of one app: `<app>__<table>` where the rest is a table name (not another app's `_x`)."""
    prefix = f"{app_name}__"
    return {t for t in existing if t.startswith(prefix) and t[len(prefix):][:1].isalpha()}


def locate_table(
    conn: sa.Connection, inspector: Any, existing: set[str], app_name: str, name: str, table: TableSpec, expected: sa.Table, plan: Plan,
) -> TablePlace:
    sql_name = sql_table_name(app_name, name)
    stored_name: str | None = sql_name if sql_name in existing else None
    if stored_name is None and table.renamed_from:
        old_sql = sql_table_name(app_name, table.renamed_from)
        if old_sql in existing:
            plan.steps.append(RenameTable(table.renamed_from, name))
            stored_name = old_sql
        else:
            gone = sorted(t.removeprefix(f"{app_name}__") for t in app_tables(existing, app_name))
            plan.steps.append(UnknownRenameSource(name, None, table.renamed_from, suggest(table.renamed_from, gone)))
    if stored_name is None:
        plan.steps.append(AddTable(name, archived_count(conn, app_name, name, WHOLE_ROW)))
        return TablePlace(name, table, expected, None, {})
    stored = {c["name"]: c["type"] for c in inspector.get_columns(stored_name)}
    return TablePlace(name, table, expected, stored_name, stored)


@dataclass(frozen=True)
class FieldsKnown:
    """The field types recorded for the stored table (`field_types.py`); None: no record, so no type is known."""

    recorded: FieldTypes | None
    stored_table: str

    def type_of(self, field: str) -> str | None:
        return recorded_type(self.recorded, self.stored_table, field)


def plan_fields(
    conn: sa.Connection, place: TablePlace, app_name: str, plan: Plan, enforces_lengths: bool, read_values: bool,
    known: FieldsKnown | None = None,
) -> None:
    claimed = set(ENGINE_COLUMNS)
    added: list[str] = []
    for name, field in place.spec.fields.items():
        columns = field_columns(place.expected, name, field)
        names = [c.name for c in columns]
        source = name
        if not all(n in place.stored for n in names):
            found = renamed_source(place, name, field, names, plan)
            if found is None:
                restored = archived_count(conn, app_name, place.name, name)
                plan.steps.append(AddField(place.name, name, restored))
                added.append(name)
                continue
            source = found
        source_names = [rename_column(n, name, source) for n in names]
        claimed.update(source_names)
        retyped = False
        for column, stored_column in zip(columns, source_names, strict=True):
            if needs_retype(place.stored[stored_column], column.type, enforces_lengths):
                plan.steps.append(type_change(conn, place, name, field, stored_column, column.type, read_values))
                retyped = True
                break
        old_type = known.type_of(source) if known is not None else None
        if not retyped and old_type is not None and old_type != field.type and len(columns) == 1:
            # Same kind of column (text → email, text → choice): no rewrite, but every value must still parse.
            plan.steps.append(type_change(conn, place, name, field, source_names[0], columns[0].type, read_values,
                                          old_type=old_type))
        if read_values and field.type in ("choice", "multichoice") and field.choices:
            plan_unknown_choices(conn, place, name, field, source, plan)
    removed = plan_removed_fields(conn, place, claimed, plan)
    suggest_renames(place, removed, added, plan)


def field_columns(table: sa.Table, name: str, field: FieldSpec) -> list[sa.Column[Any]]:
    """The columns a field is stored in, as its type says (a location is two; a plug-in type may have others)."""
    names = field_type(field.type).column_names(name)
    return [table.c[n] for n in names if n in table.c]


def rename_column(column: str, new: str, old: str) -> str:
    return old + column[len(new):]


def renamed_source(place: TablePlace, name: str, field: FieldSpec, names: list[str], plan: Plan) -> str | None:
    """The old field name whose columns hold this field's values, when `renamed_from:` says so and they exist."""
    old = field.renamed_from
    if old is None:
        return None
    if all(rename_column(n, name, old) in place.stored for n in names):
        plan.steps.append(RenameField(place.name, old, name))
        return old
    leftovers = sorted(set(stored_fields(place.stored)) - set(place.spec.fields))
    plan.steps.append(UnknownRenameSource(place.name, name, old, suggest(old, leftovers)))
    return None


def stored_fields(stored: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Field name → its columns, read from the database: `x_lon` with `x_lat` is one location field `x`."""
    fields: dict[str, tuple[str, ...]] = {}
    for column in stored:
        if column in ENGINE_COLUMNS:
            continue
        base = column[:-4]
        if column.endswith("_lon") and f"{base}_lat" in stored:
            fields[base] = (column, f"{base}_lat")
        elif column.endswith("_lat") and f"{base}_lon" in stored:
            continue
        else:
            fields[column] = (column,)
    return fields


def plan_removed_fields(conn: sa.Connection, place: TablePlace, claimed: set[str], plan: Plan) -> list[RemoveField]:
    removed = []
    assert place.stored_name is not None
    for name, columns in stored_fields(place.stored).items():
        if any(c in claimed for c in columns):
            continue
        present = sa.or_(*[sa.column(c).is_not(None) for c in columns])
        count = conn.execute(sa.select(sa.func.count()).select_from(sa.table(place.stored_name)).where(present))
        step = RemoveField(place.name, name, columns, int(count.scalar_one()))
        plan.steps.append(step)
        removed.append(step)
    return removed


def suggest_renames(place: TablePlace, removed: list[RemoveField], added: list[str], plan: Plan) -> None:
    """A field gone and a new one holding the same kind of value: probably a rename without `renamed_from:`."""
    for step in removed:
        old_families = [family_of(place.stored[c]) for c in step.columns]
        same_kind = [
            name for name in added
            if [family_of(c.type) for c in field_columns(place.expected, name, place.spec.fields[name])] == old_families
        ]
        if same_kind:
            best = max(same_kind, key=lambda n: difflib.SequenceMatcher(None, step.field, n).ratio())
            plan.steps.append(RenameSuggestion(place.name, step.field, best))


def type_change(
    conn: sa.Connection, place: TablePlace, name: str, field: FieldSpec, stored_column: str, wanted: Any,
    read_values: bool, *, old_type: str | None = None,
) -> ChangeType:
    """A ChangeType step with the rows whose value the new type refuses. `old_type` (the recorded field type) is
    given for a change within one kind of column: the column stays, only the values are checked."""
    assert place.stored_name is not None
    rewrite = old_type is None
    old_type = old_type or family_of(place.stored[stored_column])
    if not read_values:
        return ChangeType(place.name, name, old_type, field.type, -1, 0, rewrite=rewrite)
    family = family_of(wanted)
    column = sa.column(stored_column, place.stored[stored_column])
    query = sa.select(sa.column("ref"), column).select_from(sa.table(place.stored_name)).where(column.is_not(None))
    rows = bad = 0
    refs: list[str] = []
    for ref, value in conn.execute(query.order_by(sa.column("id"))):
        rows += 1
        try:
            convert_value(value, field, family)
        except NotConvertible:
            bad += 1
            if len(refs) < SHOWN_REFS:
                refs.append(ref)
    return ChangeType(place.name, name, old_type, field.type, rows, bad, tuple(refs), rewrite=rewrite)


def plan_unknown_choices(conn: sa.Connection, place: TablePlace, name: str, field: FieldSpec, source: str, plan: Plan) -> None:
    """Rows whose value is no longer a choice: the plan says how many per key (their values stay as they are)."""
    assert place.stored_name is not None
    keys = {c.key for c in field.choices or ()}
    column: sa.ColumnClause[Any] = sa.column(source)
    found: Counter[str] = Counter()
    query = sa.select(column).select_from(sa.table(place.stored_name)).where(column.is_not(None))
    for (value,) in conn.execute(query):
        for key in as_keys(value):
            if key not in keys:
                found[key] += 1
    if found:
        workflow = place.spec.workflow
        is_status = workflow is not None and workflow.field == name
        plan.steps.append(UnknownChoices(place.name, name, tuple(sorted(found.items())), is_status))


def as_keys(value: Any) -> list[str]:
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)  # a multichoice column read without its JSON type (SQLite text)
        except ValueError:
            return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def archived_count(conn: sa.Connection, app_name: str, table: str, field: str) -> int:
    where = (ARCHIVE.c.app == app_name, ARCHIVE.c.table_name == table, ARCHIVE.c.field == field)
    if not sa.inspect(conn).has_table(ARCHIVE.name):
        return 0
    return int(conn.execute(sa.select(sa.func.count()).select_from(ARCHIVE).where(*where)).scalar_one())


def suggest(word: str, options: list[str]) -> tuple[str, ...]:
    return tuple(difflib.get_close_matches(word, options, n=2, cutoff=0.5))


def sort_steps(steps: list[Step]) -> list[Step]:
    return sorted(steps, key=lambda s: s.order)
