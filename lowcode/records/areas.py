"""Reading a table's `area` polygons as an audience may see them: the rows of a map's area layer (issue 11, Q2).

The same rows as a point layer of the table would give (the audience's row rule, the layer's `where:` and the
address's filters), with the area as stored. Polygons are few (districts, 町会) and each is read whole, so a `bbox`
is applied in Python to each polygon's bounding box after the read rather than in SQL.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ..audience import PUBLIC, Audience
from ..collector import collector_paused
from ..maps.geojson import area_meets_box
from ..references import visible_rows_clause
from ..runtime import AppRuntime
from ..spec.models import Condition

Bounds = tuple[float, float, float, float]


def query_areas(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, area: str, fields: Sequence[str] = (), *,
    conditions: Sequence[Condition] = (), bbox: Bounds | None = None, audience: Audience = PUBLIC, limit: int | None = None,
) -> list[dict[str, Any]]:
    """The rows with a polygon in `area` (meeting `bbox`, matching every condition) that the audience may see, with
    `fields`, in id order (the first `limit` of them)."""
    store = runtime.stores[table_name]
    names = list(dict.fromkeys([area, *fields]))
    clauses: list[Any] = [store.table.c[area].is_not(None), visible_rows_clause(runtime, table_name, audience)]
    for condition in conditions:
        clauses += store.conditions(condition)
    select = sa.select(*store.select_columns(names)).where(*clauses).order_by(store.table.c.id).limit(limit)
    with collector_paused(), engine.connect() as conn:
        records = store.to_records(conn.execute(select), names)
    drawn = [r for r in records if isinstance(r.get(area), dict)]  # a JSON null is no polygon
    return drawn if bbox is None else [r for r in drawn if area_meets_box(r[area], bbox)]
