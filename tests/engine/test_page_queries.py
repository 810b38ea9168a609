"""What the list page does once instead of on every request (issue 7, item 39), and that the answers stay the same."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask, render_template_string
from markupsafe import escape

from lowcode.views.cells import column_formatters
from lowcode.views.context import display_value
from lowcode.views.page_text import page_gettext

MakeApp = Callable[..., Flask]

YAML = """
title: {ja: 通報, en: Reports}
tables:
  reports:
    fields:
      title: {type: text, label: {ja: 件名, en: Title}}
      kind:
        type: choice
        label: {ja: 種類, en: Kind}
        choices:
          - {key: road, label: {ja: "道路 <b>", en: Road}}
          - {key: light, label: {ja: 街灯, en: Light}}
      count: {type: integer, label: {ja: 件数, en: Count}}
      found_on: {type: date, label: {ja: 日付, en: Date}}
      email: {type: email, visibility: private}
    seed: {file: data/reports.csv}
lists:
  reports: {table: reports, columns: [title, kind, count, found_on], search: [title], filters: [kind], page_size: 3}
"""
SEED = """\
title,kind,count,found_on,email
穴 <script>1</script>,road,3,2026-04-01,a@example.jp
暗い,light,,2026-04-02,b@example.jp
"段差, 大",road,10,,c@example.jp
ひび,light,1,2026-04-04,
落石,road,2,2026-04-05,
"""


def build(make_app: MakeApp) -> Flask:
    return make_app(YAML, files={"data/reports.csv": SEED})


def test_a_page_query_is_built_once_and_answers_like_a_fresh_one(make_app: MakeApp) -> None:
    app = build(make_app)
    store = app.extensions["lowcode"].runtimes["demo"].stores["reports"]
    columns = ["title", "kind", "count", "found_on"]
    assert store.page_query("title", columns, ("id",)) is store.page_query("title", columns, ("id",))
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        for clauses in ([], [store.equals_any("kind", ["road"])]):
            for number in (1, 2, 3):
                page = store.page(conn, clauses=clauses, sort="-title", page=number, page_size=2, columns=columns, system=("id",))
                fresh = sa.select(store.table.c.id, *[store.table.c[n] for n in columns]).where(*clauses)
                fresh = fresh.order_by(store.table.c.title.desc(), store.table.c.id.desc()).limit(2).offset((page.page - 1) * 2)
                assert page.rows == [dict(row._mapping) for row in conn.execute(fresh)]
                assert all(set(row) == {"id", *columns} for row in page.rows)  # no reference number, no timestamps


def test_whole_rows_still_come_back_with_every_system_column(make_app: MakeApp) -> None:
    app = build(make_app)
    store = app.extensions["lowcode"].runtimes["demo"].stores["reports"]
    with app.app_context(), app.extensions["lowcode"].db.engine.connect() as conn:
        page = store.page(conn, clauses=[], sort="created_at", page=1, page_size=10)
    assert [row["title"] for row in page.rows][:2] == ["穴 <script>1</script>", "暗い"]
    assert {"id", "ref", "created_at", "updated_at", "email"} <= set(page.rows[0])


def cells(page_html: str) -> list[list[str]]:
    rows = re.findall(r'<tr role="row">(.*?)</tr>', page_html)
    found = [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)] for row in rows]
    return [row for row in found if row]  # the header row has no <td>


@pytest.mark.parametrize("lang, kind", [("ja", "道路 &lt;b&gt;"), ("en", "Road")])
def test_list_cells_are_escaped_and_labelled_in_every_language(make_app: MakeApp, lang: str, kind: str) -> None:
    """Cells are text the template escapes once: resident text and staff labels alike."""
    client = build(make_app).test_client()
    for _ in range(2):  # the second page comes from the per-language column formatters kept by the app
        page = client.get(f"/demo/lists/reports?lang={lang}&sort=created_at").get_data(as_text=True)
        first = cells(page)[0]
        assert first[:3] == ["穴 &lt;script&gt;1&lt;/script&gt;", kind, "3"] and "2026" in first[3]
        assert "<script>1" not in page and "<b>" not in page
        assert cells(page)[1][2] == ""  # no count: an empty cell, never "None"
    label = "種類" if lang == "ja" else "Kind"
    assert f'data-label="{label}"' in page


def test_the_page_words_are_flask_babels_words(make_app: MakeApp) -> None:
    """`_` from page_gettext gives what Flask-Babel's `_` gives: plain, with variables, with %%, plural."""
    app = build(make_app)
    source = ('{{ _("Search") }}|{{ _("%(total)s results", total=n) }}|{{ _("100%% sure") }}|'
              '{{ ngettext("%(num)s result", "%(num)s results", n) }}|{{ _("Order") }}{{ _("Order") }}')
    for lang in ("ja", "en"):
        with app.test_request_context(f"/demo/lists/reports?lang={lang}"):
            app.preprocess_request()
            theirs = render_template_string(source, n=3)
            ours = render_template_string(source, n=3, **page_gettext())
            assert ours == theirs
            for word in ("<i>", "Search"):  # a msgid is trusted as markup by Jinja's gettext, ours too
                assert render_template_string("{{ _(w) }}", w=word, **page_gettext()) == render_template_string("{{ _(w) }}", w=word)


