"""Which field names a row for people (in reference options, map popups, area names).

Its own small module, below models: the place checks need it while models is still importing them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import TableSpec


def title_field_of(table: TableSpec) -> str | None:
    """The table's `title_field`, else its first public text field, else None."""
    if table.title_field:
        return table.title_field
    return next((n for n, f in table.fields.items() if f.type == "text" and f.is_public), None)
