"""Staff change a stored row (`/<app>/staff/tables/<table>/<id>/edit`) and keep internal notes on it (`…/notes`).

The edit form offers every field the account's editing role may change (`Audience.changeable_fields`), except the
workflow's status (it moves only along transitions) and a scoped role's scope field (the row stays in its scope);
`area` fields (drawn on a map above their GeoJSON text box, `_fields.html`'s `area_map`) only for a role that may also
`manage_areas` of the table (issue 9, K: a boundary moves the derived area of other tables' rows); it is built and read like a resident's form (lowcode/forms.py,
templates/_fields.html) and stored by `records.update`, so the checks are the same. The page carries the row's
`updated_at` as it was read: when a colleague saved the row meanwhile, nothing is stored (409) and the page shows
what is stored now beside what was typed. Notes: lowcode/records/notes.py.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.wrappers import Response

from ..audience import Audience
from ..audit import Actor
from ..fields import field_type
from ..forms import Submission, fill_reference_options, read_fields
from ..records import RowChanged, RowNotFound, check_values, query_options, update
from ..records.notes import add_note
from ..records.writes import read_row
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from ..staff.auth import current_staff, require_staff, staff_audiences
from ..staff.editing import editing_role
from ..templating import app_template
from .context import current_lang, page_context
from .engine import database_engine
from .errors import error_page
from .maps_pages import form_picker_assets, location_picker
from .staff_pages import private
from .staff_records import ROW_ID_LIMIT, reader, render_record, shown_value
from .typed_references import resolve_typed_references

AREA_ACTION = "manage_areas"  # an `area` field (a 町会's boundary) is changed only by roles given this action
SINCE = "unchanged_since"


def add_staff_edit_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.route("/staff/tables/<table_name>/<int:row_id>/edit", methods=["GET", "POST"])
    def staff_edit(table_name: str, row_id: int) -> ResponseReturnValue:
        refused = require_staff(runtime, table_name, "edit")
        if refused is not None:
            return refused
        found = editor_and_row(runtime, table_name, row_id) if row_id <= ROW_ID_LIMIT else None
        if found is None:
            abort(404)
        editor, row = found
        if request.method == "POST":
            return private(save_edit(runtime, table_name, row_id, editor, row))
        return private(render_edit(runtime, table_name, editor, row, edit_form(runtime, table_name, editor, row)))

    @bp.post("/staff/tables/<table_name>/<int:row_id>/notes")
    def staff_note(table_name: str, row_id: int) -> ResponseReturnValue:
        refused = require_staff(runtime, table_name, "view")  # any role that may view the table keeps notes on it
        if refused is not None:
            return refused
        if row_id > ROW_ID_LIMIT:
            abort(404)
        return private(keep_note(runtime, table_name, row_id))


def editor_and_row(runtime: AppRuntime, table_name: str, row_id: int) -> tuple[Audience, dict[str, Any]] | None:
    account = current_staff()
    assert account is not None
    return editing_role(runtime, database_engine(), table_name, row_id, staff_audiences(runtime, account))


def edit_fields(table: TableSpec, editor: Audience) -> list[str]:
    """The fields the edit form offers, in the table's order."""
    workflow = table.workflow.field if table.workflow is not None else None
    scope = set(editor.access(table).scope or {})
    draws_areas = editor.may(table, AREA_ACTION)
    return [n for n in editor.changeable_fields(table)
            if n != workflow and n not in scope and (table.fields[n].type != "area" or draws_areas)]


def edit_form(runtime: AppRuntime, table_name: str, editor: Audience, row: dict[str, Any] | None) -> FlaskForm:
    """The form, bound to the request on a POST, else filled with the stored values of `row`."""
    table = runtime.spec.tables[table_name]
    names = edit_fields(table, editor)
    lang = current_lang()
    attrs = {n: field_type(table.fields[n].type).form_field(runtime.text(table.fields[n].label, lang, n),
                                                             table.fields[n], lang) for n in names}
    form_cls = type(f"{runtime.name}_{table_name}_edit", (FlaskForm,), attrs)
    form = form_cls() if row is None else form_cls(formdata=None, data=stored_form_data(table, names, row))
    for name in names:  # the browser must not offer the staff member's own address, phone… for a resident's
        form[name].render_kw = {**(form[name].render_kw or {}), "autocomplete": "off"}
    if any(table.fields[n].type == "reference" for n in names):
        chosen = {name: form[name].data for name in names}
        fill_reference_options(form, query_options(runtime, database_engine(), table_name, names, editor, chosen))
    return form