def test_the_rate_limiter_counts_the_api_and_leaves_pages_alone(make_app: MakeApp) -> None:
    """Pages that are never limited skip Flask-Limiter's hooks (per-request cost); limited requests keep them all."""
    app = make_app(YAML, files={"data/reports.csv": SEED}, LOWCODE_RATE_LIMIT_API="2/minute")
    client = app.test_client()
    for _ in range(4):
        page = client.get("/demo/lists/reports")
        assert page.status_code == 200 and not any(h.startswith("X-RateLimit") for h, _ in page.headers)
    answers = [client.get("/demo/api/postal", query_string={"code": "9200000"}) for _ in range(3)]
    assert 429 not in (answers[0].status_code, answers[1].status_code) and answers[2].status_code == 429
    assert answers[0].headers["X-RateLimit-Limit"] == "2" and answers[-1].headers["Retry-After"]


def test_a_list_of_one_column_and_an_empty_list(make_app: MakeApp) -> None:
    yaml = YAML.replace("columns: [title, kind, count, found_on], ", "columns: [title], ")
    client = make_app(yaml, files={"data/reports.csv": SEED}).test_client()
    page = client.get("/demo/lists/reports?sort=created_at").get_data(as_text=True)
    assert cells(page) == [["穴 &lt;script&gt;1&lt;/script&gt;"], ["暗い"], ["段差, 大"]]
    empty = client.get("/demo/lists/reports?q=存在しない言葉").get_data(as_text=True)
    assert cells(empty) == [] and "0" in re.sub(r"<[^>]+>", "", empty)


ALL_TYPES = """
title: Types
tables:
  places:
    fields:
      name: {type: text}
  things:
    fields:
      text: {type: text}
      textarea: {type: textarea}
      integer: {type: integer}
      number: {type: number}
      boolean: {type: boolean}
      date: {type: date}
      datetime: {type: datetime}
      choice: {type: choice, choices: [{key: a, label: {ja: "あ<", en: "A<"}}]}
      multichoice: {type: multichoice, choices: [{key: a, label: "A"}, {key: b, label: "B&"}]}
      email: {type: email}
      phone: {type: phone}
      postal_code: {type: postal_code}
      url: {type: url}
      reference: {type: reference, to: places}
      location: {type: location}
lists:
  things: {table: things}
"""
SAMPLES: dict[str, list[object]] = {
    "text": ["<b>&", "", None], "textarea": ["a\n<b>", None], "integer": [5, 0, None], "number": [1.5, None],
    "boolean": [True, False, None], "date": [dt.date(2027, 1, 17), None],
    "datetime": [dt.datetime(2027, 1, 17, 14, 30), None], "choice": ["a", "gone<", None],
    "multichoice": [["a", "b"], [], None], "email": ["a@example.jp"], "phone": ["076-000-0000"],
    "postal_code": ["920-0000"], "url": ["https://example.jp/?a=1&b=<2>"], "reference": [1, 2, None],
    "location": [(136.65, 36.56), None],
}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_column_formatters_write_what_display_value_writes(sqlite_make_app: MakeApp, lang: str) -> None:
    """The per-column shortcuts are display_value with its decisions taken in advance: same HTML for every type."""
    app = sqlite_make_app(ALL_TYPES)
    runtime = app.extensions["lowcode"].runtimes["demo"]
    table = runtime.spec.tables["things"]
    titles = {"reference": {1: "役所 <本庁>"}}
    with app.test_request_context(f"/demo/lists/things?lang={lang}"):
        app.preprocess_request()
        for name, values in SAMPLES.items():
            (formatter,) = column_formatters(runtime, "things", [name], lang)
            written = [str(escape(cell)) for cell in formatter(list(values), titles)]
            assert written == [str(display_value(runtime, table, name, v, lang, titles)) for v in values], name
