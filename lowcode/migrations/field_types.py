"""The field types a database was last made for, so that the planner sees a type change the columns do not show.

`text` → `email`, `text` → `choice` or `text` → `phone` keep the same column, so comparing columns finds nothing;
the types are therefore recorded in `lowcode_meta` under `field_types:<app>` as JSON `{table: {field: type}}`.
They are written when the database is known to match the YAML: at the end of an applied plan (in its
transaction) and at start-up for each app that is served (its plan had nothing but additions). A database without
the record (made before it existed) gets none of these steps: no record, no guess, so no false plan.
"""
from __future__ import annotations

import json
from collections.abc import Iterable

import sqlalchemy as sa

from ..spec.models import AppSpec
from ..storage import META

KEY_PREFIX = "field_types:"
FieldTypes = dict[str, dict[str, str]]


def spec_field_types(spec: AppSpec) -> FieldTypes:
    return {name: {field: f.type for field, f in table.fields.items()} for name, table in spec.tables.items()}


def recorded_field_types(conn: sa.Connection, app_name: str) -> FieldTypes | None:
    """The recorded types, or None when there is no (readable) record."""
    if not sa.inspect(conn).has_table(META.name):
        return None
    text = conn.execute(sa.select(META.c.value).where(META.c.key == KEY_PREFIX + app_name)).scalar_one_or_none()
    try:
        found = json.loads(text) if text is not None else None
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def record_field_types(conn: sa.Connection, app_name: str, spec: AppSpec) -> None:
    """Write the spec's types for the app (only when they differ from the record: start-up runs this each time)."""
    types = spec_field_types(spec)
    recorded = recorded_field_types(conn, app_name)
    if recorded == types:
        return
    text = json.dumps(types, ensure_ascii=False, sort_keys=True)
    if recorded is None and conn.execute(sa.select(META.c.key).where(META.c.key == KEY_PREFIX + app_name)).first() is None:
        conn.execute(META.insert().values(key=KEY_PREFIX + app_name, value=text))
    else:
        conn.execute(META.update().where(META.c.key == KEY_PREFIX + app_name).values(value=text))


def record_served_apps(engine: sa.Engine, apps: Iterable[tuple[str, AppSpec]]) -> None:
    """At start-up, for the apps being served (their database matches their YAML but for additions)."""
    with engine.begin() as conn:
        for app_name, spec in apps:
            record_field_types(conn, app_name, spec)


def recorded_type(recorded: FieldTypes | None, table: str, field: str) -> str | None:
    if recorded is None:
        return None
    fields = recorded.get(table)
    kind = fields.get(field) if isinstance(fields, dict) else None
    return kind if isinstance(kind, str) else None
