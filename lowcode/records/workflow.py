"""The workflow's rules on writes: a new row starts in the `initial` status; a status changes only along a
transition the writer's role may take, from the row's current status, with the transition's required fields.

`records.writes` calls these (submit, update, change_status); the rules themselves (who may take which transition)
are in lowcode/roles.py, shared with the staff pages that offer the buttons.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..audience import Audience
from ..constraints import is_empty
from ..roles import find_transition
from ..spec.models import AppSpec, TableSpec
from ..spec.workflow import TransitionSpec
from .checks import required_message


class TransitionNotAllowed(PermissionError):
    """No transition of the workflow moves the row from its status to the one asked, for the writer's role: the
    staff page offers only `allowed_transitions`, so this is a stale page or a caller's mistake, not input."""


def start_in_initial_status(table: TableSpec, values: dict[str, Any], audience: Audience) -> None:
    """Every submission from a public form starts in the workflow's `initial` status, whatever it sent; a staff
    writer (a role) may give another status, else it starts there too."""
    workflow = table.workflow
    if workflow is None:
        return
    if audience.role is None or is_empty(values.get(workflow.field)):
        values[workflow.field] = workflow.initial


def seed_status(table: TableSpec, row: Mapping[str, Any]) -> dict[str, Any]:
    """A seed row as stored: its own status when the file gives one (demo data may be published already), else the
    workflow's `initial` — a row with no status could never be moved by any transition, nor shown."""
    workflow = table.workflow
    if workflow is None or not is_empty(row.get(workflow.field)):
        return dict(row)
    return {**row, workflow.field: workflow.initial}


def is_status_field(table: TableSpec, name: str) -> bool:
    return table.workflow is not None and table.workflow.field == name


def require_transition(
    app: AppSpec, table_name: str, current: Mapping[str, Any], new: str, audience: Audience
) -> TransitionSpec:
    """The transition from the row's status to `new` the audience may take; TransitionNotAllowed otherwise."""
    workflow = app.tables[table_name].workflow
    assert workflow is not None  # callers ask only for a workflow's field
    status = current.get(workflow.field)
    transition = find_transition(app, table_name, status, new, audience)
    if transition is None:
        raise TransitionNotAllowed(
            f"{table_name}: {audience.name} may not move a row from '{status}' to '{new}' (see the table's workflow)"
        )
    return transition


def missing_required(table: TableSpec, transition: TransitionSpec, row: Mapping[str, Any]) -> dict[str, str]:
    """A message per field the transition requires and the row (with the writer's answers) leaves empty."""
    return {name: required_message(table.fields[name]) for name in transition.require if is_blank(row.get(name))}


def is_blank(value: Any) -> bool:
    """Empty, or text of spaces only (a full-width space too): no reason at all, whoever the caller is."""
    return is_empty(value) or (isinstance(value, str) and not value.strip())
