"""Titles of referenced rows, as an audience may see them: drop-down options, filter options, list cells, detail pages;
and the audience's row rule as SQL (`visible_rows_clause`), which uploads and the GeoJSON API use too.

Every place a reference names another row asks here, so a hidden row (a closed school, an unchecked report) or a
private title never reaches a public page through one channel that forgot.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .audience import PUBLIC, Audience
from .runtime import AppRuntime
from .spec.models import Condition
from .storage import TableStore

REFERENCE_OPTION_LIMIT = 500
SUGGESTION_LIMIT = 20


@dataclass(frozen=True)
class TypedReference:
    """A reference whose table holds more rows than a menu can (`REFERENCE_OPTION_LIMIT`): the form asks for the
    row's title in a text box, with suggestions from the JSON search as the person types. `title`: what the box
    shows (the chosen row's title, or the text as typed); `table`: the form's table; `staff`: a staff page's box,
    whose suggestions are the account's rows."""

    table: str
    title: str = ""
    staff: bool = False


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
    runtime: AppRuntime, table_name: str, conn: sa.Connection, audience: Audience = PUBLIC, limit: int | None = None,
) -> list[tuple[str, str]]:
    """(id, title) of the first `limit` rows (a menu's worth by default) a reference to `table_name` may offer, in
    title order."""
    store = runtime.stores[table_name]
    column = _title_column(store, audience)
    query = (sa.select(store.table.c.id, column).where(visible_rows_clause(runtime, table_name, audience))
             .order_by(*_title_order(store, audience), store.table.c.id)
             .limit(REFERENCE_OPTION_LIMIT if limit is None else limit))
    return [(str(row[0]), audience.row_title(row[0], row[1] if column is not store.table.c.id else None))
            for row in conn.execute(query)]


def menu_options(
    runtime: AppRuntime, table_name: str, conn: sa.Connection, audience: Audience = PUBLIC
) -> list[tuple[str, str]] | None:
    """A menu's options, or None when the audience sees more rows than a menu holds: one read of one row more
    tells both."""
    options = reference_options(runtime, table_name, conn, audience, REFERENCE_OPTION_LIMIT + 1)
    return options if len(options) <= REFERENCE_OPTION_LIMIT else None


def exceeds_option_limit(runtime: AppRuntime, table_name: str, conn: sa.Connection, audience: Audience = PUBLIC) -> bool:
    """Whether the audience sees more rows of `table_name` than a menu offers (counted up to one past the limit)."""
    table = runtime.stores[table_name].table
    visible = (sa.select(table.c.id).where(visible_rows_clause(runtime, table_name, audience))
               .limit(REFERENCE_OPTION_LIMIT + 1).subquery())
    return int(conn.execute(sa.select(sa.func.count()).select_from(visible)).scalar_one()) > REFERENCE_OPTION_LIMIT


def matching_titles(
    runtime: AppRuntime, table_name: str, text: str, conn: sa.Connection, audience: Audience = PUBLIC,
    limit: int = SUGGESTION_LIMIT,
) -> list[tuple[str, str]]:
    """(id, title) of at most `limit` rows the audience may see whose title contains `text` (any case), in title
    order: the suggestions of a typed reference. Without a title the audience may see, `#id` or the id matches."""
    store = runtime.stores[table_name]
    column = _title_column(store, audience)
    if column is store.table.c.id:
        number = text.strip().lstrip("#")
        match = store.table.c.id == int(number) if number.isdigit() and len(number) < 10 else sa.false()
    else:
        match = sa.func.lower(sa.cast(column, sa.Text)).contains(text.lower(), autoescape=True)
    query = (sa.select(store.table.c.id, column).where(match, visible_rows_clause(runtime, table_name, audience))
             .order_by(*_title_order(store, audience), store.table.c.id)
             .limit(REFERENCE_OPTION_LIMIT if limit is None else limit))
    return [(str(row[0]), audience.row_title(row[0], row[1] if column is not store.table.c.id else None))
            for row in conn.execute(query)]


def rows_titled(runtime: AppRuntime, table_name: str, title: str, conn: sa.Connection, audience: Audience = PUBLIC) -> list[int]:
    """The ids (two at most: one is the answer, two say "ambiguous") of rows the audience may see whose title, as
    the audience sees it, is exactly `title`."""
    store = runtime.stores[table_name]
    column = _title_column(store, audience)
    if column is store.table.c.id:
        return []
    query = (sa.select(store.table.c.id).where(sa.cast(column, sa.Text) == title,
                                               visible_rows_clause(runtime, table_name, audience))
             .order_by(store.table.c.id).limit(2))
    return [row[0] for row in conn.execute(query)]


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
