"""Turning counts into what a chart shows: periods without gaps across a year's end, long spans and long tails cut
to fit a phone, and the SVG of an empty chart."""
from __future__ import annotations

import datetime as dt
from typing import Any

from lowcode.dashboards.charts import (
    MAX_GROUPS,
    MAX_PERIODS,
    ChartView,
    Group,
    Words,
    add_up_tail,
    period_groups,
    period_starts,
)
from lowcode.dashboards.query import GroupCount
from lowcode.dashboards.svg import render_chart


def plain(text: str, **values: Any) -> str:
    return text % values if values else text


WORDS = Words(plain, "en")


def test_months_run_across_the_end_of_a_year_without_gaps() -> None:
    assert period_starts(dt.date(2026, 11, 1), dt.date(2027, 2, 1), "month") == [
        dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1), dt.date(2027, 2, 1)]
    assert period_starts(dt.date(2026, 12, 28), dt.date(2027, 1, 11), "week") == [
        dt.date(2026, 12, 28), dt.date(2027, 1, 4), dt.date(2027, 1, 11)]


def test_empty_periods_count_zero() -> None:
    counts = [GroupCount(dt.date(2026, 1, 1), 3), GroupCount(dt.date(2026, 3, 1), 1), GroupCount(None, 2)]
    groups, note = period_groups(counts, "month", WORDS)
    assert [(g.label, g.count) for g in groups] == [("Jan 2026", 3), ("Feb 2026", 0), ("Mar 2026", 1)]
    assert note == ""


def test_a_long_span_keeps_the_latest_periods_and_says_how_many_rows_are_left_out() -> None:
    """A mistyped year (0202) must not draw 1,800 years of months."""
    counts = [GroupCount(dt.date(202, 1, 1), 5), GroupCount(dt.date(2026, 12, 1), 1)]
    groups, note = period_groups(counts, "month", WORDS)
    assert len(groups) == MAX_PERIODS and groups[-1].label == "Dec 2026"
    assert note == "5 rows before Jan 2022 are not shown."


def test_a_long_tail_is_added_up_as_other() -> None:
    groups = [Group(f"town {n}", 100 - n, "#000") for n in range(MAX_GROUPS + 5)]
    kept, note = add_up_tail(groups, WORDS)
    assert len(kept) == MAX_GROUPS and kept[-1].label == "Other"
    assert sum(g.count for g in kept) == sum(g.count for g in groups)
    assert note == "6 smaller groups are added up as “Other”."


def test_a_chart_without_rows_draws_nothing() -> None:
    assert render_chart(ChartView("chart-1", "t", "bar", "Kind", [Group("a", 0, "#000")])) == ""


def test_the_first_day_of_the_calendar_is_not_a_problem() -> None:
    assert period_starts(dt.date.min, dt.date.min, "week") == [dt.date.min]
    assert period_starts(dt.date.min, dt.date(1, 3, 1), "month") == [dt.date.min, dt.date(1, 2, 1), dt.date(1, 3, 1)]
