"""Date limits relative to the day a form is filled in: `min: today`, `max: today+30`, `min: today-7`.

A spec is loaded once and lives for months, so the day cannot be fixed when the YAML is read: the limit keeps
its offset in days, and `resolve_date_limit` turns it into a date for the day a request is answered (in Japan's
time zone, where residents and staff live). Pure: no Flask, no clock read unless asked.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

JAPAN = ZoneInfo("Asia/Tokyo")
# `today`, `today+30`, `today - 7`, `today+30d`: spaces and a trailing `d` are forgiven, as people write them.
RELATIVE_DATE_RE = re.compile(r"^\s*today\s*(?:([+-])\s*(\d{1,4})\s*d?)?\s*$", re.IGNORECASE)
RELATIVE_DATE_PATTERN = r"^\s*today\s*([+-]\s*[0-9]{1,4}\s*d?)?\s*$"


class RelativeDate:
    """A day counted from today: `today` (0), `today+30`, `today-7`."""

    __slots__ = ("days",)

    def __init__(self, days: int) -> None:
        self.days = days

    @classmethod
    def parse(cls, value: Any) -> RelativeDate:
        if isinstance(value, RelativeDate):
            return value
        match = RELATIVE_DATE_RE.match(value) if isinstance(value, str) else None
        if match is None:
            raise PydanticCustomError("relative_date", "not a day counted from today, like today+30")
        sign, number = match.groups()
        return cls(0 if number is None else int(number) * (-1 if sign == "-" else 1))

    def on(self, today: dt.date) -> dt.date:
        return today + dt.timedelta(days=self.days)

    def as_text(self) -> str:
        return "today" if self.days == 0 else f"today{self.days:+d}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RelativeDate) and other.days == self.days

    def __hash__(self) -> int:
        return hash(("RelativeDate", self.days))

    def __repr__(self) -> str:
        return f"RelativeDate({self.as_text()!r})"


# What the spec models declare: read from `today+30`, written back the same way, a string pattern in the JSON Schema.
RelativeDateValue = Annotated[
    RelativeDate,
    PlainValidator(RelativeDate.parse),
    PlainSerializer(RelativeDate.as_text),
    WithJsonSchema({"type": "string", "pattern": RELATIVE_DATE_PATTERN}),
]


def today_in_japan(now: dt.datetime | None = None) -> dt.date:
    """The calendar day in Japan: a form filled in at 08:00 in Tokyo is 23:00 the day before in UTC."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(JAPAN).date()


def resolve_date_limit(limit: Any, today: dt.date | None = None) -> Any:
    """A limit as a value to compare with: a relative day becomes a date, anything else is returned as it is."""
    if isinstance(limit, RelativeDate):
        return limit.on(today or today_in_japan())
    return limit
