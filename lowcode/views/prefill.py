"""A form prefilled from its link: `/<app>/forms/join?town=広坂一丁目&district=3` (GET only).

Each parameter that names a field of the form is read and checked like a submitted value (its type, its choices,
its limits, the service area); a reference must name a row the writer may choose (lowcode/references.py). A value
that fails, an unknown parameter, or a field the form does not ask is simply ignored: a link is an offer, never an
error. A private field is filled only in the resident's own form (it is what the resident would type); nothing is
stored until the resident sends the form. Photos, areas and points are never filled from a link.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from werkzeug.datastructures import MultiDict

from ..audience import Audience
from ..constraints import is_empty
from ..fields import field_type
from ..records import hidden_references
from ..records.checks import field_problem
from ..runtime import AppRuntime
from ..values import InvalidValue
from .engine import database_engine

NOT_FROM_A_LINK = ("image", "area", "location")
MAX_LINK_VALUE = 2000  # characters: a longer value is no value a link of this site builds


def prefilled_values(runtime: AppRuntime, table_name: str, names: Sequence[str], args: MultiDict[str, str],
                     audience: Audience, lang: str) -> dict[str, Any]:
    """Form data (as `FieldType.form_data` gives it) for the form's fields the link names with a valid value."""
    table = runtime.spec.tables[table_name]
    values: dict[str, Any] = {}
    for name in names:
        spec = table.fields[name]
        raw = args.getlist(name)
        if not raw or spec.type in NOT_FROM_A_LINK or any(len(r) > MAX_LINK_VALUE for r in raw):
            continue
        kind = field_type(spec.type)
        try:  # a multichoice as `?categories=snow&categories=cleaning` or `?categories=snow,cleaning`
            value = kind.parse_text([p for r in raw for p in r.split(",")] if spec.type == "multichoice" else raw[-1], spec)
        except (InvalidValue, ValueError, TypeError):
            continue
        if is_empty(value) or field_problem(runtime, spec, value, lang):
            continue
        values[name] = value
    references = {n: v for n, v in values.items() if table.fields[n].type == "reference" and table.fields[n].to}
    for name in hidden_references(runtime, database_engine(), table_name, references, audience) if references else ():
        del values[name]  # a row the writer may not choose: as if the link had not named it
    return {name: field_type(table.fields[name].type).form_data(value) for name, value in values.items()}
