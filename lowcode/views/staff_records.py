"""The staff queue `/<app>/staff/tables/<table>` and record page `/<app>/staff/tables/<table>/<id>`.

Reads go through the records layer with the account's role (lowcode/staff/queue.py chooses which); a status change
is `records.change_status` with the account as the audit's actor; the records layer queues the resident's mail in
the same transaction when the transition carries a message. Every route starts with `require_staff`; answers are `no-store`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from markupsafe import Markup
from werkzeug.wrappers import Response

from .. import audit
from ..audience import Audience
from ..fields import field_type
from ..mail.notify import local_time_text
from ..matching.proposal_reads import query_request_proposals
from ..records import RowNotFound, page_request, query_page, query_row
from ..records.history import query_history
from ..records.notes import NOTE_KEY
from ..records.photos import query_photo_visible
from ..roles import allowed_transitions
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from ..spec.workflow import TransitionSpec
from ..staff.auth import current_staff, require_staff, staff_audiences
from ..staff.editing import editing_role
from ..staff.queue import queue_list, status_counts, table_audience
from ..staff.transitions import INVALID, MOVED_ON, REFUSED, move_row
from ..templating import app_template
from ..uploads import STORED_IMAGE_RE, photo_response
from .audit_entries import HistoryEntry, history_entry
from .cells import column_formatters, format_rows
from .context import current_lang, display_value, page_context
from .engine import database_engine
from .point_map import point_map_assets, point_map_html
from .staff_assignment import QueueExtras, assign_panel, queue_extras
from .staff_pages import private
from .staff_proposals import status_label
from .urls import same_page_url

ROW_ID_LIMIT = 2**31 - 1
QUEUE_SYSTEM = ("id", "ref", "created_at")


def add_staff_record_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/staff/tables/<table_name>")
    def staff_queue(table_name: str) -> ResponseReturnValue:
        refused = require_staff(runtime, table_name, "view")
        if refused is not None:
            return refused
        return private(render_queue(runtime, table_name, reader(runtime, table_name)))

    @bp.route("/staff/tables/<table_name>/<int:row_id>", methods=["GET", "POST"])
    def staff_record(table_name: str, row_id: int) -> ResponseReturnValue:
        refused = require_staff(runtime, table_name, "view")
        if refused is not None:
            return refused
        if row_id > ROW_ID_LIMIT:
            abort(404)
        if request.method == "POST":
            return private(take_action(runtime, table_name, row_id))
        return private(render_record(runtime, table_name, row_id, reader(runtime, table_name),
                                     notice=done_notice(request.args.get("done", ""))))

    @bp.get("/staff/photos/<filename>")
    def staff_photo(filename: str) -> ResponseReturnValue:
        """A photo of a row one of the account's roles may see, in a field it may see (public or not)."""
        refused = require_staff(runtime)
        if refused is not None:
            return refused
        account = current_staff()
        assert account is not None
        engine = database_engine()
        if not STORED_IMAGE_RE.match(filename) or not any(
                query_photo_visible(runtime, engine, filename, a) for a in staff_audiences(runtime, account)):
            abort(404)
        return private(photo_response(Path(current_app.config["UPLOAD_FOLDER"]) / runtime.name, filename, max_age=0))


def reader(runtime: AppRuntime, table_name: str) -> Audience:
    """The role the logged-in account reads the table with (require_staff has checked there is one)."""
    account = current_staff()
    assert account is not None
    audience = table_audience(runtime.spec.tables[table_name], staff_audiences(runtime, account))
    assert audience is not None
    return audience


