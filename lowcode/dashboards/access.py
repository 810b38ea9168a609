"""Who may open a dashboard: one rule for the dashboard page and the staff home's links.

A public dashboard is anyone's. A staff dashboard is for an account one of whose roles may view each chart's table
(the rule `require_staff(runtime, table)` applies per table); its counts are the rows those roles see together.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..audience import Audience
from ..runtime import AppRuntime
from ..spec.dashboards import DashboardSpec


def may_view_dashboard(runtime: AppRuntime, dashboard: DashboardSpec, audiences: Sequence[Audience]) -> bool:
    """Whether an account with these roles may open the dashboard (a public one: always)."""
    if dashboard.access == "public":
        return True
    tables = runtime.spec.tables
    return all(any(audience.may(tables[chart.table], "view") for audience in audiences) for chart in dashboard.charts)


def viewable_dashboards(runtime: AppRuntime, audiences: Sequence[Audience]) -> list[tuple[str, DashboardSpec]]:
    """The app's dashboards an account with these roles may open, in YAML order (the staff home links them)."""
    return [(name, spec) for name, spec in runtime.spec.dashboards.items()
            if may_view_dashboard(runtime, spec, audiences)]
