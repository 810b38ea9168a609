"""A scoped role's staff form offers its own row only for its scope field (issue 12, Y), on SQLite and PostgreSQL.

A 町会's account (role `chokai`, scoped by the request's `chokai` field) was offered every 町会 in the request
form's menu, then had its own stored whatever it chose. Its menu now holds its own 町会, chosen; the city's admin
still chooses among all. Another 町会's id sent by hand is corrected to the account's own, as before: nothing out of
its scope is stored, and a form with a confirmation step shows the value that will be stored.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from support import app_engine, app_runtime, csrf_token, sample_app, staff_client

from lowcode.references import REFERENCE_OPTION_LIMIT
from lowcode.staff.accounts import RoleGrant, create_user

APP = "neighbourhood_matching"
FORM = f"/{APP}/forms/request"
PASSWORD = "correct horse battery"


@pytest.fixture
def sample(tmp_path: Path, database: str) -> Iterator[Flask]:
    with sample_app(tmp_path, APP, database, LOWCODE_RATE_LIMITS="0") as app:
        yield app


def chokai_names(app: Flask) -> dict[int, str]:
    store = app_runtime(app, APP).stores["chokai"]
    with app.app_context(), app_engine(app).connect() as conn:
        return {int(r[0]): str(r[1]) for r in conn.execute(sa.select(store.table.c.id, store.table.c.name))}


def offered(page: str, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the form's `name` menu."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL)
    assert select is not None, f"no {name} menu"
    options = re.findall(r"<option([^>]*)>(.*?)</option>", select.group(1))
    return [(re.search(r'value="([^"]*)"', attrs).group(1), html.unescape(label).strip(),  # type: ignore[union-attr]
             re.search(r"\bselected\b", attrs) is not None) for attrs, label in options]


def with_accounts(app: Flask, own: int) -> None:
    with app.app_context():
        create_user(app_engine(app), "town", PASSWORD, [RoleGrant(APP, "chokai", str(own))])
        create_user(app_engine(app), "city", PASSWORD, [RoleGrant(APP, "admin")])


def stored_chokai(app: Flask, title: str) -> list[int]:
    store = app_runtime(app, APP).stores["help_requests"]
    with app.app_context(), app_engine(app).connect() as conn:
        return [int(v) for v in conn.execute(sa.select(store.table.c.chokai).where(store.table.c.title == title)).scalars()]


def test_the_chokai_account_is_offered_its_own_chokai_and_the_admin_every_one(sample: Flask) -> None:
    names = chokai_names(sample)
    other, own = sorted(names)[:2]
    with_accounts(sample, own)
    town_page = staff_client(sample, "town", PASSWORD, APP).get(FORM + "?lang=ja").get_data(as_text=True)
    assert offered(town_page, "chokai") == [(str(own), names[own], True)]
    assert names[other] not in town_page
    city_page = staff_client(sample, "city", PASSWORD, APP).get(FORM + "?lang=ja").get_data(as_text=True)
    # The demo has more 町会 than a menu holds (Z): the admin types one, with suggestions from every 町会.
    assert len(names) > REFERENCE_OPTION_LIMIT and not re.search(r'<select[^>]*name="chokai"', city_page)
    box = re.search(r'<input type="text" id="chokai" name="chokai" value=""[^>]*>', city_page)
    assert box is not None and 'data-suggest-url="/neighbourhood_matching/api/options/help_requests/chokai?staff=1"' in box.group(0)


def test_another_chokai_sent_by_hand_is_stored_as_the_account_own(sample: Flask) -> None:
    names = chokai_names(sample)
    other, own = sorted(names)[:2]
    with_accounts(sample, own)
    client = staff_client(sample, "town", PASSWORD, APP)
    sent = client.post(FORM + "?lang=ja", data={
        "csrf_token": csrf_token(client, FORM), "title": "テントの設営", "chokai": str(other), "categories": "festival",
        "date": "2027-08-01", "people_needed": "4",
    })
    assert sent.status_code == 303, sent.get_data(as_text=True)[:3000]
    assert stored_chokai(sample, "テントの設営") == [own]


def test_a_prefilled_link_naming_another_chokai_still_offers_the_own(sample: Flask) -> None:
    names = chokai_names(sample)
    other, own = sorted(names)[:2]
    with_accounts(sample, own)
    page = staff_client(sample, "town", PASSWORD, APP).get(f"{FORM}?chokai={other}&lang=ja").get_data(as_text=True)
    assert offered(page, "chokai") == [(str(own), names[own], True)]


CONFIRM_YAML = """
title: Hazards
roles:
  school:
    tables: {hazards: [view, create], schools: [view]}
    scope: {hazards: school}
