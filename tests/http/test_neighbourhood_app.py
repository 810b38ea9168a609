"""The 町会 matching sample (issue 12): find my 町会 from a town typed the ways residents type it, on SQLite and
PostgreSQL; the demo 町会 data is consistent and clearly demo; helpers register through a moderated public form; a
町会's account posts help requests for its own 町会 only, and a request is public only once it is open."""
from __future__ import annotations

import csv
import datetime as dt
import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime, csrf_token

from lowcode.app import create_app
from lowcode.audit import Actor
from lowcode.records import RowNotFound, change_status, query_row, submit
from lowcode.roles import role_audience
from lowcode.search import word_terms
from lowcode.staff.accounts import RoleGrant, create_user

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "apps" / "neighbourhood_matching" / "data"
APP = "neighbourhood_matching"
HIROSAKA = (136.6578, 36.560745)  # 広坂一丁目

# (what the resident types, the 町丁目 it must find, one it must not)
TYPED = [
    ("広坂1丁目", "広坂一丁目", "広坂二丁目"),
    ("広坂１丁目", "広坂一丁目", "広坂二丁目"),        # full-width digit
    ("広坂一丁目", "広坂一丁目", "広坂二丁目"),        # kanji numeral
    ("金沢市広坂１丁目", "広坂一丁目", "広坂二丁目"),  # with the city
    ("石川県金沢市広坂一丁目1-1", "広坂一丁目", "広坂二丁目"),  # a whole address
    ("広坂2丁目3番1号", "広坂二丁目", "広坂一丁目"),
    ("広坂1-1-1", "広坂一丁目", "片町一丁目"),
    ("金沢市広坂", "広坂二丁目", "片町一丁目"),
    ("ひろさか", "広坂一丁目", "片町一丁目"),          # kana
    ("ヒロサカ", "広坂二丁目", "片町一丁目"),
    ("ﾋﾛｻｶ", "広坂一丁目", "片町一丁目"),
    ("〒920-0962", "広坂一丁目", "片町一丁目"),        # postal code
    ("９２０−０９６２", "広坂二丁目", "片町一丁目"),    # full-width postal code
    ("四十万３丁目", "四十万三丁目", "四十万四丁目"),
    ("下本多町5番丁", "下本多町五番丁", "下本多町六番丁"),
    ("もりやま", "森山一丁目", "広坂一丁目"),
]


def demo_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected(town: str) -> tuple[str, str]:
    """The town's demo 町会 and its 校下, from the generated files (row ids are file order, as the app seeds them)."""
    districts = [row["校下・地区"] for row in demo_rows("districts.csv")]
    chokai = demo_rows("demo_chokai.csv")
    row = next(r for r in demo_rows("demo_town_chokai.csv") if r["town"] == town)
    return chokai[int(row["chokai"]) - 1]["name"], districts[int(row["district"]) - 1]


@pytest.fixture
def sample(tmp_path: Path, database: str) -> Iterator[Flask]:
    shutil.copytree(ROOT / "apps" / APP, tmp_path / "apps" / APP)
    app = create_app(tmp_path / "apps" / APP, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                                               "DATABASE_URL": database, "LOWCODE_RATE_LIMITS": "0"})
    yield app
    with app.app_context():
        app_engine(app).dispose()


