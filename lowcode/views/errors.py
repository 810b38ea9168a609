"""Error pages in the resident's language and the app's frame: not found, too large, server error."""
from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from ..runtime import AppRuntime
from ..templating import app_template
from .context import page_context, use_app_languages


def register_error_pages(flask_app: Flask) -> None:
    @flask_app.errorhandler(404)
    @flask_app.errorhandler(405)
    @flask_app.errorhandler(413)
    @flask_app.errorhandler(429)
    def client_error(error: HTTPException) -> ResponseReturnValue:
        return error_page(error.code or 400)

    @flask_app.errorhandler(500)
    def server_error(error: Exception) -> ResponseReturnValue:
        return error_page(500)


def runtime_for_path(path: str) -> AppRuntime | None:
    first = path.strip("/").split("/", 1)[0]
    runtime: AppRuntime | None = current_app.extensions["lowcode"].runtimes.get(first)
    return runtime


def error_message(code: int) -> str:
    messages = {
        404: gettext("The page was not found."),
        405: gettext("The page was not found."),
        413: gettext("What you sent is too large (a photo over the size limit, or a very long text). Please go back, "
                     "choose a smaller photo or shorten the text, and send again."),
        429: gettext("Too many requests from your connection. Please wait a minute and try again."),
        500: gettext("Sorry, something went wrong on our side. Please try again later."),
    }
    return messages.get(code, gettext("The request could not be handled."))


def error_page(code: int) -> ResponseReturnValue:
    runtime = runtime_for_path(request.path)
    message = error_message(code)
    if runtime is None:
        return render_template("site_error.html", code=code, message=message), code
    use_app_languages(runtime)
    return render_template(app_template(runtime.name, "error.html"), **page_context(runtime, code=code, message=message)), code
