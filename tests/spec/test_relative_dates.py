"""Date limits counted from the day the form is filled in: `min: today`, `max: today+30` (issue 7, item 29)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from lowcode.constraints import check_value, date_input_limits
from lowcode.spec.dates import RelativeDate, today_in_japan
from lowcode.spec.loader import LoadedApp
from lowcode.spec.models import FieldSpec

APP = """
title: 予約
tables:
  bookings:
    fields:
      day: {type: date, min: MIN, max: MAX}
forms:
  book: {table: bookings}
"""


def app_with(min_text: str, max_text: str) -> str:
    return APP.replace("MIN", min_text).replace("MAX", max_text)


@pytest.mark.parametrize(("text", "days"), [("today", 0), ("today+30", 30), ("today - 7", -7), ("today+14d", 14), ("TODAY", 0)])
def test_a_relative_day_is_read_with_its_offset(text: str, days: int) -> None:
    assert FieldSpec.model_validate({"type": "date", "max": text}).max == RelativeDate(days)


def test_relative_limits_validate_clean(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app_with("today", "today+30"))

    assert [p.code for p in loaded.problems] == []


def test_a_relative_minimum_after_the_relative_maximum_is_refused(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app_with("today+30", "today"))

    assert [p.code for p in loaded.problems] == ["E_MIN_ABOVE_MAX"]


def test_a_relative_day_on_a_number_field_is_refused(check: Callable[..., LoadedApp]) -> None:
    loaded = check(APP.replace("{type: date, min: MIN, max: MAX}", "{type: integer, min: today}"))

    assert [p.code for p in loaded.problems] == ["E_NOT_NUMBER"]


def test_a_misspelt_relative_day_is_an_error_on_its_line(check: Callable[..., LoadedApp]) -> None:
    loaded = check(app_with("tomorrow", "today+30"))

    assert [(p.line, p.code) for p in loaded.problems] == [(5, "E_BAD_DATE")]


def test_the_limit_is_counted_in_japan_not_in_utc() -> None:
    # 23:30 UTC on 31 March is already 08:30 on 1 April in Kanazawa.
    late_evening_utc = dt.datetime(2027, 3, 31, 23, 30, tzinfo=dt.UTC)

    assert today_in_japan(late_evening_utc) == dt.date(2027, 4, 1)


def test_the_server_refuses_a_day_beyond_a_relative_maximum() -> None:
    spec = FieldSpec.model_validate({"type": "date", "min": "today", "max": "today+30"})
    today = today_in_japan()

    assert check_value(spec, today + dt.timedelta(days=30)) is None
    assert check_value(spec, today + dt.timedelta(days=31)) == ("too_late", {"limit": (today + dt.timedelta(days=30)).isoformat()})
    assert check_value(spec, today - dt.timedelta(days=1)) == ("too_early", {"limit": today.isoformat()})


def test_the_date_input_gets_the_days_of_the_request() -> None:
    spec = FieldSpec.model_validate({"type": "date", "min": "today-7", "max": "2027-12-31"})

    assert date_input_limits(spec, dt.date(2027, 1, 10)) == {"min": "2027-01-03", "max": "2027-12-31"}
