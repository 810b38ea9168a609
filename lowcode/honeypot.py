"""A honeypot in every public form: an input people never see or reach, which form-filling robots fill in.

A submission with it filled is dropped without a word: the robot is answered as if it had succeeded (a redirect
to the app's home page) so that it learns nothing, and nothing is stored. Its name starts with `_`, which no field
name can, and browsers do not autofill an input that is not displayed.
"""
from __future__ import annotations

import logging

from flask import Flask, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from markupsafe import Markup

HONEYPOT_NAME = "_homepage"
log = logging.getLogger("lowcode")


def init_honeypot(flask_app: Flask) -> None:
    flask_app.jinja_env.globals["honeypot_input"] = honeypot_input
    flask_app.before_request(drop_robot_submission)


def honeypot_input() -> Markup:
    label = gettext("Leave this empty")
    return Markup(
        '<div class="lc-extra" aria-hidden="true"><label for="{name}">{label}</label>'
        '<input type="text" id="{name}" name="{name}" value="" tabindex="-1" autocomplete="off"></div>'
    ).format(name=HONEYPOT_NAME, label=label)


def drop_robot_submission() -> ResponseReturnValue | None:
    if request.method != "POST":  # first: every page runs this, and only a POST can carry the honeypot
        return None
    endpoint = request.endpoint or ""
    if not endpoint.endswith(".form_page") or not request.form.get(HONEYPOT_NAME):
        return None
    app_name = endpoint.rpartition(".")[0]
    log.info("dropped a submission to %s/%s: the hidden honeypot input was filled", app_name, (request.view_args or {}).get("form_name"))
    return redirect(url_for(f"{app_name}.home"), code=303)
