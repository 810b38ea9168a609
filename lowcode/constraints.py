"""The limits a field's spec puts on a parsed value (min/max, lengths, pattern, choices).

Pure functions, except that a date limit counted from today (`max: today+30`) reads the day in Japan."""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from typing import Any

from .spec.dates import RelativeDate, resolve_date_limit
from .spec.fieldtypes import default_max_length
from .spec.models import FieldSpec

Failure = tuple[str, dict[str, Any]]


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def check_value(spec: FieldSpec, value: Any) -> Failure | None:
    """The first limit `value` breaks, or None. Empty values are the `required` check's business."""
    if value is None or value == "" or value == []:
        return None
    for check in _checks_for(spec.type):
        failure = check(spec, value)
        if failure:
            return failure
    return None


def _check_choices(spec: FieldSpec, value: Any) -> Failure | None:
    if spec.type not in ("choice", "multichoice"):
        return None
    keys = _choice_keys(spec)
    picked = value if isinstance(value, list) else [value]
    return None if keys.issuperset(picked) else ("not_choice", {})


def _check_range(spec: FieldSpec, value: Any) -> Failure | None:
    if spec.type not in ("integer", "number", "date"):
        return None
    low, high = ("too_early", "too_late") if spec.type == "date" else ("too_small", "too_large")
    if spec.min is not None and value < _bound(spec.min):
        return low, {"limit": _show(spec.min)}
    if spec.max is not None and value > _bound(spec.max):
        return high, {"limit": _show(spec.max)}
    return None


def _bound(limit: float | dt.date | RelativeDate) -> Any:
    return resolve_date_limit(limit)


def _show(limit: float | dt.date | RelativeDate) -> str:
    if isinstance(limit, float) and limit.is_integer():
        return str(int(limit))
    return str(resolve_date_limit(limit))


def max_length_of(spec: FieldSpec) -> int | None:
    """The field's `max_length`, or the default of its type: no text a resident sends is unbounded."""
    return spec.max_length if spec.max_length is not None else default_max_length(spec.type)


def _check_length(spec: FieldSpec, value: Any) -> Failure | None:
    if not isinstance(value, str):
        return None
    if spec.min_length is not None and len(value) < spec.min_length:
        return "too_short", {"limit": spec.min_length}
    limit = max_length_of(spec)
    if limit is not None and len(value) > limit:
        return "too_long", {"limit": limit}
    return None


def _check_pattern(spec: FieldSpec, value: Any) -> Failure | None:
    if spec.pattern is None or not isinstance(value, str):
        return None
    return None if re.fullmatch(spec.pattern, value) else ("pattern", {})


def _check_pick_count(spec: FieldSpec, value: Any) -> Failure | None:
    if spec.type != "multichoice" or not isinstance(value, list):
        return None
    if isinstance(spec.min, float) and len(value) < spec.min:
        return "too_few", {"limit": _show(spec.min)}
    if isinstance(spec.max, float) and len(value) > spec.max:
        return "too_many", {"limit": _show(spec.max)}
    return None


Check = Callable[[FieldSpec, Any], Failure | None]
_CHOICE_KEYS: dict[int, tuple[FieldSpec, frozenset[str]]] = {}  # id(spec) → (spec, its keys); specs live as long as apps


@functools.cache
def _checks_for(field_type: str) -> tuple[Check, ...]:
    """The checks that can apply to a value of this type, in `check_value`'s order (each still tests its own
    condition): a 100,000-row import asks for them 700,000 times, and most of the five never apply to a type."""
    checks: list[Check] = []
    if field_type in ("choice", "multichoice"):
        checks.append(_check_choices)
    if field_type in ("integer", "number", "date"):
        checks.append(_check_range)
    checks += [_check_length, _check_pattern]
    if field_type == "multichoice":
        checks.append(_check_pick_count)
    return tuple(checks)


def _choice_keys(spec: FieldSpec) -> frozenset[str]:
    """The field's choice keys, worked out once per spec (a frozen spec never changes; the entry keeps the spec
    alive, so its id is never reused by another)."""
    known = _CHOICE_KEYS.get(id(spec))
    if known is None or known[0] is not spec:
        known = _CHOICE_KEYS[id(spec)] = (spec, frozenset(c.key for c in spec.choices or ()))
    return known[1]


def date_input_limits(spec: FieldSpec, today: dt.date | None = None) -> dict[str, str]:
    """`min`/`max` attributes of a date input, for the day the form is shown: the browser's calendar greys out
    the days the server would refuse (the server still checks: attributes are only a help)."""
    if spec.type != "date":
        return {}
    limits = {"min": spec.min, "max": spec.max}
    return {key: resolve_date_limit(limit, today).isoformat() for key, limit in limits.items()
            if isinstance(limit, (dt.date, RelativeDate))}
