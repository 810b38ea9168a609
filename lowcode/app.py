"""The Flask app factory: `create_app("apps")` serves every app folder under `/<app_name>/`."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from .database import configure_sqlite, database_url, engine_options, make_db, prepare_database
from .i18n import init_i18n
from .runtime import AppRuntime, load_runtimes
from .services import build_services
from .templating import AppTemplateLoader, default_template_folder, template_globals

STATIC_FOLDER = Path(__file__).parent / "static"


class LowcodeState:
    """Everything the engine keeps per Flask app, stored in `app.extensions["lowcode"]`."""

    def __init__(self, db: Any, runtimes: list[AppRuntime]) -> None:
        self.db = db
        self.runtimes = {r.name: r for r in runtimes}


def create_app(path: str | os.PathLike[str] = "apps", config: dict[str, Any] | None = None) -> Flask:
    flask_app = Flask("lowcode", static_folder=str(STATIC_FOLDER), static_url_path="/static", instance_relative_config=True)
    configure(flask_app, config or {})
    db = make_db()
    runtimes = load_runtimes(Path(path), db.metadata)
    flask_app.jinja_loader = AppTemplateLoader(default_template_folder(), {r.name: r.template_folder for r in runtimes})
    flask_app.jinja_env.globals.update(template_globals())
    db.init_app(flask_app)
    CSRFProtect(flask_app)
    init_i18n(flask_app)
    flask_app.extensions["lowcode"] = LowcodeState(db, runtimes)
    register_views(flask_app, runtimes)
    with flask_app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)
        def build_all_services() -> None:
            for runtime in runtimes:
                build_services(runtime, db.engine, db.metadata)

        prepare_database(db.engine, db.metadata, runtimes, Path(flask_app.instance_path), before_seeding=build_all_services)
    return flask_app


def configure(flask_app: Flask, config: dict[str, Any]) -> None:
    instance = Path(config.get("INSTANCE_PATH") or os.environ.get("LOWCODE_INSTANCE") or Path.cwd() / "instance")
    flask_app.instance_path = str(instance)
    instance.mkdir(parents=True, exist_ok=True)
    url = database_url(instance, config.get("DATABASE_URL") or os.environ.get("DATABASE_URL"))
    flask_app.config.update(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(url),
        SECRET_KEY=os.environ.get("LOWCODE_SECRET_KEY") or read_or_create_secret(instance),
        MAX_CONTENT_LENGTH=25 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,  # a resident may take an hour over a form; the token still ties it to the session
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        UPLOAD_FOLDER=str(instance / "uploads"),
    )
    flask_app.config.update({k: v for k, v in config.items() if k != "DATABASE_URL"})
    logging.basicConfig(level=os.environ.get("LOWCODE_LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def read_or_create_secret(instance: Path) -> str:
    """A secret shared by every worker of one installation; created once, kept in the instance folder."""
    path = instance / "secret_key"
    if not path.exists():
        draft = instance / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # atomic: the first worker's key wins, the others read it
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def register_views(flask_app: Flask, runtimes: list[AppRuntime]) -> None:
    from .views.app_pages import build_app_blueprint
    from .views.errors import register_error_pages
    from .views.site import site_blueprint

    flask_app.register_blueprint(site_blueprint)
    register_error_pages(flask_app)
    for runtime in runtimes:
        flask_app.register_blueprint(build_app_blueprint(runtime), url_prefix=f"/{runtime.name}")
