"""The audit log of one app for its admins: `/<app>/staff/audit` (newest first, paged, filtered by who, what, which
table and which days; `?actor=name` is one account's page) and `/<app>/staff/audit.csv` (the same entries as a file).

Readers are accounts with an unscoped `all: true` role (lowcode/staff/admin.py says why). Each entry's values are
cut to the fields that role may see (views/audit_entries.py, shared with the record page's history). Exporting
leaves an `export` entry naming the filters.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Blueprint, Response, make_response, render_template, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from .. import audit
from ..audience import Audience
from ..audit_export import chunks, day_end_utc, day_start_utc, parse_day
from ..mail.notify import local_time_text
from ..records.audit_log import query_actors, query_audit_page, record_export, stream_audit
from ..records.notes import NOTE_KEY
from ..records.queries import page_number
from ..runtime import AppRuntime
from ..staff.admin import admin_audience, require_admin
from ..staff.auth import current_staff
from ..templating import app_template
from ..values import strip_controls
from .audit_entries import history_entry, visible_values
from .context import current_lang, page_context
from .engine import database_engine
from .staff_pages import private
from .urls import same_page_url

MAX_ACTOR = 200


@dataclass(frozen=True)
class AuditQuery:
    """The page's filters as typed (kept in the form) and as a filter, with what could not be read."""

    typed: dict[str, str]
    wanted: audit.AuditFilter
    errors: dict[str, str] = field(default_factory=dict)


def add_staff_audit_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/staff/audit")
    def staff_audit() -> ResponseReturnValue:
        refused = require_admin(runtime)
        if refused is not None:
            return refused
        return private(render_audit(runtime, read_query(runtime)))

    @bp.get("/staff/audit.csv")
    def staff_audit_csv() -> ResponseReturnValue:
        refused = require_admin(runtime)
        if refused is not None:
            return refused
        query = read_query(runtime)
        if query.errors:
            body = "\n".join(query.errors.values()) + "\n"
            return private(Response(body, 400, content_type="text/plain; charset=utf-8"))
        return private(audit_file(runtime, query.wanted))


def read_query(runtime: AppRuntime) -> AuditQuery:
    """The query string as filters; a value that cannot be one is reported, never an error page."""
    # Without control characters: PostgreSQL refuses a NUL in a query, and nobody types one on purpose.
    typed = {name: strip_controls(request.args.get(name, ""))[:MAX_ACTOR].strip()
             for name in ("actor", "action", "table", "since", "until")}
    errors: dict[str, str] = {}
    if typed["action"] and typed["action"] not in audit.ACTIONS:
        errors["action"] = gettext("There is no action %(action)s.", action=typed["action"])
    if typed["table"] and typed["table"] not in runtime.spec.tables:
        errors["table"] = gettext("There is no table %(table)s.", table=typed["table"])
    days = {}
    for name in ("since", "until"):
        days[name] = parse_day(typed[name]) if typed[name] else None
        if typed[name] and days[name] is None:
            errors[name] = gettext("Write the date as YYYY-MM-DD (for example 2026-04-01).")
    since, until = days["since"], days["until"]
    wanted = audit.AuditFilter(
        app=runtime.name, actor=typed["actor"] or None,
        action=typed["action"] or None if "action" not in errors else None,
        table=typed["table"] or None if "table" not in errors else None,
        since=day_start_utc(since) if since else None, until=day_end_utc(until) if until else None)
    return AuditQuery(typed, wanted, errors)


def reader_audience(runtime: AppRuntime) -> Audience:
    audience = admin_audience(runtime, current_staff())
    assert audience is not None  # require_admin has checked
    return audience


def render_audit(runtime: AppRuntime, query: AuditQuery) -> Response:
    lang = current_lang()
    audience = reader_audience(runtime)
    engine = database_engine()
    found = None if query.errors else query_audit_page(engine, query.wanted, page_number(request.args))
    tables = runtime.spec.tables
    items = [history_entry(runtime, tables.get(e.table) if e.table else None, e, audience, lang)
             for e in (found.entries if found else [])]
    context = page_context(
        runtime, typed=query.typed, errors=query.errors, found=found, items=items,
        actors=query_actors(engine, runtime.name), action_names=action_names(), local_time=local_time_text,
        note_key=NOTE_KEY,
        table_label=lambda name: runtime.text(tables[name].label, lang, name) if name in tables else name,
        record_url=lambda e: record_url(runtime, e),
        page_url=lambda number: same_page_url(page=number), actor_url=lambda name: url_for(
            f"{runtime.name}.staff_audit", actor=name),
        csv_url=csv_url(runtime, query.typed),
    )
    return make_response(render_template(app_template(runtime.name, "staff_audit.html"), **context))


def csv_url(runtime: AppRuntime, typed: dict[str, str]) -> str:
    """The CSV of the entries the page shows (every page of them)."""
    query = urlencode([(name, value) for name, value in typed.items() if value])
    return url_for(f"{runtime.name}.staff_audit_csv") + (f"?{query}" if query else "")


def record_url(runtime: AppRuntime, entry: audit.AuditEntry) -> str | None:
    if entry.table not in runtime.spec.tables or entry.row_id is None:
        return None
    return url_for(f"{runtime.name}.staff_record", table_name=entry.table, row_id=entry.row_id)


def action_names() -> dict[str, str]:
    """Every audit action with its name on the page (an action added later shows as its key until named here)."""
    names = {"create": gettext("Sent"), "edit": gettext("Edited"), "status": gettext("Status changed"),
             "assign": gettext("Assigned"), "note": gettext("Note"), "import": gettext("Imported"),
             "export": gettext("Exported"), "login": gettext("Logged in"), "login_failed": gettext("Login failed"),
             "logout": gettext("Logged out"), "mail_retry": gettext("Mail retried"),
             "proposal": gettext("Proposal")}
    return {**{a: n for a, n in names.items() if a in audit.ACTIONS}, **{a: a for a in sorted(audit.ACTIONS - set(names))}}


def audit_file(runtime: AppRuntime, wanted: audit.AuditFilter) -> Response:
    """The CSV of the entries, streamed; the export is on record before the first line is read."""
    account = current_staff()
    assert account is not None
    audience = reader_audience(runtime)
    engine = database_engine()
    record_export(engine, runtime.name, audit.Actor(account.username, request.remote_addr), wanted, "csv")
    body = chunks("csv", stream_audit(engine, wanted), lambda entry: visible_values(runtime, entry, audience))
    response = Response(stream_with_context(body), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="audit-{runtime.name}.csv"'
    return response
