"""The staff import page's progress (issue 10) on SQLite and PostgreSQL: the check and the apply report their
figures under a job the page made, readable at `/import/progress/<job>` by the account that owns it only (staff
with the right to import; any other job a 404), the figures move while an import runs and are seen from another
connection (outside the import's transaction), and old jobs are deleted."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from staff_import_support import GOOD, build_import_app, sjis_csv
from support import app_engine, csrf_token
from test_staff_import import PAGE, login, selected_columns, stored, token_of, upload

import lowcode.imports.run as import_run
from lowcode.imports import progress as job_progress
from lowcode.imports.progress import IMPORT_JOBS, JobState
from lowcode.views import import_progress as import_progress_view


@pytest.fixture
def app(make_app: Any) -> Flask:
    return build_import_app(make_app)


def job_of(html: str) -> tuple[str, str]:
    """The form's job and the address its script asks."""
    job = re.search(r'name="job" type="hidden" value="([^"]+)"', html)
    address = re.search(r'data-import-progress="([^"]+)"', html)
    assert job and address, "no job on the page"
    return job.group(1), address.group(1)


def send(client: Any, step: str, token: str, columns: dict[str, str], job: str, lang: str = "en") -> str:
    response = client.post(f"{PAGE}/{step}?lang={lang}", data={"csrf_token": csrf_token(client, PAGE),
                                                                "token": token, "job": job, **columns})
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


def asked(client: Any, address: str, lang: str = "en") -> tuple[int, dict[str, Any]]:
    response = client.get(f"{address}?lang={lang}")
    return response.status_code, response.get_json(silent=True) or {}


def many_rows(count: int) -> bytes:
    return sjis_csv([GOOD[0], *(f"地点 {n},交通,2026/12/1,36.56,136.65" for n in range(count))])


def test_a_check_and_an_apply_report_their_figures_to_the_page(app: Flask) -> None:
    client = login(app, "importer")
    page = upload(client, sjis_csv(GOOD)).get_data(as_text=True)
    job, address = job_of(page)
    assert address == f"{PAGE}/progress/{job}" and "lowcode-import-progress.js" in page
    status, answer = asked(client, address)
    assert (status, answer["phase"], answer["done"], answer["total"]) == (200, "waiting", 0, 0)

    preview = send(client, "preview", token_of(page), selected_columns(page), job)
    status, answer = asked(client, address)
    assert (status, answer["phase"], answer["done"], answer["total"]) == (200, "checking", 3, 3)
    assert answer["text"] == "Checked 3 of 3 rows"
    assert asked(client, address, "ja")[1]["text"] == "3 / 3 行を確認しました"

    apply_job, apply_address = job_of(preview)
    assert apply_job != job
    send(client, "apply", token_of(preview), selected_columns_of_preview(preview), apply_job)
    status, answer = asked(client, apply_address)
    assert (status, answer["phase"], answer["done"], answer["total"]) == (200, "done", 3, 3)
    assert len(stored(app)) == 3


