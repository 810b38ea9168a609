"""A reference to a table with more rows than a menu holds (Z): the form asks for the row's title in a text box,
with suggestions from a JSON search; the server reads the typed title back into the row, on SQLite and PostgreSQL.
"""
from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime, csrf_token, sample_app, staff_client

from lowcode.audience import STAFF
from lowcode.rate_limits import kind_of_endpoint
from lowcode.references import REFERENCE_OPTION_LIMIT, reference_options
from lowcode.staff.accounts import RoleGrant, create_user

PASSWORD = "correct horse battery"
TOWNS = 600
HIDDEN = "閉じた町"
TWINS = "同名町"
ODD = '<b>&"町'
YAML = """
title: 相談
tables:
  towns:
    label: {ja: 町会, en: Town}
    title_field: name
    fields:
      name: {type: text}
      open: {type: boolean}
      secret: {type: text, visibility: private}
    seed: {file: data/towns.csv}
  requests:
    fields:
      subject: {type: text, required: true}
      town: {type: reference, to: towns, required: true}
      phone: {type: text}
      note: {type: text, visibility: private}
forms:
  ask: {table: requests}
  staff_ask: {table: requests, access: staff}
  check: {table: requests, confirm: true}
lists:
  towns: {table: towns, where: {open: true}}
  requests: {table: requests}
"""


def towns_csv(count: int = TOWNS) -> str:
    rows = [f"町{i:04d},true,s{i}" for i in range(count - 4)]
    rows += [f"{HIDDEN},false,s", f"{TWINS},true,s", f"{TWINS},true,s", f'"{ODD.replace(chr(34), chr(34) * 2)}",true,s']
    return "name,open,secret\n" + "\n".join(rows) + "\n"


@pytest.fixture
def app(make_app: Any) -> Flask:
    built: Flask = make_app(YAML, files={"data/towns.csv": towns_csv()}, LOWCODE_RATE_LIMITS="0")
    return built


def town_ids(app: Flask) -> dict[str, list[int]]:
    store = app_runtime(app).stores["towns"]
    found: dict[str, list[int]] = {}
    with app.app_context(), app_engine(app).connect() as conn:
        for row_id, name in conn.execute(sa.select(store.table.c.id, store.table.c.name).order_by(store.table.c.id)):
            found.setdefault(name, []).append(row_id)
    return found


def stored_towns(app: Flask) -> dict[str, int]:
    store = app_runtime(app).stores["requests"]
    with app.app_context(), app_engine(app).connect() as conn:
        return {r[0]: r[1] for r in conn.execute(sa.select(store.table.c.subject, store.table.c.town))}


def box(page: str, name: str = "town") -> str:
    found = re.search(rf'<input type="text" id="{name}" name="{name}"[^>]*>', page)
    assert found is not None, f"no typed box for {name}"
    return found.group(0)


def box_value(page: str, name: str = "town") -> str:
    value = re.search(r'value="([^"]*)"', box(page, name))
    assert value is not None
    return html.unescape(value.group(1))


def send(client: Any, data: dict[str, str], url: str = "/demo/forms/ask") -> Any:
    return client.post(url + "?lang=ja", data={"csrf_token": csrf_token(client, url), **data})


def test_the_real_limit_turns_the_menu_into_a_typed_box(app: Flask) -> None:
    assert TOWNS - 1 > REFERENCE_OPTION_LIMIT  # the public sees every town but the closed one
    page = app.test_client().get("/demo/forms/ask?lang=ja").get_data(as_text=True)
    assert '<select id="town"' not in page and 'name="town"' in box(page)
    assert 'list="town-suggestions"' in box(page) and '<datalist id="town-suggestions">' in page
    assert "data-suggest-url=\"/demo/api/options/requests/town\"" in box(page)
    assert "lowcode-reference.js" in page and "町0001" not in page  # no 600 options in the page


def test_under_the_limit_the_menu_stays(make_app: Any) -> None:
    app = make_app(YAML, files={"data/towns.csv": towns_csv(40)}, LOWCODE_RATE_LIMITS="0")
    page = app.test_client().get("/demo/forms/ask?lang=ja").get_data(as_text=True)
    assert re.search(r'<select[^>]*name="town"', page) and "lowcode-reference.js" not in page
    assert '<input type="text" id="town"' not in page
    refused = send(app.test_client(), {"subject": "草むしり", "town": "町0003"})  # a menu sends ids, not titles
    assert refused.status_code == 422 and "選択肢から選んでください。" in refused.get_data(as_text=True)


