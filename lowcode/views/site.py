"""Pages that belong to the installation, not to one app: the index of apps and the health check."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale

site_blueprint = Blueprint("site", __name__)


@site_blueprint.get("/")
def index() -> ResponseReturnValue:
    runtimes = list(current_app.extensions["lowcode"].runtimes.values())
    if len(runtimes) == 1:
        return redirect(url_for(f"{runtimes[0].name}.home"))
    lang = str(get_locale())
    apps = [(r.name, r.text(r.spec.title, lang), r.text(r.spec.description, lang)) for r in runtimes]
    return render_template("index.html", apps=apps, lang=lang)


@site_blueprint.get("/healthz")
def healthz() -> ResponseReturnValue:
    state = current_app.extensions["lowcode"]
    try:
        with state.db.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        database = "ok"
    except sa.exc.SQLAlchemyError as exc:
        current_app.logger.warning("health check: database unavailable: %s", exc)
        database = "unavailable"
    body = {
        "status": "ok" if database == "ok" else "error",
        "database": database,
        "dialect": state.db.engine.dialect.name,
        "apps": sorted(state.runtimes),
    }
    return jsonify(body), 200 if database == "ok" else 503
