"""A dashboard as people read it: each chart's groups with labels in the page's language, colours and shares.

The counts come from `query.count_chart`; here they get names (a choice's label, 2026年12月 / Dec 2026, the week of a
Monday), every choice appears even with no rows (a zero is news too), time runs without gaps, and long tails are
cut to keep a chart readable on a phone. The SVG (`svg.py`) and the data table both draw from the one `ChartView`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from babel.dates import format_skeleton

from ..audience import PUBLIC
from ..references import titles_of_rows
from ..runtime import AppRuntime
from ..spec.dashboards import (
    ChartSpec,
    DashboardSpec,
    Period,
    chart_kind,
    chart_period,
    counts_every_choice,
    is_time_field,
)
from ..spec.maps import COLOR_RE
from ..spec.models import TableSpec
from ..spec.workflow import publicly_shown_choices
from .query import ChartCounts, GroupCount, count_chart

# Okabe–Ito: told apart by people with any common colour vision; used where the choices name no colour.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D1F", "#555555")
MAX_GROUPS = 20  # more bars than a phone screen shows at once: the smallest are added up as "other"
MAX_PERIODS = 60  # five years of months; earlier periods are summed in the table's note


@dataclass(frozen=True)
class Group:
    label: str
    count: int
    color: str
    part: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.part / self.count if self.count else 0.0


@dataclass(frozen=True)
class ChartView:
    id: str
    title: str
    kind: str  # bar, line, share
    group_heading: str  # the data table's first column: the field's label, "Month", "Week"
    groups: list[Group]
    part_label: str = ""  # for a share: what the part is ("対応済み")
    note: str = ""  # periods left out at the start, a tail added up, a row counted in several bars
    rows: int | None = None  # the rows counted, when a row may count in several bars (a multichoice `by`)

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def largest(self) -> int:
        return max((group.count for group in self.groups), default=0)


@dataclass(frozen=True)
class Words:
    """The page's words for the charts (gettext, passed in so that this module needs no request)."""

    gettext: Callable[..., str]
    lang: str


def build_charts(runtime: AppRuntime, engine: sa.Engine, dashboard: DashboardSpec, rows_of: Callable[[str], Any],
                 words: Words, *, public: bool) -> list[ChartView]:
    """Every chart of the dashboard, counted in one connection; `rows_of(table)` is the audience's row rule."""
    with engine.connect() as conn:
        return [chart_view(runtime, chart, named_references(runtime, chart, count_chart(runtime, conn, chart, rows_of(chart.table)), conn),
                           words, f"chart-{index + 1}", public=public)
                for index, chart in enumerate(dashboard.charts)]


def named_references(runtime: AppRuntime, chart: ChartSpec, counts: ChartCounts, conn: sa.Connection) -> ChartCounts:
    """A count by a reference field (per school): each group keyed by the referenced row's title, as the public sees it.

    A row the public may not see keeps only its number (`#3`), so a staff-only table's titles never reach a page; two
    rows with the same title are told apart by their numbers.
    """
    field = runtime.spec.tables[chart.table].fields.get(chart.by or "")
    if field is None or field.type != "reference" or not field.to:
        return counts
    titles = titles_of_rows(runtime, field.to, [c.key for c in counts.groups if isinstance(c.key, int)], conn, PUBLIC)
    repeated = {t for t in titles.values() if list(titles.values()).count(t) > 1}

    def name(key: Any) -> Any:
        title = titles.get(key) if key is not None else None
        if key is None or not title:
            return None if key is None else f"#{key}"
        return f"{title} (#{key})" if title in repeated else title
    return ChartCounts([GroupCount(name(c.key), c.count, c.part) for c in counts.groups], counts.rows)


def chart_view(runtime: AppRuntime, chart: ChartSpec, counts: ChartCounts, words: Words, chart_id: str,
               *, public: bool) -> ChartView:
    table = runtime.spec.tables[chart.table]
    kind = chart_kind(chart, table)
    note, rows = "", None
    if chart.by is None:
        whole = counts.groups[0]
        groups = [Group(_table_label(runtime, chart.table, words), whole.count, PALETTE[0], whole.part)]
        heading = words.gettext("Rows")
    elif is_time_field(table, chart.by):
        groups, note = period_groups(counts.groups, chart_period(chart), words)
        heading = words.gettext("Week") if chart_period(chart) == "week" else words.gettext("Month")
    else:
        groups, note = _value_groups(runtime, table, chart.by, counts.groups, words, public=public)
        heading = _field_label(runtime, table, chart.by, words)
    if counts_every_choice(table, chart.by):
        rows = counts.rows
        note = " ".join(filter(None, [several_bars_note(rows, words), note]))
    return ChartView(chart_id, _title(runtime, chart, words), kind, heading, groups, _part_label(runtime, chart, words),
                     note, rows)


def several_bars_note(rows: int, words: Words) -> str:
    """Why the bars of a multichoice chart add up to more than the rows: said under the chart and in its table."""
    return words.gettext("A row counts in every bar of a choice it holds, so the bars can add up to more than the "
                         "%(count)s rows counted.", count=rows)


