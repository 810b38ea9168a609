"""Changing several rows at once from the staff queue: a status change, or an assignment (no Flask).

Each row is its own transaction (the same `records.change_status` / `records.assign` as on the record page): a row
that cannot take the change is skipped and named by its reference number, the others are done, and a failure half
way leaves the rows before it done — as if the staff member had clicked through them one by one. Rows the reader may
not see (an id typed by hand, a row outside a scoped role's scope) are counted, never named: their reference
numbers are not the reader's to learn.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from .. import audit
from ..audience import Audience
from ..records import RowNotFound
from ..records.assignment import NotAssignable, assign
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from .transitions import DONE, move_row

MAX_BULK_ROWS = 200  # four queue pages; a bound on one request's work
ROW_ID_LIMIT = 2**31 - 1


@dataclass
class BulkOutcome:
    """Reference numbers of the rows changed and of those skipped, and how many were not found."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    not_found: int = 0


def parse_row_ids(values: Iterable[str]) -> list[int]:
    """The ids of the ticked rows, in order, once each; anything not a row id is left out (never an error)."""
    ids: dict[int, None] = {}
    for value in values:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and 0 < int(text) <= ROW_ID_LIMIT:
            ids[int(text)] = None
    return list(ids)


def assigner(table: TableSpec, audiences: Sequence[Audience]) -> Audience | None:
    """The account's role that assigns rows of the table: the first that may `edit` it."""
    return next((a for a in audiences if a.may(table, "edit")), None)


def bulk_move(
    runtime: AppRuntime, engine: sa.Engine, table: str, ids: Sequence[int], new: str, *, audiences: Sequence[Audience],
    viewer: Audience, actor: audit.Actor, form: Mapping[str, str], message: str, lang: str,
) -> BulkOutcome:
    """Move each row to `new` with the role that may take its transition; the required fields and the message are
    the same for every row."""
    outcome = BulkOutcome()
    for row_id in ids:
        try:
            moved = move_row(runtime, engine, table, row_id, new, audiences=audiences, viewer=viewer, actor=actor,
                             form=form, message=message, lang=lang)
        except RowNotFound:
            outcome.not_found += 1
            continue
        (outcome.done if moved.outcome == DONE else outcome.skipped).append(moved.ref or f"#{row_id}")
    return outcome


def bulk_assign(
    runtime: AppRuntime, engine: sa.Engine, table: str, ids: Sequence[int], username: str | None, *,
    audience: Audience, actor: audit.Actor, refs: Mapping[int, str],
) -> BulkOutcome:
    """Give each row to `username` (None: nobody); a row the account may not be given is skipped. `refs`: the
    reference numbers of the rows the reader sees (to name the skipped ones)."""
    outcome = BulkOutcome()
    for row_id in ids:
        if row_id not in refs:
            outcome.not_found += 1
            continue
        try:
            assign(runtime, engine, table, row_id, username, audience=audience, actor=actor)
        except RowNotFound:
            outcome.not_found += 1
            continue
        except NotAssignable:
            outcome.skipped.append(refs[row_id])
            continue
        outcome.done.append(refs[row_id])
    return outcome
