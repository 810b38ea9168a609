"""Counting by a multichoice field (issue 10, W): one bar per choice, a row counted under every choice it holds, keys
that are parts of other keys (`snow`, `snow_plough`, `now`, `plough`) never mistaken for them, on SQLite and PostgreSQL;
the public's rows only; shares per choice; the page says why the bars add up to more than the rows, in both languages."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dashboard_app import add_rows
from flask import Flask
from support import app_engine, app_runtime

from lowcode.audience import PUBLIC, STAFF
from lowcode.dashboards.query import count_chart
from lowcode.references import visible_rows_clause
from lowcode.spec.dashboards import ChartSpec
from lowcode.spec.loader import load_app_spec

APP = """\
title: {ja: 手伝い, en: Help}
tables:
  requests:
    label: {ja: 依頼, en: Requests}
    fields:
      title: {type: text}
      needs:
        type: multichoice
        label: {ja: 分野, en: Kind of help}
        choices:
          - {key: snow, label: {ja: 除雪, en: Snow}}
          - {key: snow_plough, label: {ja: 除雪車, en: Snow plough}}
          - {key: now, label: {ja: 至急, en: Now}}
          - {key: plough, label: {ja: 耕作, en: Ploughing}}
      urgent: {type: boolean, label: {ja: 急ぎ, en: Urgent}}
      worries: {type: multichoice, label: {ja: 心配ごと, en: Worries}, visibility: private, choices: [health, money]}
      status:
        type: choice
        label: {ja: 状況, en: Status}
        choices:
          - {key: draft, label: {ja: 下書き, en: Draft}}
          - {key: open, label: {ja: 募集中, en: Open}, public: true}
          - {key: done, label: {ja: 終了, en: Done}, public: true}
    workflow: {field: status, initial: draft, transitions: [{from: draft, to: open}, {from: open, to: done}]}
dashboards:
  overview:
    title: {ja: 依頼の状況, en: Requests at a glance}
    charts:
      - {table: requests, by: needs}
      - {table: requests, by: needs, share: {field: status, in: [done]}}
"""

ROWS: list[dict[str, Any]] = [
    {"needs": ["snow"], "status": "open", "urgent": True},
    {"needs": ["snow_plough"], "status": "open"},
    {"needs": ["snow", "snow_plough", "plough"], "status": "done", "urgent": True},
    {"needs": ["now"], "status": "draft", "urgent": True},  # the public does not see a draft
    {"needs": [], "status": "open"},  # nothing chosen
    {"status": "done"},  # the field never written
]


def counts(app: Flask, audience: Any = PUBLIC, **chart: Any) -> tuple[dict[Any, tuple[int, int]], int]:
    spec = ChartSpec(table="requests", by="needs", **chart)
    with app.app_context():
        runtime = app_runtime(app)
        with app_engine(app).connect() as conn:
            counted = count_chart(runtime, conn, spec, visible_rows_clause(runtime, "requests", audience))
    return {g.key: (g.count, g.part) for g in counted.groups}, counted.rows


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    built = make_app(APP)
    add_rows(built, ROWS, table="requests")
    return built


def test_a_row_counts_under_every_choice_it_holds_and_no_key_is_found_inside_another(app: Flask) -> None:
    groups, rows = counts(app)
    assert groups == {"snow": (2, 0), "snow_plough": (2, 0), "now": (0, 0), "plough": (1, 0), None: (2, 0)}
    assert rows == 5


def test_staff_count_the_rows_the_public_does_not_see(app: Flask) -> None:
    groups, rows = counts(app, STAFF)
    assert groups["now"] == (1, 0) and rows == 6


def test_where_and_share_work_per_choice(app: Flask) -> None:
    assert counts(app, where={"urgent": True}) == ({"snow": (2, 0), "snow_plough": (1, 0), "now": (0, 0),
                                                     "plough": (1, 0)}, 2)
    groups, _ = counts(app, share={"field": "status", "in": ["done"]})
    assert groups == {"snow": (2, 1), "snow_plough": (2, 1), "now": (0, 0), "plough": (1, 1), None: (2, 1)}


def test_a_filter_on_the_multichoice_itself_keeps_whole_rows(app: Flask) -> None:
    """`where: {needs: snow}` keeps the rows holding snow; each is still counted under its other choices too."""
    assert counts(app, where={"needs": "snow"}) == ({"snow": (2, 0), "snow_plough": (1, 0), "now": (0, 0),
                                                      "plough": (1, 0)}, 2)


def table_rows(page: str, caption: str) -> list[tuple[str, ...]]:
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.DOTALL)
    return [(label, *re.findall(r"<td>(.*?)</td>", cells)) for label, cells in rows]


def table_note(page: str, caption: str) -> str:
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tfoot><tr><td colspan="\d">(.*?)</td></tr></tfoot>', table)[0]


def test_the_page_has_a_bar_per_choice_and_says_a_row_can_count_in_several(app: Flask) -> None:
    page = app.test_client().get("/demo/dashboards/overview?lang=en").get_data(as_text=True)
    assert table_rows(page, "Requests by Kind of help") == [
        ("Snow", "2"), ("Snow plough", "2"), ("Now", "0"), ("Ploughing", "1"), ("Not given", "2")]
    note = "A row counts in every bar of a choice it holds, so the bars can add up to more than the 5 rows counted."
    assert table_note(page, "Requests by Kind of help") == note
    assert f'<p class="chart-note">{note}</p>' in page
    assert page.count("Rows counted: 5") == 2 and "Total:" not in page
    assert table_rows(page, "Requests: share Done by Kind of help")[0] == ("Snow", "2", "1", "50%")


def test_the_page_says_it_in_japanese_too(app: Flask) -> None:
    page = app.test_client().get("/demo/dashboards/overview?lang=ja").get_data(as_text=True)
    caption = "分野別の依頼"
    assert table_rows(page, caption)[:2] == [("除雪", "2"), ("除雪車", "2")]
    assert "5 件" in table_note(page, caption) and "複数" in table_note(page, caption)
    assert "対象: 5 件" in page


def test_the_counts_change_when_a_row_comes_in(app: Flask) -> None:
    client = app.test_client()
    before = table_rows(client.get("/demo/dashboards/overview?lang=en").get_data(as_text=True), "Requests by Kind of help")
    add_rows(app, [{"needs": ["now", "plough"], "status": "open"}], table="requests")
    after = table_rows(client.get("/demo/dashboards/overview?lang=en").get_data(as_text=True), "Requests by Kind of help")
    assert [int(row[1]) for row in after] == [int(row[1]) + (row[0] in ("Now", "Ploughing")) for row in before]


def problems(tmp_path: Path, yaml: str) -> list[str]:
    folder = tmp_path / "demo"
    folder.mkdir(exist_ok=True)
    (folder / "app.yaml").write_text(yaml, encoding="utf-8")
    return [problem.code for problem in load_app_spec(folder).problems]


def test_a_multichoice_by_validates_and_a_private_one_is_refused_on_a_public_dashboard(tmp_path: Path) -> None:
    assert problems(tmp_path, APP) == []
    assert problems(tmp_path, APP.replace("by: needs}", "by: worries}")) == ["E_PRIVATE_ON_PUBLIC_PAGE"]
    assert problems(tmp_path, APP.replace("by: needs}", "by: needs, kind: line}")) == ["E_CHART_LINE_NOT_DATE"]
    assert problems(tmp_path, APP.replace("{field: status, in: [done]}", "{field: needs, in: [snow]}")) == [
        "E_CHART_SHARE_TYPE"]
