"""Progress of a staff page's import: `/<app>/staff/tables/<table>/import/progress/<job>` answers, as JSON, how
many rows the check or the apply of `job` has done (lowcode/imports/progress.py keeps the figures in the
database, so any worker answers). Staff only, with the right to import the table, and only the account's own job:
any other job is the same 404 as one that never was. The forms of the columns and preview steps carry a new job
in a hidden field; lowcode-import-progress.js asks here while the form is sent and fills a `<progress>`.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from ..imports.progress import JobOwner, JobProgress, JobState, new_job, read_job
from ..imports.run import Progress
from ..runtime import AppRuntime
from ..staff.accounts import Account
from ..staff.auth import current_staff, require_staff
from .engine import database_engine
from .staff_pages import private


def add_import_progress_route(bp: Blueprint, runtime: AppRuntime) -> None:
    @bp.get("/staff/tables/<table_name>/import/progress/<job>")
    def staff_import_progress(table_name: str, job: str) -> Response:
        refused = require_staff(runtime, table_name, "import")
        if refused is not None:
            return refused
        account = current_staff()
        assert account is not None  # require_staff has checked
        state = read_job(database_engine(), job, job_owner(runtime, table_name, account))
        if state is None:
            return private(make_json({"error": gettext("There is no such import.")}, 404))
        return private(make_json({"phase": state.phase, "done": state.done, "total": state.total,
                                  "text": progress_text(state)}))


def make_json(data: dict[str, object], status: int = 200) -> Response:
    response = jsonify(data)
    response.status_code = status
    return response


def job_owner(runtime: AppRuntime, table_name: str, account: Account) -> JobOwner:
    return JobOwner(runtime.name, table_name, str(account.id))


def page_job(runtime: AppRuntime, table_name: str, account: Account) -> dict[str, str]:
    """A new job for a form that checks or applies a file: its id (the hidden field) and where to ask about it
    (empty when none could be made: the form then works without progress)."""
    job = new_job(database_engine(), job_owner(runtime, table_name, account))
    if job is None:
        return {"job": "", "progress_url": ""}
    return {"job": job, "progress_url": url_for(f"{runtime.name}.staff_import_progress", table_name=table_name,
                                                job=job)}


def form_job(runtime: AppRuntime, table_name: str, account: Account) -> str | None:
    """The job the form sent, when it is one of this account's jobs for this table; else None (a form without
    its job, such as a page kept from before, still works: it only shows no progress)."""
    job = request.form.get("job", "")
    return job if read_job(database_engine(), job, job_owner(runtime, table_name, account)) is not None else None


def report_to(job: str | None, phase: str) -> Progress | None:
    """`check_import`/`apply_import`'s progress callback for `phase` of `job` (None without a job)."""
    return None if job is None else JobProgress(database_engine(), job, phase)


def progress_text(state: JobState) -> str:
    """The sentence the page shows and reads out ("12,000 / 100,000 行を確認しました")."""
    figures = {"done": f"{state.done:,}", "total": f"{state.total:,}"}
    if state.phase == "checking":
        return gettext("Checked %(done)s of %(total)s rows", **figures)
    if state.phase == "storing" and state.done:
        return gettext("Stored %(done)s of %(total)s rows", **figures)
    if state.phase == "storing":  # SQLite: the import holds the write lock, figures come with the end
        return gettext("Storing %(total)s rows…", **figures)
    if state.phase == "done":
        return gettext("Done: %(total)s rows stored", **figures)
    return gettext("Waiting for the file to be read…")
