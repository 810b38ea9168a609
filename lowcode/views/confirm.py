"""The confirmation step of a form with `confirm: true` (確認画面): check the answers, then send them.

The first valid POST stores nothing: it shows the answers and carries them, as hidden inputs, to two buttons —
修正する (back to the form, every answer kept) and 送信する. Only the POST of 送信する stores, and it is read and
checked again exactly like any other submission, so the step cannot be used to skip validation. A photo received
with the first POST is kept among the pending uploads (the `<field>_kept` name, `lowcode.uploads`) and shown from a preview address that
only the browser session which sent it may open.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape

from ..audience import PUBLIC, Audience
from ..fields import field_type
from ..forms import Submission
from ..records import query_titles
from ..runtime import AppRuntime
from ..spec.models import FormSpec, TableSpec
from ..templating import app_template
from ..uploads import STORED_IMAGE_RE, pending_folder, photo_response
from .context import current_lang, display_value, page_context
from .engine import database_engine
from .point_map import point_map_assets, point_map_html

STEP = "_step"  # the button pressed on the confirmation page: `edit` or `send`
PREVIEWS = "lowcode_previews"  # session key: photos this browser sent and may see before they are stored
PREVIEW_LIMIT = 20
NOT_CARRIED = ("csrf_token", STEP)  # a fresh token is written; the step is the button pressed


def confirmation_wanted(spec: FormSpec) -> bool:
    """A valid POST of a `confirm: true` form that did not come from the confirmation page's send button."""
    return spec.confirm and request.form.get(STEP) not in ("send", "edit")


def editing() -> bool:
    """The resident pressed 修正する: show the form again with the answers, without storing or complaining."""
    return request.form.get(STEP) == "edit"


def render_confirmation(
    runtime: AppRuntime, form_name: str, spec: FormSpec, form: Any, table: TableSpec, names: list[str], submission: Submission,
    audience: Audience = PUBLIC,
) -> ResponseReturnValue:
    """The answers to confirm; a reference is named as the writer may see it (a staff form's writer: their role)."""
    lang = current_lang()
    shown = [n for n in names if n in submission.values]
    titles = query_titles(runtime, database_engine(), spec.table, shown, [submission.values], audience)
    answers = [
        (runtime.text(table.fields[n].label, lang, n), answer_html(runtime, form_name, table, n, submission.values[n], lang, titles))
        for n in shown
    ]
    remember_previews(submission.kept_uploads.values())
    has_point = any(table.fields[n].type == "location" and submission.values[n] for n in shown)
    context = page_context(runtime, form=form, form_spec=spec, form_name=form_name, answers=answers,
                           carried=carried_inputs(submission), point_map_assets=point_map_assets() if has_point else "")
    return render_template(app_template(runtime.name, "confirm.html"), **context)


def answer_html(
    runtime: AppRuntime, form_name: str, table: TableSpec, name: str, value: Any, lang: str, titles: dict[str, dict[int, str]]
) -> Markup:
    """An answer as the resident will see it on a detail page; a photo from its preview address (not yet public)."""
    spec = table.fields[name]
    if spec.type == "location" and value:  # the resident's own point, exactly where they set it
        text = escape(field_type("location").display(value, spec, lang))
        return point_map_html(runtime, table, name, value, text, lang)
    if spec.type == "image" and value:
        src = url_for(f"{runtime.name}.form_preview", form_name=form_name, filename=value)
        return Markup('<img src="{}" alt="{}" class="photo">').format(src, runtime.text(spec.label, lang, name))
    return display_value(runtime, table, name, value, lang, titles)


def carried_inputs(submission: Submission) -> list[tuple[str, str]]:
    """Everything the browser sent, as (name, value) pairs for hidden inputs; photos by their kept name."""
    kept_names = {f"{name}_kept" for name in submission.kept_uploads}
    pairs = [(k, v) for k, v in request.form.items(multi=True) if k not in NOT_CARRIED and k not in kept_names]
    return pairs + [(f"{name}_kept", stored) for name, stored in submission.kept_uploads.items()]


def remember_previews(stored_names: Any) -> None:
    known = [n for n in session.get(PREVIEWS, []) if isinstance(n, str)]
    session[PREVIEWS] = (known + [n for n in stored_names if n not in known])[-PREVIEW_LIMIT:]


def send_preview(upload_dir: Path, filename: str) -> ResponseReturnValue:
    """A photo not yet stored in a row, only for the session that sent it, never cached by a shared proxy."""
    if not STORED_IMAGE_RE.match(filename) or filename not in session.get(PREVIEWS, []):
        abort(404)
    response = photo_response(pending_folder(upload_dir), filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
