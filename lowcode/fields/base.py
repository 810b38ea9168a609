"""The contract every field type keeps: database columns, form input, parsing, display."""
from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any, ClassVar

import sqlalchemy as sa
from wtforms import Field, StringField
from wtforms.fields.choices import SelectChoice

from ..constraints import max_length_of
from ..spec.fieldtypes import field_kind
from ..spec.models import FieldSpec
from ..values import parse_field_text, parse_scalar


class FieldType:
    """A field type: the built-ins register exactly as a plugin would."""

    name: ClassVar[str]
    sql_type: ClassVar[Any] = sa.Text
    input_type: ClassVar[str] = "text"
    input_mode: ClassVar[str | None] = None
    autocomplete: ClassVar[str | None] = None

    def columns(self, name: str, spec: FieldSpec) -> list[sa.Column[Any]]:
        return [sa.Column(name, self.sql_type, nullable=True, index=self.indexed(spec))]

    def indexed(self, spec: FieldSpec) -> bool:
        return spec.unique

    def form_field(self, label: str, spec: FieldSpec, lang: str) -> Any:
        """An unbound WTForms field; the engine's validation (not WTForms validators) decides what is valid."""
        return StringField(label, render_kw=self.render_kw(spec, lang))

    def render_kw(self, spec: FieldSpec, lang: str) -> dict[str, Any]:
        attrs: dict[str, Any] = {"type": self.input_type}
        if self.input_mode:
            attrs["inputmode"] = self.input_mode
        if self.autocomplete:
            attrs["autocomplete"] = self.autocomplete
        if spec.placeholder:
            attrs["placeholder"] = spec.placeholder.get(lang)
        limit = max_length_of(spec)
        if limit is not None:
            attrs["maxlength"] = limit  # the server checks the same limit; the browser stops typing at it
        return attrs

    def parse_form(self, field: Field) -> Any:
        """The value to store from what the resident sent; raises InvalidValue."""
        return parse_scalar(self.name, field.data)

    def parse_text(self, raw: Any, spec: FieldSpec) -> Any:
        """The value to store from text in a seed file, a default or a filter."""
        return parse_field_text(self.name, raw)

    def to_columns(self, name: str, value: Any) -> dict[str, Any]:
        return {name: value}

    def from_row(self, name: str, row: Mapping[str, Any]) -> Any:
        return row.get(name)

    def form_data(self, value: Any) -> Any:
        """What the form input shows for a stored or default value."""
        return value

    def display(self, value: Any, spec: FieldSpec, lang: str) -> str:
        return "" if value is None else str(value)

    def column_names(self, name: str) -> list[str]:
        return [name]

    def filter_options(self, spec: FieldSpec, lang: str) -> list[tuple[str, str]]:
        """(value, label) of a list's filter menu for a filterable type (`FieldKind.filterable`); the value is
        read back with `parse_text`. A reference's options are the rows the reader may see (the records layer)."""
        return [(c.key, c.text(lang)) for c in spec.choices or ()]


def select_choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


FIELD_TYPES: dict[str, FieldType] = {}


def register_field_type(cls: type[FieldType]) -> type[FieldType]:
    FIELD_TYPES[cls.name] = cls()
    return cls


def field_type(name: str) -> FieldType:
    """The engine half of a type: a built-in, or the class a plug-in's `FieldKind.engine` names, imported once."""
    found = FIELD_TYPES.get(name)
    return found if found is not None else _load_engine_half(name)


def _load_engine_half(name: str) -> FieldType:
    kind = field_kind(name)
    if kind is None:
        raise KeyError(name)  # the spec check refuses unknown types before any engine code runs
    module_name, _, class_name = kind.engine.partition(":")
    try:
        cls = getattr(import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:  # the installed package is broken: say which one, not just where
        raise LookupError(f"the field type {name!r} names its engine part {kind.engine!r}, which cannot be loaded: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, FieldType)) or cls.name != name:
        raise TypeError(f"{kind.engine} is not the FieldType of {name!r}")
    register_field_type(cls)
    return FIELD_TYPES[name]
