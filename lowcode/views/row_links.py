"""A list's `link:` (lowcode/spec/row_links.py) as addresses: each row's link to a form, filled from the row's
values as the public sees them (a reference as its row id, a choice as its key). The form checks every value
again when the page opens (lowcode/views/prefill.py); the template escapes the address like any other."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import url_for

from ..records.queries import Titles
from ..runtime import AppRuntime
from ..spec.models import ListSpec


@dataclass(frozen=True)
class RowLink:
    base: str  # the form's address
    label: str
    fill: Mapping[str, str]  # form field → the row's field
    references: frozenset[str] = frozenset()  # the row's fields among `fill` that are references

    def url(self, row: Mapping[str, Any], titles: Titles) -> str:
        """`titles`: the reference titles the page shows (rows the reader may see); a reference to any other row
        is left out of the address, as the page shows nothing of it (not even its id)."""
        pairs = [(target, text) for target, source in self.fill.items() if self.shown(row, source, titles)
                 for text in link_texts(row.get(source))]
        return f"{self.base}?{urlencode(pairs)}" if pairs else self.base

    def shown(self, row: Mapping[str, Any], source: str, titles: Titles) -> bool:
        return source not in self.references or row.get(source) in titles.get(source, {})


def link_texts(value: Any) -> list[str]:
    """A stored value as the text(s) a form reads back: a multichoice's keys one by one, a date in ISO 8601."""
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, (dt.date, dt.time)):
        return [value.isoformat()]
    return [str(value)]


def row_link(runtime: AppRuntime, spec: ListSpec, lang: str) -> RowLink | None:
    link = spec.link
    if link is None:
        return None
    form = runtime.spec.forms[link.form]
    label = runtime.text(link.label, lang, "") or runtime.text(form.title, lang, link.form)
    table = runtime.spec.tables[spec.table]
    references = frozenset(source for source in link.fill.values()
                           if source in table.fields and table.fields[source].type == "reference")
    return RowLink(url_for(f"{runtime.name}.form_page", form_name=link.form), label, dict(link.fill), references)
