"""Forms: WTForms classes built from a form spec, and reading a submission into values or messages."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import request
from flask_babel import gettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from .constraints import check_value, is_empty, max_length_of
from .fields import field_type
from .fields.base import select_choices
from .messages import value_message
from .references import reference_is_visible, reference_options
from .runtime import AppRuntime
from .spec.models import FieldSpec, FormSpec, TableSpec, condition_holds
from .spec.privacy import form_field_list
from .uploads import kept_photo, receive_photo
from .values import InvalidValue

PointCheck = Callable[[AppRuntime, tuple[float, float]], str | None]


def form_field_names(form: FormSpec, table: TableSpec) -> list[str]:
    return form_field_list(form, table)


def build_form_class(runtime: AppRuntime, form_name: str, lang: str) -> type[FlaskForm]:
    form = runtime.spec.forms[form_name]
    table = runtime.spec.tables[form.table]
    attrs: dict[str, Any] = {}
    for name in form_field_names(form, table):
        spec = table.fields[name]
        label = runtime.text(spec.label, lang, name)
        attrs[name] = field_type(spec.type).form_field(label, spec, lang)
    return type(f"{runtime.name}_{form_name}_{lang}", (FlaskForm,), attrs)


def default_values(table: TableSpec, names: list[str]) -> dict[str, Any]:
    defaults = {}
    for name in names:
        spec = table.fields[name]
        if spec.default is not None:
            kind = field_type(spec.type)
            defaults[name] = kind.form_data(kind.parse_text(spec.default, spec))
    return defaults


def fill_reference_options(form: FlaskForm, runtime: AppRuntime, table: TableSpec, conn: sa.Connection, lang: str) -> None:
    for name, spec in table.fields.items():
        if spec.type == "reference" and name in form and spec.to:
            form[name].choices = select_choices([("", gettext("Choose…")), *reference_options(runtime, spec.to, conn)])


@dataclass
class Submission:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    kept_uploads: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_submission(
    form: FlaskForm, runtime: AppRuntime, form_spec: FormSpec, upload_dir: Path, lang: str,
    point_check: PointCheck | None = None,
) -> Submission:
    """Parse, apply `show_if`, and check every visible field; hidden fields are neither required nor stored."""
    table = runtime.spec.tables[form_spec.table]
    names = form_field_names(form_spec, table)
    result = Submission()
    parsed = _parse_fields(form, table, names, upload_dir, result)
    for name in names:
        spec = table.fields[name]
        if not condition_holds(spec.show_if, parsed):
            continue
        if name in result.errors:
            continue
        value = parsed.get(name)
        message = _field_problem(spec, value, lang, runtime, point_check)
        if message:
            result.errors[name] = message
        else:
            result.values[name] = value
    result.values.update(defaults_outside_form(table, names))
    result.errors = {name: result.errors[name] for name in names if name in result.errors}  # summary in form order
    return result


def defaults_outside_form(table: TableSpec, names: list[str]) -> dict[str, Any]:
    """Fields the form does not show start with their default (a report's status starts as `received`)."""
    values = {}
    for name, spec in table.fields.items():
        if name not in names and spec.default is not None and spec.derive is None:
            values[name] = field_type(spec.type).parse_text(spec.default, spec)
    return values


def _parse_fields(form: FlaskForm, table: TableSpec, names: list[str], upload_dir: Path, result: Submission) -> dict[str, Any]:
    parsed: dict[str, Any] = {}
    for name in names:
        spec = table.fields[name]
        try:
            if spec.type == "image":
                parsed[name] = _receive_image(form, name, spec, upload_dir, result)
            else:
                refuse_overlong(spec, form[name].data)
                parsed[name] = field_type(spec.type).parse_form(form[name])
        except InvalidValue as exc:
            result.errors[name] = value_message(exc.key, **exc.params)
    return parsed


def refuse_overlong(spec: FieldSpec, raw: Any) -> None:
    """Refuse text far beyond the field's limit before parsing it: parsers and patterns then only see short text.

    Twice the limit leaves room for what parsing removes (spaces, hyphens); the exact check follows the parse.
    """
    limit = max_length_of(spec)
    if limit is not None and isinstance(raw, str) and len(raw) > 2 * limit + 100:
        raise InvalidValue("too_long", limit=limit)


def _field_problem(spec: FieldSpec, value: Any, lang: str, runtime: AppRuntime, point_check: PointCheck | None) -> str | None:
    if is_empty(value):
        return _required_message(spec) if spec.required else None
    failure = check_value(spec, value)
    if failure:
        key, params = failure
        if key == "pattern":
            return runtime.text(spec.pattern_message, lang) or gettext("Please check the format of this answer.")
        return value_message(key, **params)
    if spec.type == "location" and point_check is not None:
        return point_check(runtime, value)
    return None


def _required_message(spec: FieldSpec) -> str:
    if spec.type == "boolean":
        return value_message("required_check")
    if spec.type in ("choice", "multichoice", "reference"):
        return value_message("required_choice")
    if spec.type == "location":
        return value_message("not_location")
    return value_message("required")


def _receive_image(form: FlaskForm, name: str, spec: FieldSpec, upload_dir: Path, result: Submission) -> str | None:
    """Save a new photo, or keep the one received with an earlier attempt, so a resident never uploads twice."""
    upload = form[name].data
    stored: str | None
    if isinstance(upload, FileStorage) and upload.filename:
        stored = save_image(upload, upload_dir, spec)
    else:
        stored = kept_photo(request.form.get(f"{name}_kept"), upload_dir)
    if stored:
        result.kept_uploads[name] = stored
    return stored


def save_image(upload: FileStorage, upload_dir: Path, spec: FieldSpec) -> str:
    """Read at most the field's size limit, then clean the photo (`lowcode.uploads`); OSError when the disk fails."""
    max_mb = spec.max_size_mb or 10
    data = upload.stream.read(int(max_mb * 1024 * 1024) + 1)
    if len(data) > max_mb * 1024 * 1024:
        raise InvalidValue("too_big_file", limit=_plain_number(max_mb))
    return receive_photo(data, upload_dir, spec.max_side_px)


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def unique_conflicts(runtime: AppRuntime, table_name: str, values: dict[str, Any], conn: sa.Connection) -> dict[str, str]:
    """Messages for values that must be unique but are taken, and for references to rows residents cannot see."""
    store = runtime.stores[table_name]
    conflicts = {}
    for name, value in values.items():
        field = store.spec.fields[name]
        if value in (None, ""):
            continue
        if field.unique and store.value_exists(conn, name, value):
            conflicts[name] = value_message("not_unique")
        elif field.type == "reference" and field.to and not reference_is_visible(runtime, field.to, value, conn):
            conflicts[name] = value_message("not_reference")
    return conflicts
