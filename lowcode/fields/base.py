"""The contract every field type keeps: database columns, form input, parsing, display."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import sqlalchemy as sa
from wtforms import Field, StringField
from wtforms.fields.choices import SelectChoice

from ..constraints import max_length_of
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


def select_choices(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


FIELD_TYPES: dict[str, FieldType] = {}


def register_field_type(cls: type[FieldType]) -> type[FieldType]:
    FIELD_TYPES[cls.name] = cls()
    return cls


def field_type(name: str) -> FieldType:
    return FIELD_TYPES[name]
