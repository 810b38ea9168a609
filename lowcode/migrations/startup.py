"""At start-up: an app whose database does not match its YAML is held on its maintenance page, not served.

New tables and new empty fields are still made by start-up itself (they lose nothing); anything else — a rename,
a removal, a type change, values to bring back — waits for `lowcode migrate`, which shows the plan first.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..spec.problems import Message, Problem, register_messages
from .planner import make_plan
from .words import describe_plan

if TYPE_CHECKING:
    from ..runtime import AppRuntime

log = logging.getLogger("lowcode")

register_messages(
    {
        "E_MIGRATION_PENDING": Message(
            "The database of the app '{app}' does not match its YAML ({count} change(s) to make), so the app shows its "
            "maintenance page.",
            "アプリ '{app}' のデータベースが YAML と合っていない(変更 {count} 件)ため、メンテナンス中のページを表示しています。",
            "See the plan with `lowcode migrate {path} --dry-run`, apply it with `lowcode migrate {path}`, then "
            "restart (or reload) the server.",
            "`lowcode migrate {path} --dry-run` で計画を確かめ、`lowcode migrate {path}` で適用してから、サーバーを"
            "再起動(または再読み込み)してください。",
        ),
    }
)


def unmigrated_apps(engine: sa.Engine, runtimes: list[AppRuntime]) -> dict[str, list[Problem]]:
    """App name → the problem that holds it, for each app whose plan is more than additions."""
    held: dict[str, list[Problem]] = {}
    with engine.connect() as conn:
        for runtime in runtimes:
            plan = make_plan(conn, runtime.name, runtime.spec, read_values=False)  # no table scans at start-up
            if plan.only_additions:
                continue
            folder = Path(runtime.shown_file).parent
            problem = Problem("E_MIGRATION_PENDING", runtime.shown_file, 1, 1,
                              {"app": runtime.name, "count": len(plan.changes), "path": str(folder)})
            held[runtime.name] = [problem]
            log.error("app %s waits for `lowcode migrate %s`:\n%s", runtime.name, folder, "\n".join(describe_plan(plan, "en")))
    return held
