"""The rows of one table that refer to given rows of another (a hazard's countermeasures), for an audience.

The print view lists them under each numbered point (`print_related:` on a map layer). The audience's rules apply
as everywhere: only rows it may see (the public's row rule: workflow statuses, the lists' and maps' `where:`), only
fields it may see, the titles of referenced rows as it may see them.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..audience import PUBLIC, Audience, grid_snapper
from ..collector import collector_paused
from ..references import visible_rows_clauses
from ..runtime import AppRuntime
from ..spec.models import Condition
from .queries import Titles, location_grids, reference_titles, snap_locations

# More related rows than this under one sheet's points would not fit on paper; the caller says how many were left out.
MAX_RELATED_ROWS = 2000


@dataclass
class RelatedRows:
    """Rows by the id of the row they refer to (in id order), the titles their reference fields name, and how many
    rows matched beyond the cap."""

    by_parent: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    titles: Titles = field(default_factory=dict)
    left_out: int = 0


def query_related(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, link: str, parent_ids: Collection[int],
    columns: Sequence[str], *, where: Condition | None = None, audience: Audience = PUBLIC,
) -> RelatedRows:
    """Rows of `table_name` whose reference field `link` names one of `parent_ids`, with the `columns` the
    audience may see. Nothing when the audience may not see `link` (which row a row belongs to is its value)."""
    table = runtime.spec.tables[table_name]
    if not parent_ids or not audience.can_see_field(table, link):
        return RelatedRows()
    store = runtime.stores[table_name]
    names = list(dict.fromkeys([link, *audience.only_visible(table, columns)]))
    clauses = [store.table.c[link].in_(sorted(parent_ids)), *store.conditions(where),
               *visible_rows_clauses(runtime, table_name, audience)]
    select = (sa.select(*store.select_columns(names)).where(*clauses).order_by(store.table.c.id)
              .limit(MAX_RELATED_ROWS + 1))
    snappers = {name: grid_snapper(m) for name, m in location_grids(runtime, table, names, audience).items()}
    with collector_paused(), engine.connect() as conn:
        rows = store.to_records(conn.execute(select), names)
        left_out = 0
        if len(rows) > MAX_RELATED_ROWS:
            count = sa.select(sa.func.count()).select_from(store.table).where(*clauses)
            left_out = int(conn.execute(count).scalar_one()) - MAX_RELATED_ROWS
            rows = rows[:MAX_RELATED_ROWS]
        rows = [snap_locations(row, snappers) for row in rows] if snappers else rows
        titles = reference_titles(runtime, table, names, rows, conn, audience)
    related = RelatedRows(titles=titles, left_out=left_out)
    for row in rows:
        related.by_parent.setdefault(int(row[link]), []).append(row)
    return related
