"""POST routes of assignment and bulk changes: `/<app>/staff/tables/<table>/<id>/assign` (the record page's
"Assigned to" form) and `/<app>/staff/tables/<table>/bulk` (the queue's ticked rows: a status, or an assignee).

The bulk answer is the queue itself (same filters, from the form's query string) with what was done and skipped;
a refresh that posts again skips the rows already moved and re-assigns to the same account: nothing is done twice.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import audit
from ..records import RowNotFound
from ..records.assignment import ME, NOBODY, AssignNotAllowed, NotAssignable, assign, query_refs
from ..runtime import AppRuntime
from ..staff.accounts import Account
from ..staff.auth import current_staff, require_staff, staff_audiences
from ..staff.bulk import MAX_BULK_ROWS, BulkOutcome, assigner, bulk_assign, bulk_move, parse_row_ids
from ..staff.transitions import may_ever_take, required_for
from ..values import strip_controls
from .context import current_lang
from .engine import database_engine
from .staff_assignment import queue_extras
from .staff_pages import private
from .staff_records import ROW_ID_LIMIT, reader, render_queue, render_record


def add_staff_bulk_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.post("/staff/tables/<table_name>/<int:row_id>/assign")
    def staff_assign(table_name: str, row_id: int) -> ResponseReturnValue:
        refused = require_staff(runtime, table_name, "edit")  # who may assign: a role that may edit the table
        if refused is not None:
            return refused
        if row_id > ROW_ID_LIMIT or runtime.spec.tables[table_name].workflow is None:
            abort(404)
        return private(assign_one(runtime, table_name, row_id))

    @bp.post("/staff/tables/<table_name>/bulk")
    def staff_bulk(table_name: str) -> ResponseReturnValue:
        refused = require_staff(runtime, table_name, "view")
        if refused is not None:
            return refused
        if runtime.spec.tables[table_name].workflow is None:
            abort(404)
        return private(change_many(runtime, table_name))


def logged_in() -> Account:
    account = current_staff()
    assert account is not None  # require_staff has checked
    return account


def chosen_assignee(raw: str, account: Account) -> str | None:
    """The form's `assignee`: empty or `@nobody` → nobody, `@me` → the account, else a username."""
    raw = strip_controls(raw).strip()
    if raw in ("", NOBODY):
        return None
    return account.username if raw == ME else raw


def assign_one(runtime: AppRuntime, table_name: str, row_id: int) -> Response:
    account = logged_in()
    audience = assigner(runtime.spec.tables[table_name], staff_audiences(runtime, account))
    if audience is None:
        return Response(status=403)
    username = chosen_assignee(request.form.get("assignee", ""), account)
    try:
        assign(runtime, database_engine(), table_name, row_id, username, audience=audience,
               actor=audit.Actor(account.username, request.remote_addr))
    except RowNotFound:
        abort(404)
    except AssignNotAllowed:
        return Response(status=403)
    except NotAssignable:
        notice = gettext("%(name)s cannot be given this record: none of their roles may see it.", name=username)
        return render_record(runtime, table_name, row_id, reader(runtime, table_name), notice=notice, status=422)
    return redirect(url_for(f"{runtime.name}.staff_record", table_name=table_name, row_id=row_id), 303)


def change_many(runtime: AppRuntime, table_name: str) -> Response:
    """The bulk form's POST: `row` (the ticked rows), `op` (`status` or `assign`) and what that needs."""
    account = logged_in()
    ids = parse_row_ids(request.form.getlist("row"))
    op = request.form.get("op", "")
    if not ids:
        return refused_input(runtime, table_name, account, gettext("Select at least one record."))
    if len(ids) > MAX_BULK_ROWS:
        return refused_input(runtime, table_name, account,
                             gettext("Select at most %(max)s records at once.", max=MAX_BULK_ROWS), ids)
    if op == "assign":
        return assign_many(runtime, table_name, account, ids)
    if op == "status":
        return move_many(runtime, table_name, account, ids)
    return refused_input(runtime, table_name, account, gettext("Choose what to do with the selected records."), ids)


def assign_many(runtime: AppRuntime, table_name: str, account: Account, ids: list[int]) -> Response:
    audience = assigner(runtime.spec.tables[table_name], staff_audiences(runtime, account))
    if audience is None:
        return Response(status=403)
    engine = database_engine()
    viewer = reader(runtime, table_name)
    outcome = bulk_assign(runtime, engine, table_name, ids, chosen_assignee(request.form.get("assignee", ""), account),
                          audience=audience, actor=audit.Actor(account.username, request.remote_addr),
                          refs=query_refs(runtime, engine, table_name, ids, viewer))
    return show_outcome(runtime, table_name, account, outcome)


def move_many(runtime: AppRuntime, table_name: str, account: Account, ids: list[int]) -> Response:
    workflow = runtime.spec.tables[table_name].workflow
    assert workflow is not None
    audiences = staff_audiences(runtime, account)
    new = request.form.get("to", "").strip()
    if not new:
        return refused_input(runtime, table_name, account, gettext("Choose the status to change the records to."), ids)
    if not may_ever_take(workflow.transitions, new, audiences):
        return Response(status=403)
    missing = [n for n in required_for(runtime, table_name, new, audiences) if not request.form.get(n, "").strip()]
    if missing:
        labels = ", ".join(runtime.text(runtime.spec.tables[table_name].fields[n].label, current_lang(), n) for n in missing)
        return refused_input(runtime, table_name, account,
                             gettext("Fill in %(fields)s: this change needs it for every record.", fields=labels), ids)
    outcome = bulk_move(runtime, database_engine(), table_name, ids, new, audiences=audiences,
                        viewer=reader(runtime, table_name), actor=audit.Actor(account.username, request.remote_addr),
                        form=request.form, message=request.form.get("message", "").strip(), lang=current_lang())
    return show_outcome(runtime, table_name, account, outcome)


def typed_in_form() -> dict[str, str]:
    return {key: value for key, value in request.form.items() if key not in ("csrf_token", "row")}


def refused_input(runtime: AppRuntime, table_name: str, account: Account, error: str, ids: list[int] | None = None) -> Response:
    """The queue again (422) with why nothing was done; the ticks and what was typed are kept."""
    audience = reader(runtime, table_name)
    extras = queue_extras(runtime, table_name, audience, account, error=error, typed=typed_in_form(),
                          ticked=frozenset(ids or ()))
    return render_queue(runtime, table_name, audience, extras=extras, status=422)


def show_outcome(runtime: AppRuntime, table_name: str, account: Account, outcome: BulkOutcome) -> Response:
    audience = reader(runtime, table_name)
    extras = queue_extras(runtime, table_name, audience, account, outcome=outcome)
    return render_queue(runtime, table_name, audience, extras=extras)
