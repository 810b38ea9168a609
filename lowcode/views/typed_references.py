"""Reference fields beyond a menu's size (decisions: "Reference fields beyond a menu's size (Z)"): the JSON search
that fills a typed box's suggestions, and reading a typed title back into the row it names.

The box (templates/_fields.html) is drawn when `records.query_options` answers a `TypedReference`; its script is
lowcode/static/lowcode-reference.js. Without the script the person types the exact title (or `#id`): the server
resolves it here, before the form is read, so the rest of the form reads a row id as a menu would have sent it.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, after_this_request, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from ..audience import PUBLIC, Audience, asked_in_public_form
from ..records import query_suggestions, query_typed_titles
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from ..staff.auth import current_staff, staff_audiences
from ..values import InvalidValue, parse_row_id
from .context import current_lang
from .engine import database_engine
from .places_api import error
from .staff_pages import private

MAX_QUERY = 100


def add_reference_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/api/options/<table_name>/<field_name>")
    def reference_suggestions(table_name: str, field_name: str) -> ResponseReturnValue:
        """`?q=` → {"options": [{"id", "title"}…]}: at most 20 rows whose title contains q, that the asker may see
        (`staff=1`: the logged-in account's rows, for a staff page's box; else the public's)."""
        table = runtime.spec.tables.get(table_name)
        if table is None or field_name not in table.fields:
            return error(gettext("There is no such field."), 404)
        audience = suggestion_audience(runtime, table, field_name, staff=request.args.get("staff") == "1")
        if audience is None:
            return error(gettext("There is no such field."), 404)
        if table.fields[field_name].type != "reference" or not table.fields[field_name].to:
            return error(gettext("This field does not name rows of another table."), 400)
        text = request.args.get("q", "")
        if len(text) > MAX_QUERY:
            return error(gettext("The search text is too long."), 400)
        if audience is not PUBLIC:
            after_this_request(private)
        found = query_suggestions(runtime, database_engine(), table_name, field_name, text, audience)
        return jsonify(options=[{"id": int(row_id), "title": title} for row_id, title in found])


def suggestion_audience(runtime: AppRuntime, table: TableSpec, name: str, staff: bool) -> Audience | None:
    """Who asks: a staff page's box, the account's first role that may fill or view the table and see the field;
    a public form's box, the public (never the staff session), for a field the public sees or is asked."""
    if not staff:
        public_field = PUBLIC.can_see_field(table, name) or asked_in_public_form(runtime.spec, table, name)
        return PUBLIC if public_field else None
    account = current_staff()
    if account is None:
        return None
    return next((a for a in staff_audiences(runtime, account)
                 if (a.may(table, "view") or a.may(table, "create")) and a.can_see_field(table, name)), None)


def resolve_typed_references(runtime: AppRuntime, form: Any, table_name: str, names: list[str],
                             audience: Audience) -> dict[str, str]:
    """Read each typed reference box (text that is not a row id, for a table beyond a menu's size) as the one
    visible row with that title: its id replaces the text, as a menu would have sent it. Returns a message per box
    that names no row, or several."""
    fields = runtime.spec.tables[table_name].fields
    boxes = [name for name in names if fields[name].type == "reference" and name in form]
    for name in boxes:
        form[name].data = row_id_text(form[name].data)
    texts = {name: str(form[name].data).strip() for name in boxes if typed_text(form[name].data)}
    if not texts:
        return {}
    found = query_typed_titles(runtime, database_engine(), table_name, texts, audience)
    errors = {}
    for name, ids in found.items():
        if ids is None:  # a menu: the text is refused as any value it does not offer
            continue
        if len(ids) == 1:
            form[name].data = str(ids[0])
        else:
            errors[name] = typed_title_message(runtime, fields[name].to or "", texts[name], several=len(ids) > 1)
    return errors


def typed_text(value: Any) -> bool:
    """A box's text that is not a row id: a title to look up."""
    if value in (None, ""):
        return False
    text = str(value).strip()
    try:
        parse_row_id(text)
    except InvalidValue:
        return bool(text)
    return False


def row_id_text(value: Any) -> Any:
    """`#12` (how a suggestion names one of several rows with the same title) read as the id `12`."""
    text = value.strip() if isinstance(value, str) else value
    return text[1:] if isinstance(text, str) and text.startswith("#") and text[1:].isdigit() else value


def typed_title_message(runtime: AppRuntime, target: str, text: str, several: bool) -> str:
    thing = runtime.text(runtime.spec.tables[target].label, current_lang(), target) if target in runtime.spec.tables else target
    shown = text if len(text) <= 60 else text[:60] + "…"
    if several:
        return gettext("Several %(thing)s are called “%(text)s”: type more of the name, or pick one of the "
                       "suggestions (#number).", thing=thing, text=shown)
    return gettext("No %(thing)s called “%(text)s” was found. Type the name as it is listed, or pick one of "
                   "the suggestions.", thing=thing, text=shown)
