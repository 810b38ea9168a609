"""The pages of one app: home, forms, lists and detail pages, uploaded photos."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    after_this_request,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf.csrf import CSRFError

from ..audience import PUBLIC, Audience
from ..diskspace import is_disk_failure
from ..forms import (
    Submission,
    build_form_class,
    default_values,
    fill_reference_options,
    fix_scope_choices,
    form_field_names,
    read_submission,
)
from ..readiness import describe_failure
from ..records import check_values, keep_in_scope, query_options, query_row, submit
from ..records.photos import query_photo_visible
from ..runtime import AppRuntime
from ..spec.models import FormSpec
from ..templating import app_template
from ..uploads import STORED_IMAGE_RE, photo_response
from ..values import ROW_ID_LIMIT
from .confirm import confirmation_wanted, editing, render_confirmation, send_preview
from .context import current_lang, display_value, nav_link, page_context, use_app_languages
from .dashboards import add_dashboard_routes
from .engine import database_engine
from .errors import error_page
from .listing import list_view_model
from .map_print import add_map_print_route
from .maps_pages import add_map_routes, form_picker_assets, location_picker
from .places_api import add_places_routes
from .point_map import point_map_assets, with_point_maps
from .prefill import prefilled_values
from .row_links import row_link
from .sent import remember_sent, sent_track_token, was_sent_here
from .staff_audit import add_staff_audit_routes
from .staff_bulk import add_staff_bulk_routes
from .staff_edit import add_staff_edit_routes, expired_staff_page
from .staff_exports import add_staff_export_routes
from .staff_forms import PUBLIC_WRITER, FormWriter, form_writer
from .staff_imports import add_staff_import_routes
from .staff_matching import add_staff_matching_routes
from .staff_outbox import add_staff_outbox_routes
from .staff_pages import add_staff_routes, login_throttled_response, private
from .staff_proposals import add_staff_proposal_routes
from .staff_records import add_staff_record_routes
from .tracking import add_tracking_routes
from .typed_references import add_reference_routes, resolve_typed_references
from .unavailable import RETRY_AFTER, storage_unavailable_page

log = logging.getLogger("lowcode")


def build_app_blueprint(runtime: AppRuntime) -> Blueprint:
    bp = Blueprint(runtime.name, __name__)
    bp.before_request(lambda: use_app_languages(runtime))
    add_places_routes(bp, runtime)
    add_reference_routes(bp, runtime)
    add_staff_routes(bp, runtime)
    add_staff_record_routes(bp, runtime)
    add_staff_bulk_routes(bp, runtime)
    add_staff_audit_routes(bp, runtime)
    add_staff_outbox_routes(bp, runtime)
    add_staff_edit_routes(bp, runtime)
    add_staff_export_routes(bp, runtime)
    add_staff_import_routes(bp, runtime)
    add_staff_matching_routes(bp, runtime)
    add_staff_proposal_routes(bp, runtime)
    add_map_routes(bp, runtime)
    add_dashboard_routes(bp, runtime)
    add_map_print_route(bp, runtime)
    add_tracking_routes(bp, runtime)
    form_classes: dict[tuple[str, str], Any] = {}

    def form_class(form_name: str, lang: str) -> Any:
        key = (form_name, lang)
        if key not in form_classes:
            form_classes[key] = build_form_class(runtime, form_name, lang)
        return form_classes[key]

    @bp.get("/")
    def home() -> ResponseReturnValue:
        lang = current_lang()
        links = [nav_link(runtime, item, lang) for item in runtime.spec.home.links] if runtime.spec.home.links else None
        return render_template(app_template(runtime.name, "home.html"), **page_context(runtime, links=links))

    @bp.route("/forms/<form_name>", methods=["GET", "POST"])
    def form_page(form_name: str) -> ResponseReturnValue:
        spec = runtime.spec.forms.get(form_name)
        writer = form_writer(runtime, spec) if spec is not None else None
        if spec is None or writer is None:
            abort(404)
        return handle_form(runtime, form_name, spec, form_class(form_name, current_lang()), writer=writer)

    @bp.get("/forms/<form_name>/sent/<ref>")
    def form_sent(form_name: str, ref: str) -> ResponseReturnValue:
        spec = runtime.spec.forms.get(form_name)
        if spec is None or not was_sent_here(runtime.name, form_name, ref):
            abort(404)  # only the browser that sent the form sees its number; any other text is not "your number"
        token = sent_track_token(runtime.name, form_name, ref)
        track_url = url_for(f"{runtime.name}.track_page", token=token, _external=True) if token else None
        return render_template(app_template(runtime.name, "sent.html"), **page_context(runtime, form=spec, form_name=form_name, ref=ref, track_url=track_url))

    @bp.get("/lists/<list_name>")
    def list_page(list_name: str) -> ResponseReturnValue:
        spec = runtime.spec.lists.get(list_name)
        if spec is None:
            abort(404)
        model = list_view_model(runtime, list_name, spec, request.args, current_lang())
        return render_template(app_template(runtime.name, "list.html"), **page_context(runtime, **model))

    @bp.get("/lists/<list_name>/<int:row_id>")
    def detail_page(list_name: str, row_id: int) -> ResponseReturnValue:
        spec = runtime.spec.lists.get(list_name)
        if spec is None or not spec.detail or row_id > ROW_ID_LIMIT:
            abort(404)
        return render_detail(runtime, list_name, row_id)

    @bp.get("/forms/<form_name>/preview/<filename>")
    def form_preview(form_name: str, filename: str) -> ResponseReturnValue:
        spec = runtime.spec.forms.get(form_name)
        if spec is None or form_writer(runtime, spec) is None:
            abort(404)
        return send_preview(upload_dir(runtime), filename)

    @bp.get("/uploads/<filename>")
    def upload(filename: str) -> ResponseReturnValue:
        if not STORED_IMAGE_RE.match(filename) or not public_upload_exists(runtime, filename):
            abort(404)
        return photo_response(upload_dir(runtime), filename, max_age=86400)

    @bp.errorhandler(CSRFError)
    def expired_form(error: CSRFError) -> ResponseReturnValue:
        return expired_form_response(runtime, form_class)

    @bp.errorhandler(429)
    def too_many_requests(error: Exception) -> ResponseReturnValue:
        return too_many_requests_response(runtime, form_class)

    @bp.errorhandler(sa.exc.OperationalError)
    @bp.errorhandler(sa.exc.InterfaceError)
    @bp.errorhandler(OSError)
    def storage_failed(error: Exception) -> ResponseReturnValue:
        return storage_failure_response(runtime, form_class, error)

    return bp


def upload_dir(runtime: AppRuntime) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / runtime.name


def handle_form(runtime: AppRuntime, form_name: str, spec: FormSpec, form_cls: Any, notice: str | None = None,
                writer: FormWriter = PUBLIC_WRITER) -> ResponseReturnValue:
    lang = current_lang()
    if writer.staff:
        after_this_request(private)  # a staff page: never kept by a browser or proxy cache
    table = runtime.spec.tables[spec.table]
    names = form_field_names(spec, table)
    if request.method == "GET":  # the defaults, then what the link fills in (lowcode/views/prefill.py)
        linked = prefilled_values(runtime, spec.table, names, request.args, writer.audience, lang) if request.args else {}
        form = form_cls(data={**default_values(table, names), **linked})
    else:
        form = form_cls()
    errors: dict[str, str] = {}
    kept: dict[str, str] = {}
    if request.method == "POST" and notice is None:
        typed_errors = resolve_typed_references(runtime, form, spec.table, names, writer.audience)
        submission = read_submission(form, runtime, spec, upload_dir(runtime))
        submission.errors.update(typed_errors)
        if confirmation_wanted(spec) or editing():
            check_submission(runtime, spec.table, names, submission, lang, writer.audience)
            if submission.ok and confirmation_wanted(spec):
                return render_confirmation(runtime, form_name, spec, form, table, names, submission, writer.audience)
        else:
            result = submit(runtime, database_engine(), spec.table, submission.values, lang=lang, fields=names,
                            known_errors=submission.errors, upload_dir=upload_dir(runtime),
                            audience=writer.audience, actor=writer.actor)
            if result.ref is not None:
                remember_sent(runtime.name, form_name, result.ref, result.track_token)
                return redirect(url_for(f"{runtime.name}.form_sent", form_name=form_name, ref=result.ref), code=303)
            submission.errors = result.errors
            if not result.errors:  # refused by the database for a reason no field can name
                notice = gettext("Please check your answers and send again.")
        errors, kept = submission.errors, submission.kept_uploads
    status = 422 if errors or notice else 200
    if any(table.fields[n].type == "reference" for n in names):  # options are only needed to show the form
        fill_options_or_keep_choice(form, runtime, spec.table, names, writer.audience)
    fix_scope_choices(form, table, writer.audience.access(table).scope or {}, lang)
    has_location = any(table.fields[n].type == "location" for n in names)
    context = page_context(runtime, form=form, form_spec=spec, form_name=form_name, table=table, names=names,
                           errors=errors, kept_uploads=kept, notice=notice, has_location=has_location,
                           picker_assets=form_picker_assets() if has_location else "",
                           picker=lambda *args: location_picker(runtime, *args))
    return render_template(app_template(runtime.name, "form.html"), **context), status


def check_submission(runtime: AppRuntime, table_name: str, names: list[str], submission: Submission, lang: str,
                     audience: Audience = PUBLIC) -> None:
    """Check the answers without storing them (the confirmation step, or 修正する): the same checks as `submit`,
    and a scoped role's scope field set to its own value, as `submit` will store it (the sheet shows what is stored)."""
    checked = check_values(runtime, table_name, submission.values, names, lang, submission.errors)
    keep_in_scope(runtime, table_name, checked.values, checked.errors, audience)
    submission.values, submission.errors = checked.values, checked.errors