def test_a_typed_title_is_stored_as_its_row(app: Flask) -> None:
    client = app.test_client()
    sent = send(client, {"subject": "草むしり", "town": " 町0123 "})
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    assert stored_towns(app)["草むしり"] == town_ids(app)["町0123"][0]


def test_an_unknown_title_is_refused_and_the_rest_kept(app: Flask) -> None:
    page = send(app.test_client(), {"subject": "草むしり", "town": "町9999", "phone": "076-000-0000"})
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "「町9999」という町会は見つかりません" in html.unescape(text)
    assert box_value(text) == "町9999" and 'value="草むしり"' in text and 'value="076-000-0000"' in text
    assert stored_towns(app) == {}


def test_an_ambiguous_title_asks_for_more_and_an_id_picks_one(app: Flask) -> None:
    client = app.test_client()
    page = send(client, {"subject": "草むしり", "town": TWINS})
    assert page.status_code == 422
    assert f"「{TWINS}」という町会が複数あります" in html.unescape(page.get_data(as_text=True))
    second = town_ids(app)[TWINS][1]
    assert send(client, {"subject": "草むしり", "town": f"#{second}"}).status_code == 303
    assert stored_towns(app)["草むしり"] == second


def test_a_hidden_row_is_refused_by_its_title_and_by_its_id(app: Flask) -> None:
    client = app.test_client()
    refused = send(client, {"subject": "草むしり", "town": HIDDEN})
    assert refused.status_code == 422 and f"「{HIDDEN}」という町会は見つかりません" in html.unescape(refused.get_data(as_text=True))
    by_id = send(client, {"subject": "草むしり", "town": str(town_ids(app)[HIDDEN][0])})
    assert by_id.status_code == 422 and stored_towns(app) == {}


def test_staff_type_a_hidden_title_and_the_edit_page_shows_the_stored_one(app: Flask) -> None:
    with app.app_context():
        create_user(app_engine(app), "city", PASSWORD, [RoleGrant("demo", "admin")])
    client = staff_client(app, "city", PASSWORD)
    form = client.get("/demo/forms/staff_ask?lang=ja").get_data(as_text=True)
    assert "staff=1" in box(form)
    sent = send(client, {"subject": "閉鎖の確認", "town": HIDDEN}, url="/demo/forms/staff_ask")
    assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
    last = town_ids(app)["町0590"][0]  # far beyond the 500th row
    sent = send(client, {"subject": "遠い町", "town": str(last)}, url="/demo/forms/staff_ask")
    assert sent.status_code == 303
    row_id = max(stored_row_ids(app))
    edit = client.get(f"/demo/staff/tables/requests/{row_id}/edit?lang=ja").get_data(as_text=True)
    assert box_value(edit) == "町0590"


def stored_row_ids(app: Flask) -> list[int]:
    store = app_runtime(app).stores["requests"]
    with app.app_context(), app_engine(app).connect() as conn:
        return list(conn.execute(sa.select(store.table.c.id)).scalars())


def suggestions(client: Any, query: str, path: str = "/demo/api/options/requests/town", **extra: str) -> Any:
    return client.get(path, query_string={"q": query, **extra})


def test_the_search_returns_visible_rows_only_capped_and_as_plain_json(app: Flask) -> None:
    client = app.test_client()
    many = suggestions(client, "町0")
    assert many.status_code == 200 and many.mimetype == "application/json"
    titles = [o["title"] for o in many.get_json()["options"]]
    assert len(titles) == 20 and titles == sorted(titles) and all("町0" in t for t in titles)
    assert suggestions(client, "閉じ").get_json() == {"options": []}
    odd = suggestions(client, "<b>").get_json()["options"]
    assert [o["title"] for o in odd] == [ODD] and set(odd[0]) == {"id", "title"}
    assert suggestions(client, "%").get_json() == {"options": []}  # a LIKE wildcard is searched as itself
    assert "s1" not in suggestions(client, "町0001").get_data(as_text=True)  # no private field


