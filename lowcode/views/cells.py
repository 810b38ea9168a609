"""List cells: each column's way from stored values to what the page shows, worked out once per list and language.

`display_value` (views/context.py) stays the one rule for how a value is written for people. A column formatter
is that rule with its per-column decisions taken in advance (which type, which choice label in which language) and
applied to a whole column at once, so a page of 50 rows does not take them 150 times; a type without a shortcut
calls `display_value` for each value. A cell is Markup or plain text: the template's autoescape escapes the text
once (escaping it here too made every cell two Markup objects; item 39 of issue 7 counts them).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import Markup

from ..fields import field_type
from ..fields.base import FieldType
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from .context import display_value

Titles = dict[str, dict[int, str]]
Cell = Markup | str  # Markup is written as it is; text is escaped by the template
Formatter = Callable[[list[Any], Titles], list[Cell]]
# The types display_value treats itself (keep in step with it; tests/engine/test_page_queries.py compares the two).
SPECIAL_TYPES = frozenset({"location", "reference", "image", "url", "textarea"})


def column_formatters(runtime: AppRuntime, table_name: str, names: Sequence[str], lang: str) -> list[Formatter]:
    """The formatters of these columns, made on the first page in this language and kept for the app's lifetime."""
    key = ("column_formatters", table_name, tuple(names), lang)
    return runtime.once(key, lambda: [column_formatter(runtime, runtime.spec.tables[table_name], n, lang) for n in names])


def column_formatter(runtime: AppRuntime, table: TableSpec, name: str, lang: str) -> Formatter:
    spec = table.fields[name]

    def each(values: list[Any], titles: Titles) -> list[Cell]:
        return [display_value(runtime, table, name, v, lang, titles) for v in values]

    if spec.type == "choice":
        labels = {c.key: c.text(lang) for c in spec.choices or ()}
        return lambda values, titles: [labels[v] if v in labels else each([v], titles)[0] for v in values]
    if spec.type not in SPECIAL_TYPES and type(field_type(spec.type)).display is FieldType.display:
        return _plain_text  # display_value writes these as str(value), escaped
    return each


def _plain_text(values: list[Any], titles: Titles) -> list[Cell]:
    return ["" if v is None else v if isinstance(v, str) else str(v) for v in values]


def format_rows(formatters: Sequence[Formatter], names: Sequence[str], rows: Sequence[dict[str, Any]], titles: Titles) -> list[list[Cell]]:
    """Each row's cells, column by column: one formatter call per column, not one per cell."""
    columns = [fmt([row.get(name) for row in rows], titles) for fmt, name in zip(formatters, names)]
    return [list(cells) for cells in zip(*columns)] if columns else [[] for _ in rows]
