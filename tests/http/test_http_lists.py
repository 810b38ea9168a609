"""The public list: Japanese search, filters, sort, pages, `where:`, and every value escaped."""
from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

Stored = Callable[..., list[dict[str, Any]]]
Send = Callable[..., Any]

REPORTS = """
title: {ja: 道路の通報, en: Road reports}
tables:
  reports:
    fields:
      title: {type: text, required: true, label: {ja: 件名, en: Subject}}
      details: {type: textarea, label: {ja: 詳しい内容, en: Details}}
      category:
        type: choice
        label: {ja: 種類, en: Kind}
        choices:
          - {key: pothole, label: {ja: 道路の穴, en: Pothole}}
          - {key: light, label: {ja: 街灯, en: Street light}}
          - {key: crossing, label: {ja: 横断歩道, en: Crossing}}
      damage: {type: multichoice, label: 危ない相手, choices: [{key: cars, label: 車}, {key: people, label: 歩行者}]}
      urgent: {type: boolean, label: 急ぎ}
      seen_on: {type: date, label: 見つけた日}
      status: {type: choice, visibility: staff, default: new, choices: [{key: new}, {key: published}]}
    seed: {file: data/reports.csv}
forms:
  report: {table: reports, fields: [title, details, category, damage, urgent, seen_on]}
lists:
  reports:
    table: reports
    title: {ja: 通報の一覧, en: Reports}
    columns: [title, category, seen_on]
    search: [title, details]
    filters: [category, damage, urgent, seen_on]
    where: {status: published}
    page_size: 4
"""
SEED = """
title,details,category,damage,urgent,seen_on,status
交差点の横断歩道の白線が消えている,小学校の前です,crossing,people,true,2026-04-03,published
公園前の街灯が切れている,夜は真っ暗です,light,people,false,2026-04-10,published
県道に大きな穴,車がはねます,pothole,cars,true,2026-05-01,published
歩道の段差,車いすが通れません,pothole,people,false,2026-05-20,published
信号のそばの横断歩道がかすれている,,crossing,cars、people,false,2026-06-02,published
下書きの通報,まだ確認中,light,,false,2026-06-03,new
カーブミラーが曲がっている,100%見えません,pothole,cars,false,2026-06-15,published
"""
LIST = "/demo/lists/reports"


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app(REPORTS, files={"data/reports.csv": SEED})


def titles(page: Any) -> list[str]:
    """The first column of the list, in order, as a resident reads it."""
    text = page.get_data(as_text=True)
    return [htmllib.unescape(t) for t in re.findall(r'<td[^>]*><a href="/demo/lists/reports/\d+">(.*?)</a></td>', text)]


def count_line(page: Any) -> str:
    match = re.search(r'<p class="count" role="status">(.*?)</p>', page.get_data(as_text=True))
    assert match
    return match.group(1)


def test_search_finds_a_word_inside_a_japanese_sentence(app: Flask) -> None:
    page = app.test_client().get(LIST, query_string={"q": "横断歩道"})

    assert titles(page) == ["信号のそばの横断歩道がかすれている", "交差点の横断歩道の白線が消えている"]
    assert count_line(page) == "2 件"


def test_search_looks_in_every_search_field_and_needs_every_word(app: Flask) -> None:
    client = app.test_client()

    assert titles(client.get(LIST, query_string={"q": "真っ暗"})) == ["公園前の街灯が切れている"]
    assert titles(client.get(LIST, query_string={"q": "横断歩道 小学校"})) == ["交差点の横断歩道の白線が消えている"]
    assert titles(client.get(LIST, query_string={"q": "横断歩道　街灯"})) == []  # full-width space between words


def test_search_characters_are_not_sql_wildcards(app: Flask) -> None:
    client = app.test_client()

    assert titles(client.get(LIST, query_string={"q": "100%"})) == ["カーブミラーが曲がっている"]
    assert titles(client.get(LIST, query_string={"q": "%"})) == ["カーブミラーが曲がっている"]
    assert titles(client.get(LIST, query_string={"q": "_"})) == []


