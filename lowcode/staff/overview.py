"""What the staff home shows: each table an account may view, with the number of rows it sees there."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..audience import Audience
from ..references import visible_rows_clause
from ..runtime import AppRuntime


@dataclass(frozen=True)
class TableCount:
    name: str
    count: int


def count_staff_tables(runtime: AppRuntime, engine: sa.Engine, audiences: list[Audience]) -> list[TableCount]:
    """The tables any of the account's roles may view, in YAML order, with the rows those roles see together."""
    counts = []
    with engine.connect() as conn:
        for name, table in runtime.spec.tables.items():
            seeing = [audience for audience in audiences if audience.access(table).view]
            if not seeing:
                continue
            rows = sa.or_(*(visible_rows_clause(runtime, name, audience) for audience in seeing))
            store = runtime.stores[name]
            total = conn.execute(sa.select(sa.func.count()).select_from(store.table).where(rows)).scalar_one()
            counts.append(TableCount(name, int(total)))
    return counts
