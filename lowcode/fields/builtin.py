"""The built-in field types."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, gettext
from flask_wtf.file import FileField
from wtforms import BooleanField, Field, RadioField, SelectField, SelectMultipleField, TextAreaField, widgets

from ..i18n import format_stored_datetime
from ..spec.models import FieldSpec
from ..values import parse_field_text, parse_location, parse_row_id, strip_controls, to_local_datetime
from .base import FieldType, register_field_type, select_choices

RADIO_LIMIT = 6  # up to this many choices show as radio buttons (one tap on a phone), more as a drop-down


@register_field_type
class TextType(FieldType):
    name = "text"


@register_field_type
class TextAreaType(FieldType):
    name = "textarea"

    def form_field(self, label: str, spec: FieldSpec, lang: str) -> Any:
        kw = self.render_kw(spec, lang)
        kw.pop("type")
        kw["rows"] = 5
        return TextAreaField(label, render_kw=kw)


@register_field_type
class IntegerType(FieldType):
    name = "integer"
    sql_type = sa.BigInteger
    input_mode = "numeric"


@register_field_type
class NumberType(FieldType):
    name = "number"
    sql_type = sa.Float
    input_mode = "decimal"


@register_field_type
class BooleanType(FieldType):
    name = "boolean"
    sql_type = sa.Boolean

    def form_field(self, label: str, spec: FieldSpec, lang: str) -> Any:
        return BooleanField(label, false_values=("false", "", "0", "off", "no"))

    def parse_form(self, field: Field) -> Any:
        return bool(field.data)

    def display(self, value: Any, spec: FieldSpec, lang: str) -> str:
        return "" if value is None else (gettext("Yes") if value else gettext("No"))

    def filter_options(self, spec: FieldSpec, lang: str) -> list[tuple[str, str]]:
        return [("true", gettext("Yes")), ("false", gettext("No"))]


@register_field_type
class DateType(FieldType):
    name = "date"
    sql_type = sa.Date
    input_type = "date"

    def form_data(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else value

    def display(self, value: Any, spec: FieldSpec, lang: str) -> str:
        return format_date(value, "medium") if isinstance(value, dt.date) else ""


@register_field_type
class DateTimeType(FieldType):
    name = "datetime"
    sql_type = sa.DateTime
    input_type = "datetime-local"

    def form_data(self, value: Any) -> Any:
        # Stored as naive UTC; the input shows the city's time, as the resident typed it.
        return to_local_datetime(value).strftime("%Y-%m-%dT%H:%M") if isinstance(value, dt.datetime) else value

    def display(self, value: Any, spec: FieldSpec, lang: str) -> str:
        return format_stored_datetime(value, lang) if isinstance(value, dt.datetime) else ""


@register_field_type
class ChoiceType(FieldType):
    name = "choice"
    sql_type = sa.String(64)

    def indexed(self, spec: FieldSpec) -> bool:
        return True

    def form_field(self, label: str, spec: FieldSpec, lang: str) -> Any:
        options = [(c.key, c.text(lang)) for c in spec.choices or ()]
        if len(options) <= RADIO_LIMIT:
            return RadioField(label, choices=select_choices(options), validate_choice=False)
        return SelectField(label, choices=select_choices([("", gettext("Choose…")), *options]), validate_choice=False)

    def parse_form(self, field: Field) -> Any:
        return strip_controls(field.data) if field.data else None

    def display(self, value: Any, spec: FieldSpec, lang: str) -> str:
        choice = spec.choice(value) if value is not None else None
        return choice.text(lang) if choice else ("" if value is None else str(value))


@register_field_type
class MultiChoiceType(FieldType):
    name = "multichoice"
    sql_type = sa.JSON

    def form_field(self, label: str, spec: FieldSpec, lang: str) -> Any:
        options = [(c.key, c.text(lang)) for c in spec.choices or ()]
        return SelectMultipleField(
            label, choices=select_choices(options), validate_choice=False,
            widget=widgets.ListWidget(prefix_label=False), option_widget=widgets.CheckboxInput(),
        )

    def parse_form(self, field: Field) -> Any:
        return [strip_controls(v) for v in field.data or []]

    def from_row(self, name: str, row: Mapping[str, Any]) -> Any:
        value = row.get(name)
        return json.loads(value) if isinstance(value, str) else (value or [])

    def display(self, value: Any, spec: FieldSpec, lang: str) -> str:
        return "、".join(ChoiceType().display(v, spec, lang) for v in value or [])


@register_field_type
class EmailType(FieldType):
    name = "email"
    input_type = "email"
    autocomplete = "email"


@register_field_type
class PhoneType(FieldType):
    name = "phone"
    input_type = "tel"
    autocomplete = "tel"


@register_field_type
class PostalCodeType(FieldType):
    name = "postal_code"
    input_mode = "numeric"
    autocomplete = "postal-code"


@register_field_type
class UrlType(FieldType):
    name = "url"
    input_type = "url"


@register_field_type
class ReferenceType(FieldType):
    name = "reference"
    sql_type = sa.Integer

    def indexed(self, spec: FieldSpec) -> bool:
        return True

    def form_field(self, label: str, spec: FieldSpec, lang: str) -> Any:
        # The engine fills the options from the target table when it builds the form instance.
        return SelectField(label, choices=[], validate_choice=False)

    def parse_form(self, field: Field) -> Any:
        return parse_row_id(str(field.data)) if field.data not in (None, "") else None


@register_field_type
class LocationType(FieldType):
    """A point, stored as two float columns in GeoJSON order (`<name>_lon`, `<name>_lat`)."""

    name = "location"

    def columns(self, name: str, spec: FieldSpec) -> list[sa.Column[Any]]:
        return [sa.Column(f"{name}_lon", sa.Float, nullable=True), sa.Column(f"{name}_lat", sa.Float, nullable=True)]

    def column_names(self, name: str) -> list[str]:
        return [f"{name}_lon", f"{name}_lat"]

    def form_field(self, label: str, spec: FieldSpec, lang: str) -> Any:
        return LocationField(label)

    def parse_form(self, field: Field) -> Any:
        return parse_location(*field.data) if field.data else None

    def to_columns(self, name: str, value: Any) -> dict[str, Any]:
        lon, lat = value if value else (None, None)
        return {f"{name}_lon": lon, f"{name}_lat": lat}

    def from_row(self, name: str, row: Mapping[str, Any]) -> Any:
        lon, lat = row.get(f"{name}_lon"), row.get(f"{name}_lat")
        return None if lon is None or lat is None else (lon, lat)

    def display(self, value: Any, spec: FieldSpec, lang: str) -> str:
        return "" if not value else f"{value[1]:.6f}, {value[0]:.6f}"


class LocationField(Field):
    """Two inputs, `<name>_lat` and `<name>_lon`, that work without JavaScript; a map picker may fill them."""

    data: tuple[Any, Any] | None

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors: list[Any] = []
        self.object_data = data
        self.raw_data = None
        if formdata is not None and (f"{self.name}_lat" in formdata or f"{self.name}_lon" in formdata):
            self.data = (formdata.get(f"{self.name}_lon", ""), formdata.get(f"{self.name}_lat", ""))
        else:
            self.data = (str(data[0]), str(data[1])) if data else None

    def _value(self) -> tuple[str, str]:
        return self.data if self.data else ("", "")

    @property
    def lon_text(self) -> str:
        return str(self._value()[0])

    @property
    def lat_text(self) -> str:
        return str(self._value()[1])


@register_field_type
class ImageType(FieldType):
    """A photo: the file lives in the instance folder, the column holds its generated name."""

    name = "image"

    def form_field(self, label: str, spec: FieldSpec, lang: str) -> Any:
        return FileField(label, render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif", "capture": "environment"})

    def parse_form(self, field: Field) -> Any:
        # Saving the upload needs the app's folders; the form module does it and puts the stored name in `data`.
        return getattr(field, "stored_name", None)


@register_field_type
class AreaType(FieldType):
    """A Polygon or MultiPolygon, for district and 町会 areas: GeoJSON text, drawn on a map when JavaScript runs."""

    name = "area"
    sql_type = sa.JSON

    def form_field(self, label: str, spec: FieldSpec, lang: str) -> Any:
        # The text box is the field; the map above it (lowcode-area.js) only writes into it and follows it.
        kw = {"rows": 4, "spellcheck": "false", "autocomplete": "off", "class": "lowcode-area-text",
              "placeholder": '{"type": "Polygon", "coordinates": [[[136.65, 36.56], [136.66, 36.56], [136.66, 36.57]]]}'}
        return TextAreaField(label, render_kw=kw)

    def form_data(self, value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value

    def parse_form(self, field: Field) -> Any:
        return parse_field_text("area", field.data)

    def from_row(self, name: str, row: Mapping[str, Any]) -> Any:
        value = row.get(name)
        return json.loads(value) if isinstance(value, str) else value

    def display(self, value: Any, spec: FieldSpec, lang: str) -> str:
        return "" if not value else str(value.get("type", ""))
