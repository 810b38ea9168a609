"""Assigning a workflow table's row to a staff member (kintone's 作業者): who may be named, the write, the queue filter.

A row of a table with a `workflow:` has the engine column `assigned_to` (a staff account's username, or NULL: nobody;
lowcode/storage.py). `assign` stores it and writes an `assign` entry to the audit log in the same transaction.

Who may assign: a role that may `edit` the table (an `all: true` role included), for rows it sees — assigning says who
works on a report, which is editing the office's side of it. Who may be named: an account, not disabled, holding in
the app a role that may view the table and whose row scope includes the row (a school's account only for its
school's reports). A name is kept as text: removing an account later leaves the name on its rows (the history of who
held them), and the queue's "nobody" filter does not then show them as free.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from .. import audit
from ..audience import Audience
from ..references import visible_rows_clause
from ..roles import app_roles, role_audience
from ..runtime import AppRuntime
from ..staff.tables import USER_ROLES, USERS
from ..storage import ASSIGNEE_COLUMN, utcnow
from .writes import RowNotFound

ANYONE, ME, NOBODY = "", "@me", "@nobody"  # the queue's `assignee=` values besides a username


class AssignNotAllowed(PermissionError):
    """The writer's role may not assign in this table (it may not `edit` it), or the table has no workflow."""


class NotAssignable(ValueError):
    """The account named may not be given the row: unknown, disabled, or none of its roles sees the row."""


def has_assignee(runtime: AppRuntime, table: str) -> bool:
    return runtime.spec.tables[table].workflow is not None


def may_assign(runtime: AppRuntime, table: str, audience: Audience) -> bool:
    return has_assignee(runtime, table) and audience.may(runtime.spec.tables[table], "edit")


def assign(
    runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, username: str | None, *, audience: Audience,
    actor: audit.Actor,
) -> str | None:
    """Give the row to `username` (None: to nobody); the name before. RowNotFound for a row `audience` may not see,
    AssignNotAllowed when it may not assign, NotAssignable for an account that may not be given this row."""
    if not may_assign(runtime, table, audience):
        raise AssignNotAllowed(f"{table}: {audience.name} may not assign rows")
    store = runtime.stores[table]
    column = store.table.c[ASSIGNEE_COLUMN]
    visible = sa.and_(store.table.c.id == row_id, visible_rows_clause(runtime, table, audience))
    with engine.begin() as conn:
        found = conn.execute(sa.select(column).where(visible)).first()
        if found is None:
            raise RowNotFound(f"{table} #{row_id}")
        before = found[0]
        if before == username:
            return before  # nothing changes (even for a holder no longer eligible): no write, no audit entry
        if username is not None and username not in eligible_in(conn, runtime, table, row_id):
            raise NotAssignable(f"{table} #{row_id}: {username} may not be given this row")
        conn.execute(store.table.update().where(visible).values({ASSIGNEE_COLUMN: username, "updated_at": utcnow()}))
        store.bump_version(conn)
        audit.record(conn, app=runtime.name, table=table, row_id=row_id, action="assign", actor=actor,
                     before={ASSIGNEE_COLUMN: before}, after={ASSIGNEE_COLUMN: username})
    return before


def query_assignee(runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int, audience: Audience) -> str | None:
    """Who the row is assigned to (None: nobody, or a row the audience may not see, or a table without workflow)."""
    if not has_assignee(runtime, table):
        return None
    store = runtime.stores[table]
    query = sa.select(store.table.c[ASSIGNEE_COLUMN]).where(store.table.c.id == row_id,
                                                              visible_rows_clause(runtime, table, audience))
    with engine.connect() as conn:
        return conn.execute(query).scalar()


def eligible_assignees(runtime: AppRuntime, engine: sa.Engine, table: str, row_id: int | None = None) -> list[str]:
    """The usernames a row (or, without `row_id`, some row) of `table` may be assigned to, sorted."""
    with engine.connect() as conn:
        return eligible_in(conn, runtime, table, row_id)


def eligible_in(conn: sa.Connection, runtime: AppRuntime, table: str, row_id: int | None) -> list[str]:
    spec = runtime.spec.tables[table]
    roles = app_roles(runtime.spec)
    query = (sa.select(USERS.c.username, USER_ROLES.c.role, USER_ROLES.c.scope_value)
             .join(USER_ROLES, USER_ROLES.c.user_id == USERS.c.id)
             .where(USER_ROLES.c.app == runtime.name, USERS.c.disabled.is_(False)))
    names: set[str] = set()
    seen: dict[tuple[str, Any], bool] = {}  # (role, scope value) → sees the row: one query per pair, not per account
    for username, role_name, scope_value in conn.execute(query):
        if username in names or role_name not in roles:
            continue  # a role removed from the YAML grants nothing
        key = (role_name, scope_value)
        if key not in seen:
            audience = role_audience(runtime.spec, role_name, scope_value)
            seen[key] = audience.may(spec, "view") and (row_id is None or row_visible(conn, runtime, table, row_id, audience))
        if seen[key]:
            names.add(username)
    return sorted(names)


def row_visible(conn: sa.Connection, runtime: AppRuntime, table: str, row_id: int, audience: Audience) -> bool:
    store = runtime.stores[table]
    query = sa.select(store.table.c.id).where(store.table.c.id == row_id, visible_rows_clause(runtime, table, audience))
    return conn.execute(query).first() is not None


def assignee_clauses(runtime: AppRuntime, table: str, wanted: str, me: str) -> Sequence[Any]:
    """The queue's `assignee=` filter as SQL: anyone (nothing), `@me` (`me`), `@nobody`, or a username."""
    if wanted == ANYONE or not has_assignee(runtime, table):
        return []
    column = runtime.stores[table].table.c[ASSIGNEE_COLUMN]
    if wanted == NOBODY:
        return [column.is_(None)]
    return [column == (me if wanted == ME else wanted)]


def query_refs(runtime: AppRuntime, engine: sa.Engine, table: str, ids: Sequence[int], audience: Audience) -> dict[int, str]:
    """id → reference number of those rows the audience sees (to name rows a bulk change did or skipped)."""
    if not ids:
        return {}
    store = runtime.stores[table]
    query = sa.select(store.table.c.id, store.table.c.ref).where(store.table.c.id.in_(list(ids)),
                                                                 visible_rows_clause(runtime, table, audience))
    with engine.connect() as conn:
        return {int(row_id): str(ref) for row_id, ref in conn.execute(query)}
