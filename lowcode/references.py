"""Titles of referenced rows, as an audience may see them: drop-down options, filter options, list cells, detail pages;
and the audience's row rule as SQL (`visible_rows_clause`), which uploads and the GeoJSON API use too.

Every place a reference names another row asks here, so a hidden row (a closed school, an unchecked report) or a
private title never reaches a public page through one channel that forgot.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from .audience import PUBLIC, Audience
from .runtime import AppRuntime
from .spec.models import Condition
from .storage import TableStore

REFERENCE_OPTION_LIMIT = 500


def visible_rows_clause(runtime: AppRuntime, table_name: str, audience: Audience = PUBLIC) -> Any:
    """SQL for the rows of `table_name` the audience may see (see `Audience.row_conditions`)."""
    rule = audience.row_conditions(runtime.spec, table_name)
    return rows_clause(runtime.stores[table_name], rule, audience.own_row_id(runtime.spec, table_name))


def visible_rows_clauses(runtime: AppRuntime, table_name: str, audience: Audience = PUBLIC) -> list[Any]:
    """`visible_rows_clause` as a list of clauses to AND, empty when the audience sees every row (so a list page
    of a table every reader sees all of adds nothing to its query)."""
    rule = audience.row_conditions(runtime.spec, table_name)
    if rule is None:
        return []
    return [rows_clause(runtime.stores[table_name], rule, audience.own_row_id(runtime.spec, table_name))]


def rows_clause(store: TableStore, rule: tuple[Condition, ...] | None, own_row_id: int | None = None) -> Any:
    """An audience's row rule as SQL: any of the `where:` mappings (None: every row; `()`: none), or its own row."""
    if rule is None:
        return sa.true()
    clauses = [sa.and_(*store.conditions(where)) for where in rule]
    if own_row_id is not None:
        clauses.append(store.table.c.id == own_row_id)
    return sa.or_(*clauses) if clauses else sa.false()


def _title_column(store: TableStore, audience: Audience) -> Any:
    title = audience.title_field(store.spec)
    return store.table.c[title] if title else store.table.c.id


def _title_order(store: TableStore, audience: Audience) -> list[Any]:
    """Title order: by the title's reading (あいうえお) where it has one (`reading:`), else by the title."""
    title = audience.title_field(store.spec)
    return store.sort_columns(title) if title else [store.table.c.id]


def reference_options(
    runtime: AppRuntime, table_name: str, conn: sa.Connection, audience: Audience = PUBLIC
) -> list[tuple[str, str]]:
    """(id, title) of the rows a reference to `table_name` may offer, in title order."""
    store = runtime.stores[table_name]
    column = _title_column(store, audience)
    query = (sa.select(store.table.c.id, column).where(visible_rows_clause(runtime, table_name, audience))
             .order_by(*_title_order(store, audience), store.table.c.id).limit(REFERENCE_OPTION_LIMIT))
    return [(str(row[0]), audience.row_title(row[0], row[1] if column is not store.table.c.id else None))
            for row in conn.execute(query)]


def titles_of_rows(
    runtime: AppRuntime, table_name: str, ids: Iterable[int | None], conn: sa.Connection, audience: Audience = PUBLIC
) -> dict[int, str]:
    """id → title for the given rows; rows the audience may not see are left out (shown as empty)."""
    wanted = set(ids) - {None}
    if not wanted:
        return {}
    store = runtime.stores[table_name]
    column = _title_column(store, audience)
    query = sa.select(store.table.c.id, column).where(
        store.table.c.id.in_(wanted), visible_rows_clause(runtime, table_name, audience)
    )
    return {row[0]: audience.row_title(row[0], row[1] if column is not store.table.c.id else None) for row in conn.execute(query)}


def reference_is_visible(
    runtime: AppRuntime, table_name: str, row_id: Any, conn: sa.Connection, audience: Audience = PUBLIC
) -> bool:
    """A submitted reference must name a row the form could offer: a hidden row's id is refused like a missing one."""
    table = runtime.stores[table_name].table
    query = sa.select(sa.literal(1)).where(table.c.id == row_id, visible_rows_clause(runtime, table_name, audience))
    return conn.execute(query.limit(1)).first() is not None


def photo_is_visible(runtime: AppRuntime, filename: str, conn: sa.Connection, audience: Audience = PUBLIC) -> bool:
    """A stored photo is served when the audience may see its field AND its row: a photo of a report its list
    does not show yet (or a staff-only photo) gives nothing away, whatever its name."""
    for table_name, store in runtime.stores.items():
        for name in audience.only_visible(store.spec, store.spec.fields):
            if store.spec.fields[name].type != "image":
                continue
            query = sa.select(sa.literal(1)).where(store.table.c[name] == filename,
                                                   visible_rows_clause(runtime, table_name, audience))
            if conn.execute(query.limit(1)).first() is not None:
                return True
    return False
