"""Kinds of database column, and turning a stored value into the value a (new) field type stores.

A "family" is what a column holds whatever the dialect calls it: BIGINT and INTEGER are both `integer`, VARCHAR and
TEXT both `text`. Comparing families (not type names) tells a real type change from a dialect's spelling.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from ..fields import field_type
from ..spec.models import FieldSpec

LARGEST_INTEGER = 2**63 - 1  # BIGINT, and SQLite's INTEGER
LARGEST_NEGATIVE = -(2**63)


class NotConvertible(ValueError):
    """The value has no equivalent in the new type (`abc` as an integer, two picks as one choice)."""


def family_of(kind: Any) -> str:
    kind = kind() if isinstance(kind, type) else kind
    if isinstance(kind, sa.JSON):
        return "json"
    if isinstance(kind, sa.Boolean):
        return "boolean"
    if isinstance(kind, sa.Integer):
        return "integer"
    if isinstance(kind, (sa.Float, sa.Numeric)):
        return "float"
    if isinstance(kind, sa.DateTime):
        return "datetime"
    if isinstance(kind, sa.Date):
        return "date"
    if isinstance(kind, sa.String):
        return "text"
    return "other"


def length_of(kind: Any) -> int | None:
    return getattr(kind, "length", None) if isinstance(kind, sa.String) else None


def needs_retype(stored: Any, wanted: Any, enforces_lengths: bool) -> bool:
    """The stored column cannot hold the new field's values as they are: another family, or (where the database
    enforces lengths, PostgreSQL) a shorter text column than the field needs."""
    if family_of(stored) != family_of(wanted):
        return True
    if not enforces_lengths or family_of(stored) != "text":
        return False
    have, need = length_of(stored), length_of(wanted)
    return have is not None and (need is None or need > have)


def to_json(value: Any) -> Any:
    """A stored value as JSON (dates as ISO 8601 text)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def from_json(family: str, value: Any) -> Any:
    """The stored value back from `to_json`, for a column of the same family."""
    if value is None:
        return None
    if family == "datetime":
        return dt.datetime.fromisoformat(value)
    if family == "date":
        return dt.date.fromisoformat(value)
    return value


def convert_value(value: Any, spec: FieldSpec, family: str) -> Any:
    """What a column of `family` for the field `spec` stores for `value`; raises NotConvertible."""
    if value is None:
        return None
    try:
        converted = _CONVERTERS.get(family, _by_parser)(value, spec)
    except NotConvertible:
        raise
    except (ValueError, TypeError, OverflowError) as exc:
        raise NotConvertible(str(exc)) from exc
    if family == "integer" and isinstance(converted, int) and not LARGEST_NEGATIVE <= converted <= LARGEST_INTEGER:
        raise NotConvertible("too large for the column")  # the database would refuse it mid-way
    return converted


def _to_json(value: Any, spec: FieldSpec) -> Any:
    if spec.type != "multichoice":  # an area (or a plug-in's JSON): as its parser reads it
        if isinstance(value, (dict, list)):
            parsed = field_type(spec.type).parse_text(value, spec)
            if parsed is None:
                raise NotConvertible("empty after parsing")
            return parsed
        return _by_parser(value, spec)
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)  # a JSON column read as text (SQLite)
        except ValueError:
            pass
    if isinstance(value, list):
        return _known_choices([str(v) for v in value], spec) if value else value
    if isinstance(value, str):
        return _known_choices([value], spec) if value.strip() else None
    raise NotConvertible("not a list")


def _known_choices(keys: list[str], spec: FieldSpec) -> list[str]:
    """Keys the field offers: a value the new choices do not have would not convert (issue 13)."""
    if spec.choices and any(spec.choice(key) is None for key in keys):
        raise NotConvertible("not a choice")
    return keys


def _to_parsed_text(value: Any, spec: FieldSpec) -> Any:
    """Text for a text column, as the new type's parser reads it (an e-mail address, a postal code, a choice key)."""
    text = _to_text(value, spec)
    if text is None:
        return None
    parsed = _by_parser(text, spec)
    if spec.type == "choice" and parsed is not None:
        _known_choices([str(parsed)], spec)
    return parsed


def _to_text(value: Any, spec: FieldSpec) -> Any:
    if isinstance(value, list):
        if spec.type == "choice":  # one pick becomes the choice; several cannot be one
            if len(value) > 1:
                raise NotConvertible("several picks")
            return str(value[0]) if value else None
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _by_parser(value: Any, spec: FieldSpec) -> Any:
    """Numbers, yes/no and dates: as the new type reads the same text in a seed file."""
    if isinstance(value, (list, dict)):
        raise NotConvertible("a list")
    if isinstance(value, bool) or not isinstance(value, str):
        value = _to_text(value, spec)
    parsed = field_type(spec.type).parse_text(value, spec)
    if parsed is None and value.strip():
        raise NotConvertible("empty after parsing")
    return parsed


_CONVERTERS = {"json": _to_json, "text": _to_parsed_text}
