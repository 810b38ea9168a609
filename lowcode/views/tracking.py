"""The resident's private link: `/<app>/track/<token>` shows one submission's public status and history."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue

from ..i18n import format_stored_datetime
from ..records.tracking import query_tracked
from ..runtime import AppRuntime
from ..templating import app_template
from .context import current_lang, display_value, page_context
from .engine import database_engine


def add_tracking_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/track/<token>")
    def track_page(token: str) -> ResponseReturnValue:
        return render_tracking(runtime, token)


def render_tracking(runtime: AppRuntime, token: str) -> ResponseReturnValue:
    tracked = query_tracked(runtime, database_engine(), token)
    if tracked is None:
        abort(404)  # unknown, malformed, or a seed row: the same answer
    lang = current_lang()
    table = runtime.spec.tables[tracked.table]
    answers = [(runtime.text(table.fields[n].label, lang, n), display_value(runtime, table, n, v, lang))
               for n, v in tracked.answers.items()]
    field = table.fields.get(tracked.status_field or "")
    labels = {c.key: runtime.text(c.label, lang, c.key) for c in (field.choices or ())} if field is not None else {}
    response = render_template(app_template(runtime.name, "track.html"), **page_context(
        runtime, tracked=tracked, answers=answers, status_labels=labels, table=table,
        when=lambda value: format_stored_datetime(value, lang), say=lambda message: message_text(message, lang)))
    # The token is in the address: keep it out of other sites' logs (Referer) and out of shared caches.
    return response, 200, {"Referrer-Policy": "no-referrer", "Cache-Control": "private, no-store"}


def message_text(message: object, lang: str) -> str:
    """A message to the resident as kept in the audit: plain text, or a workflow's `{ja: …, en: …}`."""
    if isinstance(message, dict):
        texts = [str(v) for v in (message.get(lang), *message.values()) if v]
        return texts[0] if texts else ""
    return str(message or "")