def expired_form_response(runtime: AppRuntime, form_class: Any) -> ResponseReturnValue:
    """A form sent after its session expired: show it again with everything the resident typed."""
    endpoint = request.endpoint or ""
    form_name = (request.view_args or {}).get("form_name")
    spec = runtime.spec.forms.get(form_name or "")
    staff_page = expired_staff_page(runtime)  # a staff edit or note: kept likewise
    if staff_page is not None:
        return staff_page
    if not endpoint.endswith(".form_page"):
        return render_template("error.html", **page_context(runtime, code=400, message=gettext("The page expired. Please go back and try again."))), 400
    writer = form_writer(runtime, spec) if spec is not None else None
    if spec is None or writer is None:
        return error_page(404)  # the same answer as without the token: a staff form is not there for the public
    notice = gettext("For your security the form timed out. Your answers are kept: please check them and send again.")
    return handle_form(runtime, form_name or "", spec, form_class(form_name, current_lang()), notice=notice, writer=writer)


def fill_options_or_keep_choice(form: Any, runtime: AppRuntime, table_name: str, names: list[str],
                                audience: Audience = PUBLIC) -> None:
    """Reference options from the database; while it is down, the resident's choice stays the only option. A scoped
    role's scope field offers its own row only, chosen (the row is stored in its scope whatever is sent)."""
    scope = audience.access(runtime.spec.tables[table_name]).scope or {}
    try:
        chosen = {name: form[name].data for name in names if name in form}
        fill_reference_options(form, query_options(runtime, database_engine(), table_name, names, audience, chosen), scope)
    except (sa.exc.OperationalError, sa.exc.InterfaceError):
        fields = runtime.spec.tables[table_name].fields
        for name in names:
            if fields[name].type == "reference" and form[name].data not in (None, ""):
                form[name].choices = [(str(form[name].data), str(form[name].data))]


