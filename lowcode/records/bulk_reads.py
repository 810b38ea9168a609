"""Reading every row a list's filters select, for an audience, in batches: what an export file is made of.

`query_page` reads one page of a list; `query_all_rows` reads all of them, with the same `where:`, row rule,
filters, search and sort (a staff queue's export holds exactly the rows its pages show, in the same order), plus
`conditions` (the command line's `--where`) and `clauses` (the queue's other filters). Rows come in batches of `BATCH_ROWS`, each with the titles of the
rows its reference fields name, so that 100,000 rows never sit in memory as records at once.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..audience import Audience, grid_snapper
from ..collector import collector_paused
from ..references import visible_rows_clauses
from ..runtime import AppRuntime
from ..spec.models import Condition, ListSpec
from .queries import (
    PageRequest,
    Titles,
    chosen_sort,
    filter_clauses,
    location_grids,
    reference_titles,
    search_clauses,
    snap_locations,
    sortable,
)

BATCH_ROWS = 1000
EXPORT_SYSTEM = ("id", "ref", "created_at")


@dataclass
class RowBatch:
    rows: list[dict[str, Any]]
    titles: Titles  # reference field → row id → the title the audience may see


def query_all_rows(
    runtime: AppRuntime, engine: sa.Engine, spec: ListSpec, wanted: PageRequest, audience: Audience,
    fields: Sequence[str], conditions: Sequence[Condition] = (), system: Sequence[str] = EXPORT_SYSTEM,
    clauses: Sequence[Any] = (),
) -> Iterator[RowBatch]:
    """Every row of `spec` that `wanted` selects and the audience may see, `fields` only (callers pass fields the
    audience sees), points as the audience may see them (the public's on their grid). `clauses`: more SQL a
    records-layer caller built, as `query_page` takes (the staff queue's assignee and area filters)."""
    table = runtime.spec.tables[spec.table]
    store = runtime.stores[spec.table]
    clauses = [*clauses, *store.conditions(spec.where), *visible_rows_clauses(runtime, spec.table, audience),
               *filter_clauses(store, spec, wanted.filters, audience),
               *(clause for condition in conditions for clause in store.conditions(condition))]
    searched, _ = search_clauses(runtime, store, spec, wanted.search, audience)
    sort = chosen_sort(spec, table, wanted.sort, sortable(table, audience))
    query = (sa.select(*store.select_columns(fields, system)).where(*clauses, *searched)
             .order_by(*store.order_by(sort)))
    snappers = {name: grid_snapper(m) for name, m in location_grids(runtime, table, fields, audience).items()}
    with collector_paused(), engine.connect() as conn:
        result = conn.execution_options(yield_per=BATCH_ROWS).execute(query)
        keys = list(result.keys())
        for partition in result.partitions():
            rows = store.mixed_records(keys, partition, fields)
            if snappers:
                rows = [snap_locations(row, snappers) for row in rows]
            yield RowBatch(rows, reference_titles(runtime, table, fields, rows, conn, audience))
