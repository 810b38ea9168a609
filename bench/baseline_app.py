"""The hand-written baseline: the Flask + Flask-SQLAlchemy + Flask-WTF app a competent developer would write for
the bench app's list page and form, serving the same page (the same layout, rows, links and words).

Used by core_bench.py: `gunicorn 'bench.baseline_app:create_app()'` with BASELINE_DB pointing at the same data.

baseline: what any Flask app does, nothing slower on purpose —
- templates are files rendered with `render_template`, so Jinja compiles each once per worker and caches it
  (not `render_template_string`, which compiles the template again on every request);
- the list page runs the same two queries as lowcode (count, then one page of rows) with SQLAlchemy Core;
- the page is lowcode's own HTML for this app, written out in Japanese (`baseline_templates/`); its rows are a
  Jinja loop, a row's link is the list's URL plus the id (no url_for per row), choice labels come from a dict.
core_bench.py compares the visible text of both pages before it times them, so neither side can skip work.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

HERE = Path(__file__).resolve().parent
LABELS = {"traffic": "交通安全", "crime": "防犯", "disaster": "防災"}
SORT_OPTIONS = [("-created_at", "新しい順"), ("created_at", "古い順"), ("title", "title"), ("theme", "theme"), ("status", "status")]
SORTABLE = {key.removeprefix("-") for key, _ in SORT_OPTIONS}  # either way round: ?sort=title or ?sort=-title
PAGE_SIZE = 50


class ReportForm(FlaskForm):
    title = StringField("title", validators=[DataRequired(), Length(max=80)])
    theme = RadioField("theme", choices=list(LABELS.items()), validators=[DataRequired()])
    description = TextAreaField("description", validators=[Length(max=2000)])


def create_app() -> Flask:
    app = Flask(__name__, template_folder=str(HERE / "baseline_templates"),
                static_folder=str(HERE.parent / "lowcode" / "static"))
    app.config.update(SQLALCHEMY_DATABASE_URI=os.environ["BASELINE_DB"], SECRET_KEY="bench", WTF_CSRF_ENABLED=False)
    db = SQLAlchemy(app)
    with app.app_context():
        table = sa.Table(os.environ.get("BASELINE_TABLE", "bench__hazards"), sa.MetaData(), autoload_with=db.engine)

    @app.get("/bench/lists/hazards")
    def items() -> ResponseReturnValue:
        try:
            page = max(1, int(request.args.get("page", "1")))
        except ValueError:
            page = 1
        sort = request.args.get("sort", "-created_at")
        if sort.removeprefix("-") not in SORTABLE:
            sort = "-created_at"
        column = table.c[sort.removeprefix("-")]
        order = [column.desc(), table.c.id.desc()] if sort.startswith("-") else [column.asc(), table.c.id.asc()]
        with db.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            pages = max(1, -(-total // PAGE_SIZE))
            page = min(page, pages)
            rows = conn.execute(
                sa.select(table.c.id, table.c.title, table.c.theme, table.c.status)
                .order_by(*order).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
            ).all()
        return render_template("list.html", rows=rows, total=total, page=page, pages=pages, sort=sort,
                               sort_options=SORT_OPTIONS, labels=LABELS, detail_prefix=request.path + "/")

    @app.route("/bench/forms/report", methods=["GET", "POST"])
    def report() -> ResponseReturnValue:
        form = ReportForm()
        if form.validate_on_submit():
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            with db.engine.begin() as conn:
                conn.execute(table.insert().values(
                    ref=secrets.token_hex(4), created_at=now, updated_at=now, title=form.title.data,
                    theme=form.theme.data, description=form.description.data, status="received"))
            return redirect(url_for("items"), code=303)
        return render_template("form.html", form=form), 422 if request.method == "POST" else 200

    return app
