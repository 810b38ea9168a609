"""The proposal pages: propose from the matching page, the list `/<app>/staff/matching/<name>/proposals`, one
proposal `/<app>/staff/proposals/<id>`, and the private answer page `/<app>/proposal/<token>` (no login).

Each route parses the request, calls one operation of lowcode/matching/proposals.py (writes) or proposal_reads.py
(reads), and renders. Staff answers are `no-store`; the private page is `private, no-store` with
`Referrer-Policy: no-referrer`, like the tracking page. Refused → 403, unknown → 404, a move the status no longer
allows (a colleague acted first, a double answer) → the page again with a notice and 409.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import audit
from ..audience import Audience
from ..mail.notify import local_time_text
from ..matching.proposal_reads import ProposalView, SideView, query_link, query_proposal, query_proposals
from ..matching.proposal_table import STATUSES
from ..matching.proposals import (
    InvalidReport,
    Links,
    ProposalConflict,
    ProposalNotFound,
    ProposalRefused,
    answer_as_staff,
    answer_by_token,
    dispatch,
    propose,
    report,
    withdraw,
)
from ..records.queries import page_number
from ..runtime import AppRuntime
from ..staff.auth import current_staff, require_staff, staff_audiences
from ..templating import app_template
from .context import current_lang, display_value, page_context
from .engine import database_engine
from .staff_pages import private
from .urls import same_page_url

ROW_ID_LIMIT = 2**31 - 1
PER_PAGE = 50
STAFF_ACTIONS = ("accept", "decline", "helper_accept", "helper_decline", "dispatch", "withdraw", "report")


def add_staff_proposal_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.post("/staff/matching/<name>/propose")
    def staff_propose(name: str) -> ResponseReturnValue:
        refused = require_staff(runtime)
        if refused is not None:
            return refused
        request_id, helper_id = row_id_arg("request_id"), row_id_arg("helper_id")
        if request_id is None or helper_id is None:
            abort(404)
        try:
            proposed = propose(runtime, database_engine(), name, request_id, helper_id, audiences=audiences(runtime),
                               actor=actor(), links=links(runtime))
        except ProposalRefused:
            return private(Response(status=403))
        except ProposalNotFound:
            abort(404)
        except ProposalConflict:
            return private(redirect(url_for(f"{runtime.name}.staff_matching", name=name, done="open"), 303))
        return private(redirect(url_for(f"{runtime.name}.staff_proposal", proposal_id=proposed.proposal_id,
                                        done="proposed"), 303))

    @bp.get("/staff/matching/<name>/proposals")
    def staff_proposals(name: str) -> ResponseReturnValue:
        refused = require_staff(runtime)
        if refused is not None:
            return refused
        return private(render_list(runtime, name))

    @bp.route("/staff/proposals/<int:proposal_id>", methods=["GET", "POST"])
    def staff_proposal(proposal_id: int) -> ResponseReturnValue:
        refused = require_staff(runtime)
        if refused is not None:
            return refused
        if proposal_id > ROW_ID_LIMIT:
            abort(404)
        if request.method == "POST":
            return private(take_staff_action(runtime, proposal_id))
        return private(render_proposal(runtime, proposal_id, notice=done_notice(request.args.get("done", ""))))

    @bp.route("/proposal/<token>", methods=["GET", "POST"])
    def proposal_link(token: str) -> ResponseReturnValue:
        notice, status = "", 200
        if request.method == "POST":
            notice, status = answer_link(runtime, token)
            if status == 303:
                return link_headers(redirect(url_for(f"{runtime.name}.proposal_link", token=token, done="answered"),
                                             303))
        return render_link(runtime, token, notice or done_notice(request.args.get("done", "")), status)


def audiences(runtime: AppRuntime) -> list[Audience]:
    account = current_staff()
    assert account is not None
    return staff_audiences(runtime, account)


def actor() -> audit.Actor:
    account = current_staff()
    assert account is not None
    return audit.Actor(account.username, request.remote_addr)


def links(runtime: AppRuntime) -> Links:
    return Links(answer=lambda token: url_for(f"{runtime.name}.proposal_link", token=token, _external=True),
                 staff=lambda number: url_for(f"{runtime.name}.staff_proposal", proposal_id=number, _external=True))


def row_id_arg(name: str) -> int | None:
    text = request.form.get(name, "")
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) <= ROW_ID_LIMIT else None


def render_list(runtime: AppRuntime, name: str) -> Response:
    status = request.args.get("status", "")
    page = page_number(request.args)
    try:
        found, total = query_proposals(runtime, database_engine(), name, audiences(runtime), status=status, page=page,
                                       per_page=PER_PAGE)
    except ProposalNotFound:
        abort(404)
    except ProposalRefused:
        return Response(status=403)
    matching = runtime.spec.matching[name]
    context = page_context(
        runtime, matching=matching, matching_name=name, items=found, total=total, status=status if status in STATUSES else "",
        statuses=[(s, status_label(s)) for s in STATUSES], status_label=status_label, page=page,
        pages=max(1, -(-total // PER_PAGE)), page_url=lambda number: same_page_url(page=number), local_time=local_time_text)
    return make_response(render_template(app_template(runtime.name, "staff_proposals.html"), **context))


def render_proposal(runtime: AppRuntime, proposal_id: int, *, notice: str = "", errors: dict[str, str] | None = None,
                    typed: dict[str, str] | None = None, status: int = 200) -> Response:
    try:
        view = query_proposal(runtime, database_engine(), proposal_id, audiences(runtime))
    except ProposalNotFound:
        abort(404)
    except ProposalRefused:
        return Response(status=403)
    context = page_context(runtime, view=view, p=view.proposal, notice=notice, errors=errors or {}, typed=typed or {},
                           status_label=status_label, answer_label=answer_label, local_time=local_time_text,
                           **shown_sides(runtime, view))
    return make_response(render_template(app_template(runtime.name, "staff_proposal.html"), **context), status)


def shown_sides(runtime: AppRuntime, view: ProposalView) -> dict[str, Any]:
    lang = current_lang()
    return {"request_fields": shown(runtime, view.request, view.request.fields, lang),
            "helper_fields": shown(runtime, view.helper, view.helper.fields, lang),
            "helper_contact": shown(runtime, view.helper, view.helper.contact, lang)}


def shown(runtime: AppRuntime, side: SideView, values: Sequence[tuple[str, Any]], lang: str) -> list[tuple[str, Any]]:
    """(label, value as HTML) of each field, escaped by display_value."""
    table = runtime.spec.tables[side.table]
    return [(runtime.text(table.fields[n].label, lang, n), display_value(runtime, table, n, v, lang, side.titles))
            for n, v in values]


def take_staff_action(runtime: AppRuntime, proposal_id: int) -> Response:
    action = request.form.get("action", "")
    if action not in STAFF_ACTIONS:
        return render_proposal(runtime, proposal_id, notice=gettext("Choose one of the buttons."), status=400)
    engine, roles, who = database_engine(), audiences(runtime), actor()
    try:
        if action in ("accept", "decline", "helper_accept", "helper_decline"):
            side = "helper" if action.startswith("helper_") else "request"
            answer = "accepted" if action.endswith("accept") else "declined"
            answer_as_staff(runtime, engine, proposal_id, side, answer, audiences=roles, actor=who, links=links(runtime))
        elif action == "report":
            report(runtime, engine, proposal_id, request.form, audiences=roles, actor=who)
        else:
            (dispatch if action == "dispatch" else withdraw)(runtime, engine, proposal_id, audiences=roles, actor=who)
    except ProposalNotFound:
        abort(404)
    except ProposalRefused:
        return Response(status=403)
    except ProposalConflict:
        return render_proposal(runtime, proposal_id, notice=conflict_notice(), status=409)
    except InvalidReport as invalid:
        typed = {k: request.form.get(k, "")[:2000] for k in ("participants", "hours", "note")}
        return render_proposal(runtime, proposal_id, errors={k: report_error(v) for k, v in invalid.errors.items()},
                               typed=typed, status=422)
    return redirect(url_for(f"{runtime.name}.staff_proposal", proposal_id=proposal_id, done=action), 303)


def answer_link(runtime: AppRuntime, token: str) -> tuple[str, int]:
    """The POST of the private page: (notice, status); 303 when the answer was stored."""
    answer = request.form.get("answer", "")
    if answer not in ("accepted", "declined"):
        return gettext("Choose one of the buttons."), 400
    try:
        answer_by_token(runtime, database_engine(), token, answer, client=request.remote_addr, links=links(runtime))
    except ProposalNotFound:
        abort(404)
    except ProposalConflict:
        return conflict_notice(), 409
    return "", 303


def render_link(runtime: AppRuntime, token: str, notice: str, status: int) -> Response:
    view = query_link(runtime, database_engine(), token)
    if view is None:
        abort(404)  # unknown, malformed, or a matching without proposals now: the same answer
    lang = current_lang()
    context = page_context(runtime, view=view, p=view.proposal, notice=notice, status_label=status_label,
                           answer_label=answer_label, fields=shown(runtime, view.other, view.other.fields, lang),
                           contact=shown(runtime, view.other, view.other.contact, lang), token=token)
    return link_headers(make_response(render_template(app_template(runtime.name, "proposal.html"), **context), status))


def link_headers(response: Response) -> Response:
    # The token is in the address: keep it out of other sites' logs (Referer) and out of shared caches.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def status_label(status: str) -> str:
    return {"proposed": gettext("Waiting for answers"), "accepted": gettext("Both accepted"),
            "declined": gettext("Declined"), "withdrawn": gettext("Withdrawn"),
            "dispatched": gettext("Dispatched"), "reported": gettext("Activity reported")}.get(status, status)


def answer_label(answer: str | None) -> str:
    return {"accepted": gettext("Accepted"), "declined": gettext("Declined")}.get(answer or "", gettext("Not answered yet"))


def done_notice(done: str) -> str:
    return {"proposed": gettext("The proposal was sent to both sides."), "answered": gettext("Your answer was saved."),
            "accept": gettext("Your answer was saved."), "decline": gettext("Your answer was saved."),
            "helper_accept": gettext("Your answer was saved."), "helper_decline": gettext("Your answer was saved."),
            "dispatch": gettext("Marked as dispatched."), "withdraw": gettext("The proposal was withdrawn."),
            "report": gettext("The activity report was saved.")}.get(done, "")


def conflict_notice() -> str:
    return gettext("This proposal has changed meanwhile (or was answered already). Check it below.")


def report_error(key: str) -> str:
    return {"whole_number": gettext("Enter a whole number (0 or more)."),
            "number": gettext("Enter a number (0 or more), e.g. 2.5."),
            "too_long": gettext("Too long: at most 2000 characters.")}.get(key, key)

