"""The audit log as a file: CSV (UTF-8 with BOM, for Excel) or JSON Lines, and the filters' text forms.

Shared by `/<app>/staff/audit.csv` and `lowcode audit export`. A CSV cell a spreadsheet would read as a formula
(starting with = + - @, a tab or a carriage return) gets a leading apostrophe: an audit value is what a resident
or a colleague typed, and opening the export must not run it. JSON Lines is for programs and is written as stored.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .audit import AuditEntry
from .values import SERVICE_TIME_ZONE

FORMATS = ("csv", "jsonl")
COLUMNS = ("id", "at", "app", "table", "row_id", "action", "actor", "client", "before", "after")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(9998, 12, 31)
Values = Callable[[AuditEntry], tuple[dict[str, Any] | None, dict[str, Any] | None]]


def as_stored(entry: AuditEntry) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    return entry.before, entry.after


def neutralise(cell: str) -> str:
    """A cell no spreadsheet runs as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def entry_record(entry: AuditEntry, values: Values) -> dict[str, Any]:
    before, after = values(entry)
    return {"id": entry.id, "at": entry.at.isoformat() + "Z", "app": entry.app, "table": entry.table,
            "row_id": entry.row_id, "action": entry.action, "actor": entry.actor, "client": entry.client,
            "before": before, "after": after}


def csv_chunks(entries: Iterable[AuditEntry], values: Values = as_stored) -> Iterator[str]:
    """The CSV, a few hundred lines per chunk (a web response streams it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow(COLUMNS)
    for number, entry in enumerate(entries, start=1):
        writer.writerow([neutralise(csv_text(value)) for value in entry_record(entry, values).values()])
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def jsonl_chunks(entries: Iterable[AuditEntry], values: Values = as_stored) -> Iterator[str]:
    for entry in entries:
        yield json.dumps(entry_record(entry, values), ensure_ascii=False, sort_keys=True, default=str) + "\n"


def chunks(fmt: str, entries: Iterable[AuditEntry], values: Values = as_stored) -> Iterator[str]:
    return csv_chunks(entries, values) if fmt == "csv" else jsonl_chunks(entries, values)


def parse_day(text: str) -> dt.date | None:
    """A day typed as YYYY-MM-DD; None when it is not one (the caller says so)."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None  # no arithmetic past the calendar's ends


def day_start_utc(day: dt.date) -> dt.datetime:
    """The moment a day of the city's calendar begins, as the audit stores times (naive UTC)."""
    local = dt.datetime.combine(day, dt.time(), tzinfo=SERVICE_TIME_ZONE)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def day_end_utc(day: dt.date) -> dt.datetime:
    """The moment after the day ends (an `until` day is included)."""
    return day_start_utc(day + dt.timedelta(days=1))
