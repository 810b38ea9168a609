"""Dashboard pages: `/<app>/dashboards/<name>`, charts of counts with their data tables (lowcode/dashboards/).

A public dashboard counts the rows the public sees (the audience rule, as SQL: `visible_rows_clause`); a staff
dashboard answers like every staff page (`require_staff`: the login page for the public; 403 for a role that may
not view one of its tables, `dashboards.access.may_view_dashboard`, the rule the staff home's links follow) and
counts the rows the account's roles see together.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from ..audience import PUBLIC
from ..dashboards.access import may_view_dashboard
from ..dashboards.charts import Words, build_charts
from ..dashboards.svg import render_chart
from ..references import visible_rows_clause
from ..runtime import AppRuntime
from ..spec.dashboards import DashboardSpec
from ..staff.auth import current_staff, require_staff, staff_audiences
from ..templating import app_template
from .context import current_lang, page_context
from .engine import database_engine
from .staff_pages import private


def add_dashboard_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/dashboards/<dashboard_name>")
    def dashboard_page(dashboard_name: str) -> ResponseReturnValue:
        spec = runtime.spec.dashboards.get(dashboard_name)
        if spec is None:
            abort(404)
        if spec.access == "public":
            return render_dashboard(runtime, dashboard_name, spec, public_rows(runtime))
        refused = require_staff(runtime)  # the login page, coming back here afterwards
        if refused is not None:
            return refused
        account = current_staff()
        assert account is not None
        if not may_view_dashboard(runtime, spec, staff_audiences(runtime, account)):
            return Response(status=403)
        page = render_dashboard(runtime, dashboard_name, spec, staff_rows(runtime))
        return private(Response(page, mimetype="text/html"))


def public_rows(runtime: AppRuntime) -> Callable[[str], Any]:
    return lambda table_name: visible_rows_clause(runtime, table_name, PUBLIC)


def staff_rows(runtime: AppRuntime) -> Callable[[str], Any]:
    """The rows the logged-in account's roles may view, together (require_staff has checked one of them may)."""
    account = current_staff()
    assert account is not None
    audiences = staff_audiences(runtime, account)

    def rows(table_name: str) -> Any:
        table = runtime.spec.tables[table_name]
        seeing = [audience for audience in audiences if audience.access(table).view]
        return sa.or_(*(visible_rows_clause(runtime, table_name, audience) for audience in seeing))

    return rows


def render_dashboard(runtime: AppRuntime, name: str, spec: DashboardSpec, rows_of: Callable[[str], Any]) -> str:
    words = Words(gettext, current_lang())
    charts = build_charts(runtime, database_engine(), spec, rows_of, words, public=spec.access == "public")
    drawn = [(chart, render_chart(chart)) for chart in charts]
    context = page_context(runtime, dashboard=spec, dashboard_name=name, charts=drawn)
    return render_template(app_template(runtime.name, "dashboard.html"), **context)
