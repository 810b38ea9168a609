"""The small app of the proposal tests (tests/matching/test_proposals*.py): requests of two wards, helpers with a
private phone and address, `proposals:` naming them; roles: admin, a matching office, a ward's own desk (edits its
ward's requests only), a viewer of requests only."""
from __future__ import annotations

from typing import Any

from support import app_engine, app_runtime

from lowcode.records import insert_seed_rows
from lowcode.staff.accounts import RoleGrant, create_user

YAML = """
title: Proposals
roles:
  admin: {all: true}
  office: {tables: {requests: [view], helpers: [view]}}
  ward: {tables: {requests: [view, edit, see_private]}, scope: {requests: ward}}
  reader: {tables: {requests: [view]}}
tables:
  requests:
    label: {en: Requests, ja: 依頼}
    title_field: title
    fields:
      title: {type: text, required: true, label: {en: Title, ja: 件名}}
      ward: {type: text, label: {en: Ward, ja: 地区}}
      kinds: {type: multichoice, label: {en: Kinds, ja: 分野}, choices: [snow, festival]}
      people: {type: integer, label: {en: People, ja: 人数}}
      contact: {type: text, visibility: private, label: {en: Contact person, ja: 担当者}}
      phone: {type: phone, visibility: private, label: {en: Ward phone, ja: 町会の電話}}
      state: {type: choice, label: {en: State, ja: 状態}, choices: [open, done]}
  helpers:
    label: {en: Helpers, ja: 助っ人}
    title_field: name
    fields:
      name: {type: text, required: true, label: {en: Name, ja: 名前}}
      kinds: {type: multichoice, label: {en: Kinds, ja: 分野}, choices: [snow, festival]}
      people: {type: integer, label: {en: People, ja: 人数}}
      phone: {type: phone, visibility: private, label: {en: Helper phone, ja: 助っ人の電話}}
      email: {type: email, visibility: private, label: {en: Helper email, ja: 助っ人のメール}}
      secret: {type: text, visibility: private, label: {en: Secret, ja: 秘密}}
      active: {type: choice, label: {en: Active, ja: 活動中}, choices: ["yes", "no"]}
lists:
  requests: {table: requests, columns: [title, kinds, people]}
  helpers: {table: helpers, columns: [name, kinds, people]}
matching:
  pairs:
    title: {en: Helpers for requests, ja: 依頼に合う助っ人}
    requests: requests
    helpers: helpers
    requests_where: {state: open}
    helpers_where: {active: "yes"}
    criteria:
      - {kind: category, request_field: kinds, helper_field: kinds}
      - {kind: capacity, request_field: people, helper_field: people}
    proposals:
      request_contact: [contact, phone]
      helper_contact: [phone, email]
      helper_email: email
"""
PASSWORD = "correct horse battery"
REQUESTS = [
    {"title": "North snow", "ward": "North", "kinds": ["snow"], "people": 3, "contact": "Kita Taro",
     "phone": "076-111-1111", "state": "open"},
    {"title": "South festival", "ward": "South", "kinds": ["festival"], "people": 2, "contact": "Minami Hanako",
     "phone": "076-222-2222", "state": "open"},
    {"title": "Old job", "ward": "North", "kinds": ["snow"], "people": 1, "contact": "Old", "phone": "076-333-3333",
     "state": "done"},
]
HELPERS = [
    {"name": "Snow <b>team</b>", "kinds": ["snow"], "people": 5, "phone": "090-1111-2222",
     "email": "snow@example.org", "secret": "s3cret-1", "active": "yes"},
    {"name": "Festival folk", "kinds": ["festival"], "people": 2, "phone": "090-3333-4444",
     "email": "folk@example.org", "secret": "s3cret-2", "active": "yes"},
    {"name": "Retired", "kinds": ["snow"], "people": 2, "phone": "090-5555-6666", "email": "old@example.org",
     "secret": "s3cret-3", "active": "no"},
]
REQUEST_CONTACTS = ("Kita Taro", "076-111-1111", "Minami Hanako", "076-222-2222")
HELPER_CONTACTS = ("090-1111-2222", "snow@example.org", "090-3333-4444", "folk@example.org")
ACCOUNTS = (("admin", "admin", None, "admin@example.org"), ("office", "office", None, "office@example.org"),
            ("north", "ward", "North", "north@example.org"), ("south", "ward", "South", "south@example.org"),
            ("reader", "reader", None, None))


def seed(app: Any) -> None:
    with app.app_context():
        engine = app_engine(app)
        for name, role, scope, email in ACCOUNTS:
            create_user(engine, name, PASSWORD, [RoleGrant("demo", role, scope)], email=email)
        runtime = app_runtime(app)
        with engine.begin() as conn:
            insert_seed_rows(runtime, conn, "requests", REQUESTS)
            insert_seed_rows(runtime, conn, "helpers", HELPERS)
