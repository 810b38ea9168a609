"""`--where field=value`: the command line's simple filter, checked against the fields the audience may export.

A value is the stored value as written in a seed file: a choice's key (or one of its labels, which is turned into
the key), a referenced row's id, a date, a number, text compared whole. A mistake is an `ExportError` naming the
field or value, with did-you-mean and the valid options: never a traceback, never an export of the wrong rows.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..fields import field_type
from ..spec.base import Text
from ..spec.models import Condition, FieldSpec, TableSpec
from ..spec.problems import did_you_mean_text, suggest
from ..values import InvalidValue
from ..words import N_

NOT_FILTERABLE = frozenset({"location", "area", "image"})
NOT_A_CHOICE = N_("--where %(field)s=%(value)s: %(value)s is not a choice of %(field)s. %(hint)sIts choices: %(choices)s.")


class ExportError(ValueError):
    """A request that cannot be exported, said plainly: a msgid (`template`) and its values."""

    def __init__(self, template: str, **values: str) -> None:
        super().__init__(template % values)
        self.template = template
        self.values = values


def where_conditions(table: TableSpec, fields: Sequence[str], written: Sequence[str], lang: str) -> list[Condition]:
    """One condition per `--where` (all must hold); `fields` are those the reader may export."""
    return [where_condition(table, fields, text, lang) for text in written]


def where_condition(table: TableSpec, fields: Sequence[str], text: str, lang: str) -> Condition:
    name, equals, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not equals or not name:
        raise ExportError(N_("--where %(text)s: write it as field=value, e.g. --where status=published."), text=text)
    if name not in fields:
        raise ExportError(N_("--where: there is no field %(field)s you may export. %(hint)sIts fields: %(fields)s."),
                          field=name, hint=hint(suggest(name, fields), lang), fields=", ".join(fields))
    spec = table.fields[name]
    if spec.type in NOT_FILTERABLE:
        raise ExportError(N_("--where %(field)s: a field of type %(type)s cannot be compared with a value."),
                          field=name, type=spec.type)
    if spec.type in ("choice", "multichoice"):
        return {name: choice_key(name, spec, value, lang)}
    try:
        field_type(spec.type).parse_text(value, spec)
    except InvalidValue:
        raise ExportError(N_("--where %(field)s=%(value)s: %(value)s is not a value of a %(type)s field."),
                          field=name, value=value, type=spec.type) from None
    return {name: value}


def choice_key(name: str, spec: FieldSpec, value: str, lang: str) -> str:
    """The key of the choice written by its key or by one of its labels."""
    choices = spec.choices or ()
    for choice in choices:
        if value == choice.key or (choice.label is not None and value in label_texts(choice.label)):
            return choice.key
    keys = [choice.key for choice in choices]
    raise ExportError(NOT_A_CHOICE, field=name, value=value, hint=hint(suggest(value, keys), lang), choices=", ".join(keys))


def label_texts(label: Text) -> list[str]:
    data = label.as_data()
    return [data] if isinstance(data, str) else list(data.values())


def hint(suggestions: Sequence[str], lang: str) -> str:
    return did_you_mean_text(suggestions, lang) + " " if suggestions else ""
