"""Both shipped sample apps moderate (issue 9), on SQLite and PostgreSQL, through the records layer and the public
pages: a report or a registration is on no public page until staff publish it; each role may take only the moves
its YAML gives it, within its scope; declining needs a reason; join requests are never public."""
from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime

from lowcode.app import create_app
from lowcode.audit import Actor
from lowcode.mail.outbox import OUTBOX
from lowcode.records import RowNotFound, TransitionNotAllowed, change_status, query_row, submit
from lowcode.roles import role_audience

ROOT = Path(__file__).resolve().parents[2]
HIROSAKA = (136.6578, 36.560745)  # 広坂一丁目, in the service area
Sample = Callable[[str], Flask]


@pytest.fixture
def sample(tmp_path: Path, database: str) -> Iterator[Sample]:
    built: list[Flask] = []

    def build(name: str) -> Flask:
        shutil.copytree(ROOT / "apps" / name, tmp_path / "apps" / name)
        app = create_app(tmp_path / "apps" / name, {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                                                     "DATABASE_URL": database, "LOWCODE_RATE_LIMITS": "0"})
        built.append(app)
        return app

    yield build
    for app in built:
        with app.app_context():
            app_engine(app).dispose()


def submitted(app: Flask, name: str, table: str, values: dict[str, Any]) -> int:
    with app.app_context():
        result = submit(app_runtime(app, name), app_engine(app), table, values, lang="ja", actor=Actor("resident"))
    assert result.errors == {} and result.row_id is not None
    return result.row_id


def move(app: Flask, name: str, table: str, row_id: int, to: str, role: str, scope: Any = None, **values: Any) -> Any:
    runtime = app_runtime(app, name)
    audience = role_audience(runtime.spec, role, scope)
    field = runtime.spec.tables[table].workflow.field
    with app.test_request_context("/?lang=ja"):  # a refusal's message is in the reader's language
        return change_status(runtime, app_engine(app), table, row_id, field, to, audience=audience, actor=Actor(role),
                             values=values)


def school_id(app: Flask, name: str) -> str:
    """A school's id as `lowcode user add --scope` stores it (text)."""
    store = app_runtime(app, "safe_school_routes").stores["schools"]
    with app.app_context(), app_engine(app).connect() as conn:
        return str(conn.execute(sa.select(store.table.c.id).where(store.table.c.name == name)).scalar_one())


def hazard(app: Flask, title: str, school: str) -> int:
    return submitted(app, "safe_school_routes", "hazards", {
        "title": title, "theme": "traffic", "location": HIROSAKA, "school": int(school),
        "reporter_email": "hogosha@example.jp", "consent": True,
    })


def on_public_pages(app: Flask, title: str) -> tuple[bool, bool]:
    client = app.test_client()
    listed = title in client.get("/safe_school_routes/lists/hazards").get_data(as_text=True)
    mapped = title in client.get("/safe_school_routes/api/hazards.geojson?map=hazards&layer=0").get_data(as_text=True)
    return listed, mapped


def test_a_hazard_reaches_the_list_and_the_map_once_its_school_publishes_it(sample: Sample) -> None:
    app = sample("safe_school_routes")
    own, other = school_id(app, "緑小学校"), school_id(app, "西小学校")
    row = hazard(app, "歩道のない坂道", own)
    assert on_public_pages(app, "歩道のない坂道") == (False, False)

    with pytest.raises(RowNotFound):  # another school's account does not see it at all
        move(app, "safe_school_routes", "hazards", row, "published", "school", other)
    with pytest.raises(TransitionNotAllowed):  # the road manager acts on published reports, does not publish
        move(app, "safe_school_routes", "hazards", row, "published", "road")
    assert move(app, "safe_school_routes", "hazards", row, "published", "school", own).errors == {}

    assert on_public_pages(app, "歩道のない坂道") == (True, True)
    assert move(app, "safe_school_routes", "hazards", row, "done", "road").errors == {}
    assert on_public_pages(app, "歩道のない坂道") == (True, True)  # 対策済 is public too: green on the map


