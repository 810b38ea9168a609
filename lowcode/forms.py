"""Forms: WTForms classes built from a form spec, and reading what a resident sent into values (checking them and
storing them is the records layer's work, lowcode/records/)."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import request
from flask_babel import gettext
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage

from .constraints import max_length_of
from .fields import field_type
from .fields.base import select_choices
from .messages import value_message
from .references import TypedReference
from .runtime import AppRuntime
from .spec.models import FieldSpec, FormSpec, TableSpec
from .spec.privacy import form_field_list
from .uploads import kept_photo, receive_photo
from .values import InvalidValue


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


def fill_reference_options(
    form: FlaskForm, options: Mapping[str, list[tuple[str, str]] | TypedReference], fixed: Collection[str] = (),
) -> None:
    """The drop-downs of reference fields, from `records.query_options` (the rows the resident may choose). A field
    in `fixed` (a scoped role's scope field, offered its own row only) has that one option, chosen: no "Choose…".
    A `TypedReference` (more rows than a menu holds) is kept on the field: the template draws a text box for it."""
    for name, pairs in options.items():
        if isinstance(pairs, TypedReference):
            if name in form:
                form[name].typed_reference = pairs
        elif name in fixed and name in form:
            form[name].choices = select_choices(pairs)
            form[name].data = pairs[0][0] if pairs else None
        elif name in form:
            form[name].choices = select_choices([("", gettext("Choose…")), *pairs])


def fix_scope_choices(form: FlaskForm, table: TableSpec, scope: Mapping[str, Any], lang: str) -> None:
    """A scoped role's scope field of type choice (a ward's account: `ward`) offers its own choice only, chosen, as
    its reference scope field offers its own row: any other would be stored as its own (`records.keep_in_scope`)."""
    own = {}
    for name, account_value in scope.items():
        choice = table.fields[name].choice(str(account_value)) if table.fields[name].type == "choice" else None
        if choice is not None:
            own[name] = [(choice.key, choice.text(lang))]
    fill_reference_options(form, own, own)


@dataclass
class Submission:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    kept_uploads: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_submission(form: FlaskForm, runtime: AppRuntime, form_spec: FormSpec, upload_dir: Path) -> Submission:
    """What the resident sent, as values to check (`lowcode.records`): a text that cannot be read (a letter in a
    number) is refused here; photos are received into the pending folder. Nothing else is judged here."""
    table = runtime.spec.tables[form_spec.table]
    result = Submission()
    result.values = _parse_fields(form, table, form_field_names(form_spec, table), upload_dir, result)
    return result


def read_fields(form: FlaskForm, table: TableSpec, names: list[str], upload_dir: Path) -> Submission:
    """What a form of `names` sent (a staff member's edit of a stored row), read as `read_submission` reads a form's;
    an image field without a new photo reads as None."""
    result = Submission()
    result.values = _parse_fields(form, table, names, upload_dir, result)
    return result


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