def stored_form_data(table: TableSpec, names: list[str], row: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in names:
        spec, value = table.fields[name], row.get(name)
        if value is None or spec.type == "image":  # a photo is kept unless another is chosen
            continue
        data[name] = str(value) if spec.type == "reference" else field_type(spec.type).form_data(value)
    return data


def save_edit(runtime: AppRuntime, table_name: str, row_id: int, editor: Audience, row: dict[str, Any]) -> Response:
    table = runtime.spec.tables[table_name]
    names = edit_fields(table, editor)
    lang = current_lang()
    form = edit_form(runtime, table_name, editor, None)
    typed_errors = resolve_typed_references(runtime, form, table_name, names, editor)
    submission = read_fields(form, table, names, upload_dir(runtime))
    submission.errors.update(typed_errors)
    values = {n: v for n, v in submission.values.items() if not (table.fields[n].type == "image" and v is None)}
    since = read_since(request.form.get(SINCE, ""))
    if since is None or since != row.get("updated_at"):
        return edit_conflict(runtime, table_name, row_id, editor, form, submission)
    if not submission.ok:  # a text that cannot be read: check the rest too, so every message shows at once
        checked = check_values(runtime, table_name, {**row, **values}, names, lang, submission.errors,
                               with_defaults=False)
        return render_edit(runtime, table_name, editor, row, form, errors=checked.errors,
                           kept=submission.kept_uploads, status=422)
    if all(row.get(name) == value for name, value in values.items()):  # no audit entry that says nothing
        return redirect(url_for(f"{runtime.name}.staff_record", table_name=table_name, row_id=row_id, done="unchanged"), 303)
    account = current_staff()
    assert account is not None
    try:
        result = update(runtime, database_engine(), table_name, row_id, values, audience=editor, lang=lang,
                        upload_dir=upload_dir(runtime), actor=Actor(account.username, request.remote_addr),
                        unchanged_since=since)
    except RowChanged:  # saved by a colleague between our read and the write
        return edit_conflict(runtime, table_name, row_id, editor, form, submission)
    except RowNotFound:  # deleted meanwhile, or moved out of the role's rows
        abort(404)
    if result.stored:
        return redirect(url_for(f"{runtime.name}.staff_record", table_name=table_name, row_id=row_id, done="edited"), 303)
    notice = "" if result.errors else gettext("Please check your changes and save again.")
    return render_edit(runtime, table_name, editor, row, form, errors=result.errors, notice=notice,
                       kept=submission.kept_uploads, status=422)


def edit_conflict(runtime: AppRuntime, table_name: str, row_id: int, editor: Audience, form: FlaskForm,
                  submission: Submission) -> Response:
    """409: nothing stored; the form keeps what was typed, the page shows what is stored now, and the new
    `updated_at` goes into the form, so saving again overwrites it knowingly."""
    try:
        current = read_row(runtime, database_engine(), table_name, row_id, editor)
    except RowNotFound:
        abort(404)
    notice = gettext("Someone saved this record while you were editing it. Nothing was saved: what is stored now is "
                     "shown below your changes. Check them and save again to replace it.")
    return render_edit(runtime, table_name, editor, current, form, notice=notice, kept=submission.kept_uploads,
                       stored_now=True, status=409)


def read_since(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def render_edit(
    runtime: AppRuntime, table_name: str, editor: Audience, row: dict[str, Any], form: FlaskForm, *,
    errors: dict[str, str] | None = None, notice: str = "", kept: dict[str, str] | None = None,
    stored_now: bool = False, status: int = 200,
) -> Response:
    lang = current_lang()
    table = runtime.spec.tables[table_name]
    names = edit_fields(table, editor)
    has_location = any(table.fields[n].type == "location" for n in names)
    updated_at = row.get("updated_at")
    context = page_context(
        runtime, table=table, table_name=table_name, row=row, form=form, names=names, errors=errors or {},
        kept_uploads=kept or {}, notice=notice, since=updated_at.isoformat() if updated_at is not None else "",
        stored_values=stored_values(runtime, table, names, row, lang) if stored_now else [],
        photos=current_photos(runtime, table, names, row, lang), has_location=has_location,
        picker_assets=form_picker_assets() if has_location else "",
        picker=lambda *args: location_picker(runtime, *args),
    )
    return make_response(render_template(app_template(runtime.name, "staff_edit.html"), **context), status)


def stored_values(runtime: AppRuntime, table: TableSpec, names: list[str], row: dict[str, Any], lang: str) -> list[tuple[str, Markup]]:
    """What is stored now, as the record page writes it; a point as text (the picker's map is on this page)."""
    return [(runtime.text(table.fields[n].label, lang, n), stored_value(runtime, table, n, row.get(n), lang))
            for n in names]


def stored_value(runtime: AppRuntime, table: TableSpec, name: str, value: Any, lang: str) -> Markup:
    spec = table.fields[name]
    if spec.type == "location":
        return Markup.escape(field_type(spec.type).display(value, spec, lang))
    return shown_value(runtime, table, name, value, lang, {})


def current_photos(runtime: AppRuntime, table: TableSpec, names: list[str], row: dict[str, Any], lang: str) -> dict[str, Markup]:
    """The stored photo of each image field, shown above its file input (it stays unless another is chosen)."""
    return {n: shown_value(runtime, table, n, row.get(n), lang, {}) for n in names
            if table.fields[n].type == "image" and row.get(n)}


def keep_note(runtime: AppRuntime, table_name: str, row_id: int) -> Response:
    account = current_staff()
    assert account is not None
    viewer = reader(runtime, table_name)
    text = request.form.get("note", "")
    try:
        problem = add_note(runtime, database_engine(), table_name, row_id, text, audience=viewer,
                           actor=Actor(account.username, request.remote_addr))
    except RowNotFound:
        abort(404)
    if problem is not None:
        return render_record(runtime, table_name, row_id, viewer, note_typed=text,
                             note_error=problem, status=422)
    return redirect(url_for(f"{runtime.name}.staff_record", table_name=table_name, row_id=row_id, done="noted"), 303)


def expired_staff_page(runtime: AppRuntime) -> ResponseReturnValue | None:
    """An edit or a note sent with an expired (or missing) CSRF token: the page again with what was typed and why,
    nothing stored, so the staff member sends it again knowingly (400). None for other pages. Called from the
    blueprint's CSRFError handler: errors are answered, not raised (an abort there would be a 500)."""
    endpoint = (request.endpoint or "").rpartition(".")[2]
    if endpoint not in ("staff_edit", "staff_note"):
        return None
    args = request.view_args or {}
    table_name, row_id = str(args.get("table_name", "")), int(args.get("row_id", 0))
    refused = require_staff(runtime, table_name, "edit" if endpoint == "staff_edit" else "view")
    if refused is not None:
        return refused
    notice = gettext("For your security the page timed out. Nothing was saved, but what you typed is kept: please "
                     "check it and send it again.")
    if endpoint == "staff_note":
        viewer = reader(runtime, table_name)
        try:
            read_row(runtime, database_engine(), table_name, row_id, viewer)
        except RowNotFound:
            return error_page(404)
        return private(render_record(runtime, table_name, row_id, viewer, note_typed=request.form.get("note", ""),
                                     notice=notice, status=400))
    found = editor_and_row(runtime, table_name, row_id) if row_id <= ROW_ID_LIMIT else None
    if found is None:
        return error_page(404)
    editor, row = found
    form = edit_form(runtime, table_name, editor, None)
    if read_since(request.form.get(SINCE, "")) != row.get("updated_at"):
        return private(edit_conflict(runtime, table_name, row_id, editor, form, Submission()))
    return private(render_edit(runtime, table_name, editor, row, form, notice=notice, status=400))


def upload_dir(runtime: AppRuntime) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / runtime.name
