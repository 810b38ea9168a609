"""The staff queue's exports: `/<app>/staff/tables/<table>/export.<csv|xlsx|geojson>` and the form on the queue
page that asks for them (`templates/_staff_export.html`).

The address takes the queue's own query string (status, choice filters, search, assignee, area): the file holds
the rows the queue shows with those filters, all pages of them. Only an account with a role that may `export`
the table gets the form and the file (else 403); the file is read with that role (`exports.export_audience`),
in the page's language, choices as labels or keys (`?choices=`). The response is `no-store`, an attachment, sent
from a finished file (`exports.spooled`: in memory up to a few MB, then on disk): an error is a page, not half a
file.
"""
from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import audit
from ..exports import MEDIA_TYPES, ExportOptions, ExportRequest, export_audience, has_geometry
from ..exports.spooled import file_blocks, spooled_export
from ..records import page_request
from ..runtime import AppRuntime
from ..staff.auth import current_staff, require_staff, staff_audiences
from ..staff.queue_filters import queue_filter_clauses
from .context import current_lang
from .engine import database_engine
from .staff_pages import private

NOT_KEPT = frozenset({"page", "choices"})  # the query string's parts an export does not take from the queue


def add_staff_export_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/staff/tables/<table_name>/export.<fmt>")
    def staff_export(table_name: str, fmt: str) -> ResponseReturnValue:
        refused = require_staff(runtime, table_name, "export")
        if refused is not None:
            return refused
        return private(export_response(runtime, table_name, fmt))

    @bp.context_processor
    def export_form_helper() -> dict[str, Any]:
        return {"export_form": lambda table_name: export_form(runtime, table_name)}


def export_response(runtime: AppRuntime, table_name: str, fmt: str) -> Response:
    account = current_staff()
    assert account is not None  # require_staff has checked
    audience = export_audience(runtime, table_name, staff_audiences(runtime, account))
    assert audience is not None  # require_staff(…, "export") has checked one role may
    if fmt not in MEDIA_TYPES or (fmt == "geojson" and not has_geometry(runtime, table_name, audience)):
        abort(404)
    engine = database_engine()
    keys = request.args.get("choices") == "keys"
    wanted = ExportRequest(table_name, fmt, ExportOptions(current_lang(), "keys" if keys else "labels", gettext),
                           filters=page_request(request.args), from_queue=True)
    clauses = queue_filter_clauses(runtime, engine, table_name, request.args, audience, account.username)
    out, size = spooled_export(runtime, engine, wanted, audience, audit.Actor(account.username, request.remote_addr),
                               clauses)
    response = Response(file_blocks(out), content_type=MEDIA_TYPES[fmt], direct_passthrough=True)
    response.call_on_close(out.close)  # also when the response is never sent
    response.content_length = size
    name = f"{runtime.name}-{table_name}-{dt.date.today():%Y%m%d}.{fmt}"  # app and table names are [a-z0-9_]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def export_form(runtime: AppRuntime, table_name: str) -> dict[str, Any] | None:
    """The queue page's export form: its formats (each an address), the queue's filters as hidden fields; None
    when the account has no role that may export the table."""
    account = current_staff()
    if account is None or table_name not in runtime.spec.tables:
        return None
    audience = export_audience(runtime, table_name, staff_audiences(runtime, account))
    if audience is None:
        return None
    labels = {"csv": gettext("Export CSV"), "xlsx": gettext("Export Excel"), "geojson": gettext("Export GeoJSON")}
    formats = [f for f in labels if f != "geojson" or has_geometry(runtime, table_name, audience)]
    kept = [(k, v) for k, v in request.args.items(multi=True) if k not in NOT_KEPT]
    return {
        "formats": [{"format": f, "label": labels[f], "url": export_url(runtime, table_name, f, kept)} for f in formats],
        "hidden": kept,
    }


def export_url(runtime: AppRuntime, table_name: str, fmt: str, kept: list[tuple[str, str]]) -> str:
    url = url_for(f"{runtime.name}.staff_export", table_name=table_name, fmt=fmt)
    return url + (f"?{urlencode(kept)}" if kept else "")