def _title(runtime: AppRuntime, chart: ChartSpec, words: Words) -> str:
    if chart.title is not None:
        return runtime.text(chart.title, words.lang)
    table_label = _table_label(runtime, chart.table, words)
    table = runtime.spec.tables[chart.table]
    if chart.share is not None and chart.by is None:
        return words.gettext("%(table)s: share %(part)s", table=table_label, part=_part_label(runtime, chart, words))
    if chart.by is None:
        return table_label
    if chart.share is not None:
        return words.gettext("%(table)s: share %(part)s by %(field)s", table=table_label,
                             part=_part_label(runtime, chart, words), field=_field_label(runtime, table, chart.by, words))
    if is_time_field(table, chart.by):
        per_week = chart_period(chart) == "week"
        return (words.gettext("%(table)s per week", table=table_label) if per_week
                else words.gettext("%(table)s per month", table=table_label))
    return words.gettext("%(table)s by %(field)s", table=table_label, field=_field_label(runtime, table, chart.by, words))


def _table_label(runtime: AppRuntime, name: str, words: Words) -> str:
    return runtime.text(runtime.spec.tables[name].label, words.lang, name)


def _field_label(runtime: AppRuntime, table: TableSpec, name: str, words: Words) -> str:
    if name not in table.fields:
        return words.gettext("Date received")  # created_at
    return runtime.text(table.fields[name].label, words.lang, name)


def _part_label(runtime: AppRuntime, chart: ChartSpec, words: Words) -> str:
    if chart.share is None:
        return ""
    table = runtime.spec.tables[chart.table]
    field = table.fields.get(chart.share.field)
    names = [_value_label(field, key, words) for key in chart.share.in_] if field is not None else list(chart.share.in_)
    return " / ".join(names)


def _value_label(field: Any, key: Any, words: Words) -> str:
    if key is None or key == "":
        return words.gettext("Not given")
    if field is not None and field.type == "boolean":
        yes = key is True or str(key).lower() in {"true", "yes", "1", "on"}
        return words.gettext("Yes") if yes else words.gettext("No")
    choice = field.choice(str(key)) if field is not None and field.choices else None
    return choice.text(words.lang) if choice is not None else str(key)


def _value_groups(runtime: AppRuntime, table: TableSpec, name: str, counts: list[GroupCount], words: Words,
                  *, public: bool) -> tuple[list[Group], str]:
    """Choices in their YAML order (every one, zeros too), then other values by count; None last."""
    field = table.fields[name]
    by_key = {_plain(count.key): count for count in counts}
    groups: list[Group] = []
    shown = publicly_shown_choices(table, name) if public else list(field.choices or ())
    for index, choice in enumerate(shown if field.type in ("choice", "multichoice") else ()):
        count = by_key.pop(choice.key, GroupCount(choice.key, 0))
        color = choice.color if choice.color and COLOR_RE.match(choice.color) else PALETTE[index % len(PALETTE)]
        groups.append(Group(choice.text(words.lang), count.count, color, count.part))
    missing = by_key.pop(None, None)
    rest = sorted(by_key.values(), key=lambda c: (-c.count, str(c.key)))
    for index, count in enumerate(rest, start=len(groups)):
        groups.append(Group(_value_label(field, count.key, words), count.count, PALETTE[index % len(PALETTE)], count.part))
    if missing is not None:
        groups.append(Group(words.gettext("Not given"), missing.count, "#767676", missing.part))
    return add_up_tail(groups, words)


def _plain(key: Any) -> Any:
    return key if key is None or isinstance(key, (bool, dt.date)) else str(key)


def add_up_tail(groups: list[Group], words: Words) -> tuple[list[Group], str]:
    if len(groups) <= MAX_GROUPS:
        return groups, ""
    kept, tail = groups[: MAX_GROUPS - 1], groups[MAX_GROUPS - 1:]
    other = Group(words.gettext("Other"), sum(g.count for g in tail), "#767676", sum(g.part for g in tail))
    return [*kept, other], words.gettext("%(count)s smaller groups are added up as “Other”.", count=len(tail))


def period_groups(counts: list[GroupCount], period: Period, words: Words) -> tuple[list[Group], str]:
    """Every week or month from the first with rows to the last, zeros included; at most MAX_PERIODS, the latest
    (a date mistyped as 0202 must not draw eighteen centuries of months)."""
    dated = {count.key: count for count in counts if count.key is not None}
    if not dated:
        return [], ""
    starts = period_starts(min(dated), max(dated), period, limit=MAX_PERIODS)
    note = ""
    earlier = sum(count.count for key, count in dated.items() if key < starts[0])
    if earlier:
        note = words.gettext("%(count)s rows before %(date)s are not shown.", count=earlier,
                             date=period_label(starts[0], period, words))
    groups = [Group(period_label(start, period, words), dated[start].count if start in dated else 0, PALETTE[0],
                    dated[start].part if start in dated else 0) for start in starts]
    return groups, note


def period_starts(first: dt.date, last: dt.date, period: Period, limit: int | None = None) -> list[dt.date]:
    """The first day of every period from `first`'s to `last`'s (both already period starts); with `limit`, only
    the latest `limit` of them."""
    starts, day = [last], last
    while day > first and (limit is None or len(starts) < limit):
        # Aligned period starts: the one before `day` is still >= `first`, so it never leaves the calendar.
        day = day - dt.timedelta(days=7) if period == "week" else _previous_month(day)
        starts.append(day)
    return starts[::-1]


def _previous_month(day: dt.date) -> dt.date:
    return dt.date(day.year - 1, 12, 1) if day.month == 1 else dt.date(day.year, day.month - 1, 1)


def period_label(start: dt.date, period: Period, words: Words) -> str:
    """2026年12月 / Dec 2026; a week by its Monday: 2026/12/7〜 / Week of 12/7/2026."""
    if period == "month":
        return format_skeleton("yMMM", start, locale=words.lang)
    return words.gettext("Week of %(date)s", date=format_skeleton("yMd", start, locale=words.lang))
