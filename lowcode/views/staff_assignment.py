"""What assignment and bulk changes add to the staff queue and record pages (templates `_staff_assign.html`,
`_staff_queue_filters.html`, `_staff_bulk.html`): the assignee and area filters, the assignee column, the bulk form's
choices, and the record page's "Assigned to" form. Reads go through the records layer; no SQL here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import request, url_for

from ..audience import Audience
from ..records.assignment import ANYONE, ME, NOBODY, eligible_assignees, has_assignee, query_assignee
from ..runtime import AppRuntime
from ..spec.workflow import TransitionSpec
from ..staff.accounts import Account
from ..staff.auth import staff_audiences
from ..staff.bulk import BulkOutcome, assigner
from ..staff.queue_filters import QueueFilterChoices, queue_arg, queue_filter_choices, queue_filter_clauses
from ..staff.transitions import bulk_targets, required_for
from ..storage import ASSIGNEE_COLUMN
from .context import current_lang
from .engine import database_engine

QUEUE_SYSTEM = ("id", "ref", "created_at")


@dataclass(frozen=True)
class QueueExtras:
    """The queue's extra SQL (for records.query_page), its system columns, and what its templates show."""

    clauses: list[Any]
    system: tuple[str, ...]
    context: dict[str, Any]


@dataclass(frozen=True)
class BulkForm:
    """The queue's bulk form: target statuses, the fields they require (asked once), eligible assignees; and, after
    a POST, what was done (or why nothing was) with what was typed."""

    action: str  # the POST address, with the queue's query string (the answer keeps its filters)
    targets: list[tuple[str, str]]  # status key, its label
    required: list[tuple[str, str, str]]  # a field some target requires (asked once for every row), its label, for which
    assignees: list[str]
    may_assign: bool
    outcome: BulkOutcome | None = None
    error: str = ""
    typed: dict[str, str] = field(default_factory=dict)
    ticked: frozenset[int] = frozenset()


def queue_extras(
    runtime: AppRuntime, table_name: str, audience: Audience, account: Account, *, outcome: BulkOutcome | None = None,
    error: str = "", typed: dict[str, str] | None = None, ticked: frozenset[int] = frozenset(),
) -> QueueExtras:
    engine = database_engine()
    assigned = has_assignee(runtime, table_name)
    choices = queue_filter_choices(runtime, engine, table_name, audience)
    clauses = queue_filter_clauses(runtime, engine, table_name, request.args, audience, account.username)
    audiences = staff_audiences(runtime, account)
    table = runtime.spec.tables[table_name]
    targets = bulk_targets(runtime, table_name, audiences)
    query = urlencode(list(request.args.items(multi=True)))
    action = url_for(f"{runtime.name}.staff_bulk", table_name=table_name) + (f"?{query}" if query else "")
    bulk = BulkForm(action, [(t.to, status_label(runtime, table_name, t.to)) for t in targets],
                    required_fields(runtime, table_name, targets, audiences), choices.assignees,
                    assigner(table, audiences) is not None, outcome, error, typed or {}, ticked)
    context = {"assignee_column": assigned, "queue_choices": choices, "bulk": bulk,
               "bulk_rows": bool(bulk.targets) or bulk.may_assign,
               "assignee_filter": assignee_filter(choices, queue_arg(request.args, "assignee")),
               "area_filter": queue_arg(request.args, "area"), "me": account.username}
    return QueueExtras(clauses, (*QUEUE_SYSTEM, ASSIGNEE_COLUMN) if assigned else QUEUE_SYSTEM, context)


def status_label(runtime: AppRuntime, table_name: str, key: str) -> str:
    table = runtime.spec.tables[table_name]
    status = table.fields[table.workflow.field] if table.workflow is not None else None
    choice = next((c for c in (status.choices if status is not None else None) or () if c.key == key), None)
    return choice.text(current_lang()) if choice is not None else key


def required_fields(
    runtime: AppRuntime, table_name: str, targets: list[TransitionSpec], audiences: list[Audience],
) -> list[tuple[str, str, str]]:
    """(field, its label, the statuses it is needed for) for each field a move to a target may require (the bulk
    POST asks the same, `required_for`), in the table's order."""
    fields = runtime.spec.tables[table_name].fields
    needs = {t.to: required_for(runtime, table_name, t.to, audiences) for t in targets}
    names = sorted({n for names in needs.values() for n in names}, key=list(fields).index)
    lang = current_lang()
    return [(n, runtime.text(fields[n].label, lang, n),
             ", ".join(status_label(runtime, table_name, to) for to, names in needs.items() if n in names)) for n in names]


def assignee_filter(choices: QueueFilterChoices, selected: str) -> dict[str, Any]:
    """The assignee menu: anyone, me, nobody, then each account; `selected` as asked (an unknown one stays shown)."""
    return {"selected": selected, "fixed": (ANYONE, ME, NOBODY), "accounts": choices.assignees}


@dataclass(frozen=True)
class AssignPanel:
    """The record page's "Assigned to": who holds the row, and the form when the account may assign."""

    current: str | None
    options: list[str]
    may_assign: bool
    me: str
    me_eligible: bool


def assign_panel(runtime: AppRuntime, table_name: str, row_id: int, viewer: Audience, account: Account) -> AssignPanel | None:
    """None for a table without workflow (no assignee)."""
    if not has_assignee(runtime, table_name):
        return None
    engine = database_engine()
    table = runtime.spec.tables[table_name]
    may = assigner(table, staff_audiences(runtime, account)) is not None
    options = eligible_assignees(runtime, engine, table_name, row_id) if may else []
    current = query_assignee(runtime, engine, table_name, row_id, viewer)
    return AssignPanel(current, options, may, account.username, account.username in options)