def result_rows(app: Flask, query: str) -> list[str]:
    """The text of each row of the find list's results, tags removed."""
    page = app.test_client().get(f"/{APP}/lists/find", query_string={"q": query, "lang": "ja"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    return [html.unescape(re.sub(r"<[^>]+>|\s+", " ", row)) for row in re.findall(r"<tr\b.*?</tr>", body, re.DOTALL)[1:]]


def row_id(app: Flask, table: str, column: str, value: str) -> int:
    store = app_runtime(app, APP).stores[table]
    with app.app_context(), app_engine(app).connect() as conn:
        return int(conn.execute(sa.select(store.table.c.id).where(store.table.c[column] == value)).scalar_one())


def test_find_my_chokai_however_the_town_is_typed(sample: Flask) -> None:
    for typed, town, other in TYPED:
        rows = result_rows(sample, typed)
        found = [row for row in rows if re.search(rf"(^|\s){town}(\s|$)", row)]
        assert len(found) == 1, (typed, rows)
        chokai, district = expected(town)
        assert chokai in found[0] and district in found[0], (typed, found)
        assert f"{district}校下町会連合会 事務局" in found[0], (typed, found)  # how to join: the federation office
        assert not any(re.search(rf"(^|\s){other}(\s|$)", row) for row in rows), (typed, other, rows)


def test_a_town_of_another_city_or_nonsense_finds_nothing_and_never_fails(sample: Flask) -> None:
    for typed in ["〒100-0001", "ぴよぴよ", "<script>alert(1)</script>", "%", "_", "金沢市", "1番"]:
        page = sample.test_client().get(f"/{APP}/lists/find", query_string={"q": typed})
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in page.get_data(as_text=True)
    assert result_rows(sample, "〒100-0001") == []  # Tokyo's postal code: no Kanazawa town of the same name


@pytest.mark.parametrize(("word", "forms"), [
    ("〒920-0962", {"広坂"}), ("９２０−０９６２", {"広坂"}), ("〒100-0001", set()),  # another city's code adds nothing
    ("石川県金沢市広坂一丁目1-1", {"広坂1丁目", "広坂一丁目"}), ("広坂1-1-1", {"広坂", "広坂一丁目"}),
    ("三口新町12番地", {"三口新町"}), ("下本多町5番丁", {"下本多町五番丁"}),
])
def test_a_postal_code_or_a_whole_address_is_also_looked_for_as_its_town(word: str, forms: set[str]) -> None:
    terms = word_terms(word, "石川県金沢市")
    assert terms is not None and forms <= set(terms.texts)
    assert not forms or not any(t in {"", "〒", "-"} or t.isdigit() for t in terms.texts)


def test_the_find_map_points_lead_to_the_chokai_and_the_office(sample: Flask) -> None:
    client = sample.test_client()
    features = client.get(f"/{APP}/api/chokai_towns.geojson?map=find&layer=0").get_json()["features"]
    hirosaka = [f for f in features if f["properties"].get("town") == "広坂一丁目"]
    assert len(features) == len(demo_rows("demo_town_chokai.csv")) and len(hirosaka) == 1
    chokai, district = expected("広坂一丁目")
    assert f"{district}校下町会連合会" in hirosaka[0]["properties"]["office"]
    # the popup names the 町会 and the 校下 by their titles, not by row ids
    assert hirosaka[0]["titles"] == {"chokai": chokai, "district": district}
    detail = client.get(f"/{APP}/lists/find/{hirosaka[0]['id']}?lang=ja").get_data(as_text=True)
    assert chokai in detail and district in detail


def test_the_demo_data_is_marked_demo_consistent_and_names_no_person() -> None:
    chokai = demo_rows("demo_chokai.csv")
    districts = demo_rows("districts.csv")
    assert chokai and all(row["name"].startswith("【デモ】") and row["name"].endswith("町会") for row in chokai)
    assert len({row["name"] for row in chokai}) == len(chokai)
    # The only contact is a federation office's, with a number no one answers.
    assert all(re.fullmatch(r"【デモ】.+校下町会連合会 事務局 076-000-0000\(架空の番号\)", row["office"]) for row in chokai)
    towns = demo_rows("demo_town_chokai.csv")
    real = {row["town"] for row in demo_rows("towns.csv") if row["lat"]}
    assert {row["town"] for row in towns} == real  # every real town with a point, once
    for row in towns:
        own = chokai[int(row["chokai"]) - 1]
        assert own["district"] == row["district"] and own["office"] == row["office"]
        assert 1 <= int(row["district"]) <= len(districts)


def test_a_helper_is_listed_only_once_the_city_checks_it_and_never_with_its_contact(sample: Flask) -> None:
    client = sample.test_client()
    url = f"/{APP}/forms/helper?lang=ja"
    answer = client.post(url, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, url), "display_name": "金沢大学除雪サークル", "kind": "student_group",
        "categories": ["snow", "cleaning"], "skills": "除雪の経験あり", "people": "12", "weekdays": ["sat", "sun"],
        "max_travel_km": "5", "contact_name": "北陸花子", "contact_phone": "090-1234-5678",
        "contact_email": "snow@example.jp",
    })
    assert answer.status_code in (200, 302, 303), answer.get_data(as_text=True)[:500]
    assert "金沢大学除雪サークル" not in client.get(f"/{APP}/lists/helpers").get_data(as_text=True)
    helper = row_id(sample, "helpers", "display_name", "金沢大学除雪サークル")
    assert move(sample, "helpers", helper, "published", "admin").errors == {}
    listed = client.get(f"/{APP}/lists/helpers").get_data(as_text=True)
    detail = client.get(f"/{APP}/lists/helpers/{helper}").get_data(as_text=True)
    assert "金沢大学除雪サークル" in listed
    for private in ("北陸花子", "090-1234-5678", "snow@example.jp"):
        assert private not in listed and private not in detail


