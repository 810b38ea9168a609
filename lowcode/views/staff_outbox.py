"""The outbox of one app for its admins: `/<app>/staff/outbox` lists the mails not delivered (queued and failed:
to, subject, attempts, next attempt, last error — never a body, which holds the resident's message), and
`POST /<app>/staff/outbox/<id>/retry` queues a failed one again at once (audited as `mail_retry`).

Readers are accounts with an unscoped `all: true` role (lowcode/staff/admin.py).
"""
from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from ..audit import Actor
from ..mail.notify import local_time_text
from ..mail.outbox import count_undelivered, queued_and_failed, retry_now
from ..runtime import AppRuntime
from ..staff.admin import require_admin
from ..staff.auth import current_staff
from ..templating import app_template
from .context import page_context
from .engine import database_engine
from .staff_pages import private

MAIL_ID_LIMIT = 2**31 - 1
SHOWN = 200  # the oldest; a mail server down for days can leave thousands, and one page must stay light


def add_staff_outbox_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/staff/outbox")
    def staff_outbox() -> ResponseReturnValue:
        refused = require_admin(runtime)
        if refused is not None:
            return refused
        notice = gettext("The mail was queued again; it is sent with the next round.") if request.args.get("retried") else ""
        return private(render_outbox(runtime, notice))

    @bp.post("/staff/outbox/<int:mail_id>/retry")
    def staff_outbox_retry(mail_id: int) -> ResponseReturnValue:
        refused = require_admin(runtime)
        if refused is not None:
            return refused
        account = current_staff()
        assert account is not None
        if mail_id > MAIL_ID_LIMIT:
            abort(404)
        if not retry_now(database_engine(), runtime.name, mail_id, Actor(account.username, request.remote_addr)):
            notice = gettext("This mail is no longer waiting to be retried: it was sent or queued again meanwhile.")
            return private(render_outbox(runtime, notice, status=409))
        return private(redirect(url_for(f"{runtime.name}.staff_outbox", retried=1), 303))


def render_outbox(runtime: AppRuntime, notice: str, status: int = 200) -> Response:
    mails = queued_and_failed(database_engine(), runtime.name, limit=SHOWN)
    total = len(mails) if len(mails) < SHOWN else count_undelivered(database_engine(), runtime.name)
    context = page_context(runtime, mails=mails, total=total, notice=notice, local_time=local_time_text,
                           status_names={"queued": gettext("Queued"), "failed": gettext("Failed")})
    return make_response(render_template(app_template(runtime.name, "staff_outbox.html"), **context), status)