def test_the_search_refuses_unknown_tables_fields_and_non_references(app: Flask) -> None:
    client = app.test_client()
    assert suggestions(client, "町", "/demo/api/options/nothing/town").status_code == 404
    assert suggestions(client, "町", "/demo/api/options/requests/nothing").status_code == 404
    assert suggestions(client, "町", "/demo/api/options/requests/subject").status_code == 400
    assert suggestions(client, "町" * 101).status_code == 400
    assert suggestions(client, "町", staff="1").status_code == 404  # no staff session: no staff answer


def test_the_staff_search_sees_the_staff_rows(app: Flask) -> None:
    with app.app_context():
        create_user(app_engine(app), "city", PASSWORD, [RoleGrant("demo", "admin")])
    client = staff_client(app, "city", PASSWORD)
    found = suggestions(client, "閉じ", staff="1")
    assert [o["title"] for o in found.get_json()["options"]] == [HIDDEN]
    assert found.headers["Cache-Control"] == "no-store"


def test_a_lowered_limit_works_the_same_way(make_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("lowcode.references.REFERENCE_OPTION_LIMIT", 10)
    app = make_app(YAML, files={"data/towns.csv": towns_csv(30)}, LOWCODE_RATE_LIMITS="0")
    client = app.test_client()
    assert box_value(client.get("/demo/forms/ask?lang=ja").get_data(as_text=True)) == ""
    page = send(client, {"subject": "", "town": "町0007"})  # another field refused: the box keeps the title
    assert page.status_code == 422 and box_value(page.get_data(as_text=True)) == "町0007"
    assert send(client, {"subject": "草むしり", "town": "町0007"}).status_code == 303
    assert stored_towns(app)["草むしり"] == town_ids(app)["町0007"][0]


def test_the_confirmation_shows_the_title_and_stores_the_row(app: Flask) -> None:
    client = app.test_client()
    shown = send(client, {"subject": "草むしり", "town": "町0321"}, url="/demo/forms/check")
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "町0321" in page and 'name="town" value="町0321"' in page
    carried = {name: html.unescape(value) for name, value in re.findall(r'<input[^>]* name="([^"]+)"[^>]* value="([^"]*)"', page)}
    stored = client.post("/demo/forms/check?lang=ja", data={**carried, "_step": "send"})
    assert stored.status_code == 303, stored.get_data(as_text=True)[:2000]
    assert stored_towns(app)["草むしり"] == town_ids(app)["町0321"][0]
    back = client.post("/demo/forms/check?lang=ja", data={**carried, "_step": "edit"}).get_data(as_text=True)
    assert box_value(back) == "町0321"


def test_the_search_is_rate_limited_like_the_other_apis(make_app: Any) -> None:
    assert kind_of_endpoint("GET", "demo.reference_suggestions") == "api"
    app = make_app(YAML, files={"data/towns.csv": towns_csv(20)}, LOWCODE_RATE_LIMIT_API="2/minute")
    client = app.test_client()
    answers = [suggestions(client, "町").status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_the_demo_admin_types_a_chokai_beyond_the_500th(tmp_path: Path, database: str) -> None:
    app_name, form = "neighbourhood_matching", "/neighbourhood_matching/forms/request"
    with sample_app(tmp_path, app_name, database, LOWCODE_RATE_LIMITS="0") as sample:
        runtime = app_runtime(sample, app_name)
        store = runtime.stores["chokai"]
        with sample.app_context(), app_engine(sample).connect() as conn:
            names = dict(conn.execute(sa.select(store.table.c.name, store.table.c.id)).all())
            in_a_menu = {title for _, title in reference_options(runtime, "chokai", conn, STAFF)}
        assert len(names) > REFERENCE_OPTION_LIMIT == len(in_a_menu)
        last = min(set(names) - in_a_menu)  # one of the 63 a menu could not offer
        with sample.app_context():
            create_user(app_engine(sample), "city", PASSWORD, [RoleGrant(app_name, "admin")])
        client = staff_client(sample, "city", PASSWORD, app_name)
        sent = send(client, {"title": "テントの設営", "chokai": last, "categories": "festival", "date": "2027-08-01",
                             "people_needed": "4"}, url=form)
        assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
        requests = app_runtime(sample, app_name).stores["help_requests"]
        with sample.app_context(), app_engine(sample).connect() as conn:
            query = sa.select(requests.table.c.chokai).where(requests.table.c.title == "テントの設営")
            assert conn.execute(query).scalar_one() == names[last]
