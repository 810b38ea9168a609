"""The staff import page: `/<app>/staff/tables/<table>/import` (issue 10), on top of `lowcode.imports`.

Step 1 uploads a file (CSV in UTF-8 or Shift_JIS, `.xlsx`, whatever `imports.sources` reads; at most
`MAX_IMPORT_BYTES`); step 2 asks which field each column fills (preselected where the header is a field's name,
label in any language, or an export's header); step 3 (`/import/preview`) is the dry run: counts, the first rows
as they would be stored, every problem by row and column; `/import/apply` checks again and stores all rows or none
(`apply_import`, audited with the account as actor). The file waits between steps in the instance folder
(`imports_upload`), bound to the account by a token. Only a role that may `import` the table gets the page and
the queue's link (else 403). A scoped role's rows land in its scope: its scope field is not offered and is
filled with the account's value, as a staff form would (`with_scope_column`). The check and the apply report their
figures to the job the form carries (`import_progress`), which the page's script shows while it waits.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, make_response, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from ..audience import Audience
from ..audit import Actor
from ..fields import field_type
from ..imports.columns import PARTS, column_limit, importable_fields, known_headers
from ..imports.run import ImportReport, Progress, apply_import, check_import
from ..imports.sources import UnreadableFile, read_rows
from ..runtime import AppRuntime
from ..spec.models import TableSpec
from ..staff.accounts import Account
from ..staff.auth import current_staff, require_staff, staff_audiences
from ..templating import app_template
from .context import current_lang, page_context
from .engine import database_engine
from .import_progress import add_import_progress_route, form_job, page_job, report_to
from .imports_upload import Upload, forget_upload, keep_upload, load_upload, uploads_folder
from .staff_pages import private

MB = 1024 * 1024
MAX_IMPORT_BYTES = 20 * MB  # under the request cap (request_limits: 25 MB), so the page itself can say no
PREVIEW_ROWS = 10
SCOPE_COLUMN = "__lowcode_scope__"  # the column a scoped role's value is read from (never shown: renamed below)


@dataclass(frozen=True)
class Importer:
    account: Account
    audience: Audience


class BadMapping(ValueError):
    """The column choices sent cannot be used (a hand-made form, or one header used twice with two fields)."""


def add_staff_import_routes(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.route("/staff/tables/<table_name>/import", methods=["GET", "POST"])
    def staff_import(table_name: str) -> Response:
        refused = require_staff(runtime, table_name, "import")
        if refused is not None:
            return refused
        if request.method == "GET":
            return private(render_import(runtime, table_name, "upload"))
        return private(receive_upload(runtime, table_name))

    @bp.post("/staff/tables/<table_name>/import/preview")
    def staff_import_preview(table_name: str) -> Response:
        refused = require_staff(runtime, table_name, "import")
        return refused if refused is not None else private(check_or_apply(runtime, table_name, apply=False))

    @bp.post("/staff/tables/<table_name>/import/apply")
    def staff_import_apply(table_name: str) -> Response:
        refused = require_staff(runtime, table_name, "import")
        return refused if refused is not None else private(check_or_apply(runtime, table_name, apply=True))

    add_import_progress_route(bp, runtime)

    @bp.context_processor
    def import_link_helper() -> dict[str, Any]:
        return {"import_url": lambda table_name: import_url(runtime, table_name)}


def import_url(runtime: AppRuntime, table_name: str) -> str | None:
    """The queue's link to the page, for an account with a role that may import the table; else None."""
    account = current_staff()
    table = runtime.spec.tables.get(table_name)
    if account is None or table is None:
        return None
    if not any(audience.may(table, "import") for audience in staff_audiences(runtime, account)):
        return None
    return url_for(f"{runtime.name}.staff_import", table_name=table_name)


def importer(runtime: AppRuntime, table_name: str) -> Importer:
    """The account and the role it imports with: an unscoped one when it holds one (it may store any row)."""
    account = current_staff()
    assert account is not None  # require_staff has checked
    table = runtime.spec.tables[table_name]
    audiences = [a for a in staff_audiences(runtime, account) if a.may(table, "import")]
    return Importer(account, min(audiences, key=lambda a: a.access(table).scope is not None))


def owner(runtime: AppRuntime, table_name: str, account: Account) -> dict[str, str]:
    return {"account": str(account.id), "app": runtime.name, "table": table_name}


