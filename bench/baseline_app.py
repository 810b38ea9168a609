"""The hand-written baseline: Flask + Flask-SQLAlchemy + Flask-WTF doing what lowcode's list page and form do.

Used by core_bench.py: `gunicorn 'bench.baseline_app:create_app()'` with BASELINE_DB pointing at the same data.
"""
from __future__ import annotations

import datetime as dt
import os
import secrets

import sqlalchemy as sa
from flask import Flask, redirect, render_template_string, request
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

PAGE = """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1><p>{{ total }} 件</p><table><thead><tr><th>件名</th><th>分類</th><th>状況</th></tr></thead><tbody>
{% for row in rows %}<tr><td><a href="/items/{{ row.id }}">{{ row.title }}</a></td><td>{{ labels[row.theme] }}</td>
<td>{{ row.status }}</td></tr>{% endfor %}</tbody></table></body></html>"""
FORM = """<!doctype html><html><body><form method="post">{{ form.csrf_token }}{% for f in form if f.name != 'csrf_token' %}
{{ f.label }} {{ f() }} {% for e in f.errors %}<p>{{ e }}</p>{% endfor %}{% endfor %}<button>Send</button></form></body></html>"""
LABELS = {"traffic": "交通安全", "crime": "防犯", "disaster": "防災"}


class ReportForm(FlaskForm):
    title = StringField("件名", validators=[DataRequired(), Length(max=80)])
    theme = RadioField("分類", choices=list(LABELS.items()), validators=[DataRequired()])
    description = TextAreaField("内容", validators=[Length(max=2000)])


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=os.environ["BASELINE_DB"], SECRET_KEY="bench", WTF_CSRF_ENABLED=False,
    )
    db = SQLAlchemy(app)
    with app.app_context():
        table = sa.Table(os.environ.get("BASELINE_TABLE", "bench__hazards"), sa.MetaData(), autoload_with=db.engine)

    @app.get("/items")
    def items() -> str:
        page = max(1, int(request.args.get("page", "1")))
        with db.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            rows = conn.execute(
                sa.select(table.c.id, table.c.title, table.c.theme, table.c.status)
                .order_by(table.c.created_at.desc(), table.c.id.desc()).limit(50).offset((page - 1) * 50)
            ).all()
        return render_template_string(PAGE, title="一覧", rows=rows, total=total, labels=LABELS)

    @app.route("/report", methods=["GET", "POST"])
    def report():  # type: ignore[no-untyped-def]
        form = ReportForm()
        if form.validate_on_submit():
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            with db.engine.begin() as conn:
                conn.execute(table.insert().values(
                    ref=secrets.token_hex(4), created_at=now, updated_at=now, title=form.title.data,
                    theme=form.theme.data, description=form.description.data, status="received"))
            return redirect("/items", code=303)
        return render_template_string(FORM, form=form), 422 if request.method == "POST" else 200

    return app
