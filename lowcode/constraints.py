"""The limits a field's spec puts on a parsed value (min/max, lengths, pattern, choices). Pure functions."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .spec.models import FieldSpec

Failure = tuple[str, dict[str, Any]]


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def check_value(spec: FieldSpec, value: Any) -> Failure | None:
    """The first limit `value` breaks, or None. Empty values are the `required` check's business."""
    if value is None or value == "" or value == []:
        return None
    for check in (_check_choices, _check_range, _check_length, _check_pattern, _check_pick_count):
        failure = check(spec, value)
        if failure:
            return failure
    return None


def _check_choices(spec: FieldSpec, value: Any) -> Failure | None:
    if spec.type not in ("choice", "multichoice"):
        return None
    keys = {c.key for c in spec.choices or ()}
    picked = value if isinstance(value, list) else [value]
    return None if all(v in keys for v in picked) else ("not_choice", {})


def _check_range(spec: FieldSpec, value: Any) -> Failure | None:
    if spec.type not in ("integer", "number", "date"):
        return None
    low, high = ("too_early", "too_late") if spec.type == "date" else ("too_small", "too_large")
    if spec.min is not None and value < _bound(spec.min):
        return low, {"limit": _show(spec.min)}
    if spec.max is not None and value > _bound(spec.max):
        return high, {"limit": _show(spec.max)}
    return None


def _bound(limit: float | dt.date) -> Any:
    return limit


def _show(limit: float | dt.date) -> str:
    if isinstance(limit, float) and limit.is_integer():
        return str(int(limit))
    return str(limit)


def _check_length(spec: FieldSpec, value: Any) -> Failure | None:
    if not isinstance(value, str):
        return None
    if spec.min_length is not None and len(value) < spec.min_length:
        return "too_short", {"limit": spec.min_length}
    if spec.max_length is not None and len(value) > spec.max_length:
        return "too_long", {"limit": spec.max_length}
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
