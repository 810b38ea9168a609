"""503 pages: an app whose definition is broken (maintenance), and storage that cannot be used right now.

A broken app or an unreachable database answers its own pages with a 503 in the resident's language;
the other apps, /healthz and the static files keep working.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, current_app, redirect, render_template, request, session
from flask.sessions import NullSession
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext

from ..diskspace import is_disk_failure
from ..i18n import SUPPORTED, language_name
from ..readiness import describe_failure
from ..runtime import AppRuntime
from ..templating import app_template
from .context import page_context, use_app_languages

log = logging.getLogger("lowcode")
RETRY_AFTER = "60"
ALWAYS_SERVED = ("static", "site.healthz")


def register_unavailable_pages(flask_app: Flask) -> None:
    flask_app.before_request(refuse_unavailable)

    @flask_app.errorhandler(sa.exc.OperationalError)
    @flask_app.errorhandler(sa.exc.InterfaceError)
    def storage_failed(error: Exception) -> ResponseReturnValue:
        log.error("storage failed during %s %s: %s", request.method, request.path, describe_failure(error))
        return storage_unavailable_page()

    @flask_app.errorhandler(OSError)
    def disk_failed(error: OSError) -> ResponseReturnValue:
        if not is_disk_failure(error):
            log.exception("server error during %s %s", request.method, request.path, exc_info=error)
            from .errors import error_page

            return error_page(500)
        log.error("disk refused a write during %s %s: %s", request.method, request.path, describe_failure(error))
        return storage_unavailable_page()


def app_name_of(path: str) -> str:
    return path.strip("/").split("/", 1)[0]


def refuse_unavailable() -> ResponseReturnValue | None:
    """Runs before every request (even an unknown URL): the maintenance page, or a 503 while storage is down."""
    state = current_app.extensions["lowcode"]
    if state.storage.ready and not state.broken:
        return None  # the usual case, answered without reading the request
    if request.endpoint in ALWAYS_SERVED:
        return None
    name = app_name_of(request.path)
    if name in state.broken:
        return maintenance_page(state.runtimes.get(name))
    was_ready = state.storage.ready
    if state.storage.ensure():
        return None if was_ready else ask_again_with_a_session()
    if is_form_post(name) and current_app.config.get("SECRET_KEY"):
        return None  # the form view keeps what the resident typed and answers 503 itself
    return storage_unavailable_page()


def ask_again_with_a_session() -> ResponseReturnValue | None:
    """Storage just became ready, but this request opened its session before the secret key existed (a first start
    on a read-only folder): the same request again (307 keeps the method and body) gets a working session."""
    if isinstance(session, NullSession) and current_app.secret_key:
        return redirect(request.full_path, code=307)
    return None


def is_form_post(app_name: str) -> bool:
    return request.method == "POST" and (request.endpoint or "") == f"{app_name}.form_page"


def maintenance_page(runtime: AppRuntime | None) -> ResponseReturnValue:
    message = gettext("This service is under maintenance. Please try again later.")
    return unavailable_page(runtime, message, details=migration_plan_details(runtime))


def migration_plan_details(runtime: AppRuntime | None) -> str | None:
    """Under `lowcode run --reload` only: the migration plan of an app waiting for `lowcode migrate`."""
    from ..migrations.preview import SHOW_PLAN_SETTING, plan_preview, waits_for_migration

    state = current_app.extensions["lowcode"]
    problems = state.broken.get(runtime.name, []) if runtime is not None else []
    if runtime is None or not current_app.config.get(SHOW_PLAN_SETTING) or not waits_for_migration(problems):
        return None
    return plan_preview(runtime, state.db.engine, problems, str(get_locale()))


def storage_unavailable_page() -> ResponseReturnValue:
    runtime = current_app.extensions["lowcode"].runtimes.get(app_name_of(request.path))
    message = gettext("The service is temporarily unavailable. Please try again in a few minutes.")
    return unavailable_page(runtime, message)


def unavailable_page(runtime: AppRuntime | None, message: str, details: str | None = None) -> ResponseReturnValue:
    headers = {"Retry-After": RETRY_AFTER, "Cache-Control": "no-store"}
    if runtime is None:
        languages = [(code, language_name(code)) for code in SUPPORTED]
        html = render_template("unavailable.html", message=message, lang=str(get_locale()), languages=languages)
        return html, 503, headers
    use_app_languages(runtime)
    context = page_context(runtime, code=503, message=message, details=details)
    html = render_template(app_template(runtime.name, "error.html"), **context)
    return html, 503, headers
