"""Audit entries as a staff reader may see them: the record page's history and the audit page share this.

An entry's before/after values are cut to the fields the reader's audience may see in the entry's table
(`visible_values`); keys starting with "@" are not fields but what the office wrote (the message to the resident,
an internal note) and stay. An entry of a table the YAML no longer has shows no values: nobody can say who may see them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from markupsafe import Markup

from .. import audit
from ..audience import Audience
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from ..storage import ASSIGNEE_COLUMN


@dataclass(frozen=True)
class Change:
    """One line of an entry: a field the reader may see, before and after (as shown)."""

    label: str
    before: Markup
    after: Markup


@dataclass(frozen=True)
class HistoryEntry:
    entry: audit.AuditEntry
    changes: list[Change]
    message: str


def visible_values(runtime: AppRuntime, entry: audit.AuditEntry, audience: Audience) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The entry's before and after with only the fields `audience` may see (and the office's "@" keys)."""
    table = runtime.spec.tables.get(entry.table) if entry.table else None

    def cut(values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None:
            return None
        if table is None:
            return {}
        return {k: v for k, v in values.items()
                if k.startswith("@") or (k in table.fields and audience.can_see_field(table, k))}

    return cut(entry.before), cut(entry.after)


def history_entry(runtime: AppRuntime, table: TableSpec | None, entry: audit.AuditEntry, audience: Audience,
                  lang: str) -> HistoryEntry:
    if table is None:
        return HistoryEntry(entry, [], "")
    before, after = entry.before or {}, entry.after or {}
    names = [n for n in table.fields if (n in before or n in after) and audience.can_see_field(table, n)]
    changes = [Change(runtime.text(table.fields[n].label, lang, n), logged_value(runtime, table, n, before.get(n), lang),
                      logged_value(runtime, table, n, after.get(n), lang)) for n in names]
    changes += assignee_change(before, after)
    message = after.get(audit.RESIDENT_MESSAGE)
    text = message.get(lang) or next(iter(message.values()), "") if isinstance(message, dict) else message or ""
    return HistoryEntry(entry, changes, str(text))


def assignee_change(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """An `assign` entry's staff names (records.assign): every reader of the table sees who holds a row."""
    if ASSIGNEE_COLUMN not in before and ASSIGNEE_COLUMN not in after:
        return []
    return [Change(gettext("Assigned to"), Markup.escape(before.get(ASSIGNEE_COLUMN) or ""),
                   Markup.escape(after.get(ASSIGNEE_COLUMN) or ""))]


def logged_value(runtime: AppRuntime, table: TableSpec, name: str, value: Any, lang: str) -> Markup:
    """A value as the audit kept it (JSON: a choice's key, a date's text): choices by label, the rest as text."""
    if value is None or value == "":
        return Markup("")
    if table.fields[name].type == "choice":
        return Markup.escape(choice_label(table, name, value, lang))
    return Markup.escape(str(value))


def choice_label(table: TableSpec, name: str, key: Any, lang: str) -> str:
    choice = next((c for c in table.fields[name].choices or () if c.key == key), None)
    return choice.text(lang) if choice is not None else str(key)