tables:
  schools:
    title_field: name
    fields:
      name: {type: text}
    seed: {file: data/schools.csv}
  hazards:
    fields:
      what: {type: text, required: true}
      school: {type: reference, to: schools}
forms:
  intake: {table: hazards, access: staff, fields: [what, school], confirm: true}
"""


def test_the_confirmation_step_shows_the_own_row_that_will_be_stored(make_app: Any) -> None:
    app = make_app(CONFIRM_YAML, files={"data/schools.csv": "name\n長町小学校\n芳斎小学校\n"}, LOWCODE_RATE_LIMITS="0")
    with app.app_context():
        create_user(app_engine(app), "nagamachi", PASSWORD, [RoleGrant("demo", "school", "1")])
    client = staff_client(app, "nagamachi", PASSWORD)
    url = "/demo/forms/intake"
    assert offered(client.get(url).get_data(as_text=True), "school") == [("1", "長町小学校", True)]
    sheet = client.post(url, data={"csrf_token": csrf_token(client, url), "what": "穴", "school": "2"})
    text = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and 'name="_step"' in text
    assert "長町小学校" in text and "芳斎小学校" not in text


WARDS = ["north", "south", "east", "west", "centre", "harbour", "hills", "river"]


def ward_yaml(wards: list[str]) -> str:
    """A ward's account (role `ward`, scoped by the report's `ward`, a choice) and the city's admin (unscoped)."""
    return f"""
title: Wards
roles:
  ward:
    tables: {{reports: [view, create]}}
    scope: {{reports: ward}}
  admin:
    tables: {{reports: [view, create]}}
tables:
  reports:
    fields:
      what: {{type: text, required: true}}
      ward: {{type: choice, choices: [{", ".join(wards)}]}}
forms:
  intake: {{table: reports, access: staff, fields: [what, ward]}}
  checked: {{table: reports, access: staff, fields: [what, ward], confirm: true}}
"""


def radios(page: str, name: str) -> list[tuple[str, bool]]:
    """(value, checked) of each radio button `name` (a choice of up to six is drawn as radio buttons)."""
    inputs = re.findall(r'<input[^>]*type="radio"[^>]*>', page)
    return [(re.search(r'value="([^"]*)"', i).group(1), re.search(r"\bchecked\b", i) is not None)  # type: ignore[union-attr]
            for i in inputs if f'name="{name}"' in i]


@pytest.mark.parametrize("wards", [WARDS, WARDS[:3]], ids=["menu", "radios"])
def test_a_choice_scope_field_offers_the_own_choice_and_the_admin_every_one(make_app: Any, wards: list[str]) -> None:
    app = make_app(ward_yaml(wards), LOWCODE_RATE_LIMITS="0")
    with app.app_context():
        create_user(app_engine(app), "southward", PASSWORD, [RoleGrant("demo", "ward", "south")])
        create_user(app_engine(app), "city", PASSWORD, [RoleGrant("demo", "admin")])
    town, city = staff_client(app, "southward", PASSWORD), staff_client(app, "city", PASSWORD)
    url = "/demo/forms/intake"
    if len(wards) > 6:
        assert offered(town.get(url).get_data(as_text=True), "ward") == [("south", "south", True)]
        menu = offered(city.get(url).get_data(as_text=True), "ward")
        assert menu[0][0] == "" and menu[1:] == [(w, w, False) for w in wards]  # "Choose…", then every ward
    else:
        assert radios(town.get(url).get_data(as_text=True), "ward") == [("south", True)]
        assert radios(city.get(url).get_data(as_text=True), "ward") == [(w, False) for w in wards]
    # The confirmation step names the own ward whatever was sent, and so does the form shown again after 修正する.
    checked = "/demo/forms/checked"
    sheet = town.post(checked, data={"csrf_token": csrf_token(town, checked), "what": "穴", "ward": "north"})
    text = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and 'name="_step"' in text
    assert "<dd>south</dd>" in text and "<dd>north</dd>" not in text
    again = town.post(checked, data={"csrf_token": csrf_token(town, checked), "what": "穴", "ward": "north", "_step": "edit"})
    shown = again.get_data(as_text=True)
    assert (offered(shown, "ward") == [("south", "south", True)] if len(wards) > 6 else radios(shown, "ward") == [("south", True)])