def render_queue(
    runtime: AppRuntime, table_name: str, audience: Audience, *, extras: QueueExtras | None = None, status: int = 200,
) -> Response:
    """The queue; `extras`: the assignee and area filters and the bulk form (after a bulk POST: its outcome)."""
    lang = current_lang()
    table = runtime.spec.tables[table_name]
    spec = queue_list(table_name, table, audience)
    account = current_staff()
    assert account is not None
    extras = extras or queue_extras(runtime, table_name, audience, account)
    listed = query_page(runtime, database_engine(), spec, page_request(request.args), audience, system=extras.system,
                        clauses=extras.clauses)
    cells = format_rows(column_formatters(runtime, table_name, listed.columns, lang), listed.columns,
                        listed.page.rows, listed.titles)
    context = page_context(
        runtime, table=table, table_name=table_name, listed=listed, rows=list(zip(listed.page.rows, cells)),
        headers=[runtime.text(table.fields[n].label, lang, n) for n in listed.columns],
        filters=choice_filters(runtime, table, spec.filters, lang), search=bool(spec.search),
        counts=status_counts(runtime, database_engine(), table_name, audience),
        status_field=table.workflow.field if table.workflow else None,
        choice_label=lambda name, key: choice_label(runtime, table, name, key, lang), local_time=local_time_text,
        page_url=lambda name, value: same_page_url(**{name: value, **({} if name == "page" else {"page": None})}),
        page_number_url=lambda number: same_page_url(page=number),
        **extras.context,
    )
    return make_response(render_template(app_template(runtime.name, "staff_queue.html"), **context), status)


def choice_filters(runtime: AppRuntime, table: TableSpec, names: list[str], lang: str) -> list[dict[str, Any]]:
    return [{"name": n, "label": runtime.text(table.fields[n].label, lang, n), "selected": request.args.get(n, ""),
             "options": [(c.key, c.text(lang)) for c in table.fields[n].choices or ()]} for n in names]


def choice_label(runtime: AppRuntime, table: TableSpec, name: str, key: Any, lang: str) -> str:
    choice = next((c for c in table.fields[name].choices or () if c.key == key), None)
    return choice.text(lang) if choice is not None else str(key)


def render_record(
    runtime: AppRuntime, table_name: str, row_id: int, audience: Audience, *, chosen: str = "",
    typed: dict[str, str] | None = None, errors: dict[str, str] | None = None, notice: str = "", status: int = 200,
    note_typed: str = "", note_error: str = "",
) -> Response:
    """The record page; after a refused action, the action's form open again with what was typed and why (the
    internal note's form likewise: `note_typed`, `note_error`)."""
    lang = current_lang()
    table = runtime.spec.tables[table_name]
    names = audience.visible_fields(table)
    found = query_row(runtime, database_engine(), table_name, row_id, names, audience=audience)
    if found is None:
        abort(404)
    row, titles = found
    values = [(runtime.text(table.fields[n].label, lang, n), shown_value(runtime, table, n, row.get(n), lang, titles))
              for n in names]
    account = current_staff()
    assert account is not None
    context = page_context(
        runtime, table=table, table_name=table_name, row=row, values=values,
        actions=offered_transitions(runtime, table_name, row, staff_audiences(runtime, account)),
        history=row_history(runtime, table_name, row_id, audience, lang), chosen=chosen, typed=typed or {},
        errors=errors or {}, notice=notice, point_map_assets=point_map_assets(),
        field_label=lambda n: runtime.text(table.fields[n].label, lang, n),
        action_label=lambda t: transition_label(runtime, table, t, lang), local_time=local_time_text,
        action_names=audit_action_names(), note_typed=note_typed, note_error=note_error, note_key=NOTE_KEY,
        assignment=assign_panel(runtime, table_name, row_id, audience, account),
        may_edit=editing_role(runtime, database_engine(), table_name, row_id, staff_audiences(runtime, account)) is not None,
        proposals=query_request_proposals(runtime, database_engine(), table_name, row_id), proposal_status=status_label,
    )
    return make_response(render_template(app_template(runtime.name, "staff_record.html"), **context), status)


def done_notice(done: str) -> str:
    """What the page says after the edit page or the note form sent the browser back here (`?done=…`)."""
    return {"edited": gettext("Your changes were saved."), "noted": gettext("Your note was added."),
            "unchanged": gettext("Nothing was changed.")}.get(done, "")


