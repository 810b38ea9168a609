"""Conditions in the YAML (`show_if`, a list's or a map layer's `where`): their type and the check of their values.

Below models, maps and check, so each of them can use it: it needs the spec's types only for annotations.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..values import InvalidValue, parse_scalar
from .fieldtypes import is_comparable
from .words import value_reason

if TYPE_CHECKING:
    from .context import CheckContext
    from .models import FieldSpec, TableSpec

Path = tuple[Any, ...]
Scalar = str | int | float | bool
Condition = dict[str, Scalar | list[Scalar] | None]


def check_condition_value(ctx: CheckContext, table_name: str, table: TableSpec, field_name: str, expected: Any, path: Path) -> None:
    """A `show_if` / `where` entry: the field must exist and each value must suit it."""
    comparable = [n for n, f in table.fields.items() if is_comparable(f.type)]
    if not ctx.require_name("E_UNKNOWN_FIELD", field_name, comparable, path, table=table_name):
        return
    other = table.fields[field_name]
    for index, value in enumerate(expected if isinstance(expected, list) else [expected]):
        if value is None:
            continue
        value_path = (*path, index) if isinstance(expected, list) else path
        check_one_value(ctx, other, value, value_path, "E_BAD_VALUE_FOR_FIELD", field_name)


def check_one_value(ctx: CheckContext, field: FieldSpec, value: Any, path: Path, code: str, field_name: str = "") -> None:
    """One value written in the YAML for `field` (a default, a condition): a known choice, or text its type parses."""
    if field.type in ("choice", "multichoice"):
        ctx.require_name("E_UNKNOWN_CHOICE", str(value), [c.key for c in field.choices or ()], path, field=field_name or path[-2])
        return
    try:
        parse_scalar(field.type, value)
    except InvalidValue as exc:
        ctx.report(code, path, value=value, type=field.type, field=field_name, reason=value_reason(exc.key))
