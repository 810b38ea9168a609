"""The counts behind the charts, on SQLite and PostgreSQL: groups, weeks and months (in Japan's time), `where:`,
shares, and only the rows an audience may see."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from dashboard_app import HAZARDS, add_rows
from flask import Flask
from support import app_engine, app_runtime

from lowcode.audience import PUBLIC, STAFF
from lowcode.dashboards.query import count_chart
from lowcode.references import visible_rows_clause
from lowcode.spec.dashboards import ChartSpec

UTC = dt.datetime


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    built = make_app(HAZARDS)
    add_rows(built, [
        # Sunday 29 November 23:30 in Kanazawa: week of Monday 23 November, November.
        {"kind": "traffic", "status": "published", "fixed": True, "seen_on": dt.date(2026, 11, 29),
         "created_at": UTC(2026, 11, 29, 14, 30)},
        # Monday 30 November 00:30 in Kanazawa (still Sunday in UTC): week of 30 November, November.
        {"kind": "traffic", "status": "done", "fixed": True, "seen_on": dt.date(2026, 11, 30),
         "created_at": UTC(2026, 11, 29, 15, 30)},
        # Tuesday 1 December 00:30 in Kanazawa (30 November in UTC): week of 30 November, December.
        {"kind": "crime", "status": "done", "fixed": False, "seen_on": dt.date(2026, 12, 1),
         "created_at": UTC(2026, 11, 30, 15, 30)},
        # Not public yet (受付): counted for staff only.
        {"kind": "crime", "status": "received", "fixed": True, "seen_on": dt.date(2027, 1, 31),
         "created_at": UTC(2027, 1, 31, 3, 0)},
        {"status": "published", "created_at": UTC(2027, 2, 1, 0, 0)},  # no kind, no date
    ])
    return built


def counts(app: Flask, audience: Any = PUBLIC, **chart: Any) -> dict[Any, tuple[int, int]]:
    spec = ChartSpec(table="hazards", **chart)
    with app.app_context():
        runtime = app_runtime(app)
        with app_engine(app).connect() as conn:
            rows = visible_rows_clause(runtime, "hazards", audience)
            return {g.key: (g.count, g.part) for g in count_chart(runtime, conn, spec, rows).groups}


def test_counts_by_a_choice_leave_out_rows_the_public_does_not_see(app: Flask) -> None:
    assert counts(app, by="kind") == {"traffic": (2, 0), "crime": (1, 0), None: (1, 0)}
    assert counts(app, STAFF, by="kind") == {"traffic": (2, 0), "crime": (2, 0), None: (1, 0)}


def test_counts_by_status_for_the_public_hold_public_statuses_only(app: Flask) -> None:
    assert counts(app, by="status") == {"published": (2, 0), "done": (2, 0)}
    assert counts(app, STAFF, by="status")["received"] == (1, 0)


def test_created_at_is_counted_per_week_from_monday_in_japan_time(app: Flask) -> None:
    assert counts(app, STAFF, by="created_at", per="week") == {
        dt.date(2026, 11, 23): (1, 0), dt.date(2026, 11, 30): (2, 0), dt.date(2027, 1, 25): (1, 0),
        dt.date(2027, 2, 1): (1, 0),
    }


def test_created_at_is_counted_per_month_in_japan_time(app: Flask) -> None:
    assert counts(app, STAFF, by="created_at", per="month") == {
        dt.date(2026, 11, 1): (2, 0), dt.date(2026, 12, 1): (1, 0), dt.date(2027, 1, 1): (1, 0),
        dt.date(2027, 2, 1): (1, 0),
    }


def test_a_date_field_is_counted_per_month_and_week_as_written(app: Flask) -> None:
    assert counts(app, STAFF, by="seen_on") == {
        dt.date(2026, 11, 1): (2, 0), dt.date(2026, 12, 1): (1, 0), dt.date(2027, 1, 1): (1, 0), None: (1, 0)}
    assert counts(app, STAFF, by="seen_on", per="week") == {
        dt.date(2026, 11, 23): (1, 0), dt.date(2026, 11, 30): (2, 0), dt.date(2027, 1, 25): (1, 0), None: (1, 0)}


def test_where_counts_only_the_matching_rows(app: Flask) -> None:
    assert counts(app, STAFF, by="kind", where={"fixed": True}) == {"traffic": (2, 0), "crime": (1, 0)}
    assert counts(app, STAFF, by="kind", where={"kind": "crime"}) == {"crime": (2, 0)}


def test_a_share_counts_the_part_of_the_whole(app: Flask) -> None:
    assert counts(app, share={"field": "status", "in": ["done"]}) == {None: (4, 2)}
    assert counts(app, by="kind", share={"field": "status", "in": ["done"]}, where={"fixed": True}) == {
        "traffic": (2, 1)}
    assert counts(app, STAFF, share={"field": "fixed", "in": ["true"]}) == {None: (5, 3)}


def test_a_share_of_no_rows_is_zero_of_zero(app: Flask) -> None:
    assert counts(app, share={"field": "status", "in": ["done"]}, where={"kind": "odd"}) == {None: (0, 0)}