def receive_upload(runtime: AppRuntime, table_name: str) -> Response:
    """Step 1's answer: the column choices, or the upload form again with what is wrong (nothing kept)."""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return render_import(runtime, table_name, "upload", error=gettext("Choose a file to import."), status=400)
    try:
        data = sent.stream.read(MAX_IMPORT_BYTES + 1)
    finally:
        sent.close()  # a big upload is spooled to a temporary file: gone now, whatever follows
    if len(data) > MAX_IMPORT_BYTES:
        return render_import(runtime, table_name, "upload", status=413, error=gettext(
            "The file is larger than %(mb)s MB: split it into smaller files.", mb=MAX_IMPORT_BYTES // MB))
    header, error = read_header(data, runtime.spec.tables[table_name])
    if error:
        return render_import(runtime, table_name, "upload", error=error, status=400)
    who = importer(runtime, table_name)
    token = keep_upload(uploads_folder(current_app.instance_path), owner(runtime, table_name, who.account),
                        file_name(sent.filename), data)
    return render_columns(runtime, table_name, who, Upload(token, file_name(sent.filename), data), header)


def file_name(raw: str) -> str:
    """The name as the audit log and the page show it: no folders, no control characters, not too long."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:200]


def read_header(data: bytes, table: TableSpec) -> tuple[list[str], str]:
    """The file's first row, or a message saying why it cannot be read (the reader's own reason)."""
    try:
        rows = read_rows(data, max_columns=column_limit(table))
    except UnreadableFile as error:
        return [], gettext(error.reason, **error.params)
    except ValueError:  # whatever else a broken file makes a reader refuse: still a message, never a 500
        return [], gettext("The file is neither CSV text in UTF-8 or Shift_JIS nor an Excel .xlsx workbook.")
    if not rows or not any(cell.strip() for cell in rows[0]):
        return [], gettext("The file is empty: the first line must name the columns.")
    return [cell.strip() for cell in rows[0]], ""


def field_choices(runtime: AppRuntime, table: TableSpec, audience: Audience) -> list[tuple[str, str]]:
    """What a column may fill for this role, as (value, label): fields it sees, but not its scope field."""
    lang = current_lang()
    scope = set(audience.access(table).scope or {})
    seen = set(audience.visible_fields(table))
    choices: list[tuple[str, str]] = []
    for name in importable_fields(table):
        if name in scope or name not in seen:
            continue
        label = runtime.text(table.fields[name].label, lang, name)
        if table.fields[name].type == "location":
            choices += [(f"{name}.{part}", gettext(template, label=label)) for part, template in PARTS.items()]
        else:
            choices.append((name, label))
    return choices


def preselected(runtime: AppRuntime, table: TableSpec, header: list[str], allowed: set[str]) -> list[str]:
    """For each column the field its header names (a Japanese header matches the Japanese label), else ""."""
    known = known_headers(runtime, table, [*runtime.spec.languages, "en"])
    chosen = []
    for column in header:
        target = known.get(column)
        value = "" if target is None else (f"{target.field}.{target.part}" if target.part else target.field)
        chosen.append(value if value in allowed else "")
    return chosen


def render_columns(runtime: AppRuntime, table_name: str, who: Importer, upload: Upload, header: list[str], *,
                   chosen: list[str] | None = None, error: str = "", status: int = 200) -> Response:
    table = runtime.spec.tables[table_name]
    choices = field_choices(runtime, table, who.audience)
    chosen = chosen or preselected(runtime, table, header, {value for value, _ in choices})
    columns = [(index, column or gettext("(column %(number)s)", number=index + 1), chosen[index])
               for index, column in enumerate(header)]
    return render_import(runtime, table_name, "columns", upload=upload, columns=columns, choices=choices, error=error,
                         status=status, **page_job(runtime, table_name, who.account))


def chosen_columns(header: list[str], allowed: set[str]) -> list[str]:
    """Step 2's selects, one per column (`column-<index>`); a value that is not offered is refused."""
    chosen = [request.form.get(f"column-{index}", "") for index in range(len(header))]
    if any(value and value not in allowed for value in chosen):
        raise BadMapping()
    return chosen


def mapping(header: list[str], chosen: list[str]) -> dict[str, str]:
    """`check_import`'s `mapped` (header text → field, "" to leave out); a header used twice must fill one thing."""
    mapped: dict[str, str] = {}
    for column, value in zip(header, chosen, strict=True):
        if mapped.get(column, value) != value:
            raise BadMapping(column)
        mapped[column] = value
    return mapped


def with_scope_column(data: bytes, audience: Audience, table: TableSpec) -> tuple[bytes, dict[str, str]]:
    """For a scoped role: the file's rows with one more column holding the account's value for each scope field,
    as UTF-8 CSV, so its rows are checked and stored inside its scope. Unscoped: the file as it is."""
    scope = audience.access(table).scope or {}
    if not scope:
        return data, {}
    rows = read_rows(data)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    names = list(scope)
    for number, row in enumerate(rows):
        if number and not any(cell.strip() for cell in row):
            writer.writerow(row)  # a blank line stays blank (skipped), not a row holding only the account's value
            continue
        extra = [f"{SCOPE_COLUMN}{name}" for name in names] if number == 0 else [str(scope[n]) for n in names]
        writer.writerow([*row, *extra])
    return out.getvalue().encode(), {f"{SCOPE_COLUMN}{name}": name for name in names}


def check_or_apply(runtime: AppRuntime, table_name: str, *, apply: bool) -> Response:
    """Step 3 (the dry run) or the apply: both check every row again from the kept file."""
    who = importer(runtime, table_name)
    folder = uploads_folder(current_app.instance_path)
    upload = load_upload(folder, request.form.get("token", ""), owner(runtime, table_name, who.account))
    if upload is None:
        return render_import(runtime, table_name, "upload", status=404, error=gettext(
            "This upload is no longer here (a file is kept for one hour, for the account that sent it). "
            "Please upload it again."))
    header, error = read_header(upload.data, runtime.spec.tables[table_name])
    if error:
        return render_import(runtime, table_name, "upload", error=error, status=400)
    table = runtime.spec.tables[table_name]
    allowed = {value for value, _ in field_choices(runtime, table, who.audience)}
    try:
        chosen = chosen_columns(header, allowed)
        mapped = mapping(header, chosen)
    except BadMapping as bad:
        message = (gettext("Two columns are named %(column)s: give them different fields or rename one in the file.",
                           column=bad.args[0]) if bad.args else gettext("Choose a field from the list for each column."))
        return render_columns(runtime, table_name, who, upload, header, error=message, status=400)
    job = form_job(runtime, table_name, who.account)
    report = run_check(runtime, table_name, who.audience, upload.data, mapped, report_to(job, "checking"))
    if apply and report.ok:
        actor = Actor(who.account.username, request.remote_addr)
        stored = apply_import(runtime, database_engine(), table_name, report, actor, upload.file_name,
                              progress=report_to(job, "storing"))
        forget_upload(folder, upload.token)
        if (done := report_to(job, "done")) is not None:
            done(stored, stored)
        return render_import(runtime, table_name, "done", stored=stored, upload=upload)
    return render_preview(runtime, table_name, who, upload, header, chosen, report)


def run_check(runtime: AppRuntime, table_name: str, audience: Audience, data: bytes,
              mapped: dict[str, str], progress: Progress | None = None) -> ImportReport:
    table = runtime.spec.tables[table_name]
    data, scope_columns = with_scope_column(data, audience, table)
    report = check_import(runtime, database_engine(), table_name, data, {**mapped, **scope_columns}, current_lang(),
                          progress=progress, audience=audience)
    lang = current_lang()
    for column, name in scope_columns.items():  # a message about the account's own value names its field
        label = runtime.text(table.fields[name].label, lang, name)
        report.problems = [problem.replace(column, label) for problem in report.problems]
    return report


def render_preview(runtime: AppRuntime, table_name: str, who: Importer, upload: Upload, header: list[str],
                   chosen: list[str], report: ImportReport) -> Response:
    table = runtime.spec.tables[table_name]
    lang = current_lang()
    fields = [name for name in table.fields if any(value.split(".")[0] == name for value in chosen if value)]
    rows = [[field_type(table.fields[n].type).display(row.get(n), table.fields[n], lang) if row.get(n) is not None
             else "" for n in fields] for row in report.rows[:PREVIEW_ROWS]]
    headers = [runtime.text(table.fields[n].label, lang, n) for n in fields]
    job: dict[str, Any] = page_job(runtime, table_name, who.account) if report.ok and report.rows else {}
    return render_import(runtime, table_name, "preview", upload=upload, report=report, preview_headers=headers,
                         preview_rows=rows, hidden=[(f"column-{i}", value) for i, value in enumerate(chosen)], **job)


def render_import(runtime: AppRuntime, table_name: str, step: str, *, status: int = 200, **extra: Any) -> Response:
    context = page_context(runtime, table=runtime.spec.tables[table_name], table_name=table_name, step=step,
                           max_mb=MAX_IMPORT_BYTES // MB, error=extra.pop("error", ""), **extra)
    return make_response(render_template(app_template(runtime.name, "staff_import.html"), **context), status)
