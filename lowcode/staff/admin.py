"""Who may read the audit log and the outbox of an app: an account holding a role with `all: true` there (`admin`).

Both hold what no narrower role may see: the audit keeps the values of every field of every table (private ones
too) and every staff member's logins with their addresses; the outbox holds residents' e-mail addresses. A role
with `see_private` on one table must not read another table's private values through them, so the rule is not
"a role that may see_private somewhere" but "a role that may do everything, unscoped".
"""
from __future__ import annotations

from werkzeug.wrappers import Response

from ..audience import Audience
from ..roles import role_audience
from ..runtime import AppRuntime
from ..spec.workflow import role_spec
from .accounts import Account
from .auth import current_staff, require_staff, staff_grants


def admin_audience(runtime: AppRuntime, account: Account | None) -> Audience | None:
    """The audience of the account's first `all: true` role in the app, or None."""
    for grant in staff_grants(runtime, account):
        spec = role_spec(runtime.spec, grant.role)
        if spec is not None and spec.all and not spec.scope:  # a scoped role would read others' rows here
            return role_audience(runtime.spec, grant.role, grant.scope_value)
    return None


def require_admin(runtime: AppRuntime) -> Response | None:
    """As `require_staff`: None when the account may read the audit and outbox, else a 302 to login or a 403."""
    refused = require_staff(runtime)
    if refused is not None:
        return refused
    return None if admin_audience(runtime, current_staff()) is not None else Response(status=403)
