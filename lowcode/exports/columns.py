"""What an export file's columns are, and each row's values in them, as typed Python values.

The reference number and the time sent first (staff only: the public never sees reference numbers), then one
column per field the audience sees, in the YAML's order: a location becomes two columns (latitude, longitude), an
area its GeoJSON text, a choice its label or key, a multichoice its labels joined with 「、」 (keys with ","), a
reference the referenced row's title (or its id, with keys), a date a date, a date-time the city's local time.
Photos are left out: a stored file name means nothing in a spreadsheet.

The CSV and Excel writers format these values; `neutralise` keeps a spreadsheet from running text as a formula.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from ..audience import Audience
from ..runtime import AppRuntime
from ..spec.models import FieldSpec, TableSpec
from ..values import to_local_datetime
from ..words import N_, Translate

ChoiceStyle = Literal["labels", "keys"]
LEFT_OUT_TYPES = frozenset({"image"})
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Titles = Mapping[str, Mapping[int, str]]
Value = Any  # str, int, float, Decimal, bool, date, datetime or None
Reader = Callable[[Mapping[str, Any], Titles], Value]


@dataclass(frozen=True)
class ExportOptions:
    lang: str
    choices: ChoiceStyle
    translate: Translate  # the UI words (headers of system columns, Yes/No) in `lang`


@dataclass(frozen=True)
class Column:
    header: str
    type: str  # the field's type, or "ref" / "datetime" for system columns, "number" for a coordinate
    read: Reader


def neutralise(value: str) -> str:
    """Text a spreadsheet would run as a formula (OWASP's list: = + - @, tab, carriage return) with a leading `'`."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_fields(table: TableSpec, audience: Audience) -> list[str]:
    """The fields an export holds for the audience: every field it sees but photos."""
    return [name for name in audience.visible_fields(table) if table.fields[name].type not in LEFT_OUT_TYPES]


def export_columns(
    runtime: AppRuntime, table: TableSpec, fields: Sequence[str], audience: Audience, options: ExportOptions,
) -> list[Column]:
    _ = options.translate
    columns = []
    if audience.sees_reference_numbers:
        columns += [Column(_(N_("Reference number")), "ref", lambda row, titles: row.get("ref")),
                    Column(_(N_("Sent at")), "datetime", lambda row, titles: local_datetime(row.get("created_at")))]
    for name in fields:
        columns += field_columns(runtime, name, table.fields[name], options)
    return columns


def field_columns(runtime: AppRuntime, name: str, spec: FieldSpec, options: ExportOptions) -> list[Column]:
    label = runtime.text(spec.label, options.lang, name)
    if spec.type == "location":
        _ = options.translate
        return [Column(_(N_("%(label)s (latitude)")) % {"label": label}, "number", coordinate(name, 1)),
                Column(_(N_("%(label)s (longitude)")) % {"label": label}, "number", coordinate(name, 0))]
    return [Column(label, spec.type, field_reader(name, spec, options))]


def coordinate(name: str, index: int) -> Reader:
    def read(row: Mapping[str, Any], titles: Titles) -> Value:
        point = row.get(name)
        return point[index] if point else None

    return read


def field_reader(name: str, spec: FieldSpec, options: ExportOptions) -> Reader:
    """How one field's value is written (a function made once per column, not decided again for every row)."""
    keys = options.choices == "keys"
    if spec.type == "choice":
        labels = {c.key: c.text(options.lang) for c in spec.choices or ()}
        return lambda row, titles: plain(row.get(name)) if keys else choice_text(labels, row.get(name))
    if spec.type == "multichoice":
        labels = {c.key: c.text(options.lang) for c in spec.choices or ()}
        if keys:
            return lambda row, titles: ",".join(str(v) for v in row.get(name) or []) or None
        return lambda row, titles: "、".join(labels.get(v, str(v)) for v in row.get(name) or []) or None
    if spec.type == "reference":
        return lambda row, titles: row.get(name) if keys else reference_title(titles, name, row.get(name))
    if spec.type == "boolean":
        return boolean_reader(name, keys, options.translate)
    if spec.type == "datetime":
        return lambda row, titles: local_datetime(row.get(name))
    if spec.type == "area":
        return lambda row, titles: json.dumps(row[name], ensure_ascii=False) if row.get(name) else None
    return lambda row, titles: plain(row.get(name))


def boolean_reader(name: str, keys: bool, translate: Translate) -> Reader:
    words = {True: "true", False: "false"} if keys else {True: translate(N_("Yes")), False: translate(N_("No"))}
    return lambda row, titles: None if row.get(name) is None else words[bool(row.get(name))]


def plain(value: Any) -> Value:
    return value if value is None or isinstance(value, (int, float, Decimal, dt.date)) else str(value)


def choice_text(labels: Mapping[str, str], key: Any) -> str | None:
    return None if key is None else labels.get(key, str(key))


def reference_title(titles: Titles, name: str, row_id: Any) -> str | None:
    """The title the audience may see, else `#id` (as the pages name a row without one)."""
    if row_id is None:
        return None
    title = titles.get(name, {}).get(row_id)
    return str(title) if title not in (None, "") else f"#{row_id}"


def local_datetime(stored: Any) -> dt.datetime | None:
    """A stored date-time (naive UTC) as the city's wall-clock time, without an offset (what a spreadsheet holds)."""
    return to_local_datetime(stored).replace(tzinfo=None) if isinstance(stored, dt.datetime) else None