def storage_failure_response(runtime: AppRuntime, form_class: Any, error: Exception) -> ResponseReturnValue:
    """The database or the disk refused a write: a form comes back with every answer and a 503, never a 500."""
    if isinstance(error, OSError) and not is_disk_failure(error):
        raise error
    log.error("storage failed during %s %s: %s", request.method, request.path, describe_failure(error))
    form_name = (request.view_args or {}).get("form_name") or ""
    spec = runtime.spec.forms.get(form_name)
    writer = form_writer(runtime, spec) if spec is not None else None
    if request.method != "POST" or not (request.endpoint or "").endswith(".form_page") or spec is None or writer is None:
        return storage_unavailable_page()
    notice = gettext("Your answers could not be saved just now: they are kept below. Please send them again in a few "
                     "minutes (a photo has to be chosen again).")
    page = handle_form(runtime, form_name, spec, form_class(form_name, current_lang()), notice=notice, writer=writer)
    return (page[0], 503, {"Retry-After": RETRY_AFTER}) if isinstance(page, tuple) else page


def too_many_requests_response(runtime: AppRuntime, form_class: Any) -> ResponseReturnValue:
    """Over a rate limit (lowcode/rate_limits.py): a form comes back with the answers kept, the API answers JSON."""
    form_name = (request.view_args or {}).get("form_name") or ""
    spec = runtime.spec.forms.get(form_name)
    writer = form_writer(runtime, spec) if spec is not None else None
    if (request.endpoint or "").endswith(".form_page") and spec is not None and writer is not None:
        notice = gettext("Many forms were sent from your connection in a short time. Your answers are kept: "
                         "please wait a few minutes and send again.")
        page = handle_form(runtime, form_name, spec, form_class(form_name, current_lang()), notice=notice, writer=writer)
        return (page[0], 429) if isinstance(page, tuple) else page
    if (request.endpoint or "").endswith(".staff_login"):
        return login_throttled_response(runtime)
    if request.path.startswith(f"/{runtime.name}/api/"):
        return jsonify(error=gettext("Too many requests from your connection. Please wait a minute and try again.")), 429
    return error_page(429)


def render_detail(runtime: AppRuntime, list_name: str, row_id: int) -> ResponseReturnValue:
    lang = current_lang()
    spec = runtime.spec.lists[list_name]
    table = runtime.spec.tables[spec.table]
    names = PUBLIC.only_visible(table, spec.detail_fields or table.fields)  # validate refuses others, too
    link = row_link(runtime, spec, lang)  # `link:` — to a form, filled from this row (public fields only)
    read = PUBLIC.only_visible(table, dict.fromkeys([*names, *(link.fill.values() if link else ())]))
    found = query_row(runtime, database_engine(), spec.table, row_id, read, where=spec.where, audience=PUBLIC)
    if found is None:
        abort(404)
    row, titles = found
    values = [(runtime.text(table.fields[n].label, lang, n), display_value(runtime, table, n, row.get(n), lang, titles)) for n in names]
    values, has_map = with_point_maps(runtime, table, names, row, values, lang)
    context = page_context(runtime, list_spec=spec, list_name=list_name, row=row, values=values, table=table,
                           point_map_assets=point_map_assets() if has_map else "",
                           row_link=(link.url(row, titles), link.label) if link is not None else None)
    return render_template(app_template(runtime.name, "detail.html"), **context)


def public_upload_exists(runtime: AppRuntime, filename: str) -> bool:
    """Only photos of public image fields in rows the public sees are served (lowcode/references.py)."""
    return query_photo_visible(runtime, database_engine(), filename, PUBLIC)
