"""Who fills a form: the public for `access: public` forms, a logged-in staff member for `access: staff` ones.

A staff form is served only to an account holding, in this app, a role that may `create` in the form's table;
everyone else gets the same 404 as for a form that does not exist (the public cannot even learn it is there).
The submission is stored with that role's audience (its fields, its reference options, a status it may give)
and recorded in the audit log under the account's name and the client's address.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import request

from ..audience import PUBLIC, Audience
from ..audit import RESIDENT, Actor
from ..runtime import AppRuntime
from ..spec.models import FormSpec
from ..staff.auth import current_staff, staff_audiences


@dataclass(frozen=True)
class FormWriter:
    audience: Audience
    actor: Actor
    staff: bool  # a staff page: its answers are never cached


PUBLIC_WRITER = FormWriter(PUBLIC, RESIDENT, staff=False)


def form_writer(runtime: AppRuntime, spec: FormSpec) -> FormWriter | None:
    """Who may fill `spec` in this request, or None (answer 404). Public forms never read the staff session."""
    if spec.access == "public":
        return PUBLIC_WRITER
    account = current_staff()
    if account is None:
        return None
    table = runtime.spec.tables[spec.table]
    audience = next((a for a in staff_audiences(runtime, account) if a.may(table, "create")), None)
    if audience is None:
        return None
    return FormWriter(audience, Actor(account.username, request.remote_addr), staff=True)