def test_declining_needs_a_reason_and_tells_the_reporter(sample: Sample) -> None:
    app = sample("safe_school_routes")
    row = hazard(app, "見通しの悪い角", school_id(app, "緑小学校"))

    with pytest.raises(TransitionNotAllowed):
        move(app, "safe_school_routes", "hazards", row, "declined", "police")
    assert set(move(app, "safe_school_routes", "hazards", row, "declined", "board", decline_reason="  ").errors) == {"decline_reason"}
    assert move(app, "safe_school_routes", "hazards", row, "declined", "board", decline_reason="私有地のため").errors == {}

    assert on_public_pages(app, "見通しの悪い角") == (False, False)
    with app.app_context(), app_engine(app).connect() as conn:
        mails = conn.execute(sa.select(OUTBOX.c.to, OUTBOX.c.body)).all()
    assert [(to, "今回は対応しないこととしました" in body, "私有地" in body) for to, body in mails] == [
        ("hogosha@example.jp", True, False)]  # the default message; the staff reason stays with staff


def test_a_volunteer_group_is_listed_once_the_city_publishes_it(sample: Sample) -> None:
    app = sample("neighbourhood_matching")
    row = submitted(app, "neighbourhood_matching", "volunteer_groups", {
        "group_name": "北陸大学除雪隊", "kind": "university", "members": 12, "contact_name": "山田", "contact_phone": "076-000-0000",
    })
    client = app.test_client()
    assert "北陸大学除雪隊" not in client.get("/neighbourhood_matching/lists/groups").get_data(as_text=True)

    assert move(app, "neighbourhood_matching", "volunteer_groups", row, "published", "admin").errors == {}
    assert "北陸大学除雪隊" in client.get("/neighbourhood_matching/lists/groups").get_data(as_text=True)
    assert move(app, "neighbourhood_matching", "volunteer_groups", row, "retired", "admin").errors == {}
    assert "北陸大学除雪隊" not in client.get("/neighbourhood_matching/lists/groups").get_data(as_text=True)


def test_a_join_request_goes_to_its_district_office_only(sample: Sample) -> None:
    app = sample("neighbourhood_matching")
    store = app_runtime(app, "neighbourhood_matching").stores["districts"]
    with app.app_context(), app_engine(app).connect() as conn:
        own, other = (str(i) for i in conn.execute(sa.select(store.table.c.id).order_by(store.table.c.id).limit(2)).scalars())
    row = submitted(app, "neighbourhood_matching", "join_requests", {
        "town": "広坂1丁目", "district": int(own), "name": "金沢太郎", "address": "金沢市広坂1丁目1-1", "contact_by": "phone",
    })
    runtime = app_runtime(app, "neighbourhood_matching")
    with app.app_context():
        assert query_row(runtime, app_engine(app), "join_requests", row, ["name"],
                         audience=role_audience(runtime.spec, "district", other)) is None
        seen = query_row(runtime, app_engine(app), "join_requests", row, ["name"],
                         audience=role_audience(runtime.spec, "district", own))
    assert seen is not None and seen[0]["name"] == "金沢太郎"  # the office reads the contact details it needs

    assert set(move(app, "neighbourhood_matching", "join_requests", row, "declined", "district", own).errors) == {"decline_reason"}
    assert move(app, "neighbourhood_matching", "join_requests", row, "contacted", "district", own).errors == {}
    assert move(app, "neighbourhood_matching", "join_requests", row, "joined", "district", own).errors == {}
    with app.app_context():  # never public, whatever its status: no public list or map names the table
        assert query_row(runtime, app_engine(app), "join_requests", row, ["name"]) is None
    assert all(spec.table != "join_requests" for spec in runtime.spec.lists.values())
