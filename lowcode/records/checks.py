"""Whether values may be stored: `show_if`, `required`, the field's limits, the service area (no database), then
the checks that need the database (a unique value taken, a reference to a row the audience may not see).

Every writer asks here — a resident's form, and later the staff pages, the importer and the API — so a rule is
checked the same way whichever door the values come in by.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext

from ..audience import PUBLIC, Audience
from ..constraints import check_value, is_empty
from ..fields import field_type
from ..maps.picker import check_point_in_service_area, location_message
from ..messages import value_message
from ..references import reference_is_visible
from ..runtime import AppRuntime
from ..spec.models import FieldSpec, TableSpec, condition_holds
from ..values import InvalidValue


@dataclass
class Checked:
    """The values to store (fields hidden by `show_if` left out, defaults added) and a message per refused field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_values(
    runtime: AppRuntime, table_name: str, values: Mapping[str, Any], fields: Sequence[str], lang: str,
    known_errors: Mapping[str, str] | None = None, *, with_defaults: bool = True, typed: bool = False,
) -> Checked:
    """Check `fields` (the ones the writer answers, in order) as `values` holds them (`show_if` reads all of
    `values`); a field in `known_errors` (refused while its text was read) keeps that message. Hidden fields are
    neither required nor stored. `with_defaults`: the fields not answered start with their default (a new row).
    `typed`: every value was already read by its field type's own parser (the importer's cells), so text is not
    read a second time; the limits, `required` and the service area are checked all the same."""
    table = runtime.spec.tables[table_name]
    known = dict(known_errors or {})
    result = Checked()
    answers = dict(values)
    for name in fields:
        spec = table.fields[name]
        if (spec.show_if is not None and not condition_holds(spec.show_if, answers)) or name in known:
            continue
        value, message = (answers.get(name), None) if typed else typed_value(spec, answers.get(name))
        message = message or field_problem(runtime, spec, value, lang)
        if message:
            result.errors[name] = message
        else:
            result.values[name] = value
    if with_defaults:
        result.values.update(defaults_outside(table, fields))
    errors = {**known, **result.errors}
    result.errors = {name: errors[name] for name in fields if name in errors}  # the summary in form order
    return result


def typed_value(spec: FieldSpec, value: Any) -> tuple[Any, str | None]:
    """A date, number, point… given as text by a caller of the records layer (a script, later the API) is read as a
    seed file's text would be, instead of reaching the database as a string it refuses; a form's values are
    already typed and pass unchanged. Text fields keep their text as given."""
    if not isinstance(value, str) or value == "":
        return value, None
    try:
        parsed = field_type(spec.type).parse_text(value, spec)
    except InvalidValue as exc:
        return value, value_message(exc.key, **exc.params)
    return (value, None) if isinstance(parsed, str) else (parsed, None)


def defaults_outside(table: TableSpec, fields: Sequence[str]) -> dict[str, Any]:
    """Fields the writer does not answer start with their default (a report's status starts as `received`)."""
    values = {}
    for name, spec in table.fields.items():
        if name not in fields and spec.default is not None and spec.derive is None:
            values[name] = field_type(spec.type).parse_text(spec.default, spec)
    return values


def field_problem(runtime: AppRuntime, spec: FieldSpec, value: Any, lang: str) -> str | None:
    if is_empty(value):
        return required_message(spec) if spec.required else None
    failure = check_value(spec, value)
    if failure:
        key, params = failure
        if key == "pattern":
            return runtime.text(spec.pattern_message, lang) or gettext("Please check the format of this answer.")
        return value_message(key, **params)
    if spec.type == "location":
        return service_area_problem(runtime, value, lang)
    return None


def required_message(spec: FieldSpec) -> str:
    if spec.type == "boolean":
        return value_message("required_check")
    if spec.type in ("choice", "multichoice", "reference"):
        return value_message("required_choice")
    if spec.type == "location":
        return value_message("not_location")
    return value_message("required")


def service_area_problem(runtime: AppRuntime, point: tuple[float, float], lang: str) -> str | None:
    """The message for a point outside the app's service area (or with latitude and longitude swapped)."""
    code = check_point_in_service_area(point[0], point[1], runtime.spec.service_area, runtime.folder)
    return location_message(code, lang, runtime.spec.service_area, words=gettext) if code else None


def database_conflicts(
    runtime: AppRuntime, table_name: str, values: Mapping[str, Any], conn: sa.Connection,
    audience: Audience = PUBLIC, exclude_id: int | None = None,
) -> dict[str, str]:
    """Messages for unique values already taken (by another row than `exclude_id`) and for references to rows the
    audience may not see (refused like a missing row: "choose from the list")."""
    store = runtime.stores[table_name]
    conflicts = {}
    for name, value in values.items():
        spec = store.spec.fields[name]
        if value in (None, ""):
            continue
        if spec.unique and store.value_exists(conn, name, value, exclude_id=exclude_id):
            conflicts[name] = value_message("not_unique")
        elif spec.type == "reference" and spec.to and not reference_is_visible(runtime, spec.to, value, conn, audience):
            conflicts[name] = value_message("not_reference")
    return conflicts


def taken_unique_values(runtime: AppRuntime, table_name: str, values: Mapping[str, Any]) -> dict[str, str]:
    """After the database refused the row: another writer took a unique value between our check and the insert."""
    fields = runtime.stores[table_name].spec.fields
    return {name: value_message("not_unique") for name in values if name in fields and fields[name].unique}