def audit_action_names() -> dict[str, str]:
    return {"create": gettext("Sent"), "edit": gettext("Edited"), "status": gettext("Status changed"),
            "note": gettext("Note"), "import": gettext("Imported"), "assign": gettext("Assigned"),
            "proposal": gettext("Proposal")}


def shown_value(runtime: AppRuntime, table: TableSpec, name: str, value: Any, lang: str, titles: Any) -> Markup:
    """As the public pages write it, except a location (the exact stored point, on a map: staff go there) and a
    photo (served by the staff route, whatever the row's status)."""
    spec = table.fields[name]
    if spec.type == "image" and value:  # the public route serves only public rows' photos
        src = url_for(f"{runtime.name}.staff_photo", filename=value)
        return Markup('<a href="{}"><img src="{}" alt="{}" class="photo"></a>').format(
            src, src, runtime.text(spec.label, lang, name))
    if spec.type != "location" or value is None:
        return display_value(runtime, table, name, value, lang, titles)
    text = Markup.escape(field_type(spec.type).display(value, spec, lang))
    return point_map_html(runtime, table, name, value, text, lang)


def offered_transitions(runtime: AppRuntime, table_name: str, row: dict[str, Any], audiences: list[Audience]) -> list[TransitionSpec]:
    """The buttons: every transition one of the account's roles may take from the row's status, once each."""
    offered: dict[str, TransitionSpec] = {}
    for audience in audiences:
        for transition in allowed_transitions(runtime.spec, table_name, row, audience):
            offered.setdefault(transition.to, transition)
    return list(offered.values())


def transition_label(runtime: AppRuntime, table: TableSpec, transition: TransitionSpec, lang: str) -> str:
    if transition.action is not None:
        return runtime.text(transition.action, lang, transition.to)
    return choice_label(runtime, table, table.workflow.field, transition.to, lang) if table.workflow else transition.to


def row_history(runtime: AppRuntime, table_name: str, row_id: int, audience: Audience, lang: str) -> list[HistoryEntry]:
    """The audit entries of the row, newest first, with only the fields the reader may see."""
    table = runtime.spec.tables[table_name]
    entries = query_history(runtime, database_engine(), table_name, row_id)
    return [history_entry(runtime, table, entry, audience, lang) for entry in reversed(entries)]


def take_action(runtime: AppRuntime, table_name: str, row_id: int) -> Response:
    """POST of one transition's form: the status it goes to (`to`), its required fields, a message to the resident."""
    account = current_staff()
    if runtime.spec.tables[table_name].workflow is None or account is None:
        abort(404)
    viewer = reader(runtime, table_name)
    new = request.form.get("to", "")
    message = request.form.get("message", "").strip()
    try:
        moved = move_row(runtime, database_engine(), table_name, row_id, new, audiences=staff_audiences(runtime, account),
                         viewer=viewer, actor=audit.Actor(account.username, request.remote_addr), form=request.form,
                         message=message, lang=current_lang())
    except RowNotFound:
        abort(404)
    if moved.outcome == REFUSED:
        return Response(status=403)
    if moved.outcome == MOVED_ON:
        return moved_on(runtime, table_name, row_id, viewer)
    if moved.outcome == INVALID and moved.result is not None:
        return render_record(runtime, table_name, row_id, viewer, chosen=new, typed={**moved.typed, "message": message},
                             errors=moved.result.errors, status=422)
    return redirect(url_for(f"{runtime.name}.staff_record", table_name=table_name, row_id=row_id), 303)


def moved_on(runtime: AppRuntime, table_name: str, row_id: int, viewer: Audience) -> Response:
    """The record as it is now, with why nothing was done (409): another staff member acted first."""
    notice = gettext("Someone changed this record's status meanwhile. Check it below and choose again.")
    return render_record(runtime, table_name, row_id, viewer, notice=notice, status=409)