def test_a_helper_form_with_nothing_chosen_says_what_is_missing(sample: Flask) -> None:
    client = sample.test_client()
    url = f"/{APP}/forms/helper?lang=ja"
    with sample.app_context(), app_engine(sample).connect() as conn:
        before = app_runtime(sample, APP).stores["helpers"].count(conn)  # the demo helpers
    answer = client.post(url, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, url), "display_name": "<b>太郎</b>", "kind": "individual", "people": "0",
        "contact_name": "太郎", "contact_email": "taro@example.jp",
    })
    body = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "<b>太郎</b>" not in body and "&lt;b&gt;太郎&lt;/b&gt;" in body
    with sample.app_context(), app_engine(sample).connect() as conn:
        assert app_runtime(sample, APP).stores["helpers"].count(conn) == before


def move(app: Flask, table: str, row: int, to: str, role: str, scope: Any = None, **values: Any) -> Any:
    runtime = app_runtime(app, APP)
    with app.test_request_context("/?lang=ja"):
        return change_status(runtime, app_engine(app), table, row, "status", to,
                             audience=role_audience(runtime.spec, role, scope), actor=Actor(role), values=values)


def post_request(app: Flask, scope: str, chokai: int, title: str) -> int:
    runtime = app_runtime(app, APP)
    with app.test_request_context("/?lang=ja"):
        result = submit(runtime, app_engine(app), "help_requests", {
            "title": title, "chokai": chokai, "categories": ["snow"], "date": dt.date(2027, 1, 20), "people_needed": 5,
            "location": HIROSAKA, "contact_name": "町会 太郎", "contact_phone": "076-111-2222",
        }, lang="ja", audience=role_audience(runtime.spec, "chokai", scope), actor=Actor("chokai"))
    assert result.errors == {} and result.row_id is not None
    return result.row_id


def requests_list(client: Any, words: str) -> str:
    """The public requests list searched for `words` (the demo requests fill several pages)."""
    return str(client.get(f"/{APP}/lists/requests", query_string={"q": words}).get_data(as_text=True))


def test_a_chokai_account_posts_for_its_own_chokai_and_the_request_is_public_once_open(sample: Flask) -> None:
    own = row_id(sample, "chokai", "name", expected("広坂一丁目")[0])
    other = row_id(sample, "chokai", "name", expected("森山一丁目")[0])
    request = post_request(sample, str(own), other, "雪すかしの手伝い")  # names another 町会: kept in its own
    runtime = app_runtime(sample, APP)
    with sample.app_context():
        row = query_row(runtime, app_engine(sample), "help_requests", request, ["chokai", "contact_phone"],
                        audience=role_audience(runtime.spec, "chokai", str(own)))
        assert row is not None and row[0]["chokai"] == own and row[0]["contact_phone"] == "076-111-2222"
        assert query_row(runtime, app_engine(sample), "help_requests", request, ["chokai"],
                         audience=role_audience(runtime.spec, "chokai", str(other))) is None
    client = sample.test_client()
    assert "雪すかしの手伝い" not in requests_list(client, "雪すかし")  # a draft
    with pytest.raises(RowNotFound):  # another 町会's account cannot even see it
        move(sample, "help_requests", request, "open", "chokai", str(other))
    assert move(sample, "help_requests", request, "open", "chokai", str(own)).errors == {}
    listed = requests_list(client, "雪すかし")
    assert "雪すかしの手伝い" in listed and "076-111-2222" not in listed and "町会 太郎" not in listed
    assert set(move(sample, "help_requests", request, "done", "chokai", str(own)).errors) == {"report"}
    assert move(sample, "help_requests", request, "done", "chokai", str(own), report="学生5人・2時間").errors == {}
    assert "雪すかしの手伝い" not in requests_list(client, "雪すかし")  # closed
    cancelled = post_request(sample, str(own), own, "祭りの準備")
    assert move(sample, "help_requests", cancelled, "cancelled", "chokai", str(own)).errors == {}
    assert "祭りの準備" not in requests_list(client, "祭り")


