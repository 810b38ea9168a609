"""The staff entrance of one app: `/<app>/staff/login`, `/<app>/staff/logout` and the staff home `/<app>/staff/`.

The queue and record pages of the next session hang under the same prefix and start with `require_staff`.
"""
from __future__ import annotations

from flask import Blueprint, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from ..dashboards.access import viewable_dashboards
from ..matching.listing import viewable_matchings
from ..runtime import AppRuntime
from ..staff.accounts import MAX_USERNAME_LENGTH, verify_login
from ..staff.admin import admin_audience
from ..staff.auth import current_staff, log_in, log_out, require_staff, safe_next, staff_audiences
from ..staff.login_audit import record_login
from ..staff.overview import count_staff_tables
from ..templating import app_template
from .context import page_context
from .engine import database_engine


def add_staff_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.route("/staff/login", methods=["GET", "POST"])
    def staff_login() -> ResponseReturnValue:
        if request.method == "GET":
            return render_login(runtime, next_url=request.args.get("next", ""))
        return try_login(runtime)

    @bp.post("/staff/logout")
    def staff_logout() -> ResponseReturnValue:
        account = current_staff()
        if account is not None:
            record_login(database_engine(), runtime.name, account.username, "logout")
        log_out()
        return private(redirect(url_for(f"{runtime.name}.staff_login")))

    @bp.get("/staff/")
    def staff_home() -> ResponseReturnValue:
        refused = require_staff(runtime)
        if refused is not None:
            return refused
        account = current_staff()
        assert account is not None
        audiences = staff_audiences(runtime, account)
        tables = count_staff_tables(runtime, database_engine(), audiences)
        page = render_template(app_template(runtime.name, "staff_home.html"),
                               **page_context(runtime, account=account, tables=tables,
                                              admin=admin_audience(runtime, account) is not None,
                                              matchings=viewable_matchings(runtime, audiences),
                                              dashboards=viewable_dashboards(runtime, audiences)))
        return private(make_response(page))


def try_login(runtime: AppRuntime) -> ResponseReturnValue:
    """One answer for every failure (unknown name, wrong password, locked, no role here): names stay secret."""
    username = request.form.get("username", "")[:MAX_USERNAME_LENGTH * 4]
    next_url = request.form.get("next", "")
    account = verify_login(database_engine(), username, request.form.get("password", ""), runtime.name)
    if account is None:
        record_login(database_engine(), runtime.name, username, "login_failed")
        return render_login(runtime, next_url=next_url, username=username, failed=True)
    record_login(database_engine(), runtime.name, account.username, "login")
    log_in(account)
    return private(redirect(safe_next(runtime, next_url)))


def render_login(runtime: AppRuntime, *, next_url: str, username: str = "", failed: bool = False,
                 notice: str | None = None, status: int = 200) -> Response:
    page = render_template(app_template(runtime.name, "staff_login.html"), **page_context(
        runtime, next_url=safe_next(runtime, next_url), username=username, failed=failed, notice=notice))
    return private(make_response(page, status))


def login_throttled_response(runtime: AppRuntime) -> Response:
    """Over the per-client login limit: the form again, the name kept, and when to try again."""
    notice = gettext("Many login attempts came from your connection. Please wait a few minutes and try again.")
    return render_login(runtime, next_url=request.form.get("next", ""),
                        username=request.form.get("username", "")[:MAX_USERNAME_LENGTH * 4], notice=notice, status=429)


def private(response: Response) -> Response:
    """Staff pages are never kept by a browser or a proxy cache (a shared office computer, a city proxy)."""
    response.headers["Cache-Control"] = "no-store"
    return response
