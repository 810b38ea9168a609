"""Taking a workflow transition for a logged-in account: the one rule the record page's buttons and the queue's bulk
changes share (no Flask: the views turn the outcome into a page).

`move_row` reads the row as the account reads the table, finds which of its roles may take the transition from the
row's *current* status (`queue.transition_audience`), and calls `records.change_status` with that role; the
resident's mail is queued by the records layer in the same transaction when there is a message.

Outcomes: `done` (stored), `invalid` (a required field left empty: `result.errors`, nothing stored), `moved_on`
(none of the roles may take it from the current status, but one may move rows to that status from elsewhere: the
row moved on since the page was made), `refused` (no role of the account ever may). RowNotFound passes through: a
row the reader may not see is the caller's 404 or "skipped".
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from .. import audit
from ..audience import Audience
from ..records import TransitionNotAllowed, WriteResult, change_status
from ..records.writes import read_row
from ..roles import find_transition, may_take
from ..runtime import AppRuntime
from ..spec.workflow import TransitionSpec
from ..values import strip_controls
from .queue import transition_audience

DONE, INVALID, MOVED_ON, REFUSED = "done", "invalid", "moved_on", "refused"


@dataclass(frozen=True)
class Moved:
    """What became of one row: the outcome, the write's result (done/invalid), the required fields as typed."""

    outcome: str
    ref: str | None = None
    result: WriteResult | None = None
    typed: dict[str, str] = field(default_factory=dict)


def move_row(
    runtime: AppRuntime, engine: sa.Engine, table_name: str, row_id: int, new: str, *, audiences: Sequence[Audience],
    viewer: Audience, actor: audit.Actor, form: Mapping[str, str], message: str, lang: str,
) -> Moved:
    """Move one row to status `new` with the role of the account that may; `form` holds the transition's required
    fields (stripped: a reason of spaces is no reason), `message` the text to the resident (empty: the YAML's)."""
    workflow = runtime.spec.tables[table_name].workflow
    if workflow is None:
        return Moved(REFUSED)
    row = read_row(runtime, engine, table_name, row_id, viewer)
    ref = row.get("ref")
    role = transition_audience(runtime.spec, table_name, row, new, audiences)
    transition = find_transition(runtime.spec, table_name, row.get(workflow.field), new, role) if role else None
    if role is None or transition is None:
        return Moved(MOVED_ON if may_ever_take(workflow.transitions, new, audiences) else REFUSED, ref)
    typed = {name: strip_controls(str(form.get(name, ""))).strip() for name in transition.require}
    message = strip_controls(message).strip()  # PostgreSQL refuses NUL in the mail's body; nobody types one
    try:
        result = change_status(runtime, engine, table_name, row_id, workflow.field, new, audience=role, lang=lang,
                               actor=actor, message=message or None, values=typed)
    except TransitionNotAllowed:  # moved on between our read and the write
        return Moved(MOVED_ON, ref)
    return Moved(INVALID if result.errors else DONE, ref, result, typed)


def may_ever_take(transitions: Sequence[TransitionSpec], new: str, audiences: Sequence[Audience]) -> bool:
    """Whether one of the account's roles may move some row to `new`: a button it was offered on an older page."""
    return any(t.to == new and may_take(t, a) for t in transitions for a in audiences)


def bulk_targets(runtime: AppRuntime, table_name: str, audiences: Sequence[Audience]) -> list[TransitionSpec]:
    """The statuses the queue offers for several rows at once: each status some role of the account may move rows to
    (once, the first transition's wording), in the YAML's order. A transition with `require:` fields is offered
    too: the bulk form asks its fields once, for every row."""
    workflow = runtime.spec.tables[table_name].workflow
    offered: dict[str, TransitionSpec] = {}
    for transition in workflow.transitions if workflow is not None else ():
        if any(may_take(transition, a) and a.may(runtime.spec.tables[table_name], "view") for a in audiences):
            offered.setdefault(transition.to, transition)
    return list(offered.values())


def required_for(runtime: AppRuntime, table_name: str, new: str, audiences: Sequence[Audience]) -> list[str]:
    """Every field some transition to `new` the account may take requires (asked once in the bulk form)."""
    workflow = runtime.spec.tables[table_name].workflow
    names: dict[str, None] = {}
    for transition in workflow.transitions if workflow is not None else ():
        if transition.to == new and any(may_take(transition, a) for a in audiences):
            names.update(dict.fromkeys(transition.require))
    return list(names)
