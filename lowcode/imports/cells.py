"""A cell's text as the value to store, for one field: what an export wrote reads back the same.

Choices by key or by a label in any language; a multichoice split at 「、」 or ","; a reference by its row id
(`#12` too); a neutralised cell (`'=1+1`, written so by an export) loses its leading `'`; everything else through
the field type's `parse_text` (full-width digits, 2026/12/1, はい/いいえ: the seed files' rules). A bad cell is an
`InvalidValue` the caller turns into a message naming the row and the column.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from ..exports.columns import FORMULA_STARTS
from ..fields import field_type
from ..spec.models import FieldSpec
from ..values import InvalidValue, normalise_text, parse_location, parse_row_id, strip_controls

Parser = Callable[[str], Any]
ERAS = {"令和": 2019, "平成": 1989, "昭和": 1926, "R": 2019, "H": 1989, "S": 1926}  # each era's first year (元年)
JAPANESE_DATE_RE = re.compile(r"(令和|平成|昭和|[RHS])?\s*(\d{1,4}|元)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?",
                              re.IGNORECASE)


def unneutralise(text: str) -> str:
    """`'=1+1` → `=1+1`: the quote an export put in front of text a spreadsheet would run."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def cell_parser(spec: FieldSpec) -> Parser:
    """How a cell of this field is read (made once per column)."""
    if spec.type in ("choice", "multichoice"):
        keys = choice_keys(spec)
        if spec.type == "choice":
            return lambda text: keys_of(keys, text, single=True)
        return lambda text: keys_of(keys, text, single=False)
    if spec.type == "date":
        return parse_japanese_date
    if spec.type == "location":
        return parse_point_text
    if spec.type == "reference":
        return lambda text: parse_row_id(text.strip().removeprefix("#")) if text.strip() else None
    kind = field_type(spec.type)
    return lambda text: kind.parse_text(text, spec)


def parse_japanese_date(text: str) -> dt.date | None:
    """A date as Japanese spreadsheets write it: 2026-12-01, 2026/12/1, 2026年12月1日, 令和8年12月1日 (full-width
    digits too), R8.12.1 (the era's initial, as forms abbreviate it); an era year is counted from its first year
    (令和元年 = 2019)."""
    written = normalise_text(text).strip()
    if not written:
        return None
    match = JAPANESE_DATE_RE.fullmatch(written)
    if match is None:
        raise InvalidValue("not_date")
    era, year, month, day = match.groups()
    number = 1 if year == "元" else int(year)
    if era and not 1 <= number <= 99:
        raise InvalidValue("not_date")  # 令和2026年: an era year is never a Western one
    try:
        return dt.date(ERAS[era.upper()] + number - 1 if era else number, int(month), int(day))
    except ValueError:
        raise InvalidValue("not_date") from None


def parse_point_text(text: str) -> tuple[float, float] | None:
    """A location in one cell, as a GeoJSON export writes a second point: `[longitude, latitude]`."""
    written = normalise_text(text)
    if not written:
        return None
    try:
        point = json.loads(written)
    except json.JSONDecodeError:
        raise InvalidValue("not_location") from None
    if not (isinstance(point, list) and len(point) == 2):
        raise InvalidValue("not_location")
    return parse_location(point[0], point[1])


def choice_keys(spec: FieldSpec) -> dict[str, str]:
    """Every way a choice may be written (its key, each of its labels) → its key."""
    found: dict[str, str] = {}
    for choice in spec.choices or ():
        label = choice.label.as_data() if choice.label is not None else {}
        for text in ([label] if isinstance(label, str) else list(label.values())):
            found.setdefault(text, choice.key)
        found[choice.key] = choice.key
    return found


def keys_of(keys: dict[str, str], text: str, *, single: bool) -> Any:
    if single:  # one look-up (a choice column is a sixth of a file's cells)
        if not text.strip():
            return None
        key = keys.get(strip_controls(text).strip())
        if key is None:
            raise InvalidValue("not_choice", value=strip_controls(text).strip())
        return key
    parts = [p.strip() for p in strip_controls(text).replace("、", ",").split(",") if p.strip()]
    unknown = [p for p in parts if p not in keys]
    if unknown:
        raise InvalidValue("not_choice", value=unknown[0])
    return [keys[p] for p in parts]