def test_the_demo_requests_and_helpers_are_marked_demo_with_fake_contacts() -> None:
    requests, helpers = demo_rows("demo_help_requests.csv"), demo_rows("demo_helpers.csv")
    chokai, towns = demo_rows("demo_chokai.csv"), demo_rows("demo_town_chokai.csv")
    assert 40 <= len(requests) <= 80 and 60 <= len(helpers) <= 120
    assert all(row["title"].startswith("【デモ】") for row in requests)
    assert all(row["display_name"].startswith("【デモ】") for row in helpers)
    assert len({row["display_name"] for row in helpers}) == len(helpers)
    assert {row["kind"] for row in helpers} == {"individual", "student_group", "business"}
    assert all(row["contact_phone"] == "000-0000-0000" for row in [*requests, *helpers])
    assert all(row["contact_email"].endswith("@example.invalid") for row in helpers)
    assert sum(row["status"] == "open" for row in requests) > len(requests) / 2  # mostly open
    for row in requests:  # from a demo 町会, in its 校下, near one of its towns
        own = chokai[int(row["chokai"]) - 1]
        assert own["district"] == row["district"]
        near = [t for t in towns if t["chokai"] == row["chokai"]]
        assert min(abs(float(t["lat"]) - float(row["lat"])) + abs(float(t["lon"]) - float(row["lon"])) for t in near) < 0.01
        if "snow" in row["categories"].split(","):
            assert dt.date.fromisoformat(row["date"]).month in (1, 2)  # 除雪 in January and February


def test_the_demo_data_is_seeded_and_the_matching_page_ranks_demo_helpers(sample: Flask) -> None:
    client = sample.test_client()
    listed = client.get(f"/{APP}/lists/helpers?lang=ja").get_data(as_text=True)
    assert "【デモ】" in listed and "example.invalid" not in listed and "000-0000-0000" not in listed
    requests = client.get(f"/{APP}/lists/requests?lang=ja").get_data(as_text=True)
    assert "【デモ】" in requests and "デモのデータ" in requests.split("<table", 1)[0]  # the page says so
    assert "デモのデータ" in listed.split("<table", 1)[0]
    with sample.app_context():
        create_user(app_engine(sample), "city", "a long test password", [RoleGrant(APP, "admin")])
    token = csrf_token(client, f"/{APP}/staff/login")
    client.post(f"/{APP}/staff/login", data={"csrf_token": token, "username": "city",
                                             "password": "a long test password"})
    page = client.get(f"/{APP}/staff/matching/helpers_for_requests?lang=ja").get_data(as_text=True)
    open_titles = {row["title"] for row in demo_rows("demo_help_requests.csv") if row["status"] == "open"}
    helper_names = {row["display_name"] for row in demo_rows("demo_helpers.csv") if row["status"] == "published"}
    assert any(html.escape(title) in page for title in open_titles)
    assert sum(html.escape(name) in page for name in helper_names) >= 10  # ranked helpers, several per request
    assert "同じ校下" in page and " km" in page
    assert "example.invalid" not in page and "担当者0" not in page  # contacts are never read for the page


def test_a_find_result_links_to_the_join_form_with_the_town_and_district_filled(sample: Flask) -> None:
    client = sample.test_client()
    page = client.get(f"/{APP}/lists/find", query_string={"q": "広坂1丁目", "lang": "ja"}).get_data(as_text=True)
    links = [html.unescape(u) for u in re.findall(r'<a href="([^"]*/forms/join\?[^"]*)">この町の町会への加入を相談する</a>', page)]
    assert len(links) == 1, links
    district = row_id(sample, "districts", "name", expected("広坂一丁目")[1])
    form = client.get(links[0]).get_data(as_text=True)
    assert re.search(r'<input[^>]*name="town"[^>]*value="広坂一丁目"', form)
    assert re.search(rf'<option[^>]*(selected[^>]*value="{district}"|value="{district}"[^>]*selected)', form)
    town = row_id(sample, "chokai_towns", "town", "広坂一丁目")
    detail = client.get(f"/{APP}/lists/find/{town}?lang=ja").get_data(as_text=True)
    assert [html.unescape(u) for u in re.findall(r'<a class="button" href="([^"]*/forms/join\?[^"]*)"', detail)] == links


def test_the_demo_requests_and_helpers_are_what_the_script_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_demo_matching", ROOT / "tools" / "make_demo_matching.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name in ("demo_chokai.csv", "demo_town_chokai.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    monkeypatch.setattr(script, "DATA", tmp_path)
    script.main()
    for name in ("demo_help_requests.csv", "demo_helpers.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), f"run: python tools/make_demo_matching.py ({name})"