def test_filter_by_choice(app: Flask) -> None:
    page = app.test_client().get(LIST, query_string={"category": "light"})

    assert titles(page) == ["公園前の街灯が切れている"]  # the unpublished light report stays hidden
    assert '<option value="light" selected>街灯</option>' in page.get_data(as_text=True)


def test_filter_by_multichoice(app: Flask) -> None:
    page = app.test_client().get(LIST, query_string={"damage": "cars"})

    assert titles(page) == ["カーブミラーが曲がっている", "信号のそばの横断歩道がかすれている", "県道に大きな穴"]


def test_filter_by_boolean(app: Flask) -> None:
    client = app.test_client()

    assert titles(client.get(LIST, query_string={"urgent": "true"})) == ["県道に大きな穴", "交差点の横断歩道の白線が消えている"]
    assert len(titles(client.get(LIST, query_string={"urgent": "false"}))) == 4


def test_filter_by_date_range_includes_both_ends(app: Flask) -> None:
    page = app.test_client().get(LIST, query_string={"seen_on_from": "2026-05-01", "seen_on_to": "2026-06-02", "sort": "seen_on"})

    assert titles(page) == ["県道に大きな穴", "歩道の段差", "信号のそばの横断歩道がかすれている"]
    assert 'name="seen_on_from" type="date" value="2026-05-01"' in page.get_data(as_text=True)


def test_filters_combine_with_search(app: Flask) -> None:
    page = app.test_client().get(LIST, query_string={"q": "横断歩道", "urgent": "true"})

    assert titles(page) == ["交差点の横断歩道の白線が消えている"]


def test_a_filter_value_that_cannot_apply_is_ignored(app: Flask) -> None:
    client = app.test_client()

    assert count_line(client.get(LIST, query_string={"seen_on_from": "いつか", "urgent": "maybe"})) == "6 件 · 2 ページ中 1 ページ目"
    assert titles(client.get(LIST, query_string={"category": "bridge"})) == []


def test_sort_by_a_column_both_ways(app: Flask) -> None:
    client = app.test_client()

    oldest_first = titles(client.get(LIST, query_string={"sort": "seen_on"}))
    newest_first = titles(client.get(LIST, query_string={"sort": "-seen_on"}))

    assert oldest_first == ["交差点の横断歩道の白線が消えている", "公園前の街灯が切れている", "県道に大きな穴", "歩道の段差"]
    assert newest_first == ["カーブミラーが曲がっている", "信号のそばの横断歩道がかすれている", "歩道の段差", "県道に大きな穴"]


def test_an_unknown_sort_falls_back_to_the_default_order(app: Flask) -> None:
    client = app.test_client()

    assert titles(client.get(LIST, query_string={"sort": "status"})) == titles(client.get(LIST))
    assert titles(client.get(LIST))[0] == "カーブミラーが曲がっている"  # newest first; seeded rows keep file order


def test_pages_show_the_total_and_at_most_page_size_rows(app: Flask) -> None:
    client = app.test_client()

    first = client.get(LIST)
    second = client.get(LIST, query_string={"page": "2"})

    assert count_line(first) == "6 件 · 2 ページ中 1 ページ目"
    assert len(titles(first)) == 4 and len(titles(second)) == 2
    assert set(titles(first)).isdisjoint(titles(second))
    assert 'href="/demo/lists/reports?page=2" rel="next"' in first.get_data(as_text=True)
    assert 'rel="prev"' in second.get_data(as_text=True) and 'rel="next"' not in second.get_data(as_text=True)


def test_a_page_number_out_of_range_shows_the_nearest_page(app: Flask) -> None:
    client = app.test_client()

    assert titles(client.get(LIST, query_string={"page": "99"})) == titles(client.get(LIST, query_string={"page": "2"}))
    assert titles(client.get(LIST, query_string={"page": "-3"})) == titles(client.get(LIST))
    assert titles(client.get(LIST, query_string={"page": "二"})) == titles(client.get(LIST))
    assert len(titles(client.get(LIST, query_string={"page_size": "1000", "limit": "1000"}))) == 4


