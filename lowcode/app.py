"""The Flask app factory: `create_app("apps")` serves every app folder under `/<app_name>/`."""
from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from .collector import freeze_start_up_objects
from .console import default_lang
from .database import configure_sqlite, database_url, engine_options, make_db, prepare_database
from .engine_flask import EngineFlask
from .honeypot import init_honeypot
from .i18n import init_i18n
from .logsafe import install_log_redaction
from .private_files import make_private_folder, prepare_sqlite_file
from .rate_limits import init_rate_limits
from .readiness import StorageReadiness
from .request_limits import init_request_limits
from .runtime import AppRuntime, AppSpecError, load_runtimes
from .secret_key import shared_secret
from .security import init_security
from .services import build_services
from .spec.problems import Problem
from .staff.auth import init_staff_login
from .templating import AppTemplateLoader, default_template_folder, template_globals
from .uploads import sweep_abandoned_photos

STATIC_FOLDER = Path(__file__).parent / "static"


class LowcodeState:
    """Everything the engine keeps per Flask app, stored in `app.extensions["lowcode"]`."""

    def __init__(self, db: Any, runtimes: list[AppRuntime], broken: dict[str, list[Problem]], storage: StorageReadiness) -> None:
        self.db = db
        self.runtimes = {r.name: r for r in runtimes}
        self.broken = broken  # app name → the problems that keep it on its maintenance page
        self.storage = storage


def create_app(path: str | os.PathLike[str] = "apps", config: dict[str, Any] | None = None, *, prepare: bool = True) -> Flask:
    """The Flask app; `prepare=False` builds routes and pages without touching storage (`lowcode routes`)."""
    flask_app = build_app(Path(path), config or {})
    if prepare:
        prepare_app(flask_app)
    if not flask_app.testing:
        freeze_start_up_objects()  # a worker's long-lived objects, left out of every later collection (collector.py)
    return flask_app


def build_app(path: Path, config: dict[str, Any]) -> Flask:
    """Read the apps and wire the views: no file, folder or database is created or opened here."""
    flask_app = EngineFlask("lowcode", static_folder=str(STATIC_FOLDER), static_url_path="/static", instance_relative_config=True)
    configure(flask_app, config)
    db = make_db()
    runtimes, broken = load_runtimes(path, db.metadata, strict=flask_app.config["STRICT"])
    flask_app.jinja_loader = AppTemplateLoader(default_template_folder(), {r.name: r.template_folder for r in runtimes})
    flask_app.jinja_env.globals.update(template_globals())
    db.init_app(flask_app)
    storage = StorageReadiness(lambda: prepare_storage(flask_app))
    flask_app.extensions["lowcode"] = LowcodeState(db, runtimes, broken, storage)
    register_availability(flask_app)  # before CSRF: a page that cannot be served is answered before its token is read
    init_request_limits(flask_app)  # before CSRF, which reads the body
    init_security(flask_app, runtimes)
    init_rate_limits(flask_app)  # before CSRF: a flood is refused before any work is done for it
    CSRFProtect(flask_app)
    init_honeypot(flask_app)
    init_staff_login(flask_app, lambda: db.engine)
    init_i18n(flask_app)
    register_views(flask_app, runtimes)
    log_broken_apps(broken)
    return flask_app


def prepare_app(flask_app: Flask) -> None:
    """The start-up work, in one explicit step (run, gunicorn's factory, tests); retried later when storage fails.

    Strict (`lowcode run --strict`, LOWCODE_STRICT=1), a failure stops the start instead.
    """
    flask_app.extensions["lowcode"].storage.attempt(raise_errors=flask_app.config["STRICT"])


def prepare_storage(flask_app: Flask) -> None:
    """Instance folder, secret key, tables, services and seed rows: everything that writes."""
    state: LowcodeState = flask_app.extensions["lowcode"]
    instance = Path(flask_app.instance_path)
    make_private_folder(instance)  # residents' data: database, photos, secret key
    prepare_sqlite_file(flask_app.config["SQLALCHEMY_DATABASE_URI"])
    sweep_abandoned_photos(Path(flask_app.config["UPLOAD_FOLDER"]), list(state.runtimes))
    if not flask_app.config.get("SECRET_KEY"):
        flask_app.config["SECRET_KEY"] = read_or_create_secret(instance)
    runtimes = list(state.runtimes.values())
    with flask_app.app_context():
        db = state.db
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine)

        def build_all_services() -> None:
            for runtime in runtimes:
                build_services(runtime, db.engine, db.metadata)

        def seed_failed(runtime: AppRuntime, error: AppSpecError) -> None:
            if flask_app.config["STRICT"]:
                raise error
            state.broken[runtime.name] = error.problems
            log_broken_apps({runtime.name: error.problems})

        prepare_database(db.engine, db.metadata, runtimes, instance, before_seeding=build_all_services, seed_failed=seed_failed)
        if not flask_app.config["LOWCODE_SECRET_EXPLICIT"]:  # one key for every server on this database
            flask_app.config["SECRET_KEY"] = shared_secret(db.engine, flask_app.config["SECRET_KEY"])


def log_broken_apps(broken: dict[str, list[Problem]]) -> None:
    for name, problems in broken.items():
        rendered = "\n".join(p.render(default_lang()) for p in problems)
        logging.getLogger("lowcode").error("app %s is on its maintenance page until its definition is fixed:\n%s", name, rendered)


def configure(flask_app: Flask, config: dict[str, Any]) -> None:
    instance = Path(config.get("INSTANCE_PATH") or os.environ.get("LOWCODE_INSTANCE") or Path.cwd() / "instance")
    flask_app.instance_path = str(instance)
    url = database_url(instance, config.get("DATABASE_URL") or os.environ.get("DATABASE_URL"))
    flask_app.config.update(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(url),
        SECRET_KEY=os.environ.get("LOWCODE_SECRET_KEY") or read_secret(instance),  # created by prepare_storage
        LOWCODE_SECRET_EXPLICIT=bool(os.environ.get("LOWCODE_SECRET_KEY") or config.get("SECRET_KEY")),
        STRICT=os.environ.get("LOWCODE_STRICT", "").lower() in ("1", "true", "yes"),
        # A form's token lasts two hours: long enough for a resident who takes an hour over it, and an expired one
        # brings the form back with the answers kept. Tokens are not single-use (two tabs, the confirmation step).
        WTF_CSRF_TIME_LIMIT=2 * 3600,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        UPLOAD_FOLDER=str(instance / "uploads"),
    )
    flask_app.config.update({k: v for k, v in config.items() if k != "DATABASE_URL"})
    logging.basicConfig(level=os.environ.get("LOWCODE_LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_log_redaction()


def read_secret(instance: Path) -> str | None:
    try:
        return (instance / "secret_key").read_text().strip() or None
    except OSError:
        return None


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


def register_availability(flask_app: Flask) -> None:
    from .views.unavailable import register_unavailable_pages

    register_unavailable_pages(flask_app)


def register_views(flask_app: Flask, runtimes: list[AppRuntime]) -> None:
    from .views.app_pages import build_app_blueprint
    from .views.area_fields import area_map
    from .views.errors import register_error_pages
    from .views.site import site_blueprint

    flask_app.jinja_env.globals["area_map"] = area_map  # any page with form fields may show an area field's map
    flask_app.register_blueprint(site_blueprint)
    register_error_pages(flask_app)
    for runtime in runtimes:
        flask_app.register_blueprint(build_app_blueprint(runtime), url_prefix=f"/{runtime.name}")
