"""What the staff queue and record pages read, for an account's roles (no Flask: the views format the answers).

API:
- `table_audience(table, audiences) -> Audience | None`: the role an account reads a table with: among its roles
  that may view it, one that may also see private fields first (an account holding two roles sees the most one
  of them allows; rows are not merged across roles: a scoped and an unscoped role → the unscoped one sees more).
- `queue_list(table_name, table, audience) -> ListSpec`: the queue as a list the records layer already knows how to
  read (records.query_page): newest first, the fields the role may see that fit in a cell, filters on every choice
  field it sees (the workflow's status included), search in its text fields.
- `status_counts(runtime, engine, table_name, audience) -> [(key, count)]`: rows per workflow status, in the
  workflow's order, for the rows the role may see.
- `transition_audience(app, table_name, row, new, audiences)`: the first of the account's roles that may take the
  transition from the row's status to `new` (None: refused).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from ..audience import Audience
from ..references import visible_rows_clause
from ..roles import find_transition
from ..runtime import AppRuntime
from ..spec.models import AppSpec, ListSpec, TableSpec

QUEUE_PAGE_SIZE = 50
QUEUE_COLUMNS = 6
NOT_IN_A_CELL = frozenset({"textarea", "area", "location", "image"})
SEARCHED_TYPES = frozenset({"text", "textarea", "email", "tel"})


def table_audience(table: TableSpec, audiences: Sequence[Audience]) -> Audience | None:
    seeing = [audience for audience in audiences if audience.may(table, "view")]
    private = [audience for audience in seeing if audience.may(table, "see_private")]
    chosen = private or seeing
    return chosen[0] if chosen else None


def queue_list(table_name: str, table: TableSpec, audience: Audience) -> ListSpec:
    seen = audience.visible_fields(table)
    columns = [n for n in seen if table.fields[n].type not in NOT_IN_A_CELL][:QUEUE_COLUMNS]
    status = table.workflow.field if table.workflow is not None else None
    if status in seen and status not in columns:
        columns.append(status)  # the queue is read by status: always a column
    filters = [n for n in seen if table.fields[n].type == "choice"]
    search = [n for n in seen if table.fields[n].type in SEARCHED_TYPES]
    return ListSpec(table=table_name, columns=columns, filters=filters, search=search, sort="-created_at",
                    page_size=QUEUE_PAGE_SIZE)


def status_counts(runtime: AppRuntime, engine: sa.Engine, table_name: str, audience: Audience) -> list[tuple[str, int]]:
    table = runtime.spec.tables[table_name]
    workflow = table.workflow
    if workflow is None or not audience.can_see_field(table, workflow.field):
        return []
    store = runtime.stores[table_name]
    column = store.table.c[workflow.field]
    query = (sa.select(column, sa.func.count()).where(visible_rows_clause(runtime, table_name, audience))
             .group_by(column))
    with engine.connect() as conn:
        found = {key: int(count) for key, count in conn.execute(query)}
    return [(choice.key, found.get(choice.key, 0)) for choice in table.fields[workflow.field].choices or ()]


def transition_audience(
    app: AppSpec, table_name: str, row: Mapping[str, Any], new: str, audiences: Sequence[Audience],
) -> Audience | None:
    workflow = app.tables[table_name].workflow
    if workflow is None:
        return None
    current = row.get(workflow.field)
    return next((a for a in audiences if find_transition(app, table_name, current, new, a) is not None), None)
