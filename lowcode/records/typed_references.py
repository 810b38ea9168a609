"""References to tables with more rows than a menu can hold (decisions: "Reference fields beyond a menu's size"):
the form asks for the row's title in a text box; these read the suggestions as the person types, the title shown
for the current value, and which rows a typed title names — always the rows the audience may see
(lowcode/references.py), so a hidden row's title is neither suggested nor accepted.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from ..audience import PUBLIC, Audience
from ..references import (
    TypedReference,
    exceeds_option_limit,
    matching_titles,
    menu_options,
    reference_options,
    rows_titled,
    titles_of_rows,
)
from ..runtime import AppRuntime
from ..values import InvalidValue, parse_row_id

ReferenceChoices = list[tuple[str, str]] | TypedReference
MAX_TYPED_TITLE = 200  # longer text names no row: it is not looked up


def reference_choices(
    runtime: AppRuntime, table_name: str, name: str, conn: sa.Connection, audience: Audience,
    chosen: Mapping[str, Any] | None,
) -> ReferenceChoices:
    """A form's reference `name`: its menu's options, or — when the audience sees more rows than a menu holds and
    the caller is a form (`chosen`: its current values) — a typed box showing the current value's title."""
    target = runtime.spec.tables[table_name].fields[name].to or ""
    if chosen is None:
        return reference_options(runtime, target, conn, audience)
    options = menu_options(runtime, target, conn, audience)
    if options is not None:
        return options
    shown = shown_title(runtime, target, chosen.get(name), conn, audience)
    return TypedReference(table_name, shown, staff=audience.role is not None)


def shown_title(runtime: AppRuntime, target: str, value: Any, conn: sa.Connection, audience: Audience) -> str:
    """What the box shows: a row id's title (empty for a row the audience may not see), else the text as typed."""
    if value in (None, ""):
        return ""
    try:
        row_id = parse_row_id(str(value))
    except InvalidValue:
        return str(value)
    return titles_of_rows(runtime, target, [row_id], conn, audience).get(row_id, "")


def query_suggestions(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, name: str, text: str, audience: Audience = PUBLIC,
) -> list[tuple[str, str]]:
    """(id, title) of the rows the reference `name` of `table_name` may name whose title contains `text`."""
    target = runtime.spec.tables[table_name].fields[name].to or ""
    if not text.strip():
        return []
    with engine.connect() as conn:
        return matching_titles(runtime, target, text.strip(), conn, audience)


def query_typed_titles(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, texts: Mapping[str, str], audience: Audience = PUBLIC,
) -> dict[str, list[int] | None]:
    """For each reference field → the text typed in its box: the visible rows with exactly that title (0, 1 or 2);
    None for a field the audience chooses from a menu (under the limit: the text is refused as any odd value is)."""
    fields = runtime.spec.tables[table_name].fields
    with engine.connect() as conn:
        return {name: typed_title_rows(runtime, fields[name].to or "", text, conn, audience) for name, text in texts.items()}


def typed_title_rows(runtime: AppRuntime, target: str, text: str, conn: sa.Connection, audience: Audience) -> list[int] | None:
    if not exceeds_option_limit(runtime, target, conn, audience):
        return None
    return rows_titled(runtime, target, text, conn, audience) if len(text) <= MAX_TYPED_TITLE else []
