"""The counts behind a chart: one SQL aggregate (GROUP BY) per chart, over the rows the audience may see.

No row is loaded into Python: the database returns one line per group (a choice, a week, a month). A multichoice field
is counted in one line with a `SUM(CASE …)` per choice (a row counts under every choice it holds). Weeks and months
are cut by an expression both SQLite and PostgreSQL evaluate; date-times (stored as naive UTC) are first moved to the
city's time zone, so a report sent at 08:00 on 1 December in Kanazawa counts in December.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..runtime import AppRuntime
from ..spec.dashboards import CREATED_AT, ChartSpec, Period, chart_period, counts_every_choice, is_time_field
from ..values import SERVICE_TIME_ZONE

if TYPE_CHECKING:
    from ..storage import TableStore

# Sunday is "weekday 0" in SQLite: the next Sunday (or the day itself), six days back, is the week's Monday.
SQLITE_PERIOD_MODIFIERS = {"week": ("weekday 0", "-6 days"), "month": ("start of month",)}


@dataclass(frozen=True)
class GroupCount:
    """One group of a chart: its key as stored (a choice key, True/False, a period's first day, None), the rows in
    it and, for a share, how many of them are the part."""

    key: Any
    count: int
    part: int = 0


@dataclass(frozen=True)
class ChartCounts:
    """A chart's groups and the rows counted: their sum, except by a multichoice field, where a row holding three
    choices is in three groups."""

    groups: list[GroupCount]
    rows: int


def count_chart(runtime: AppRuntime, conn: sa.Connection, chart: ChartSpec, rows: Any) -> ChartCounts:
    """The chart's groups with their counts, over the rows `rows` (an SQL clause: the audience's row rule) selects."""
    store = runtime.stores[chart.table]
    table = store.table
    part = store.equals_any(chart.share.field, list(chart.share.in_)) if chart.share is not None else None
    counted: list[Any] = [sa.func.count()]
    if part is not None:
        counted.append(sa.func.coalesce(sa.func.sum(sa.case((part, 1), else_=0)), 0))
    where = [rows, *store.conditions(chart.where)]
    if counts_every_choice(store.spec, chart.by):
        return count_each_choice(store, conn, chart.by or "", where, part)
    if chart.by is None:
        line = conn.execute(sa.select(*counted).select_from(table).where(*where)).one()
        return ChartCounts([GroupCount(None, int(line[0]), int(line[1]) if part is not None else 0)], int(line[0]))
    group = group_expression(runtime, chart, conn.dialect.name)
    query = sa.select(group, *counted).select_from(table).where(*where).group_by(group)
    groups = [GroupCount(_key(runtime, chart, line[0]), int(line[1]), int(line[2]) if part is not None else 0)
              for line in conn.execute(query)]
    return ChartCounts(groups, sum(group.count for group in groups))


def count_each_choice(store: TableStore, conn: sa.Connection, name: str, where: list[Any], part: Any) -> ChartCounts:
    """A multichoice field's count per choice, in one line: `SUM(CASE WHEN it holds the key …)` for each choice (and,
    for a share, of the part among them), and the rows with nothing chosen (key None). "Holds" is the test `where:` and
    list filters use (`TableStore.equals_any`: the key in quotes inside the stored JSON list), so `snow` is never found
    inside `snow_plough`; the keys come from the YAML, never from a request. Nothing chosen: NULL, or a list without a
    single string (`[]`); a key no longer among the choices is in no bar."""
    column = store.table.c[name]
    keys = [choice.key for choice in store.spec.fields[name].choices or ()]
    holds: dict[str | None, Any] = {key: store.equals_any(name, [key]) for key in keys}
    holds[None] = sa.or_(column.is_(None), sa.not_(sa.cast(column, sa.Text).contains('"')))
    sums = [_count_where(clause) for clause in holds.values()]
    if part is not None:
        sums += [_count_where(sa.and_(clause, part)) for clause in holds.values()]
    line = conn.execute(sa.select(sa.func.count(), *sums).select_from(store.table).where(*where)).one()
    counts = line[1: len(holds) + 1]
    parts = line[len(holds) + 1:] if part is not None else [0] * len(holds)
    groups = [GroupCount(key, int(count or 0), int(share or 0)) for key, count, share in zip(holds, counts, parts)]
    return ChartCounts([g for g in groups if g.key is not None or g.count], int(line[0]))


def _count_where(clause: Any) -> Any:
    return sa.func.sum(sa.case((clause, 1), else_=0))


def group_expression(runtime: AppRuntime, chart: ChartSpec, dialect: str) -> Any:
    """The SQL a chart groups by: the field's column, or the first day of the row's week or month."""
    store = runtime.stores[chart.table]
    assert chart.by is not None
    column = store.table.c[chart.by]
    if not is_time_field(store.spec, chart.by):
        return column
    stored_utc = chart.by == CREATED_AT or store.spec.fields[chart.by].type == "datetime"
    return period_start(column, chart_period(chart), dialect, utc_offset_hours() if stored_utc else 0)


def period_start(column: Any, period: Period, dialect: str, shift_hours: int) -> Any:
    """The first day (a date) of the week (Monday) or month the value falls in, `shift_hours` after UTC.

    The words of the expression are constants (never a value from a request), written into the SQL as literals so
    that the GROUP BY repeats the SELECT's expression exactly, as PostgreSQL requires.
    """
    if dialect == "postgresql":
        shifted = column + sa.literal_column(f"interval '{int(shift_hours)} hours'") if shift_hours else column
        return sa.cast(sa.func.date_trunc(sa.literal_column(f"'{period}'"), shifted), sa.Date)
    modifiers = [f"{int(shift_hours):+d} hours"] if shift_hours else []
    modifiers += SQLITE_PERIOD_MODIFIERS[period]
    return sa.func.date(column, *(sa.literal_column(f"'{m}'") for m in modifiers))


def utc_offset_hours() -> int:
    """The city's offset from UTC (Japan keeps no summer time, so one number serves every date)."""
    offset = SERVICE_TIME_ZONE.utcoffset(dt.datetime(2000, 1, 1))
    return int(offset.total_seconds() // 3600) if offset is not None else 0


def _key(runtime: AppRuntime, chart: ChartSpec, value: Any) -> Any:
    """A group's key in Python terms: a period's first day as a date (SQLite answers with text)."""
    if value is None or not is_time_field(runtime.stores[chart.table].spec, chart.by):
        return value
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
