"""`lowcode run --reload` (editing a YAML): a held app's maintenance page shows the plan, not only "maintenance"."""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..spec.problems import Problem
from .planner import make_plan
from .words import describe_plan

if TYPE_CHECKING:
    from ..runtime import AppRuntime

PENDING_CODE = "E_MIGRATION_PENDING"
SHOW_PLAN_SETTING = "LOWCODE_SHOW_PLAN"  # set by `lowcode run --reload`: only the person editing sees the plan


def waits_for_migration(problems: list[Problem]) -> bool:
    return any(p.code == PENDING_CODE for p in problems)


def plan_preview(runtime: AppRuntime, engine: sa.Engine, problems: list[Problem], lang: str) -> str:
    """The problem as the log writes it, then the plan in the reader's language (read now: it may have changed)."""
    with engine.connect() as conn:
        plan = make_plan(conn, runtime.name, runtime.spec)
    return "\n".join([*(p.render(lang) for p in problems), "", *describe_plan(plan, lang)])