def selected_columns_of_preview(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(column-\d+)" value="([^"]*)">', html))


def test_only_the_account_that_owns_a_job_reads_it(app: Flask) -> None:
    owner = login(app, "importer")
    page = upload(owner, sjis_csv(GOOD)).get_data(as_text=True)
    job, address = job_of(page)
    assert asked(owner, address)[0] == 200
    response = owner.get(address)
    assert response.headers["Cache-Control"] == "no-store" and response.mimetype == "application/json"
    assert asked(login(app, "other"), address)[0] == 404  # the same role, another account: as if it never was
    assert asked(login(app, "admin"), address)[0] == 404
    assert asked(login(app, "north"), address)[0] == 404
    assert asked(login(app, "viewer"), address)[0] == 403  # may not import at all
    assert app.test_client().get(address).status_code == 302  # not logged in: the login page
    assert asked(owner, address.replace(job, "A" * 32))[0] == 404  # unknown
    assert asked(owner, address.replace(job, "nope"))[0] == 404  # malformed
    assert owner.get(f"/demo/staff/tables/nosuch/import/progress/{job}").status_code == 403


def test_a_form_with_another_accounts_job_imports_without_touching_that_job(app: Flask) -> None:
    owner = login(app, "importer")
    job, address = job_of(upload(owner, sjis_csv(GOOD)).get_data(as_text=True))
    other = login(app, "other")
    page = upload(other, sjis_csv(GOOD)).get_data(as_text=True)
    send(other, "preview", token_of(page), selected_columns(page), job)
    assert asked(owner, address)[1]["phase"] == "waiting"


def test_the_figures_move_and_are_seen_outside_the_imports_transaction(app: Flask,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every report read back at once on a connection of its own: the check's figures rise row by row; on
    PostgreSQL the storing figures too, while the import's transaction is still open; on SQLite that transaction
    holds the write lock, so those reports are skipped (never waited for) and the phase says storing."""
    monkeypatch.setattr(import_run, "PROGRESS_EVERY", 500)
    monkeypatch.setattr(import_run, "INSERT_CHUNK", 1000)
    monkeypatch.setattr(job_progress, "REPORT_EVERY_SECONDS", 0)
    seen: list[tuple[str, int, int, bool]] = []
    write = job_progress.write_progress

    def write_and_read_back(engine: sa.Engine, job: str, state: JobState) -> bool:
        written = write(engine, job, state)
        with engine.connect() as conn:
            row = conn.execute(sa.select(IMPORT_JOBS).where(IMPORT_JOBS.c.id == job)).one()
        seen.append((row.phase, row.done, row.total, written))
        return written

    monkeypatch.setattr(job_progress, "write_progress", write_and_read_back)
    client = login(app, "importer")
    page = upload(client, many_rows(2500)).get_data(as_text=True)
    job, _address = job_of(page)
    preview = send(client, "preview", token_of(page), selected_columns(page), job)
    assert [(phase, done) for phase, done, _total, _w in seen] == [("checking", n) for n in (500, 1000, 1500, 2000,
                                                                                              2500)]
    seen.clear()
    send(client, "apply", token_of(preview), selected_columns_of_preview(preview), job_of(preview)[0])
    checking = [done for phase, done, _total, _w in seen if phase == "checking"]
    storing = [(done, written) for phase, done, _total, written in seen if phase == "storing"]
    assert checking == [500, 1000, 1500, 2000, 2500] and seen[-1][:3] == ("done", 2500, 2500)
    if app_engine_dialect(app) == "postgresql":
        assert storing == [(n, True) for n in (0, 1000, 2000, 2500)]
    else:
        assert storing == [(0, True), (0, False), (0, False), (0, False)]  # the chunks' reports skipped
    assert len(stored(app)) == 2500


def app_engine_dialect(app: Flask) -> str:
    with app.app_context():
        return str(app_engine(app).dialect.name)


def test_jobs_older_than_two_hours_are_deleted_when_a_new_one_is_made(app: Flask) -> None:
    client = login(app, "importer")
    job, address = job_of(upload(client, sjis_csv(GOOD)).get_data(as_text=True))
    with app.app_context(), app_engine(app).begin() as conn:
        conn.execute(IMPORT_JOBS.update().where(IMPORT_JOBS.c.id == job)
                     .values(updated=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=3)))
    assert asked(client, address)[0] == 200  # old, but not yet swept
    fresh, _ = job_of(upload(client, sjis_csv(GOOD)).get_data(as_text=True))
    assert asked(client, address)[0] == 404
    with app.app_context(), app_engine(app).connect() as conn:
        assert conn.execute(sa.select(IMPORT_JOBS.c.id)).scalars().all() == [fresh]


def test_a_page_whose_job_could_not_be_made_imports_without_progress(app: Flask,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite busy with another long write past its timeout: no job, no progress, the import itself goes on."""
    locked = sa.create_engine("sqlite://")  # a database without the jobs table: the insert fails as a lock would
    assert job_progress.new_job(locked, job_progress.JobOwner("demo", "spots", "1")) is None
    monkeypatch.setattr(import_progress_view, "new_job", lambda engine, owner: job_progress.new_job(locked, owner))
    client = login(app, "importer")
    page = upload(client, sjis_csv(GOOD)).get_data(as_text=True)
    assert 'data-import-progress=""' in page and 'name="job" type="hidden" value=""' in page
    preview = send(client, "preview", token_of(page), selected_columns(page), "")
    assert "3 row(s) read, 3 without a problem, 0 problem(s)." in preview
