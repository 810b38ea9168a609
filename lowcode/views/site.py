"""Pages that belong to the installation, not to one app: the index of apps and the health check."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

from ..diskspace import disk_state
from ..migrations.preview import waits_for_migration
from ..readiness import describe_failure

site_blueprint = Blueprint("site", __name__)


@site_blueprint.get("/")
def index() -> ResponseReturnValue:
    state = current_app.extensions["lowcode"]
    runtimes = [r for r in state.runtimes.values() if r.name not in state.broken]
    if len(runtimes) == 1 and not state.broken:
        return redirect(url_for(f"{runtimes[0].name}.home"))
    lang = str(get_locale())
    apps = [(r.name, r.text(r.spec.title, lang), r.text(r.spec.description, lang)) for r in runtimes]
    return render_template("index.html", apps=apps, lang=lang, under_maintenance=sorted(state.broken))


@site_blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    """503 when residents cannot submit (storage down, disk full); "degraded" (200) when some app or the disk needs care.

    A broken app or a low disk keeps 200 so that a load balancer does not take the healthy apps off the air.
    """
    state = current_app.extensions["lowcode"]
    database, reason = database_health(state)
    disk = disk_state(Path(current_app.instance_path))
    failing = database != "ok" or not disk.serves
    degraded = bool(state.broken) or disk.state != "ok"
    body = {
        "status": "error" if failing else "degraded" if degraded else "ok",
        "database": database,
        "dialect": state.db.engine.dialect.name,
        "disk": disk.state,
        "disk_free_mb": disk.free_bytes // (1024 * 1024),
        "apps": sorted(set(state.runtimes) - set(state.broken)),
        "under_maintenance": sorted(state.broken),
        "waiting_for_migration": sorted(n for n, problems in state.broken.items() if waits_for_migration(problems)),
    }
    if reason:
        body["reason"] = reason
    return jsonify(body), 503 if failing else 200


def database_health(state: Any) -> tuple[str, str]:
    """("ok", "") or ("unavailable", why): storage prepared (retried here too) and answering."""
    if not state.storage.ensure():
        return "unavailable", state.storage.reason
    try:
        with state.db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        reason = describe_failure(exc)
        current_app.logger.warning("health check: database unavailable: %s", reason)
        return "unavailable", reason
    return "ok", ""