def test_page_links_keep_the_search_and_the_order(app: Flask) -> None:
    client = app.test_client()

    first = client.get(LIST, query_string={"q": "い", "sort": "seen_on"})
    link = re.search(r'<a href="([^"]+)" rel="next">', first.get_data(as_text=True))
    assert link
    second = client.get(htmllib.unescape(link.group(1)))

    assert count_line(first) == "5 件 · 2 ページ中 1 ページ目"
    assert titles(first) + titles(second) == [
        "交差点の横断歩道の白線が消えている", "公園前の街灯が切れている", "歩道の段差", "信号のそばの横断歩道がかすれている",
        "カーブミラーが曲がっている",
    ]


def test_where_hides_rows_from_the_list_and_their_detail_page(app: Flask, stored: Stored) -> None:
    client = app.test_client()
    ids = {row["title"]: row["id"] for row in stored(app, "reports")}

    assert "下書きの通報" not in titles(client.get(LIST, query_string={"q": "下書き"}))
    assert client.get(f"{LIST}/{ids['下書きの通報']}").status_code == 404
    assert client.get(f"{LIST}/{ids['歩道の段差']}").status_code == 200


def test_the_detail_page_shows_every_public_field(app: Flask, stored: Stored) -> None:
    [row] = [r for r in stored(app, "reports") if r["title"] == "信号のそばの横断歩道がかすれている"]

    html = app.test_client().get(f"{LIST}/{row['id']}").get_data(as_text=True)

    assert "<h1>信号のそばの横断歩道がかすれている</h1>" in html
    assert "<dt>危ない相手</dt><dd>車、歩行者</dd>" in html
    assert "<dt>急ぎ</dt><dd>いいえ</dd>" in html
    assert "<dt>種類</dt><dd>横断歩道</dd>" in html
    assert row["ref"] not in html and "受付番号" not in html  # the number residents quote to the city stays off public pages


def test_an_unknown_list_or_row_is_not_found(app: Flask) -> None:
    client = app.test_client()

    assert client.get("/demo/lists/nothing").status_code == 404
    assert client.get(f"{LIST}/99999").status_code == 404
    assert client.get(f"{LIST}/abc").status_code == 404


def test_every_value_a_resident_sent_is_escaped(app: Flask, send: Send, stored: Stored) -> None:
    client = app.test_client()
    response = send(client, "/demo/forms/report", {
        "title": "<script>alert('x')</script>", "details": "<img src=x onerror=alert(1)>\n2行目", "category": "light",
    })
    assert response.status_code == 303
    [row] = [r for r in stored(app, "reports") if r["title"].startswith("<script>")]
    # a staff member publishes it (no staff pages yet: straight in the database)
    publish(app, row["id"])

    listing = client.get(LIST, query_string={"q": "<script>"}).get_data(as_text=True)
    detail = client.get(f"{LIST}/{row['id']}").get_data(as_text=True)

    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in listing
    assert 'value="&lt;script&gt;"' in listing  # the search box shows the query, escaped
    assert "<dd>&lt;img src=x onerror=alert(1)&gt;<br>2行目</dd>" in detail
    for page in (listing, detail):
        assert "<script>alert" not in page and "<img src=x" not in page


def publish(app: Flask, row_id: int) -> None:
    state = app.extensions["lowcode"]
    table = state.runtimes["demo"].stores["reports"].table
    with app.app_context(), state.db.engine.begin() as conn:
        conn.execute(table.update().where(table.c.id == row_id).values(status="published"))


def test_a_list_without_detail_pages_links_nowhere(sqlite_make_app: Callable[..., Flask]) -> None:
    app = sqlite_make_app(
        REPORTS.replace("    page_size: 4\n", "    page_size: 4\n    detail: false\n"), files={"data/reports.csv": SEED}
    )
    client = app.test_client()

    page = client.get(LIST).get_data(as_text=True)

    assert "/demo/lists/reports/" not in page
    assert '<td role="cell">カーブミラーが曲がっている</td>' in page
    assert client.get(f"{LIST}/1").status_code == 404
