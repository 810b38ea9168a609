"""Staff roles and workflow transitions, from the app's YAML to the audience rule.

API (the accounts, the staff pages and `records.change_status` call only these):

- `app_roles(app) -> {name: Role}`: every role of `roles:`, and `admin` (may do everything) when not written.
- `role_audience(app, role_name, scope_value=None) -> Audience`: what an account with that role sees and changes;
  `scope_value` is the account's value its `scope:` fields are matched against (`lowcode user add --scope`).
  UnknownRole for a role the app does not define.
- `allowed_transitions(app, table_name, row, audience) -> [TransitionSpec]`: the buttons a staff page offers for a
  row (a mapping holding at least the workflow's field), in the YAML's order.
- `find_transition(app, table_name, current, new, audience)`: the transition that moves a row from `current` to
  `new` for that audience, or None.

Pure like audience.py: spec objects in, answers out.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .audience import Audience, Role, TablePermission, staff_audience
from .spec.models import AppSpec
from .spec.workflow import ACTIONS, ADMIN_ROLE, RoleSpec, TransitionSpec, role_spec


class UnknownRole(LookupError):
    """A role name the app's `roles:` does not define (an account left from an older YAML, say)."""


def app_roles(app: AppSpec) -> dict[str, Role]:
    """Every role the app defines, by name, `admin` included."""
    names = list(app.roles) if ADMIN_ROLE in app.roles else [*app.roles, ADMIN_ROLE]
    return {name: build_role(app, name) for name in names}


def build_role(app: AppSpec, name: str) -> Role:
    """The audience's `Role` for one role of the YAML: a permission per table it may act on."""
    spec = role_spec(app, name)
    if spec is None:
        raise UnknownRole(name)
    tables = tuple((table, permission) for table in app.tables if (permission := _permission(spec, table)) is not None)
    return Role(name, tables=tables, every_transition=spec.all)


def _permission(spec: RoleSpec, table_name: str) -> TablePermission | None:
    actions = spec.actions(table_name)
    if not actions:
        return None
    others = actions & frozenset(ACTIONS) - {"view", "edit", "see_private"}
    return TablePermission(view=True, change="edit" in actions, see_private="see_private" in actions,
                           scope_field=spec.scope.get(table_name), actions=frozenset(others))


def role_audience(app: AppSpec, role_name: str, scope_value: Any = None) -> Audience:
    """The audience of an account holding `role_name` (with its scope value, for scoped roles)."""
    return staff_audience(app, build_role(app, role_name), scope_value)


def may_take(transition: TransitionSpec, audience: Audience) -> bool:
    role = audience.role
    return role is not None and (role.every_transition or role.name in transition.roles)


def allowed_transitions(app: AppSpec, table_name: str, row: Mapping[str, Any], audience: Audience) -> list[TransitionSpec]:
    """The transitions the audience may take from the row's current status (none without a workflow, or for
    a table the audience may not view)."""
    table = app.tables[table_name]
    workflow = table.workflow
    if workflow is None or not audience.may(table, "view"):
        return []
    status = row.get(workflow.field)
    return [t for t in workflow.transitions if t.leaves(status) and may_take(t, audience)]


def find_transition(
    app: AppSpec, table_name: str, current: str | None, new: str, audience: Audience
) -> TransitionSpec | None:
    workflow = app.tables[table_name].workflow
    row = {workflow.field: current} if workflow is not None else {}
    return next((t for t in allowed_transitions(app, table_name, row, audience) if t.to == new), None)
