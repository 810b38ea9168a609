"""Counting by a reference field (issue 11: hazards per school): each group is named by the referenced row's title as
the public sees it, escaped; a row the public may not see keeps only its number; two rows with one title are told
apart. SQLite and PostgreSQL (`make_app`)."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from dashboard_app import add_rows
from flask import Flask

from lowcode.spec.loader import load_app_spec

APP = """\
title: {ja: 危険箇所, en: Hazards}
tables:
  schools:
    label: {ja: 小学校, en: Schools}
    title_field: name
    fields:
      name: {type: text, label: {ja: 学校名, en: School}}
      status:
        type: choice
        choices:
          - {key: draft, label: {ja: 準備中, en: Draft}}
          - {key: open, label: {ja: 公開, en: Open}, public: true}
    workflow: {field: status, initial: draft, transitions: [{from: draft, to: open}]}
  hazards:
    label: {ja: 危険箇所, en: Hazards}
    fields:
      title: {type: text}
      school: {type: reference, to: schools, label: {ja: 小学校, en: School}}
      done: {type: boolean, label: {ja: 対策済, en: Done}}
dashboards:
  progress:
    title: {ja: 進み具合, en: Progress}
    charts:
      - {table: hazards, by: school, title: {ja: 学校ごと, en: By school}}
      - {table: hazards, by: school, share: {field: done, in: [true]}, title: {ja: 学校ごとの対策, en: Done by school}}
"""


def table_rows(page: str, caption: str) -> list[tuple[str, ...]]:
    table = page.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table, re.DOTALL)
    return [(label, *re.findall(r"<td>(.*?)</td>", cells)) for label, cells in rows]


def test_a_reference_field_is_a_valid_group_and_a_text_field_still_is_not(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "app.yaml").write_text(APP, encoding="utf-8")
    assert [p.render() for p in load_app_spec(folder).problems] == []
    (folder / "app.yaml").write_text(APP.replace("by: school, title: {ja: 学校ごと,", "by: title, title: {ja: 学校ごと,"),
                                     encoding="utf-8")
    assert [p.code for p in load_app_spec(folder).problems] == ["E_CHART_BY_TYPE"]


def test_hazards_are_counted_per_school_by_the_title_the_public_sees(make_app: Callable[..., Flask]) -> None:
    app = make_app(APP)
    add_rows(app, [
        {"name": "<b>Midori</b>", "status": "open"},  # 1
        {"name": "Twin", "status": "open"},           # 2
        {"name": "Twin", "status": "open"},           # 3
        {"name": "Secret school", "status": "draft"},  # 4: not public
    ], table="schools")
    add_rows(app, [
        {"title": "a", "school": 1, "done": True}, {"title": "b", "school": 1}, {"title": "c", "school": 2},
        {"title": "d", "school": 3, "done": True}, {"title": "e", "school": 4}, {"title": "f"},
    ])
    page = app.test_client().get("/demo/dashboards/progress?lang=en").get_data(as_text=True)

    assert table_rows(page, "By school") == [
        ("&lt;b&gt;Midori&lt;/b&gt;", "2"), ("#4", "1"), ("Twin (#2)", "1"), ("Twin (#3)", "1"), ("Not given", "1")]
    assert ("&lt;b&gt;Midori&lt;/b&gt;", "2", "1", "50%") in table_rows(page, "Done by school")
    assert "Secret school" not in page and "<b>Midori" not in page
